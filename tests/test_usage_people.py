"""Person-level usage stays pseudonymised and private; the client cube carries usage safely."""

from __future__ import annotations

import stat
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib import pipeline
from adoption_lib.assessment import write_private
from adoption_lib.config.engagement import load_engagement
from adoption_lib.inputs.roster import load_roster
from adoption_lib.privacy.pseudonyms import engagement_key, person_pseudonym
from adoption_lib.privacy.suppression import ALL
from adoption_lib.synthetic import DEMO_SEED


@pytest.fixture(scope="module")
def demo_result(generated: dict[int, Path]):
    return pipeline.run(load_engagement(generated[DEMO_SEED]))


@pytest.fixture(scope="module")
def demo_assessment(demo_result):
    return demo_result.assessment


def test_people_are_pseudonymised_and_written_owner_only(demo_result, demo_assessment) -> None:
    engagement = demo_assessment.engagement
    people = demo_assessment.people
    roster = load_roster(engagement)
    licensed = roster[roster["licensed"]]
    assert len(people) == len(licensed) == 600
    key = engagement_key(engagement.private_dir)
    first = licensed.iloc[0]
    assert person_pseudonym(first["email"], key) in people.index
    assert people.loc[person_pseudonym(first["email"], key), "team"] == person_pseudonym(
        first["supervisor"], key
    )
    assert people.index.str.fullmatch(r"[0-9a-f]{20}").all()
    written = write_private(demo_assessment, demo_result.diagnosis.segments)
    assert [p.name for p in written] == ["usage_people.parquet", "segments.parquet"]
    path = written[0]
    assert path == engagement.private_dir / "usage_people.parquet"
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    raw = path.read_bytes()
    # no email, the roster's or the supervisor's, anywhere in the file
    for email in {*licensed["email"], *licensed["supervisor"]} - {""}:
        assert email.encode() not in raw
    back = pd.read_parquet(path)
    text = back.astype(str).reset_index().astype(str)
    assert not text.apply(lambda c: c.str.contains("@")).any().any()
    assert int(back["recent"].sum()) == demo_assessment.usage.metrics["active_users_30d"]
    assert int(back["effective"].sum()) == demo_assessment.usage.metrics["effective_users"]


def test_cube_usage_agrees_with_people_and_hides_small_counts(demo_result, demo_assessment) -> None:
    cube, people = demo_result.cube, demo_assessment.people
    k = cube.k
    usage = cube.usage
    total = usage[(usage["department"] == ALL) & (usage["role"] == ALL)].iloc[0]
    assert total["licensed"] == 600
    assert total["active_30d_share"] == round(people["recent"].mean(), 2)  # whole percent
    organisation = cube.organisation.iloc[0]  # the exact count, where the cube releases it
    assert organisation["active_30d"] == people["recent"].sum()
    # dormant and never activated: the same counts summary.json has, through the cube
    metrics = demo_assessment.usage.metrics
    assert organisation["dormant"] == metrics["dormant_users"] == 44
    assert organisation["never_activated"] == metrics["never_activated"] == 51
    assert total["feature_breadth"] == round(people["breadth"].mean(), 2)
    assert total["active_days_per_week"] == round(people["per_week"].mean(), 2)
    # every released share: its count and the people it leaves out are at least k (a
    # zero, "none" or "all", is withheld too); shares are whole percentages
    for row in usage[~usage["suppressed"]].itertuples():
        members = people
        for dim in cube.dimensions:
            if getattr(row, dim) != ALL:
                members = members[members[dim] == getattr(row, dim)]
        assert len(members) == row.licensed >= k
        for flags, share in (
            (members["recent"], row.active_30d_share),
            (members["effective"], row.effective_share),
        ):
            if pd.isna(share):
                continue
            count = int(flags.sum())
            assert share == round(count / len(members), 2)
            assert count >= k and len(members) - count >= k
    # withheld cells carry no figure at all
    hidden = usage[usage["suppressed"]]
    assert hidden.drop(columns=[*cube.dimensions, "suppressed"]).isna().all().all()
    assert cube.weekly[cube.weekly["suppressed"]]["share"].isna().all()


def test_cube_cells_share_labels_across_populations(demo_result) -> None:
    cells = demo_result.cube.cells
    roles = set(cells.loc[cells["department"] == ALL, "role"]) - {ALL}
    # survey answers "End user" and the roster's "end user" are one cell
    assert roles == {"end user", "manager", "executive"}
    row = cells[(cells["department"] == ALL) & (cells["role"] == "end user")].iloc[0]
    assert row["n"] > 0 and row["licensed"] > 0


def test_summary_lists_usage_sources(demo_result) -> None:
    _demo_assessment, summary = demo_result.assessment, demo_result.summary
    sources = summary["usage"]["sources"]
    assert [s["format"] for s in sources] == ["salesforce_login_history", "events"]
    assert sources[1]["coverage"][0] == "2026-02-02"
    assert all(s["rows_read"] >= s["rows_qualifying"] > 0 for s in sources)
    assert summary["privacy"]["suppressed_cube_cells"] == demo_result.cube.suppressed_cells
