"""The one privacy mechanism: small-cell suppression with complementary suppression.

Never show a group smaller than ``min_group_size`` (k), and never release cells from
which a small group can be worked out by subtraction. :func:`suppress_cube` decides
over a set of nested cells (the whole organisation, each dimension alone, each
combination of dimensions), repeated until nothing changes:

1. a cell with 1 to k-1 people is withheld;
2. for every released cell and every released cell nested inside it (same values on the
   outer cell's dimensions, more dimensions fixed), a difference of 1 to k-1 people
   withholds the inner cell, since subtraction would reveal that small difference;
3. the cells that split a released cell along one dimension must not leave a single
   withheld cell, or withheld cells holding 1 to k-1 people together (the complement
   would reveal them): the smallest released sibling is withheld as well;
4. a withheld cell must not be the exact sum of released cells that split it: if all of
   its children along a dimension are released, the smallest is withheld.

:func:`suppress_partition` is the same mechanism on one dimension (the groups of one
table plus the released total); :mod:`adoption_lib.privacy.cube` uses it on all client
dimensions at once. Suppressed rows keep their place with ``suppressed=True`` and their figures blanked
(NaN): never shown as 0, never silently dropped, and counted.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from adoption_lib.privacy.nesting import ALL, containment, member_matrix


def too_few(people: Any, k: int) -> Any:
    """Whether a count of people is 1 to k-1: a group or figure that points at a few.

    The one test of a group's size against the threshold; zero is not too few (nobody).
    Works on a number, a numpy array or a pandas Series alike.

    Examples
    --------
    >>> too_few(3, 5), too_few(0, 5), too_few(5, 5)
    (True, False, False)
    """
    return (people > 0) & (people < k)


def enough(people: Any, k: int) -> Any:
    """Whether a count of people is at least k: a group large enough to speak for itself.

    Examples
    --------
    >>> enough(5, 5), enough(4, 5)
    (True, False)
    """
    return people >= k


def suppress_partition(sizes: pd.Series, k: int) -> pd.Series:
    """Decide which groups of one partition must be suppressed.

    Parameters
    ----------
    sizes
        People per group; the groups partition a population whose total is released.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.Series
        True for each group that must not be shown (same index as ``sizes``).
    """
    cells = pd.DataFrame(
        {"group": [ALL, *map(str, sizes.index)], "n": [int(sizes.sum()), *sizes.astype(int)]}
    )
    hidden = suppress_cube(cells, ["group"], k).to_numpy()[1:]
    return pd.Series(hidden, index=sizes.index)


def cube_cells(people: pd.DataFrame, dimensions: list[str]) -> pd.DataFrame:
    """Count people in every cell of every level of the cube.

    Parameters
    ----------
    people
        One row per person with a column per dimension.
    dimensions
        The client dimensions.

    Returns
    -------
    pandas.DataFrame
        One row per cell: a column per dimension (a value or :data:`ALL`), ``level``
        (how many dimensions the cell fixes) and ``n``.
    """
    frames = []
    for level in range(len(dimensions) + 1):
        for fixed in combinations(dimensions, level):
            if fixed:
                counts = people.groupby(list(fixed), observed=True).size().rename("n").reset_index()
            else:
                counts = pd.DataFrame({"n": [len(people)]})
            for dim in dimensions:
                if dim not in fixed:
                    counts[dim] = ALL
            counts["level"] = level
            frames.append(counts[[*dimensions, "level", "n"]])
    cells = pd.concat(frames, ignore_index=True)
    cells[dimensions] = cells[dimensions].astype(str)
    return cells


def suppress_cube(
    cells: pd.DataFrame,
    dimensions: list[str],
    k: int,
    count: str = "n",
    initial: pd.Series | None = None,
    presence: str | None = None,
) -> pd.Series:
    """Decide which cells to withhold (rules 1-4 of the module docstring).

    Parameters
    ----------
    cells
        From :func:`cube_cells`.
    dimensions
        The client dimensions.
    k
        ``privacy.min_group_size``.
    count
        The column of people per cell.
    initial
        Cells already withheld (for another population over the same cells).
    presence
        The column whose counts say which finest cells exist, when ``count`` is a
        population derived from others (licensed users who did not answer): its zeros
        are then figures a reader does not see, not cells that are not there.

    Returns
    -------
    pandas.Series
        True for every withheld cell (index of ``cells``).
    """
    n = cells[count].to_numpy()
    keys = [tuple(row) for row in cells[dimensions].itertuples(index=False)]
    hidden = [bool(too_few(x, k)) for x in n]
    if initial is not None:
        hidden = [h or bool(i) for h, i in zip(hidden, initial.to_numpy(), strict=True)]
    children = _children(keys, dimensions)  # parent -> {dimension: [child indices]}
    exists = cells[presence].to_numpy() if presence else n
    inside, alias = containment(member_matrix(keys, exists))  # nesting by the people held
    nested = [tuple(pair) for pair in np.argwhere(inside)]
    aliases = [tuple(pair) for pair in np.argwhere(alias)]
    changed = True
    while changed:
        changed = False
        for one, other in aliases:  # one figure under two names: withheld under both
            if hidden[one] and not hidden[other]:
                hidden[other] = changed = True
        for outer, inner in nested:  # rule 2
            if not hidden[outer] and not hidden[inner] and too_few(n[outer] - n[inner], k):
                hidden[inner] = changed = True
        for parent, splits in children.items():
            for kids in splits.values():
                live = [c for c in kids if exists[c] > 0]
                withheld = [c for c in live if hidden[c]]
                released = [c for c in live if not hidden[c]]
                if not released:
                    continue
                small_total = too_few(sum(n[c] for c in withheld), k)
                if (not hidden[parent] and (len(withheld) == 1 or small_total)) or (  # rule 3
                    hidden[parent] and n[parent] > 0 and not withheld  # rule 4
                ):
                    hidden[min(released, key=lambda c: (n[c], keys[c]))] = changed = True
    return pd.Series(hidden, index=cells.index, name="suppressed")


def suppress_populations(
    cells: pd.DataFrame,
    dimensions: list[str],
    k: int,
    counts: list[str],
    thresholds: dict[str, int] | None = None,
    initial: pd.Series | None = None,
    presence: dict[str, str] | None = None,
) -> pd.Series:
    """Withhold cells so that every population counted over them is safe at once.

    Respondents and licensed users are two populations over the same cells; a cell
    withheld for one is withheld for both, and the rules run again over each until
    nothing changes, so no released cell is small, or differs from a nested released
    cell by too few people, in any population.

    Parameters
    ----------
    cells
        One row per cell with a column of people for each population.
    dimensions
        The client dimensions.
    k
        The threshold for a population without one of its own.
    counts
        The population columns (for example ``["n", "licensed"]``).
    thresholds
        A threshold per population column, where it is not ``k``.
    initial
        Cells withheld from the start (for example by the audit).
    presence
        Per derived population, the column saying which finest cells exist (see
        :func:`suppress_cube`).

    Returns
    -------
    pandas.Series
        True for every withheld cell.
    """
    limits = {count: (thresholds or {}).get(count, k) for count in counts}
    presence = presence or {}
    hidden = pd.Series(False, index=cells.index, name="suppressed")
    if initial is not None:
        hidden = initial.astype(bool).rename("suppressed")
    while True:
        before = int(hidden.sum())
        for count in counts:
            hidden = suppress_cube(
                cells, dimensions, limits[count], count, hidden, presence.get(count)
            )
        if int(hidden.sum()) == before:
            return hidden


def _children(
    keys: list[tuple[str, ...]], dimensions: list[str]
) -> dict[int, dict[int, list[int]]]:
    position = {key: i for i, key in enumerate(keys)}
    out: dict[int, dict[int, list[int]]] = {}
    for i, key in enumerate(keys):
        for d, value in enumerate(key):
            if value == ALL:
                continue
            parent = (*key[:d], ALL, *key[d + 1 :])
            out.setdefault(position[parent], {}).setdefault(d, []).append(i)
    return out


def apply_suppression(
    table: pd.DataFrame, group: str, size: str, k: int, keep: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Blank the figures of suppressed groups in a table of one grouping.

    Parameters
    ----------
    table
        Rows per group (and possibly per measure, such as construct); ``size`` holds the
        number of people behind each group, the same on every row of a group.
    group
        The grouping column.
    size
        The column of people counts.
    k
        ``privacy.min_group_size``.
    keep
        Columns left as they are on suppressed rows (identifiers such as ``construct``).

    Returns
    -------
    pandas.DataFrame
        A copy with a boolean ``suppressed`` column; every other column except ``group``
        and ``keep`` is NaN on suppressed rows, the size included.
    """
    # Numeric whatever the table's shape: an empty table's columns carry no dtype of
    # their own, and a string-typed size would otherwise reach the arithmetic below.
    counts = pd.to_numeric(table[size], errors="raise").astype("float64")
    sizes = counts.groupby(table[group]).max()
    hidden = suppress_partition(sizes.dropna(), k)  # an unknown size is withheld below
    out = table.copy()
    out["suppressed"] = out[group].map(hidden).fillna(True).astype(bool)
    blank = [c for c in out.columns if c not in (group, "suppressed", *keep)]
    for column in blank:
        if pd.api.types.is_bool_dtype(out[column]) or pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype(
                "float64" if pd.api.types.is_integer_dtype(out[column]) else object
            )
        out.loc[out["suppressed"], column] = (
            float("nan") if pd.api.types.is_float_dtype(out[column]) else None
        )
    return out


