"""The client cube: every aggregate a client view may show, suppressed together (DESIGN §5).

Client views (the dashboard, the client HTML) read only this cube. It holds one cell per
combination of ``privacy.client_dimensions`` values, at every level: the whole
organisation, each dimension alone, and each combination (department x role ...).
Dimensions a cell does not cut by hold :data:`ALL`.

Suppression runs over all cells at once with :func:`adoption_lib.privacy.suppress_cube`,
the one privacy mechanism. Withheld cells stay in the cube with ``suppressed=True`` and blank figures; they are
counted, never shown as 0 and never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from adoption_lib.motivation import TYPES
from adoption_lib.privacy import ALL, cube_cells, suppress_cube


@dataclass
class ClientCube:
    """The suppressed cube: cells, and per-cell construct figures and type mix."""

    dimensions: list[str]
    cells: pd.DataFrame
    constructs: pd.DataFrame
    types: pd.DataFrame
    k: int

    @property
    def suppressed_cells(self) -> int:
        """How many cells are withheld."""
        return int(self.cells["suppressed"].sum())


def build_client_cube(
    people: pd.DataFrame,
    classified: pd.DataFrame,
    scores: pd.DataFrame,
    types: pd.Series,
    dimensions: list[str],
    k: int,
) -> ClientCube:
    """Build the suppressed client cube from kept respondents.

    Parameters
    ----------
    people
        Kept respondents (index: respondent) with a column per dimension.
    classified
        Answers from :func:`adoption_lib.scoring.answer_shares`.
    scores
        Construct scores (index: respondent).
    types
        Motivation type per respondent.
    dimensions
        ``privacy.client_dimensions`` present in ``people``.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    ClientCube
        Cells with ``n`` and ``suppressed``; construct figures and the type mix per
        cell, blank on withheld cells.
    """
    dims = [d for d in dimensions if d in people]
    base = people[dims].astype(str)
    cells = cube_cells(base, dims)
    cells["suppressed"] = suppress_cube(cells, dims, k)
    answers = classified.assign(
        **{d: classified["respondent"].map(base[d]).astype(str) for d in dims}
    )
    long_scores = scores.join(base).melt(id_vars=dims, var_name="construct", value_name="score")
    construct_rows, type_rows = [], []
    for level in range(len(dims) + 1):
        for fixed in combinations(dims, level):
            keys = list(fixed)
            grouped = answers.assign(_n=~answers["dont_know"]).groupby(
                [*keys, "construct"], observed=True
            )
            figures = pd.DataFrame(
                {
                    "favourable_pct": grouped["favourable"].sum()
                    / grouped["_n"].sum().where(lambda s: s > 0),
                    "unfavourable_pct": grouped["unfavourable"].sum()
                    / grouped["_n"].sum().where(lambda s: s > 0),
                    "dont_know_pct": grouped["dont_know"].mean(),
                }
            )
            figures["mean"] = long_scores.groupby([*keys, "construct"], observed=True)[
                "score"
            ].mean()
            construct_rows.append(_fill_all(figures.reset_index(), dims))
            mix = pd.crosstab(
                [base[d] for d in keys] or [pd.Series(ALL, index=base.index)],
                types,
                normalize="index",
            )
            mix = mix.reindex(columns=list(TYPES), fill_value=0.0).reset_index()
            if not keys:
                mix = mix.drop(columns=mix.columns[0])
            type_rows.append(_fill_all(mix, dims))
    constructs = _attach(pd.concat(construct_rows, ignore_index=True), cells, dims)
    mix = _attach(pd.concat(type_rows, ignore_index=True), cells, dims)
    return ClientCube(dims, cells, constructs, mix, k)


def _fill_all(frame: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    for dim in dims:
        if dim not in frame:
            frame[dim] = ALL
    frame[dims] = frame[dims].astype(str)
    return frame


def _attach(frame: pd.DataFrame, cells: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Join cell size and suppression, and blank every figure of a withheld cell."""
    out = frame.merge(cells[[*dims, "n", "suppressed"]], on=dims, how="left")
    figures = [c for c in out.columns if c not in (*dims, "construct", "suppressed")]
    out[figures] = out[figures].astype("float64")
    out.loc[out["suppressed"], figures] = float("nan")
    return out
