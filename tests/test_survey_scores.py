"""The demo survey's planted patterns, recovered by scoring, for two generator seeds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.inputs.roster import load_roster
from adoption_lib.survey.load import load_survey
from adoption_lib.survey.scores import score_survey
from adoption_lib.synthetic import DEMO_SEED
from adoption_lib.synthetic.planted import read_planted

from .conftest import SECOND_SEED


@pytest.fixture(scope="module", params=[DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def scored(request: pytest.FixtureRequest, generated: dict[int, Path]):
    folder = generated[request.param]
    engagement = load_engagement(folder)
    data = load_survey(engagement, write=False)
    return engagement, data, score_survey(data, engagement), read_planted(folder / "PLANTED.md")


def _means(result, by: str = "department") -> pd.DataFrame:
    table = result.by_group[by]["motivation"]
    return table.pivot(index=by, columns="construct", values="mean")


def test_commitment_led_department(scored) -> None:
    _, _, result, _ = scored
    means = _means(result)
    assert means["commitment"].idxmax() == "Inside Sales"
    types = result.by_group["department"]["types"].set_index("department")
    inside = types.loc["Inside Sales", ["commitment", "compliance", "wiifm", "mixed", "low"]]
    assert inside.drop("mixed").idxmax() == "commitment"
    assert types["commitment"].idxmax() == "Inside Sales"


def test_compliance_led_department(scored) -> None:
    _, _, result, _ = scored
    table = result.by_group["department"]["motivation"].set_index(["department", "construct"])
    compliance, commitment = (
        table.loc[("Field Sales", "compliance")],
        table.loc[("Field Sales", "commitment")],
    )
    assert compliance["ci_low"] > commitment["ci_high"]
    assert _means(result)["compliance"].idxmax() == "Field Sales"
    types = result.by_group["department"]["types"].set_index("department")
    assert types["compliance"].idxmax() == "Field Sales"


def test_blocked_department_wants_to_use_the_system(scored) -> None:
    _, _, result, _ = scored
    org = result.scores["commitment"].mean()
    means = _means(result)
    assert means.loc["Service", "commitment"] > org
    barriers = result.by_group["department"]["barriers"]
    process = barriers[barriers["construct"] == "process_fit"].set_index("department")
    assert process["unfavourable_pct"].idxmax() == "Service"
    assert process.loc["Service", "flagged"] and process.loc["Service", "unfavourable_pct"] >= 0.5
    service = barriers[barriers["department"] == "Service"].sort_values(
        "unfavourable_pct", ascending=False
    )
    planted_org_wide = {"performance", "behaviour_clarity"}
    assert next(c for c in service["construct"] if c not in planted_org_wide) == "process_fit"


def test_strong_supervisor_team(scored) -> None:
    engagement, _, result, truth = scored
    roster = load_roster(engagement)
    supervisor = truth["strong_team"]["supervisor"]
    name = roster.set_index("email").loc[supervisor, "name"]
    keys = result.by_group["team"]["keys"]
    key5 = keys[(keys["construct"] == "key5_supervisor") & ~keys["suppressed"]].set_index("team")
    assert key5["favourable_pct"].idxmax() == name
    assert key5.loc[name, "status"] == "green"


def test_negative_control_has_no_effect(scored) -> None:
    """Operations differs from everyone else on no construct (Welch t, Bonferroni)."""
    from scipy import stats

    _, data, result, _ = scored
    department = data.kept().set_index("respondent")["department"].reindex(result.scores.index)
    inside = department == "Operations"
    tests = len(result.scores.columns)
    for construct in result.scores.columns:
        a, b = (
            result.scores.loc[inside, construct].dropna(),
            result.scores.loc[~inside, construct].dropna(),
        )
        if len(a) < 5:
            continue
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        assert p > 0.05 / tests, (
            f"{construct}: Operations {a.mean():.2f} vs {b.mean():.2f}, p={p:.4f}"
        )
    # Planted departments, by contrast, do differ: the test can fail.
    service = department == "Service"
    p_service = stats.ttest_ind(
        result.scores.loc[service, "process_fit"].dropna(),
        result.scores.loc[~service, "process_fit"].dropna(),
        equal_var=False,
    ).pvalue
    assert p_service < 0.05 / tests
    types = result.by_group["department"]["types"].set_index("department")
    assert (
        types["commitment"].idxmax() != "Operations"
        and types["compliance"].idxmax() != "Operations"
    )


def test_org_wide_barriers_and_keys(scored) -> None:
    _, _, result, _ = scored
    top_two = set(result.ranking.sort_values("rank")["construct"].head(2))
    assert top_two == {"performance", "behaviour_clarity"}
    keys = result.keys.set_index("construct")
    assert keys.loc["key3_owner", "dont_know_pct"] > keys.loc["key1_people", "dont_know_pct"]
    assert keys.loc["key2_plan", "dont_know_pct"] > keys.loc["key4_leadership", "dont_know_pct"]
    gap = result.manager_gap.set_index("construct")
    assert (gap["gap"] > 0).all()
    assert (
        (gap["dont_know_end_users"] > gap["dont_know_managers"])
        .loc[["key2_plan", "key3_owner"]]
        .all()
    )


def test_reliability_of_the_demo_is_acceptable(scored) -> None:
    _, _, result, _ = scored
    low = [c for c, r in result.reliability.items() if "low_alpha" in r.flags]
    suspects = [f for r in result.reliability.values() for f in r.flags if f.startswith("reverse")]
    assert suspects == []
    assert len(low) <= 2, low
