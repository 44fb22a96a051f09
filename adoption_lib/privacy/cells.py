"""Reading cells out of the released cube: the one way a view picks a group.

Every cube table (``cells``, ``constructs``, ``types``, ``usage``, ``weekly``,
``segments``) has a column per client dimension holding a value or
:data:`~adoption_lib.privacy.suppression.ALL`. A selection names a value for some
dimensions; the others are "(all)". The dashboard, the reports, the wave trend and
re-measure all pick cells with these two functions.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from adoption_lib.privacy.suppression import ALL


def pick_cell(
    table: pd.DataFrame, dimensions: list[str], selection: Mapping[str, str]
) -> pd.DataFrame:
    """The rows of a cube table for one selection (a dimension not named is "(all)").

    Parameters
    ----------
    table
        A cube table with a column per dimension.
    dimensions
        The cube's client dimensions.
    selection
        A value per dimension; those left out mean :data:`ALL`.

    Returns
    -------
    pandas.DataFrame
        The selection's rows: one for ``cells``, one per construct, week or type for
        the other tables; empty when the cube has no such cell.

    Examples
    --------
    >>> cells = pd.DataFrame({"department": ["(all)", "Sales"], "n": [40, 12]})
    >>> pick_cell(cells, ["department"], {"department": "Sales"})["n"].tolist()
    [12]
    """
    mask = pd.Series(True, index=table.index)
    for dimension in dimensions:
        mask &= table[dimension].astype(str) == selection.get(dimension, ALL)
    return table[mask]


def by_one_dimension(table: pd.DataFrame, dimensions: list[str], by: str) -> pd.DataFrame:
    """The rows of a cube table for each value of one dimension, the others at "(all)".

    Parameters
    ----------
    table
        A cube table with a column per dimension.
    dimensions
        The cube's client dimensions.
    by
        The dimension whose values are wanted.

    Returns
    -------
    pandas.DataFrame
        One row per value of ``by`` (and per construct, week or type where the table
        has them), the organisation row left out.

    Examples
    --------
    >>> cells = pd.DataFrame({"department": ["(all)", "Sales", "Sales"],
    ...                       "role": ["(all)", "(all)", "user"], "n": [40, 12, 7]})
    >>> by_one_dimension(cells, ["department", "role"], "department")["n"].tolist()
    [12]
    """
    others = [d for d in dimensions if d != by]
    rows = table[table[by].astype(str) != ALL]
    if others:
        rows = rows[(rows[others].astype(str) == ALL).all(axis=1)]
    return rows
