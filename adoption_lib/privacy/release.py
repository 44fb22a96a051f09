"""The released cube as rows: one record per figure a client may see.

The one description of what the client cube releases, shared by ``client/cube.json``
(:mod:`adoption_lib.reports.released`) and the disclosure audit
(:mod:`adoption_lib.privacy.audit`). Each record is one figure: the cell (a value or
``(all)`` per client dimension), the population it counts (``respondents`` or
``licensed_users``), the cube table, the measure, the cell's base (people in it), the
value, and whether it is withheld. A figure that counts people in a category also
names its ``partition`` (the categories that split the cell's people, such as
``type`` or ``band``) and its ``category``; the audit rebuilds the arithmetic a reader
can do from these.

Shares (of people, and of answers) are released rounded to :data:`SHARE_PRECISION`,
means to :data:`MEAN_PRECISION`: the precision every client label shows, so that no
view (a bar's width or a heat map's colour included) carries more than its label says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from adoption_lib.json_numbers import json_number
from adoption_lib.privacy.nesting import ALL

#: shares of people are released as whole percentages: two decimals of a share
SHARE_DECIMALS = 2
SHARE_PRECISION = 10.0**-SHARE_DECIMALS
#: means (scale scores, their intervals, active days a week) are released, and shown,
#: to two decimals
MEAN_DECIMALS = 2
MEAN_PRECISION = 10.0**-MEAN_DECIMALS
#: per cube table: its population, the column holding the cell's base, and the
#: columns that are not figures
TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cells": ("respondents", "n", ("level", "suppressed", "licensed")),
    "constructs": ("respondents", "n", ("construct", "suppressed")),
    "types": ("respondents", "n", ("suppressed",)),
    "segments": ("respondents", "n", ("suppressed",)),
    "usage": ("licensed_users", "licensed", ("suppressed",)),
    "weekly": ("licensed_users", "licensed", ("week_start", "suppressed")),
    "organisation": ("licensed_users", "licensed", ("suppressed",)),
}
#: tables whose figures of people are exact counts (the others are shares)
COUNT_TABLES = ("segments", "organisation")
#: a licensed user's activation: active in the last 30 days, dormant (used the system,
#: not in the last 30 days) or never activated
ACTIVATION = ("active_30d", "dormant", "never_activated")
#: usage columns that are shares of one category of a partition of licensed users
_USAGE_PARTITIONS = {
    "active_30d_share": ("active_30d", "active"),
    "effective_share": ("effective", "effective"),
}
#: the organisation table's counts, and the partition and category each counts: its
#: active users are also the activation partition's first category, which the
#: organisation's dormant and never-activated users complete
_ORGANISATION_PARTITIONS = {
    **{name: ("activation", name) for name in ACTIVATION},
    "effective": ("effective", "effective"),
}
#: the organisation's figures of its licensed users' habits: a median or a ratio over
#: all of them, not a count of people, so they are released with the organisation's cell
#: (rounded to :data:`MEAN_PRECISION`) and have no partition for the audit to weigh
ORGANISATION_FIGURES = (
    "dau_mau",
    "median_active_days_per_week",
    "feature_breadth_median",
    "time_to_first_use_median_days",
)


def activation_of(users: pd.DataFrame) -> pd.Series | None:
    """Each licensed user's activation (one of :data:`ACTIVATION`), or None.

    Parameters
    ----------
    users
        Licensed users with ``recent`` (active in the last 30 days) and, where the
        usage source dates first use, ``first``.

    Returns
    -------
    pandas.Series or None
        ``active_30d``, ``dormant`` or ``never_activated`` per user; without ``first``
        only ``active_30d`` (the others missing: dormant and never activated are not
        told apart); None without ``recent``.
    """
    if "recent" not in users:
        return None
    recent = users["recent"].astype(bool).to_numpy()
    if "first" not in users:
        return pd.Series(np.where(recent, ACTIVATION[0], None), index=users.index, dtype=object)
    ever = users["first"].notna().to_numpy()
    labels = np.select([recent, ever], list(ACTIVATION[:2]), ACTIVATION[2])
    return pd.Series(labels, index=users.index, dtype=object)


def release_document(tables: Mapping[str, pd.DataFrame], dims: list[str], k: int) -> dict:
    """A released cube's structure and every figure, as ``client/cube.json`` holds them.

    Parameters
    ----------
    tables
        The cube's tables by name (see :func:`release_rows`).
    dims
        The cube's client dimensions.
    k
        The privacy threshold the cube was built with.

    Returns
    -------
    dict
        ``dimensions``, ``all``, ``min_group_size``, ``share_precision``,
        ``mean_precision`` and ``figures`` (the rows of :func:`release_rows`).
    """
    return {
        "dimensions": list(dims),
        "all": ALL,
        "min_group_size": k,
        "share_precision": SHARE_PRECISION,
        "mean_precision": MEAN_PRECISION,
        "figures": release_rows(tables, list(dims)),
    }


def release_rows(tables: Mapping[str, pd.DataFrame], dims: list[str]) -> list[dict[str, Any]]:
    """Every figure of a client cube, one JSON-ready record each.

    Parameters
    ----------
    tables
        The cube's tables by name (``cells``, ``constructs``, ``types``, ``segments``,
        ``usage``, ``weekly``); missing or empty ones are skipped.
    dims
        The cube's client dimensions.

    Returns
    -------
    list of dict
        A key per dimension, then ``population``, ``table``, ``measure``,
        ``partition``, ``category``, ``base``, ``value`` and ``withheld`` (missing
        values None). Measures are ``people`` (cells), ``<construct>.<statistic>``,
        ``type.<t>``, ``segment.<s>``, the usage column's name, and
        ``active_share.<week start>``.
    """
    rows: list[dict[str, Any]] = []
    for table, (population, base_column, skip) in TABLES.items():
        frame = tables.get(table)
        if frame is None or frame.empty:
            continue
        figures = [c for c in frame.columns if c not in (*dims, base_column, *skip)]
        for record in frame.to_dict("records"):
            cell = {d: str(record[d]) for d in dims}
            base = json_number(record.get(base_column))
            withheld_cell = bool(record.get("suppressed", False))
            for column in figures:
                measure, partition, category = _describe(table, column, record)
                value = record[column]
                if partition is not None and table not in COUNT_TABLES:
                    value = _rounded_share(value)
                rows.append(
                    _row(
                        cell,
                        (population, table, measure, partition, category),
                        base,
                        value,
                        withheld_cell,
                    )
                )
            if table == "cells":  # the cell's own size: both populations
                licensed = json_number(record.get("licensed"))
                for population_name, size in (("respondents", base), ("licensed_users", licensed)):
                    what = (population_name, table, "people", "people", None)
                    rows.append(_row(cell, what, size, size, withheld_cell))
    return rows


def _rounded_share(value: Any) -> Any:
    number = json_number(value)
    if number is None:
        return None
    return round(float(number), SHARE_DECIMALS)


def _describe(table: str, column: str, record: dict[str, Any]) -> tuple[str, str | None, Any]:
    """A figure's measure name, and the partition and category it counts (if any)."""
    if table == "constructs":
        return f"{record['construct']}.{column}", None, None
    if table == "weekly":
        week = record["week_start"]
        day = week.isoformat()[:10] if hasattr(week, "isoformat") else str(week)[:10]
        return f"active_share.{day}", f"active_week.{day}", "active"
    if table in ("types", "segments"):
        return f"{table[:-1]}.{column}", table[:-1], column
    if table == "organisation":
        if column in ORGANISATION_FIGURES:
            return column, None, None
        return f"{column}_users", *_ORGANISATION_PARTITIONS[column]
    if column in _USAGE_PARTITIONS:
        return (column, *_USAGE_PARTITIONS[column])
    for prefix, partition in (("band_", "band"), ("segment_", "usage_segment")):
        if column.startswith(prefix) and column.endswith("_share"):
            return column, partition, column[len(prefix) : -len("_share")]
    return column, None, None


