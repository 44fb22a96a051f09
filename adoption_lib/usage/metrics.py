"""The activity metrics as pure ibis expressions, portable across backends.

Everything here takes ibis tables and returns plain Python values; nothing is
DuckDB-specific (no raw SQL, no file reading), so the same code runs on DuckDB, which
is the default, and on Spark or a warehouse that ibis supports. ``tests/test_spark.py``
runs it on pyspark in local mode and checks the answers equal DuckDB's.

Inputs
------
``days``
    the compact activity table, one row per licensed user and UTC day with activity in
    the 30 days before ``end``, and one per user, week (counted back from ``end``) and
    calendar month before that (:func:`bucket_day`): ``user_key``, ``day`` (date),
    ``events``, ``first_ts``, ``last_ts``, ``key_features`` (bit *i* set when
    ``key_features[i]`` was used in the row) and ``actions`` (distinct actions naming a
    feature, for the 30 days before ``end``). A figure may count rows as active days
    only inside those 30 days; before them, count weeks, months or users.
    DuckDB builds it in one scan per export
    (:mod:`adoption_lib.inputs.usage_readers.activity_scan`); :func:`daily_activity`
    builds the same table from per-event rows on any backend;
``end``
    midnight UTC of ``as_of``: every window is ``[end - N days, end)``, whole days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import ibis
import pandas as pd

from adoption_lib.inputs.usage_readers.activity_scan import DETAIL_DAYS


@dataclass
class ActivityFigures:
    """What the activity of licensed users says, before any roster arithmetic."""

    #: users active in the last 1, 7 and 30 days
    active: dict[int, set[str]]
    #: the sum over the last 30 days of distinct users active each day
    daily_active_sum: int
    #: users active in at least ``weeks_active`` of the last ``weeks_window`` weeks
    effective: set[str]
    #: every user with any action before ``end``
    ever: set[str]
    #: users active in the last 30 days
    recent: set[str]
    #: distinct active days per user in the last 28 days
    days_4w: pd.Series
    #: distinct key features used in 30 days per 30-day active user (0 when none)
    breadth: pd.Series


def weeks_back(ts: ibis.Value, end: datetime) -> ibis.Value:
    """The 7-day week an instant falls in, counted back from ``end``: 0 is ``[end - 7d, end)``.

    Weeks are half-open like every window here, so an action exactly 7 days before
    ``end`` is in week 0, as it is in the 7-day window. Whole seconds, ceiling division
    written with floor division so that every backend computes it the same way.
    """
    end_epoch = int((end - datetime(1970, 1, 1)).total_seconds())
    return -((ts.epoch_seconds() - end_epoch) // (7 * 86400)) - 1


def _users(table: ibis.Table) -> set[str]:
    return set(table.select("user_key").distinct().execute()["user_key"])


def day_start(days: ibis.Table) -> ibis.Value:
    """Midnight UTC of each row's ``day``, as a timestamp (for :func:`weeks_back`)."""
    return days.day.cast("timestamp")


