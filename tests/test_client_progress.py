"""The client's progress comparison: every figure the cube released, tested on it alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats import proportion

from adoption_lib import pipeline
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import for_wave
from adoption_lib.privacy.cells import by_one_dimension, pick_cell
from adoption_lib.remeasure.progress import compare_results
from adoption_lib.remeasure.released_changes import released_changes
from adoption_lib.synthetic import DEMO_SEED


@pytest.fixture(scope="module")
def waves(generated: dict[int, Path]):
    engagement = load_engagement(generated[DEMO_SEED])
    results = {w: pipeline.run(for_wave(engagement, w)) for w in ("baseline", "day90")}
    bundles, _ = compare_results(
        engagement, results["baseline"], results["day90"], "day90", action_plan=Path("none")
    )
    return results, bundles


def _cube_figure(cube, table: str, column: str, row: pd.Series, construct: str | None):
    frame = cube.tables()[table]
    dims = list(cube.dimensions)
    if construct is not None:
        frame = frame[frame["construct"] == construct]
    if row["dimension"] == "organisation":
        cell = pick_cell(frame, dims, {})
    else:
        one = by_one_dimension(frame, dims, row["dimension"])
        cell = one[one[row["dimension"]].astype(str) == row["group"]]
    assert len(cell) == 1, (table, column, row["dimension"], row["group"])
    return cell.iloc[0][column]


#: a measure's cube table and column, spelled out here (not taken from the library)
CUBE_COLUMNS = {
    "active_30d (share of licensed users)": ("usage", "active_30d_share"),
    "effective (share of licensed users)": ("usage", "effective_share"),
    "active days per week (mean)": ("usage", "active_days_per_week"),
    "feature breadth (mean)": ("usage", "feature_breadth"),
    **{
        f"{t} (share of respondents)": ("types", t)
        for t in ("commitment", "compliance", "wiifm", "mixed", "low")
    },
}


def test_each_client_row_is_the_released_cube_figure_in_both_waves(waves) -> None:
    results, bundles = waves
    table = bundles["client"].comparison
    shown = table[table["before"].notna()]
    checked = 0
    for _, row in shown.iterrows():
        measure = row["measure"]
        if measure in CUBE_COLUMNS:
            (where, column), construct = CUBE_COLUMNS[measure], None
        elif measure.endswith(" (mean)"):
            where, column, construct = "constructs", "mean", measure[: -len(" (mean)")]
        elif measure.endswith((" (favourable share)", " (unfavourable share)", " (net share)")):
            construct, kind = measure.rsplit(" (", 1)
            where, column = "constructs", f"{kind.split()[0]}_pct"
        else:  # dormant and never activated: counts of the organisation (checked below)
            continue
        for wave, value in (("baseline", row["before"]), ("day90", row["after"])):
            if column == "net_pct":  # a Key's net: the released favourable minus unfavourable
                cube = results[wave].cube
                released = round(
                    _cube_figure(cube, where, "favourable_pct", row, construct)
                    - _cube_figure(cube, where, "unfavourable_pct", row, construct),
                    2,
                )
            else:
                released = _cube_figure(results[wave].cube, where, column, row, construct)
            assert value == released, (wave, row.to_dict())  # to the last digit
        checked += 1
    assert checked > 250  # every construct, type and usage figure, overall and by group
    # the organisation's dormant share: the cube's dormant users over its licensed users
    dormant = shown[shown["measure"] == "dormant (share of licensed users)"].iloc[0]
    for wave, value in (("baseline", dormant["before"]), ("day90", dormant["after"])):
        organisation = pick_cell(results[wave].cube.organisation, ["department", "role"], {})
        exact = organisation["dormant"].iloc[0] / organisation["licensed"].iloc[0]
        assert value == round(exact, 2)


def test_client_shares_of_people_are_tested_on_the_released_counts(waves) -> None:
    _results, bundles = waves
    consultant, client = bundles["consultant"].comparison, bundles["client"].comparison
    rows = client[client["measure"].str.endswith("(share of respondents)") & client["p"].notna()]
    assert len(rows) >= 5
    for index, row in rows.iterrows():
        n1, n2 = int(row["n_before"]), int(row["n_after"])
        c1, c2 = round(row["before"] * n1), round(row["after"] * n2)
        # statsmodels directly, on the counts the released shares stand for
        p = proportion.test_proportions_2indep(c2, n2, c1, n1, method="score").pvalue
        low, high = proportion.confint_proportions_2indep(
            c2, n2, c1, n1, method="newcomb", compare="diff"
        )
        assert row["p"] == pytest.approx(p) and row["ci_low"] == pytest.approx(low)
        assert row["ci_high"] == pytest.approx(high)
        exact = consultant.loc[index]
        assert abs(row["before"] - exact["before"]) <= 0.005 + 1e-12  # the exact share, rounded
    # means keep the consultant's test; q-values are recomputed over the client's p
    means = client["measure"].str.endswith("(mean)")
    assert (client.loc[means, "p"].dropna() == consultant.loc[means, "p"].dropna()).all()
    assert (client["p"].notna() == consultant["p"].notna()).all()  # no test is lost
    assert not np.allclose(client["q"].dropna(), consultant["q"].dropna())


def test_exact_counts_behind_the_same_released_shares_give_the_same_client_row(waves) -> None:
    # the consultant's exact counts moved by one person, the cubes unchanged: the
    # client's row cannot tell (it reads the released figures only)
    results, bundles = waves
    consultant = bundles["consultant"].comparison
    people = consultant["measure"].str.endswith("(share of respondents)")
    people &= consultant["p"].notna()
    moved = consultant.copy()
    moved.loc[people, "before"] += 1 / moved.loc[people, "n_before"]
    moved.loc[people, "p"] = 0.5
    cubes = (results["baseline"].cube, results["day90"].cube)
    one, other = (released_changes(c, *cubes, 5) for c in (consultant, moved))
    figures = ["before", "after", "change", "ci_low", "ci_high", "p", "q"]
    pd.testing.assert_frame_equal(one.loc[people, figures], other.loc[people, figures])
    assert not np.allclose(consultant.loc[people, "p"], moved.loc[people, "p"])
    assert (one["significant"] == (one["q"] < 0.05)).all()