def _row(
    cell: dict[str, str],
    what: tuple[str, str, str, str | None, Any],
    base: Any,
    value: Any,
    withheld_cell: bool,
) -> dict[str, Any]:
    population, table, measure, partition, category = what
    value = None if withheld_cell else json_number(value)
    return {
        **cell,
        "population": population,
        "table": table,
        "measure": measure,
        "partition": partition,
        "category": category,
        "base": None if withheld_cell else base,
        "value": value,
        "withheld": withheld_cell or value is None,
    }


def week_positions(people: pd.Index, user_weeks: pd.DataFrame) -> dict[Any, np.ndarray]:
    """Each active week's people, as positions in ``people``, weeks in order.

    Parameters
    ----------
    people
        The licensed users' index (pseudonyms).
    user_weeks
        ``person`` and ``week_start``: one row per person and active week.

    Returns
    -------
    dict
        Week start -> the positions in ``people`` of those active that week (people not
        in ``people`` left out; a week of only such people is there, empty), in order.
    """
    where = pd.Index(people).get_indexer(user_weeks["person"])
    known = where >= 0
    # one grouping by the week's codes, not a comparison of every row with every week
    groups = (
        pd.Series(where[known])
        .groupby(user_weeks["week_start"].to_numpy()[known], sort=True)
        .indices
    )
    positions = where[known]
    empty = np.array([], dtype=positions.dtype)
    weeks = sorted(pd.unique(user_weeks["week_start"].to_numpy()))  # a week of only others too
    return {week: positions[groups[week]] if week in groups else empty for week in weeks}


