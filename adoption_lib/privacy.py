"""The one privacy mechanism: small-group suppression with complementary suppression.

Never show a group smaller than ``min_group_size`` (k), and never release cells from
which a small group can be worked out by subtraction. For a set of groups that
partition a released population (the departments of an organisation whose total is
shown), :func:`suppress_partition` suppresses

1. every group with 1 to k-1 people;
2. every group whose complement within the population has 1 to k-1 people (releasing
   it would reveal that complement as total minus group);
3. then, while exactly one group is suppressed or the suppressed groups together hold
   1 to k-1 people, the smallest released group as well (the complementary cell), so
   that subtraction from the total yields only an aggregate of at least k people.

Suppressed rows keep their place with ``suppressed=True`` and their figures blanked
(NaN): never shown as 0, never silently dropped, and counted.
"""

from __future__ import annotations

import pandas as pd


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
    sizes = sizes.astype(int)
    total = int(sizes.sum())
    hidden = (sizes > 0) & (sizes < k)
    hidden |= (sizes > 0) & (total - sizes > 0) & (total - sizes < k)
    while True:
        withheld = int(sizes[hidden].sum())
        count = int((hidden & (sizes > 0)).sum())
        if count == 0 or (count >= 2 and withheld >= k):
            break
        released = sizes[~hidden & (sizes > 0)]
        if released.empty:
            break
        hidden[released.sort_values(kind="stable").index[0]] = True
    return hidden


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
    sizes = table.groupby(group)[size].max()
    hidden = suppress_partition(sizes, k)
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
