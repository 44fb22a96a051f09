"""Usage over time and by habit: weekly actives, first use, frequency, depth, segments.

Computed from the activity :func:`adoption_lib.usage_metrics.load_usage` materialised,
for licensed users only, with windows ending just before ``as_of``.

Rules (documented here because a client will ask):

* **weekly active users**: distinct licensed users active in each 7-day week counted
  back from ``as_of``, from the first week any source covers (or go-live, if later);
* **time to first use**: days from go-live to a user's first action; only when some
  source covers go-live (otherwise ``None`` with the reason);
* **frequency bands** (active days per week over the last 4 weeks): ``daily`` at least
  4, ``weekly`` at least 1, ``monthly`` fewer (1 to 3 days in 4 weeks), ``rare`` no use
  in 4 weeks but some in the last 90 days, ``none`` otherwise;
* **depth**: actions per active day over 30 days, median over 30-day actives (event
  logs only; a login history counts logins, not work);
* **segments**: ``power`` (at least 4 days a week and at least 3 key features),
  ``habitual`` (at least 2 days a week), ``novice`` (first use in the last 30 days),
  ``low`` (active in 30 days, otherwise), ``non_user`` (no use in 30 days), tested in
  that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import pandas as pd

from adoption_lib.usage_metrics import UsageResult

BANDS = ("daily", "weekly", "monthly", "rare", "none")
SEGMENTS = ("power", "habitual", "novice", "low", "non_user")


@dataclass
class UsageTrends:
    """Trend and habit figures, and reasons for those a source cannot give."""

    weekly: pd.DataFrame
    bands: dict[str, int]
    segments: dict[str, int]
    figures: dict[str, Any]
    unavailable: dict[str, str] = field(default_factory=dict)


def usage_trends(
    result: UsageResult, licensed: list[str], go_live: datetime, key_features: list[str]
) -> UsageTrends:
    """Compute the trends of a usage result.

    Parameters
    ----------
    result
        From :func:`adoption_lib.usage_metrics.load_usage`.
    licensed
        Normalised emails of licensed users.
    go_live
        Go-live, midnight UTC.
    key_features
        ``key_features`` of the engagement.

    Returns
    -------
    UsageTrends
        Weekly series, band and segment counts (over licensed users) and figures.
    """
    if result.activity is None or result.end is None:
        empty = pd.DataFrame(columns=["week_start", "active", "share"])
        reason = "no usage export"
        return UsageTrends(empty, {}, {}, {}, {"weekly_active": reason, "segments": reason})
    end, activity = result.end, result.activity
    frame = (
        activity.filter(activity.ts >= end - timedelta(days=400))
        .select("user_key", "ts", "feature")
        .execute()
    )
    frame = frame[frame["user_key"].isin(set(licensed))]
    starts = [s.coverage[0] for s in result.sources if s.coverage[0] is not None]
    first_day = datetime.combine(min(starts).date(), time(0)) if starts else go_live
    covered_from = max(first_day, go_live)
    trends = UsageTrends(_weekly(frame, end, covered_from, len(licensed)), {}, {}, {})
    days4 = _days(frame, end, 28) / 4
    first = frame.groupby("user_key")["ts"].min()
    recent = frame[frame["ts"] >= end - timedelta(days=30)]
    breadth = recent[recent["feature"].isin(key_features)].groupby("user_key")["feature"].nunique()
    people = pd.DataFrame(index=pd.Index(sorted(set(licensed)), name="user_key"))
    people["per_week"] = days4.reindex(people.index).fillna(0.0)
    people["breadth"] = breadth.reindex(people.index).fillna(0)
    people["recent"] = people.index.isin(set(recent["user_key"]))
    people["in_90"] = people.index.isin(
        set(frame.loc[frame["ts"] >= end - timedelta(days=90), "user_key"])
    )
    people["first"] = first.reindex(people.index)
    trends.bands = _count(people.apply(_band, axis=1), BANDS)
    trends.segments = _count(people.apply(lambda p: _segment(p, end), axis=1), SEGMENTS)
    if first_day <= go_live:
        delays = (first.reindex(people.index).dropna() - go_live).dt.days.clip(lower=0)
        trends.figures["time_to_first_use_median_days"] = (
            float(delays.median()) if len(delays) else None
        )
    else:
        trends.figures["time_to_first_use_median_days"] = None
        trends.unavailable["time_to_first_use_median_days"] = "no usage export covers go-live"
    if any(s.has_features for s in result.sources):
        actions = recent[recent["feature"].notna()]
        per_day = actions.assign(day=actions["ts"].dt.date).groupby(["user_key", "day"]).size()
        trends.figures["events_per_active_day_median"] = (
            float(per_day.groupby("user_key").mean().median()) if len(per_day) else None
        )
    else:
        trends.figures["events_per_active_day_median"] = None
        trends.unavailable["events_per_active_day_median"] = (
            "only login histories: logins are not work"
        )
    return trends


def _weekly(
    frame: pd.DataFrame, end: datetime, covered_from: datetime, licensed: int
) -> pd.DataFrame:
    weeks = max(int((end - covered_from).days // 7), 0)
    rows = []
    for back in range(weeks, 0, -1):
        start = end - timedelta(days=7 * back)
        active = frame.loc[
            (frame["ts"] >= start) & (frame["ts"] < start + timedelta(days=7)), "user_key"
        ].nunique()
        rows.append(
            (
                start.date().isoformat(),
                int(active),
                round(active / licensed, 4) if licensed else None,
            )
        )
    return pd.DataFrame(rows, columns=["week_start", "active", "share"])


def _days(frame: pd.DataFrame, end: datetime, days: int) -> pd.Series:
    window = frame[frame["ts"] >= end - timedelta(days=days)]
    return window.assign(day=window["ts"].dt.date).groupby("user_key")["day"].nunique()


def _band(person: pd.Series) -> str:
    if person["per_week"] >= 4:
        return "daily"
    if person["per_week"] >= 1:
        return "weekly"
    if person["per_week"] > 0:
        return "monthly"
    return "rare" if person["in_90"] else "none"


def _segment(person: pd.Series, end: datetime) -> str:
    if not person["recent"]:
        return "non_user"
    if person["per_week"] >= 4 and person["breadth"] >= 3:
        return "power"
    if person["per_week"] >= 2:
        return "habitual"
    if pd.notna(person["first"]) and person["first"] >= end - timedelta(days=30):
        return "novice"
    return "low"


def _count(values: pd.Series, names: tuple[str, ...]) -> dict[str, int]:
    counts = values.value_counts()
    return {name: int(counts.get(name, 0)) for name in names}


def cohort_retention(result: UsageResult, licensed: list[str], k: int) -> pd.DataFrame:
    """Share of each activation-month cohort active in each later month.

    Parameters
    ----------
    result
        From :func:`adoption_lib.usage_metrics.load_usage`.
    licensed
        Normalised emails of licensed users.
    k
        ``privacy.min_group_size``: cohorts are groups and go through the mechanism.

    Returns
    -------
    pandas.DataFrame
        ``cohort`` (YYYY-MM of first use), ``month`` (months since), ``active``,
        ``cohort_size``, ``retention`` (active / cohort size) and ``suppressed``.
    """
    from adoption_lib.privacy import apply_suppression

    if result.activity is None:
        return pd.DataFrame(
            columns=["cohort", "month", "active", "cohort_size", "retention", "suppressed"]
        )
    frame = result.activity.select("user_key", "ts").execute()
    frame = frame[frame["user_key"].isin(set(licensed))]
    month = frame["ts"].dt.year * 12 + frame["ts"].dt.month - 1
    first = month.groupby(frame["user_key"]).transform("min")
    table = (
        frame.assign(cohort=first, month=month - first)
        .groupby(["cohort", "month"])["user_key"]
        .nunique()
        .rename("active")
        .reset_index()
    )
    sizes = table[table["month"] == 0].set_index("cohort")["active"]
    table["cohort_size"] = table["cohort"].map(sizes)
    table["retention"] = table["active"] / table["cohort_size"]
    table["cohort"] = table["cohort"].map(lambda m: f"{m // 12:04d}-{m % 12 + 1:02d}")
    return apply_suppression(table, "cohort", "cohort_size", k, keep=("month",))