def key_feature_counts(table: ibis.Table, key_features: list[str] | None) -> pd.Series:
    """Distinct key features each user used over the rows given (from the day masks).

    Returns
    -------
    pandas.Series
        Index ``user_key``; users without a row are absent.
    """
    if not key_features:
        return pd.Series(dtype=int)
    # bit i of the mask, by integer arithmetic every backend computes alike
    used = {f"k{i}": ((table.key_features // (2**i)) % 2).max() for i in range(len(key_features))}
    per_user = table.group_by("user_key").aggregate(**used).execute().set_index("user_key")
    return per_user.sum(axis=1).astype(int)


def activity_figures(
    days: ibis.Table,
    end: datetime,
    *,
    weeks_window: int = 4,
    weeks_active: int = 3,
    key_features: list[str] | None = None,
) -> ActivityFigures:
    """Compute the exact activity counts behind the usage metrics.

    Parameters
    ----------
    days
        The compact activity table of licensed users before ``end`` (see the module).
    end
        Midnight UTC of ``as_of``.
    weeks_window, weeks_active
        The effective-user rule: active in ``weeks_active`` of the last ``weeks_window``
        seven-day weeks counted back from ``end``.
    key_features
        The key features the masks encode, in order; ``None`` or empty gives all-zero
        breadth.

    Returns
    -------
    ActivityFigures
        Counts and per-user series, identical on every ibis backend.
    """
    end_day = end.date()
    active = {n: _users(days.filter(days.day >= end_day - timedelta(days=n))) for n in (1, 7, 30)}
    recent = days.filter(days.day >= end_day - timedelta(days=30))
    # one row per user and day inside 30 days: the daily actives summed are the rows
    daily_sum = int(recent.count().execute() or 0)
    weeks = days.filter(days.day >= end_day - timedelta(days=7 * weeks_window))
    weeks = weeks.mutate(week=weeks_back(day_start(weeks), end))
    per_user = weeks.group_by("user_key").aggregate(weeks=lambda g: g.week.nunique())
    effective = _users(per_user.filter(per_user.weeks >= weeks_active))
    ever = _users(days)
    window = days.filter(days.day >= end_day - timedelta(days=28))
    counted = window.group_by("user_key").aggregate(days=lambda g: g.count()).execute()
    days_4w = counted.set_index("user_key")["days"].astype(int).sort_index()
    breadth = pd.Series(0, index=sorted(active[30]), dtype=int)
    breadth = breadth.add(key_feature_counts(recent, key_features), fill_value=0).astype(int)
    return ActivityFigures(
        active, daily_sum, effective, ever, active[30], days_4w, breadth.sort_index()
    )


def bucket_day(ts: ibis.Value, end: datetime) -> ibis.Value:
    """The ``day`` of an action's row in the activity table (the scan's rule, in ibis).

    The action's UTC day in the :data:`DETAIL_DAYS` before ``end``; before that, the first
    day of its week counted back from ``end`` (:func:`weeks_back`), or of its calendar
    month when that is later.
    """
    end_epoch = int((end - datetime(1970, 1, 1)).total_seconds())
    week_epoch = end_epoch + ((ts.epoch_seconds() - end_epoch) // (7 * 86400)) * (7 * 86400)
    week = week_epoch.as_timestamp("s").date()
    month = ts.truncate("M").date()
    older = ibis.greatest(week, month)
    return (ts >= end - timedelta(days=DETAIL_DAYS)).ifelse(ts.date(), older)


def daily_activity(events: ibis.Table, end: datetime, key_features: list[str]) -> ibis.Table:
    """Build the compact activity table from per-event rows, on any ibis backend.

    The DuckDB readers build the same table faster, in one scan of each file
    (:mod:`adoption_lib.inputs.usage_readers.activity_scan`); this is the portable
    definition, for another backend and for checking that scan.

    Parameters
    ----------
    events
        ``user_key``, ``ts``, ``feature`` of licensed users.
    end
        Midnight UTC of ``as_of``; days from ``end`` on are left out.
    key_features
        The key features, in mask-bit order.

    Returns
    -------
    ibis.Table
        The columns the module describes, one row per user and :func:`bucket_day`.
    """
    before = events.filter(events.ts < end).mutate(day=bucket_day(events.ts, end))
    masks = {
        f"k{i}": (before.feature == name).fill_null(False).cast("int64").max() * (2**i)
        for i, name in enumerate(key_features)
    }
    per_day = before.group_by(["user_key", "day"]).aggregate(
        events=before.count(),
        first_ts=before.ts.min(),
        last_ts=before.ts.max(),
        **masks,
    )
    mask = sum((per_day[f"k{i}"] for i in range(len(key_features))), ibis.literal(0))
    per_day = per_day.mutate(key_features=mask.cast("int64")).drop(*masks)
    start = end - timedelta(days=DETAIL_DAYS)
    detail = before.filter(before.feature.notnull() & (before.ts >= start))
    distinct = detail.select("user_key", "day", "ts", "feature").distinct()
    actions = distinct.group_by(["user_key", "day"]).aggregate(actions=distinct.count())
    joined = per_day.left_join(actions, ["user_key", "day"])
    return joined.select(
        "user_key", "day", "events", "first_ts", "last_ts", "key_features", "actions"
    )


@dataclass
class SnapshotFigures:
    """What a last-activity report says about licensed users, at its own date."""

    #: users whose last activity falls in the last 1, 7 and 30 days before ``end``
    active: dict[int, set[str]]
    #: users with any recorded activity before ``end``
    ever: set[str]
    #: distinct products used in the last 30 days, per 30-day active user
    breadth: pd.Series


def snapshot_figures(
    snapshot: ibis.Table, end: datetime, key_features: list[str] | None = None
) -> SnapshotFigures:
    """Read activity windows off a users-activity table (one last date per product).

    Parameters
    ----------
    snapshot
        ``user_key``, ``feature``, ``last_active`` of licensed users.
    end
        The day after the report's data date, midnight: windows are ``[end - N, end)``.
    key_features
        Products that count toward breadth.

    Returns
    -------
    SnapshotFigures
        Sets of users per window, and breadth.
    """
    dated = snapshot.filter(snapshot.last_active.notnull() & (snapshot.last_active < end))
    active = {
        days: set(
            dated.filter(dated.last_active >= end - timedelta(days=days))
            .select("user_key")
            .distinct()
            .execute()["user_key"]
        )
        for days in (1, 7, 30)
    }
    ever = set(dated.select("user_key").distinct().execute()["user_key"])
    breadth = pd.Series(0, index=sorted(active[30]), dtype=int)
    if key_features:
        recent = dated.filter(
            (dated.last_active >= end - timedelta(days=30)) & dated.feature.isin(key_features)
        )
        counts = recent.group_by("user_key").aggregate(n=recent.feature.nunique()).execute()
        breadth = breadth.add(counts.set_index("user_key")["n"], fill_value=0).astype(int)
    return SnapshotFigures(active, ever, breadth.sort_index())
