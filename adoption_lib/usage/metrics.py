"""The activity metrics as pure ibis expressions, portable across backends.

Everything here takes ibis tables and returns plain Python values; nothing is
DuckDB-specific (no raw SQL, no file reading), so the same code runs on DuckDB, which
is the default, and on Spark or a warehouse that ibis supports. ``tests/test_spark.py``
runs it on pyspark in local mode and checks the answers equal DuckDB's.

Inputs
------
``activity``
    the canonical columns ``user_key``, ``ts`` (UTC, naive), ``feature``, already
    restricted to licensed users and to actions before ``end``;
``end``
    midnight UTC of ``as_of``: every window is ``[end - N days, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import ibis
import pandas as pd


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


def activity_figures(
    activity: ibis.Table,
    end: datetime,
    *,
    weeks_window: int = 4,
    weeks_active: int = 3,
    key_features: list[str] | None = None,
) -> ActivityFigures:
    """Compute the exact activity counts behind the usage metrics.

    Parameters
    ----------
    activity
        Licensed users' qualifying actions before ``end`` (canonical columns).
    end
        Midnight UTC of ``as_of``.
    weeks_window, weeks_active
        The effective-user rule: active in ``weeks_active`` of the last ``weeks_window``
        seven-day weeks counted back from ``end``.
    key_features
        Features that count toward breadth; ``None`` or empty gives all-zero breadth.

    Returns
    -------
    ActivityFigures
        Counts and per-user series, identical on every ibis backend.
    """
    active = {
        days: _users(activity.filter(activity.ts >= end - timedelta(days=days)))
        for days in (1, 7, 30)
    }
    recent = activity.filter(activity.ts >= end - timedelta(days=30))
    daily = (
        recent.mutate(day=recent.ts.date())
        .group_by("day")
        .aggregate(n=lambda g: g.user_key.nunique())
    )
    daily_sum = int(daily.n.sum().execute() or 0)
    weeks = activity.filter(activity.ts >= end - timedelta(days=7 * weeks_window))
    weeks = weeks.mutate(week=weeks_back(weeks.ts, end))
    per_user = weeks.group_by("user_key").aggregate(weeks=lambda g: g.week.nunique())
    effective = _users(per_user.filter(per_user.weeks >= weeks_active))
    ever = _users(activity)
    recent_users = active[30]
    window = activity.filter(activity.ts >= end - timedelta(days=28))
    days = (
        window.mutate(day=window.ts.date())
        .group_by("user_key")
        .aggregate(days=lambda g: g.day.nunique())
        .execute()
    )
    days_4w = days.set_index("user_key")["days"].astype(int).sort_index()
    breadth = pd.Series(0, index=sorted(recent_users), dtype=int)
    if key_features:
        used = recent.filter(recent.feature.isin(list(key_features)))
        counts = used.group_by("user_key").aggregate(n=lambda g: g.feature.nunique()).execute()
        breadth = breadth.add(counts.set_index("user_key")["n"], fill_value=0).astype(int)
    return ActivityFigures(
        active, daily_sum, effective, ever, recent_users, days_4w, breadth.sort_index()
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
