"""Adoption metrics, written once in ibis over the canonical activity table.

Definitions (DESIGN §5; ``as_of`` defaults to the assessment date, windows end just
before it):

* active in N days: licensed users with a qualifying action in ``[as_of - N, as_of)``;
* licence utilisation: 30-day active licensed users / licences bought;
* effective users: active in at least ``effective_weeks_active`` (3) of the last
  ``effective_weeks_window`` (4) weeks;
* DAU/MAU: mean daily active licensed users over the last 30 days / 30-day actives;
* dormant: activated (any qualifying action, or a ``LastLoginDate``) but not active in
  the last 30 days; never activated: neither;
* median active days per week: over licensed users, last 4 weeks, zeros included;
* feature breadth: distinct ``key_features`` used in 30 days, median over 30-day actives;
* unassigned seats: licences minus licensed users on the roster.

A metric no source can give is ``None`` with the reason in ``unavailable``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import ibis
import pandas as pd

from adoption_lib.engagement_schema import Engagement
from adoption_lib.errors import RunError
from adoption_lib.usage_readers import READERS, UsageSource, connect, register_frame


@dataclass
class UsageResult:
    """Usage metrics and what could not be computed."""

    metrics: dict[str, Any]
    unavailable: dict[str, str] = field(default_factory=dict)
    sources: list[UsageSource] = field(default_factory=list)
    not_on_roster: int = 0
    activity: ibis.Table | None = None
    end: datetime | None = None
    #: distinct active days per licensed user over the last four weeks
    active_days_4w: pd.Series | None = None
    recent_users: set[str] = field(default_factory=set)


def load_usage(
    engagement: Engagement, roster: pd.DataFrame, as_of: date | None = None
) -> UsageResult:
    """Read every usage export of an engagement and compute the adoption metrics.

    Parameters
    ----------
    engagement
        A validated engagement.
    roster
        From :func:`adoption_lib.roster.load_roster`.
    as_of
        The end of every window; the assessment date by default.

    Returns
    -------
    UsageResult
        The DESIGN §4 ``usage`` figures, reasons for the unavailable ones, the sources.
    """
    con = connect()
    sources = []
    for index, export in enumerate(engagement.usage_exports):
        reader = READERS.get(export.format)
        if reader is None:
            continue
        sources.append(reader(con, export, f"usage_{index}_{export.format}"))
    return compute_metrics(con, sources, roster, engagement, as_of or engagement.assessment_date)


def compute_metrics(
    con: ibis.BaseBackend,
    sources: list[UsageSource],
    roster: pd.DataFrame,
    engagement: Engagement,
    as_of: date,
) -> UsageResult:
    """Compute the metrics from read sources (pure apart from the query engine).

    Parameters
    ----------
    con
        The backend the sources live in.
    sources
        From the readers.
    roster
        The roster (normalised emails).
    engagement
        Licences, key features and thresholds.
    as_of
        The end of every window.

    Returns
    -------
    UsageResult
        Figures and reasons.
    """
    t = engagement.thresholds
    end = datetime.combine(as_of, time(0))
    licensed = roster[roster["licensed"]][["email"]].rename(columns={"email": "user_key"})
    people = register_frame(con, "licensed_users", licensed)
    result = UsageResult(
        {
            "as_of": as_of.isoformat(),
            "licenses": engagement.licenses,
            "licensed_users": len(licensed),
        },
        sources=sources,
    )
    result.metrics["unassigned_seats"] = max(engagement.licenses - len(licensed), 0)
    if not sources:
        for metric in (
            "active_users_30d",
            "license_utilisation",
            "dau_mau",
            "dormant_users",
            "never_activated",
            "effective_users",
        ):
            result.metrics[metric] = None
            result.unavailable[metric] = "no usage export"
        return result
    union = ibis.union(
        *[s.activity.select("user_key", "ts", "feature", "record_occurred_at") for s in sources]
    )
    # The readers materialised each export once; the union is a view over those tables.
    # (ibis' create_view emits SQL this DuckDB rejects, so the compiled query is used.)
    sql = ibis.to_sql(union.filter(union.ts < end), dialect="duckdb")
    con.raw_sql(f"CREATE OR REPLACE VIEW activity AS {sql}")
    activity = con.table("activity")
    mine = activity.semi_join(people, "user_key")
    result.not_on_roster = int(activity.anti_join(people, "user_key").user_key.nunique().execute())

    def active(days: int) -> int:
        return int(mine.filter(mine.ts >= end - timedelta(days=days)).user_key.nunique().execute())

    for days in (1, 7, 30):
        result.metrics[f"active_users_{days}d"] = active(days)
    active30 = result.metrics["active_users_30d"]
    result.metrics["license_utilisation"] = round(active30 / engagement.licenses, 4)
    recent = mine.filter(mine.ts >= end - timedelta(days=30))
    daily = (
        recent.mutate(day=recent.ts.date())
        .group_by("day")
        .aggregate(n=lambda g: g.user_key.nunique())
    )
    dau = float(daily.n.sum().execute() or 0) / 30
    result.metrics["dau_mau"] = round(dau / active30, 4) if active30 else None
    if not active30:
        result.unavailable["dau_mau"] = "no active users in the last 30 days"
    window = t.effective_weeks_window
    weeks = mine.filter(mine.ts >= end - timedelta(days=7 * window))
    end_epoch = int((end - datetime(1970, 1, 1)).total_seconds())
    weeks = weeks.mutate(week=(end_epoch - weeks.ts.epoch_seconds()) // (7 * 86400))
    per_user = weeks.group_by("user_key").aggregate(weeks=lambda g: g.week.nunique())
    result.metrics["effective_users"] = int(
        per_user.filter(per_user.weeks >= t.effective_weeks_active).count().execute()
    )
    ever = set(mine.select("user_key").distinct().execute()["user_key"])
    for source in sources:
        if source.last_login is not None:
            logged = source.last_login.filter(
                source.last_login.last_login.notnull() & (source.last_login.last_login < end)
            )
            ever |= set(logged.select("user_key").execute()["user_key"])
    recent_users = set(recent.select("user_key").distinct().execute()["user_key"])
    everyone = set(licensed["user_key"])
    result.metrics["never_activated"] = len(everyone - ever)
    result.metrics["dormant_users"] = len((everyone & ever) - recent_users)
    days_per_user = _active_days(mine, end, 28)
    result.active_days_4w = days_per_user.set_index("user_key")["days"]
    result.recent_users = recent_users
    per_week = pd.Series(0.0, index=sorted(everyone))
    per_week.update(days_per_user.set_index("user_key")["days"] / 4)
    result.metrics["median_active_days_per_week"] = round(float(per_week.median()), 3)
    _breadth(result, sources, recent, engagement)
    result.activity = mine
    result.end = end
    return result


def _active_days(activity: ibis.Table, end: datetime, days: int) -> pd.DataFrame:
    """Distinct active days per user in the ``days`` before ``end`` (user_key, days)."""
    window = activity.filter(activity.ts >= end - timedelta(days=days))
    return (
        window.mutate(day=window.ts.date())
        .group_by("user_key")
        .aggregate(days=lambda g: g.day.nunique())
        .execute()
    )


def _breadth(
    result: UsageResult, sources: list[UsageSource], recent: ibis.Table, engagement: Engagement
) -> None:
    if not any(s.has_features for s in sources):
        result.metrics["feature_breadth_median"] = None
        result.unavailable["feature_breadth_median"] = "no usage export names features"
        return
    if not engagement.key_features:
        result.metrics["feature_breadth_median"] = None
        result.unavailable["feature_breadth_median"] = "engagement.yml lists no key_features"
        return
    used = recent.filter(recent.feature.isin(list(engagement.key_features)))
    breadth = used.group_by("user_key").aggregate(n=lambda g: g.feature.nunique()).execute()
    actives = recent.select("user_key").distinct().execute()["user_key"]
    per_user = pd.Series(0, index=actives).add(breadth.set_index("user_key")["n"], fill_value=0)
    result.metrics["feature_breadth_median"] = float(per_user.median()) if len(per_user) else None


def group_usage(result: UsageResult, roster: pd.DataFrame, by: str, k: int) -> pd.DataFrame:
    """Usage per roster group, through the shared privacy mechanism.

    Parameters
    ----------
    result
        From :func:`load_usage` (its materialised activity).
    roster
        The roster; ``by`` is one of its columns (department, role, supervisor...).
    by
        The grouping.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        Per group: ``licensed``, ``active_30d``, ``active_share``,
        ``active_days_per_week`` (mean over the group, last 4 weeks), and data-entry
        latency where a source records when the activity happened: ``latency_median_days``,
        ``latency_p90_days``, ``late_share`` (entered more than 2 days after). Groups
        under k, or revealing one by subtraction, are withheld (``suppressed``).
    """
    from adoption_lib.privacy import apply_suppression

    licensed = roster[roster["licensed"]]
    if result.activity is None or result.end is None or result.active_days_4w is None:
        raise RunError("group_usage needs the result of load_usage")
    activity = result.activity
    dated = activity.filter(activity.record_occurred_at.notnull())
    lag = dated.mutate(
        lag=(dated.ts.epoch_seconds() - dated.record_occurred_at.epoch_seconds()) / 86400
    )
    lags = lag.select("user_key", "lag").execute()
    people = licensed[["email", by]].rename(columns={"email": "user_key"})
    people["days"] = people["user_key"].map(result.active_days_4w).fillna(0) / 4
    people["active"] = people["user_key"].isin(result.recent_users)
    table = people.groupby(by).agg(
        licensed=("user_key", "size"),
        active_30d=("active", "sum"),
        active_days_per_week=("days", "mean"),
    )
    table["active_share"] = table["active_30d"] / table["licensed"]
    if not lags.empty:
        joined = lags.merge(people[["user_key", by]], on="user_key")
        # whole days between the activity and its entry, as a person counts them
        joined["lag"] = joined["lag"].clip(lower=0).floordiv(1)
        grouped = joined.groupby(by)["lag"]
        table["latency_median_days"] = grouped.median()
        table["latency_p90_days"] = grouped.quantile(0.9)
        table["late_share"] = grouped.apply(lambda s: float((s > 2).mean()))
    table = table.reset_index()
    return apply_suppression(table.assign(group_size=table["licensed"]), by, "group_size", k)
