"""Suppression of breakdowns: the people of each released cell split into categories.

A breakdown (motivation types, adoption segments, usage bands and segments, active or
not, active each week) splits every cell's people into categories. Its counts are a
cube of their own, one more dimension (the category) on the client dimensions, and
suppression treats them so, as complementary cell suppression does in statistical
offices (tau-Argus's hypercube rules), until nothing changes:

1. every category of a withheld cell is withheld;
2. a count, or its complement in the cell, under k is withheld, zeros included, so
   that withholding never says "none" or "all";
3. for a released cell and a released cell inside it (by the people held, see
   :mod:`adoption_lib.privacy.nesting`), the people of a category in the one and not
   the other, or the rest of that difference, must not number 1 to k-1: the inner
   count is withheld; and a released count must not cap a small withheld count inside
   it within p (x people inside at most x + p - 1 outside): the outer one is withheld;
4. the withheld categories of a released cell, and the withheld children of a released
   count split along a dimension, must not be one alone, nor hold so few people
   together that one of them is bounded within p of its value (the largest plus p at
   least): the smallest released one joins them;
5. a withheld count must not be the sum of released children along a dimension: the
   smallest child is withheld.

Aliases (cells holding the same people) share every status. Rules 4 and 5 pick the
released count with the fewest people: the least informative to lose.

The cube's own cells are decided first (:mod:`adoption_lib.privacy.suppression`); this
module never releases a cell that was withheld, and only withholds categories. Why
our own code: tau-Argus is a desktop program; these rules are its hypercube method on
the small lattices of a client cube, with the nesting by people it lacks.
"""

from __future__ import annotations

import numpy as np

from adoption_lib.privacy.nesting import ALL, containment, member_matrix
from adoption_lib.privacy.suppression import enough, too_few


def suppress_breakdown(
    keys: list[tuple[str, ...]],
    counts: np.ndarray,
    cell_hidden: np.ndarray,
    k: int,
    protection: int | None = None,
    initial: np.ndarray | None = None,
) -> np.ndarray:
    """Decide which category counts of a breakdown to withhold (rules 1-5 above).

    Parameters
    ----------
    keys
        Each cube cell's key: a value or :data:`ALL` per client dimension.
    counts
        People per cell (rows, in the order of ``keys``) and category (columns); the
        categories partition each cell's people, so a row sums to the cell's size.
    cell_hidden
        The cube's decision on each cell.
    k
        ``privacy.min_group_size``.
    protection
        How far either side of a small count its bounds must reach (default k).
    initial
        Counts already withheld (the shape of ``counts``), for example by the audit.

    Returns
    -------
    numpy.ndarray
        Boolean, the shape of ``counts``: True where the count is withheld.

    Examples
    --------
    >>> keys = [("(all)",), ("a",), ("b",)]
    >>> counts = np.array([[30, 10], [18, 2], [12, 8]])
    >>> suppress_breakdown(keys, counts, np.array([False, False, False]), 5).astype(int).tolist()
    [[0, 0], [1, 1], [1, 1]]
    """
    p = k if protection is None else protection
    counts = np.asarray(counts, dtype=np.int64)
    sizes = counts.sum(axis=1)
    hidden = np.repeat(np.asarray(cell_hidden, dtype=bool)[:, None], counts.shape[1], axis=1)
    hidden |= ~enough(counts, k) | ~enough(sizes[:, None] - counts, k)  # rule 2, zeros too
    if initial is not None:
        hidden |= np.asarray(initial, dtype=bool)
    inside, alias = containment(member_matrix(keys, sizes))
    splits = _splits(keys)
    while True:
        before = int(hidden.sum())
        hidden |= (alias.astype(np.int32) @ hidden.astype(np.int32)) > 0
        _nested_differences(counts, sizes, inside, hidden, k, p)
        for row in np.flatnonzero(~np.asarray(cell_hidden, dtype=bool)):  # rule 4, categories
            _protect_group(counts[row], hidden[row], k, p)
        for parent, kids in splits:
            for category in range(counts.shape[1]):
                column = counts[kids, category]
                shut = hidden[kids, category]
                if hidden[parent, category]:
                    if not shut.any() and sizes[parent] > 0:  # rule 5
                        shut[np.argmin(column)] = True
                else:
                    _protect_group(column, shut, k, p)
                hidden[kids, category] = shut
        if int(hidden.sum()) == before:
            return hidden


def _nested_differences(
    counts: np.ndarray,
    sizes: np.ndarray,
    inside: np.ndarray,
    hidden: np.ndarray,
    k: int,
    p: int,
) -> None:
    """Rule 3: withhold the inner count where a category's difference is 1..k-1.

    And the outer count where it would cap a small withheld count inside it.
    """
    outer, inner = np.nonzero(inside)
    group = sizes[outer] - sizes[inner]
    for category in range(counts.shape[1]):
        released = ~hidden[outer, category] & ~hidden[inner, category]
        diff = counts[outer, category] - counts[inner, category]
        small = too_few(diff, k) | too_few(group - diff, k)
        hidden[inner[released & small], category] = True
        # a released count caps every count inside it: a small withheld inner count
        # needs room of p under its outer count, and its complement under the outer's
        shown = ~hidden[outer, category] & hidden[inner, category]
        x, rest = counts[inner, category], sizes[inner] - counts[inner, category]
        outer_rest = sizes[outer] - counts[outer, category]
        capped = (too_few(x, k) & (counts[outer, category] < x + p)) | (
            too_few(rest, k) & (outer_rest < rest + p)
        )
        hidden[outer[shown & capped], category] = True


def _protect_group(values: np.ndarray, shut: np.ndarray, k: int, p: int) -> None:
    """Rule 4 on one partition: widen its withheld counts until they protect (in place)."""
    while shut.any() and not shut.all():
        # every withheld count, small or not, must keep room of p: a withheld count
        # pinned closely bounds the small counts inside it (its parts in the cells below)
        total = values[shut].sum()
        if shut.sum() > 1 and (total == 0 or total >= values[shut].max() + p):
            return  # (withheld zeros that sum to zero say only "nobody", as zeros may)
        open_ = np.flatnonzero(~shut)
        shut[open_[np.argmin(values[open_])]] = True


def _splits(keys: list[tuple[str, ...]]) -> list[tuple[int, np.ndarray]]:
    """Each cell with the cells that split it along one dimension (by key)."""
    position = {key: i for i, key in enumerate(keys)}
    groups: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(keys):
        for d, value in enumerate(key):
            if value != ALL:
                parent = position.get((*key[:d], ALL, *key[d + 1 :]))
                if parent is not None:
                    groups.setdefault((parent, d), []).append(i)
    return [(parent, np.array(kids)) for (parent, _), kids in sorted(groups.items())]