def suppressed_count(table: pd.DataFrame, group: str) -> int:
    """How many groups a suppressed table withholds."""
    return int(table.loc[table["suppressed"], group].nunique())


def withhold_small_counts(
    table: pd.DataFrame, count: str, derived: tuple[str, ...], k: int
) -> pd.DataFrame:
    """Blank counts of 1 to k-1 people (and figures derived from them) inside shown groups.

    A group of 40 may be shown while "2 of them mention their bonus" may not: a count of
    people sharing an attribute is itself a cell. Zero stays (nobody said it).

    Parameters
    ----------
    table
        Output of :func:`apply_suppression`.
    count
        The column counting people with the attribute.
    derived
        Columns computed from that count (shares), blanked with it.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``count_suppressed`` set where the count was withheld.
    """
    out = table.copy()
    small = too_few(out[count], k)
    out["count_suppressed"] = small.fillna(False).astype(bool)
    out.loc[out["count_suppressed"], [count, *derived]] = float("nan")
    return out


def withhold_small_shares(
    counts: pd.DataFrame, k: int, size: pd.Series | None = None
) -> pd.DataFrame:
    """Counts of people as shares of their row, blank where they would point at a few.

    A share is withheld when the people it counts, or the people it leaves out of the
    row, number 1 to k-1 ("2 of the 40 never log in" points at two people). Used for
    every share of people the client cube releases.

    Parameters
    ----------
    counts
        People per row (a cell) and column (an attribute: a type, a band, a week).
    k
        ``privacy.min_group_size``.
    size
        People per row; the row sums by default.

    Returns
    -------
    pandas.DataFrame
        Shares, NaN where withheld.
    """
    size = counts.sum(axis=1) if size is None else size
    left_out = -counts.sub(size, axis=0)
    small = too_few(counts, k) | too_few(left_out, k)
    return counts.div(size, axis=0).mask(small)
