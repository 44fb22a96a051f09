"""The client cube: every aggregate a client view may show, suppressed together (DESIGN §5).

Client views (the dashboard, the client HTML) read only this cube. It holds one cell per
combination of ``privacy.client_dimensions`` values, at every level: the whole
organisation, each dimension alone, and each combination (department x role ...).
Dimensions a cell does not cut by hold :data:`ALL`.

Two populations are counted over the same cells: survey respondents (``n``) and licensed
users (``licensed``). Suppression runs over all cells and both populations at once with
:func:`adoption_lib.privacy.suppression.suppress_populations`, the one privacy mechanism. Withheld
cells stay in the cube with ``suppressed=True`` and blank figures; they are counted,
never shown as 0 and never dropped.

Inside a released cell, a share of people (a motivation type, a usage band or segment,
active or effective) is blanked too when the people it counts, or the people it leaves
out, number 1 to k-1 ("2 of the 40 never log in" points at two people).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.errors import RunError
from adoption_lib.labels import SEGMENTS, TYPES, USAGE_BANDS, USAGE_SEGMENTS
from adoption_lib.privacy.suppression import (
    ALL,
    cube_cells,
    suppress_populations,
    withhold_small_shares,
)


@dataclass
class SurveyPart:
    """What the cube needs from the survey: kept respondents and their answers."""

    people: pd.DataFrame
    classified: pd.DataFrame
    scores: pd.DataFrame
    types: pd.Series


@dataclass(frozen=True)
class ClientCube:
    """The suppressed cube: cells, survey figures, usage figures, weekly curves and segments.

    Built once, after the diagnosis, by :func:`build_client_cube`, and never changed:
    every client view reads only this.
    """

    dimensions: list[str]
    cells: pd.DataFrame
    constructs: pd.DataFrame
    types: pd.DataFrame
    k: int
    usage: pd.DataFrame | None = None
    weekly: pd.DataFrame | None = None
    #: people per adoption segment (the diagnosis's), when it assigned any
    segments: pd.DataFrame | None = None

    @property
    def suppressed_cells(self) -> int:
        """How many cells are withheld."""
        return int(self.cells["suppressed"].sum())


def build_client_cube(
    dimensions: list[str],
    k: int,
    survey: SurveyPart | None = None,
    users: pd.DataFrame | None = None,
    user_weeks: pd.DataFrame | None = None,
    segments: pd.Series | None = None,
) -> ClientCube:
    """Build the suppressed client cube from respondents and licensed users.

    Parameters
    ----------
    dimensions
        ``privacy.client_dimensions``; those missing from a population are left out.
    k
        ``privacy.min_group_size``.
    survey
        Kept respondents (``people`` indexed by respondent, a column per dimension),
        their classified answers, construct scores and motivation types.
    users
        Licensed users (index ``person``, a pseudonym), a column per dimension and the usage
        columns ``recent``, ``effective``, ``per_week``, ``band``, ``segment``.
    user_weeks
        ``person`` and ``week_start`` per active week.
    segments
        Each kept respondent's adoption segment (index ``respondent``), from the
        diagnosis: people per segment in each cell, with the cube's suppression.

    Returns
    -------
    ClientCube
        Cells with ``n``, ``licensed`` and ``suppressed``; figures per cell, blank on
        withheld cells.
    """
    frames = [f for f in (survey.people if survey else None, users) if f is not None]
    dims = [d for d in dimensions if all(d in f for f in frames)]
    cells = None
    if survey is not None:
        cells = cube_cells(survey.people[dims].astype(str), dims)
    if users is not None:
        licensed = cube_cells(users[dims].astype(str), dims).rename(columns={"n": "licensed"})
        cells = (
            licensed.assign(n=0)
            if cells is None
            else cells.merge(licensed, on=[*dims, "level"], how="outer")
        )
    if cells is None:
        raise RunError("build_client_cube needs respondents or licensed users")
    counts = [c for c in ("n", "licensed") if c in cells]
    cells[counts] = cells[counts].fillna(0).astype(int)
    cells = cells.sort_values(["level", *dims], ignore_index=True)
    cells["suppressed"] = suppress_populations(cells, dims, k, counts)
    constructs, types = pd.DataFrame(), pd.DataFrame()
    usage = weekly = by_segment = None
    if survey is not None:
        constructs, types = _survey_tables(survey, dims, cells, k)
    if users is not None:
        usage = _usage_table(users, dims, cells, k)
        if user_weeks is not None:
            weekly = _weekly_table(users, user_weeks, dims, cells, k)
    # a withheld cell keeps its place but not its size: its counts go blank too
    cells[counts] = cells[counts].astype("float64")
    cells.loc[cells["suppressed"], counts] = float("nan")
    if segments is not None:
        if survey is None:
            raise RunError("build_client_cube: segments need the respondents (survey=)")
        by_segment = _segments_table(survey.people, segments, dims, cells, k)
    return ClientCube(dims, cells, constructs, types, k, usage, weekly, by_segment)


def _levels(dims: list[str]) -> Iterator[list[str]]:
    for level in range(len(dims) + 1):
        for fixed in combinations(dims, level):
            yield list(fixed)


def _survey_tables(
    survey: SurveyPart, dims: list[str], cells: pd.DataFrame, k: int
) -> tuple[pd.DataFrame, pd.DataFrame]:

    base = survey.people[dims].astype(str)
    classified = survey.classified
    answers = classified.assign(
        **{d: classified["respondent"].map(base[d]).astype(str) for d in dims}
    )
    long_scores = survey.scores.join(base).melt(
        id_vars=dims, var_name="construct", value_name="score"
    )
    construct_rows = []
    for keys in _levels(dims):
        grouped = answers.assign(_n=~answers["dont_know"]).groupby(
            [*keys, "construct"], observed=True
        )
        answered = grouped["_n"].sum().where(lambda s: s > 0)
        figures = pd.DataFrame(
            {
                "favourable_pct": grouped["favourable"].sum() / answered,
                "unfavourable_pct": grouped["unfavourable"].sum() / answered,
                "dont_know_pct": grouped["dont_know"].mean(),
            }
        )
        scored = long_scores.groupby([*keys, "construct"], observed=True)["score"]
        figures["mean"] = scored.mean()
        # 95% confidence interval of the mean (t distribution), as the group tables give
        count = scored.count()
        half = stats.t.ppf(0.975, (count - 1).clip(lower=1)) * scored.std() / np.sqrt(count)
        figures["ci_low"] = figures["mean"] - half
        figures["ci_high"] = figures["mean"] + half
        construct_rows.append(_fill_all(figures.reset_index(), dims))
    constructs = _attach(pd.concat(construct_rows, ignore_index=True), cells, dims)
    types = _attach(_mix(base, survey.types, TYPES, dims, k), cells, dims)
    return constructs, types


def _mix(
    base: pd.DataFrame,
    labels: pd.Series,
    names: tuple[str, ...],
    dims: list[str],
    k: int,
    counts: bool = False,
) -> pd.DataFrame:
    """Per cell at every level: the share (or count) of its people with each label.

    A share or count is withheld where it, or its complement in the cell, is 1..k-1.
    """
    rows = []
    for keys in _levels(dims):
        table = pd.crosstab(
            [base[d] for d in keys] or [pd.Series(ALL, index=base.index)],
            labels.reindex(base.index),
        ).reindex(columns=list(names), fill_value=0)
        mix = withhold_small_shares(table, k)
        if counts:
            mix = table.astype("float64").where(mix.notna())
        mix = mix.reset_index()
        if not keys:
            mix = mix.drop(columns=mix.columns[0])
        rows.append(_fill_all(mix, dims))
    return pd.concat(rows, ignore_index=True)


def _segments_table(
    respondents: pd.DataFrame,
    segments: pd.Series,
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
) -> pd.DataFrame:
    """People per adoption segment in each cell, over the respondents' cells.

    A count is blank where it, or the rest of its cell, is 1..k-1, and on every
    withheld cell.
    """
    base = respondents[dims].astype(str)
    table = _mix(base, segments, SEGMENTS, dims, k, counts=True)
    return _attach(table, cells, dims)


def _usage_table(users: pd.DataFrame, dims: list[str], cells: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per cell: shares active, effective, per band and segment; mean active days a week."""
    people = users.assign(**{d: users[d].astype(str) for d in dims})
    flags = pd.DataFrame(index=people.index)
    flags["active_30d"] = people["recent"].astype(bool)
    if "effective" in people:
        flags["effective"] = people["effective"].astype(bool)
    for column, names in (("band", USAGE_BANDS), ("segment", USAGE_SEGMENTS)):
        if column in people:
            for name in names:
                flags[f"{column}_{name}"] = people[column] == name
    columns = list(flags.columns)
    flags = flags.astype(int).join(people[dims]).assign(_all=ALL)
    if "per_week" in people:
        flags["_per_week"] = people["per_week"].astype(float)
    rows = []
    for keys in _levels(dims):
        grouped = flags.groupby(keys or ["_all"], observed=True)
        shares = withhold_small_shares(grouped[columns].sum(), k, grouped.size())
        shares.columns = [f"{c}_share" for c in shares.columns]
        if "_per_week" in flags:
            shares["active_days_per_week"] = grouped["_per_week"].mean()
        table = shares.reset_index()
        if not keys:
            table = table.drop(columns="_all")
        rows.append(_fill_all(table, dims))
    return _attach(pd.concat(rows, ignore_index=True), cells, dims, size="licensed")