def people_by_population(
    dims: list[str],
    respondents: pd.DataFrame | None = None,
    types: pd.Series | None = None,
    segments: pd.Series | None = None,
    users: pd.DataFrame | None = None,
    user_weeks: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The person-level truth behind a cube, by the partitions the release names.

    What the disclosure audit checks the released figures against: one row per person
    with a column per client dimension and one per partition (the person's category,
    or missing). Built from the same person-level inputs as the cube, by plain
    labelling, and by none of the suppression code.

    Parameters
    ----------
    dims
        The cube's client dimensions.
    respondents, types, segments
        Kept respondents (a column per dimension), their motivation types and
        adoption segments (indexed by respondent).
    users, user_weeks
        Licensed users (``recent``, ``first``, ``effective``, ``band``, ``segment``)
        and their active weeks (``person``, ``week_start``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``respondents`` and ``licensed_users``, where given.
    """
    out: dict[str, pd.DataFrame] = {}
    if respondents is not None:
        frame = respondents[dims].astype(str)
        if types is not None:
            frame["type"] = types.reindex(frame.index)
        if segments is not None:
            frame["segment"] = segments.reindex(frame.index)
        out["respondents"] = frame
    if users is not None:
        frame = users[dims].astype(str)
        columns: dict[str, pd.Series] = {}
        for partition, (column, category) in {
            "active_30d": ("recent", "active"),
            "effective": ("effective", "effective"),
        }.items():
            if column in users:
                columns[partition] = users[column].astype(bool).map({True: category})
        activation = activation_of(users)
        if activation is not None:
            columns["activation"] = activation
        for partition, column in (("band", "band"), ("usage_segment", "segment")):
            if column in users:
                columns[partition] = users[column]
        if user_weeks is not None:
            for week, mine in week_positions(frame.index, user_weeks).items():
                active = np.zeros(len(frame), dtype=bool)
                active[mine] = True
                day = pd.Timestamp(week).isoformat()[:10]
                flags = np.where(active, "active", None)
                columns[f"active_week.{day}"] = pd.Series(flags, index=frame.index, dtype=object)
        out["licensed_users"] = pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
    return out
