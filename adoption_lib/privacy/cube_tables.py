"""The client cube's tables: figures per cell, with the breakdowns' suppression.

Each table has a column per client dimension (a value or ``(all)``), the cell's base and
``suppressed``. Shares of people come from :func:`breakdown`, which counts each cell's
people per category and lets :func:`~adoption_lib.privacy.breakdowns.suppress_breakdown`
decide what to withhold. Every figure is rounded to the precision its client label
shows: shares (of people and of answers) to whole percentages, means and intervals to
two decimals, so no view (a bar's width, a heat map's colour) shows more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.labels import SEGMENTS, TYPES, USAGE_BANDS, USAGE_SEGMENTS
from adoption_lib.privacy.breakdowns import suppress_breakdown
from adoption_lib.privacy.cells import pick_cell
from adoption_lib.privacy.release import (
    ACTIVATION,
    MEAN_DECIMALS,
    ORGANISATION_FIGURES,
    SHARE_DECIMALS,
    activation_of,
    week_positions,
)
from adoption_lib.privacy.suppression import ALL

#: the category of people a breakdown's released categories leave out
REST = "(rest)"
#: categories to withhold beyond the rules, per breakdown: (cell key, category)
Extra = Mapping[str, set[tuple[tuple[str, ...], str]]]


def levels(dims: list[str]) -> Iterator[list[str]]:
    """Every set of dimensions a cell can fix, the organisation (none) first."""
    for level in range(len(dims) + 1):
        for fixed in combinations(dims, level):
            yield list(fixed)


def survey_tables(
    survey: Any, dims: list[str], cells: pd.DataFrame, k: int, extra: Extra
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per cell: construct figures (answer shares, means and intervals) and type shares."""

    base = survey.people[dims].astype(str)
    classified = survey.classified
    answers = classified.assign(
        **{d: classified["respondent"].map(base[d]).astype(str) for d in dims}
    )
    long_scores = survey.scores.join(base).melt(
        id_vars=dims, var_name="construct", value_name="score"
    )
    construct_rows = []
    for keys in levels(dims):
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
        figures = figures.round(
            {"favourable_pct": SHARE_DECIMALS, "unfavourable_pct": SHARE_DECIMALS,
             "dont_know_pct": SHARE_DECIMALS, "mean": MEAN_DECIMALS,
             "ci_low": MEAN_DECIMALS, "ci_high": MEAN_DECIMALS}
        )  # fmt: skip
        construct_rows.append(_fill_all(figures.reset_index(), dims))
    constructs = _attach(pd.concat(construct_rows, ignore_index=True), cells, dims)
    types = _attach(_mix(base, survey.types, TYPES, dims, cells, k, extra, "type"), cells, dims)
    return constructs, types


def survey_of_users(cells: pd.DataFrame, dims: list[str]) -> bool:
    """Whether every finest cell has no more respondents than licensed users."""
    finest = cells[cells["level"] == len(dims)]
    return bool((finest["n"] <= finest["licensed"]).all())