def _weekly_table(
    users: pd.DataFrame, user_weeks: pd.DataFrame, dims: list[str], cells: pd.DataFrame, k: int
) -> pd.DataFrame:
    """Per cell and week: the share of its licensed users active that week."""
    base = users[dims].astype(str).assign(_all=ALL)
    weeks = user_weeks[user_weeks["person"].isin(base.index)].join(base, on="person")
    all_weeks = sorted(user_weeks["week_start"].unique())
    rows = []
    for keys in _levels(dims):
        by = keys or ["_all"]
        sizes = base.groupby(by, observed=True).size()
        active = (
            weeks.groupby([*by, "week_start"], observed=True)
            .size()
            .unstack("week_start", fill_value=0)
            .reindex(index=sizes.index, columns=all_weeks, fill_value=0)
        )
        share = withhold_small_shares(active, k, sizes)
        table = share.rename_axis(columns="week_start").stack().rename("share")
        table = table.reset_index().drop(columns="_all", errors="ignore")
        rows.append(_fill_all(table, dims))
    return _attach(pd.concat(rows, ignore_index=True), cells, dims, size="licensed")


def _fill_all(frame: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    for dim in dims:
        if dim not in frame:
            frame[dim] = ALL
    frame[dims] = frame[dims].astype(str)
    return frame


def _attach(
    frame: pd.DataFrame, cells: pd.DataFrame, dims: list[str], size: str = "n"
) -> pd.DataFrame:
    """Join cell size and suppression, and blank every figure of a withheld cell."""
    out = frame.merge(cells[[*dims, size, "suppressed"]], on=dims, how="left")
    figures = [c for c in out.columns if c not in (*dims, "construct", "week_start", "suppressed")]
    out[figures] = out[figures].astype("float64")
    out.loc[out["suppressed"], figures] = float("nan")
    return out
