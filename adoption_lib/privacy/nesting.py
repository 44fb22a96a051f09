"""Which cells of a cube lie inside which, by the people they hold.

Two cells are nested when every finest cell (a full combination of the client
dimensions) with people in the inner one is in the outer one too, whatever their keys
say: when a role exists in one department only, (all departments, that role) lies
inside (that department, all roles). Cells holding the same finest cells are aliases:
one figure under two names. A reader sees which finest cells exist (they are rows of
the released cube), so this is what a reader can work out, and what suppression must
take into account.
"""

from __future__ import annotations

import numpy as np

#: the value of a dimension a cell does not cut by
ALL = "(all)"


def member_matrix(keys: list[tuple[str, ...]], sizes: np.ndarray) -> np.ndarray:
    """Cells by finest cells: True where the finest cell has people and lies in the cell.

    Parameters
    ----------
    keys
        Each cell's key: a value or :data:`ALL` per dimension.
    sizes
        People per cell (same order); finest cells with none hold nobody.

    Returns
    -------
    numpy.ndarray
        Boolean, one row per cell and one column per finest cell holding people (a
        key with no :data:`ALL`), in the order of ``keys``.

    Examples
    --------
    >>> keys = [("(all)",), ("a",), ("b",)]
    >>> member_matrix(keys, np.array([3, 3, 0])).astype(int).tolist()
    [[1], [1], [0]]
    """
    table = np.array(keys, dtype=object).reshape(len(keys), -1)
    finest = np.array([ALL not in key for key in keys], dtype=bool) & (np.asarray(sizes) > 0)
    matrix = np.ones((len(keys), int(finest.sum())), dtype=bool)
    for d in range(table.shape[1]):
        values = table[:, d]
        matrix &= (values[:, None] == ALL) | (values[:, None] == values[finest][None, :])
    return matrix


def containment(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strict nesting and aliases between cells, from their member matrix.

    Parameters
    ----------
    members
        From :func:`member_matrix`.

    Returns
    -------
    inside, alias : numpy.ndarray
        ``inside[a, b]``: cell b holds people, all of them in cell a, and a holds more;
        ``alias[a, b]``: a and b (a != b) hold the same people, at least one.
    """
    as_int = members.astype(np.int32)
    outside = (as_int @ (1 - as_int).T) == 0  # [b, a]: b has no member outside a
    held = members.any(axis=1)
    count = as_int.sum(axis=1)
    covers = outside.T & held[None, :]  # [a, b]: b inside a
    same = covers & covers.T
    np.fill_diagonal(same, False)
    inside = covers & (count[:, None] > count[None, :])
    return inside, same