def _breakdown(
    base: pd.DataFrame,
    labels: pd.Series | np.ndarray,
    names: tuple[str, ...],
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
    extra: Extra,
    partition: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People per cell (in ``cells`` order) and category, and which counts are withheld.

    ``labels`` is each person's category (a Series by person), or already its code
    aligned with ``base`` (an array: the position in ``names``, ``len(names)`` for the
    rest). A person without one of ``names`` counts in :data:`REST`, so the categories
    partition every cell; :func:`~adoption_lib.privacy.breakdowns.suppress_breakdown`
    decides.
    """
    columns = [*names, REST]
    if isinstance(labels, np.ndarray):
        category = labels
    else:  # a label outside ``names`` (or none) is the rest: the last column's code
        category = pd.Index(names).get_indexer(labels.reindex(base.index))
        category = np.where(category < 0, len(names), category)
    keys = [tuple(row) for row in cells[dims].astype(str).itertuples(index=False)]
    position = {key: i for i, key in enumerate(keys)}
    counts = _cell_counts(base, category, len(columns), dims, position)
    initial = np.zeros(counts.shape, dtype=bool)
    for key, category in extra.get(partition, ()):
        if key in position and category in columns:
            initial[position[key], columns.index(category)] = True
    hidden = suppress_breakdown(keys, counts, cells["suppressed"].to_numpy(), k, initial=initial)
    frame = pd.DataFrame(counts, columns=columns)
    return frame, pd.DataFrame(hidden, columns=columns)


def _cell_counts(
    base: pd.DataFrame,
    category: np.ndarray,
    width: int,
    dims: list[str],
    position: Mapping[tuple[str, ...], int],
) -> np.ndarray:
    """People per cell (rows in ``position`` order) and category code, at every level.

    Counted with integer codes and :func:`numpy.bincount`, one pass per level: a
    ``pandas.crosstab`` per level and breakdown was most of the cube's time (a weekly
    curve is one breakdown per week). People without a value for a dimension count in
    no cell that cuts by it, as in a crosstab.
    """
    counts = np.zeros((len(position), width), dtype=np.int64)
    codes = {d: pd.factorize(base[d], use_na_sentinel=True) for d in dims}
    for fixed in levels(dims):
        combined = np.zeros(len(base), dtype=np.int64)
        valid = np.ones(len(base), dtype=bool)
        shape = []
        for d in fixed:
            code, uniques = codes[d]
            valid &= code >= 0
            combined = combined * len(uniques) + code
            shape.append(len(uniques))
        size = int(np.prod(shape)) if shape else 1
        flat = combined[valid] * width + category[valid]
        table = np.bincount(flat, minlength=size * width).reshape(size, width)
        for cell in np.flatnonzero(table.sum(axis=1)):
            index = np.unravel_index(cell, shape) if shape else ()
            values = {d: codes[d][1][i] for d, i in zip(fixed, index, strict=True)}
            key = tuple(str(values.get(d, ALL)) for d in dims)
            if key in position:
                counts[position[key]] = table[cell]
    return counts


def _shares(counts: pd.DataFrame, hidden: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """Shares of each cell's people per category, withheld ones blank, whole percent."""
    size = counts.sum(axis=1).where(lambda n: n > 0)
    shares = counts[list(names)].div(size, axis=0).mask(hidden[list(names)])
    return shares.round(SHARE_DECIMALS)


def _mix(
    base: pd.DataFrame,
    labels: pd.Series,
    names: tuple[str, ...],
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
    extra: Extra,
    partition: str,
    counts: bool = False,
) -> pd.DataFrame:
    """Per cell at every level: the share (or count) of its people with each label."""
    people, hidden = _breakdown(base, labels, names, dims, cells, k, extra, partition)
    if counts:
        figures = people[list(names)].astype("float64").mask(hidden[list(names)])
    else:
        figures = _shares(people, hidden, names)
    return pd.concat([cells[dims].reset_index(drop=True), figures], axis=1)


def segments_table(
    respondents: pd.DataFrame,
    segments: pd.Series,
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
    extra: Extra,
) -> pd.DataFrame:
    """People per adoption segment in each cell, over the respondents' cells."""
    base = respondents[dims].astype(str)
    table = _mix(base, segments, SEGMENTS, dims, cells, k, extra, "segment", counts=True)
    return _attach(table, cells, dims)


#: per binary breakdown (active in the last 30 days, effective): counts and withheld
Binary = Mapping[str, tuple[pd.DataFrame, pd.DataFrame]]


def usage_table(
    users: pd.DataFrame, dims: list[str], cells: pd.DataFrame, k: int, extra: Extra, binary: Binary
) -> pd.DataFrame:
    """Per cell: shares active, effective, per band and segment; mean use.

    ``binary`` is :func:`binary_breakdowns`, decided once for this table and the
    organisation's. The means are active days a week and key features used (two
    decimals).
    """
    people = users[dims].astype(str)
    table = cells[dims].reset_index(drop=True).copy()
    for name, (counts, hidden) in binary.items():
        table[f"{name}_share"] = _shares(counts, hidden, (name,))[name]
    for column, names, partition in (
        ("band", USAGE_BANDS, "band"),
        ("segment", USAGE_SEGMENTS, "usage_segment"),
    ):
        if column in users:
            counts, hidden = _breakdown(
                people, users[column], names, dims, cells, k, extra, partition
            )
            shares = _shares(counts, hidden, names)
            for name in names:
                table[f"{column}_{name}_share"] = shares[name]
    for column, name in (("per_week", "active_days_per_week"), ("breadth", "feature_breadth")):
        if column in users:
            values = people.assign(_value=users[column].astype(float), _all=ALL)
            means = []
            for keys in levels(dims):
                mean = values.groupby(keys or ["_all"], observed=True)["_value"].mean()
                mean = mean.reset_index().drop(columns="_all", errors="ignore")
                means.append(_fill_all(mean, dims))
            table = table.merge(pd.concat(means, ignore_index=True), on=dims, how="left")
            table[name] = table.pop("_value").round(MEAN_DECIMALS)
    return _attach(table, cells, dims, size="licensed")


