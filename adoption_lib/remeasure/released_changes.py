"""The comparison a client sees: each wave's figures as its cube released them.

:func:`~adoption_lib.remeasure.compare.compare_waves` works on the person-level data of
both waves. A client's comparison shows, instead, each wave's figure as that wave's
client cube released it (a share a whole percentage, a mean two decimals), so that a
figure in the progress report is the one in the wave's other client views, to the last
digit. A share of people's test is run again on the counts the released shares stand
for: on exact counts, its p-value and interval would give a client the exact count
behind a share the cube rounds, and with it the arithmetic the disclosure audit rules
out (a department's exact count subtracted from the organisation's). Means and shares
of answers keep their tests (they count no people, and the audit does not weigh them);
their change is the difference of the released figures, and a share of answers'
interval moves with it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from adoption_lib.privacy.cells import by_one_dimension, pick_cell
from adoption_lib.privacy.release import SHARE_DECIMALS
from adoption_lib.remeasure.change_tests import proportion_change, with_q_values
from adoption_lib.remeasure.compare import (
    ACTIVATION_SHARES,
    TYPE_SHARES,
    USAGE_SHARE_COLUMNS,
    withheld_figures,
)

#: comparison measures that are shares of people, and their cube table and column
PEOPLE_SHARES = {
    **{m: ("usage", c) for m, c in USAGE_SHARE_COLUMNS.items()},
    **{m: ("types", c) for m, c in TYPE_SHARES.items()},
}
#: usage means, and their cube column
USAGE_MEANS = {
    "active days per week (mean)": "active_days_per_week",
    "feature breadth (mean)": "feature_breadth",
}
#: a construct comparison's suffix, and the constructs table's column
CONSTRUCT_FIGURES = {
    " (mean)": "mean",
    " (favourable share)": "favourable_pct",
    " (unfavourable share)": "unfavourable_pct",
    # not a cube column: the released favourable minus the released unfavourable share
    " (net share)": "net_pct",
}


def released_figure(cube: Any, dimension: str, group: str, measure: str) -> float | None:
    """One comparison row's figure as a wave's client cube released it.

    Parameters
    ----------
    cube
        The wave's :class:`~adoption_lib.privacy.cube.ClientCube`.
    dimension, group
        The row's scope: ``organisation`` and ``(all)``, or a client dimension and
        one of its values.
    measure
        The comparison's measure, such as ``"commitment (share of respondents)"`` or
        ``"process_fit (unfavourable share)"``.

    Returns
    -------
    float or None
        The released figure; None where the cube withholds it or has no such figure.
    """
    table, column, construct = _where(measure)
    frame = cube.tables().get(table) if table else None
    if frame is None or frame.empty:
        return None
    if construct is not None:
        frame = frame[frame["construct"] == construct]
    dims = list(cube.dimensions)
    if dimension == "organisation":
        cell = pick_cell(frame, dims, {})
    else:
        one = by_one_dimension(frame, dims, dimension)
        cell = one[one[dimension].astype(str) == group]
    if column == "net_pct" and len(cell) == 1 and "favourable_pct" in cell:
        value = cell.iloc[0]["favourable_pct"] - cell.iloc[0]["unfavourable_pct"]
        return None if pd.isna(value) else round(float(value), SHARE_DECIMALS)
    if len(cell) != 1 or column not in cell:
        return None
    value = cell.iloc[0][column]
    if table == "organisation":  # an activation count: its share of the licensed users
        licensed = cell.iloc[0]["licensed"]
        value = round(value / licensed, SHARE_DECIMALS) if licensed else None
    return None if value is None or pd.isna(value) else float(value)


def _where(measure: str) -> tuple[str | None, str | None, str | None]:
    """The cube table, column and construct (if any) of a comparison measure."""
    if measure in PEOPLE_SHARES:
        return *PEOPLE_SHARES[measure], None
    if measure in ACTIVATION_SHARES:
        return "organisation", ACTIVATION_SHARES[measure], None
    if measure in USAGE_MEANS:
        return "usage", USAGE_MEANS[measure], None
    for suffix, column in CONSTRUCT_FIGURES.items():
        if measure.endswith(suffix):
            return "constructs", column, measure[: -len(suffix)]
    return None, None, None


def released_changes(comparison: pd.DataFrame, before: Any, after: Any, k: int) -> pd.DataFrame:
    """The comparison with each wave's figures as released, shares of people retested.

    Parameters
    ----------
    comparison
        From :func:`~adoption_lib.remeasure.compare.compare_waves`.
    before, after
        Each wave's :class:`~adoption_lib.privacy.cube.ClientCube`.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        The same rows. ``before`` and ``after`` are :func:`released_figure`'s, the change
        their difference. A share of people's interval and p-value are Newcombe's
        interval and the score test on ``round(share x n)`` people of ``n`` in each
        wave (``n`` the cell's released size); q-values are recomputed across the
        table. Withheld rows stay withheld; a row the cube has no figure for is
        withheld too.
    """
    table = comparison.copy()
    shown = table["before"].notna()
    for index in table.index[shown]:
        row = table.loc[index]
        scope = (str(row["dimension"]), str(row["group"]))
        a = released_figure(before, *scope, row["measure"])
        b = released_figure(after, *scope, row["measure"])
        if a is None or b is None:  # nothing released to compare: say nothing
            blank = withheld_figures(row)
            table.loc[index, list(blank)] = list(blank.values())
            continue
        change = round(b - a, 6)
        table.loc[index, ["before", "after", "change"]] = [a, b, change]
        if row["measure"] in PEOPLE_SHARES or row["measure"] in ACTIVATION_SHARES:
            n1, n2 = int(row["n_before"]), int(row["n_after"])
            tested = proportion_change(round(a * n1), n1, round(b * n2), n2, k)
            table.loc[index, "effect_size"] = change
            table.loc[index, ["ci_low", "ci_high", "p"]] = [
                tested["ci_low"],
                tested["ci_high"],
                tested["p"],
            ]
            if pd.isna(tested["p"]):
                table.loc[index, "test"] = ""
        elif row["effect"] == "difference":  # a share of answers: its interval moves along
            moved = change - float(row["change"])
            table.loc[index, ["effect_size", "ci_low", "ci_high"]] = [
                change,
                float(row["ci_low"]) + moved,
                float(row["ci_high"]) + moved,
            ]
    return with_q_values(table)