def binary_breakdowns(
    users: pd.DataFrame, dims: list[str], cells: pd.DataFrame, k: int, extra: Extra
) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Active in the last 30 days, and effective: each a breakdown of its own.

    Returns
    -------
    dict
        ``active_30d`` and ``effective`` (those the users have): people per cell and
        category, and which counts are withheld (see :func:`_breakdown`).
    """
    people = users[dims].astype(str)
    out = {}
    for name, column in {"active_30d": "recent", "effective": "effective"}.items():
        if column in users:
            flag = users[column].astype(bool).map({True: name, False: REST})
            out[name] = _breakdown(people, flag, (name,), dims, cells, k, extra, name)
    return out


def organisation_table(
    users: pd.DataFrame,
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
    extra: Extra,
    binary: Binary,
    figures: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """The organisation's exact counts of users, and its figures of their habits.

    One row, the organisation's cell: the people the renewal and the headline count.
    Active and effective users are released exactly when their breakdown releases the
    organisation's share (blank otherwise), so the audit weighs the exact figure.
    Dormant and never activated are broken down for the organisation only (see
    :func:`_activation`). ``figures`` are the usage stage's organisation-wide medians
    and DAU/MAU (:data:`~adoption_lib.privacy.release.ORGANISATION_FIGURES`), released
    to two decimals with the organisation's cell and blank where it is withheld or the
    figure was not measured.
    """
    table = cells[dims].reset_index(drop=True).copy()
    whole = table.index.isin(pick_cell(table, dims, {}).index)
    for name, (counts, hidden) in binary.items():
        table[name] = counts[name].astype("float64").mask(hidden[name])
    table = table[whole].reset_index(drop=True)
    released = not cells.loc[whole, "suppressed"].any()
    if "first" in users and "active_30d" in table and released:
        key = tuple(ALL for _ in dims)
        table = table.assign(**_activation(users, k, extra.get("activation", ()), key, table))
    for name in ORGANISATION_FIGURES:
        if figures is not None and name in figures:
            value = figures[name]
            shown = value is not None and released and not pd.isna(value)
            table[name] = round(float(value), MEAN_DECIMALS) if shown else float("nan")
    return _attach(table, cells, dims, size="licensed")


def _activation(
    users: pd.DataFrame, k: int, extra: Any, key: tuple[str, ...], table: pd.DataFrame
) -> dict[str, float]:
    """The organisation's dormant and never-activated users, where released.

    Active, dormant and never activated partition the licensed users. The active count
    is the organisation's headline (decided by its own breakdown), so when the rules
    would withhold it here, dormant and never activated are withheld together instead:
    either alone would be the cell minus the other two.
    """
    labels = activation_of(users)
    counts = np.array([[int((labels == c).sum()) for c in ACTIVATION]])
    initial = np.zeros(counts.shape, dtype=bool)
    initial[0, 0] = bool(pd.isna(table["active_30d"].iloc[0]))
    for where, category in extra:
        if where == key and category in ACTIVATION:
            initial[0, ACTIVATION.index(category)] = True
    hidden = suppress_breakdown([key], counts, np.array([False]), k, initial=initial)[0]
    if hidden[0] and not initial[0, 0]:
        hidden[1] = hidden[2] = True
    return {
        name: float("nan") if hidden[i] else float(counts[0, i])
        for i, name in enumerate(ACTIVATION)
        if i > 0
    }


def weekly_table(
    users: pd.DataFrame,
    user_weeks: pd.DataFrame,
    dims: list[str],
    cells: pd.DataFrame,
    k: int,
    extra: Extra,
) -> pd.DataFrame:
    """Per cell and week: the share of its licensed users active that week."""
    people = users[dims].astype(str)
    rows = []
    for week, mine in week_positions(people.index, user_weeks).items():
        active = np.zeros(len(people), dtype=bool)
        active[mine] = True
        flag = np.where(active, 0, 1)  # the codes of "active" and the rest
        partition = f"active_week.{pd.Timestamp(week).isoformat()[:10]}"
        counts, hidden = _breakdown(people, flag, ("active",), dims, cells, k, extra, partition)
        frame = (
            cells[dims]
            .reset_index(drop=True)
            .assign(week_start=week, share=_shares(counts, hidden, ("active",))["active"])
        )
        rows.append(frame)
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
