"""Usage over time and by habit: weekly actives, first use, frequency, depth, segments.

Computed from the compact activity table :func:`adoption_lib.usage.load.load_usage`
built (one row per licensed user and day over 30 days, and per week and month
before), with windows ending just before ``as_of``.

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

import ibis
import numpy as np
import pandas as pd

from adoption_lib.labels import USAGE_BANDS, USAGE_SEGMENTS
from adoption_lib.privacy.suppression import apply_suppression
from adoption_lib.usage.load import UsageResult
from adoption_lib.usage.metrics import day_start, key_feature_counts, weeks_back


@dataclass
class UsageTrends:
    """Trend and habit figures, and reasons for those a source cannot give."""

    weekly: pd.DataFrame
    bands: dict[str, int]
    segments: dict[str, int]
    figures: dict[str, Any]
    unavailable: dict[str, str] = field(default_factory=dict)
    #: one row per licensed user (index ``user_key``): ``per_week``, ``breadth``,
    #: ``recent``, ``effective``, ``first``, ``last``, ``band``, ``segment``; person-level,
    #: it stays inside the engagement (see :func:`adoption_lib.usage.people.write_usage_people`)
    people: pd.DataFrame | None = None
    #: the weeks each licensed user was active (``user_key``, ``week_start``)
    user_weeks: pd.DataFrame | None = None


def usage_trends(
    result: UsageResult, licensed: list[str], go_live: datetime, key_features: list[str]
) -> UsageTrends:
    """Compute the trends of a usage result.

    Parameters
    ----------
    result
        From :func:`adoption_lib.usage.load.load_usage`.
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
    if result.days is None or result.end is None:
        empty = pd.DataFrame(columns=["week_start", "active", "share"])
        reason = result.no_events_reason or "no usage export"
        missing = (
            "weekly_active",
            "time_to_first_use_median_days",
            "events_per_active_day_median",
            "frequency_bands",
            "segments",
        )
        figures = {"time_to_first_use_median_days": None, "events_per_active_day_median": None}
        return UsageTrends(empty, {}, {}, figures, dict.fromkeys(missing, reason))
    end, days = result.end, result.days  # licensed users' days of activity, before as_of
    starts = [s.coverage[0] for s in result.sources if s.coverage[0] is not None]
    first_day = datetime.combine(min(starts).date(), time(0)) if starts else go_live
    covered_from = max(first_day, go_live)
    user_weeks = _user_weeks(days, end, covered_from)
    trends = UsageTrends(_weekly(user_weeks, end, covered_from, len(licensed)), {}, {}, {})
    trends.user_weeks = user_weeks
    # Every per-row step stays in DuckDB; only one row per user comes back.
    spans = days.group_by("user_key").aggregate(first=days.first_ts.min(), last=days.last_ts.max())
    spans = spans.execute().set_index("user_key")
    recent = days.filter(days.day >= (end - timedelta(days=30)).date())
    breadth = key_feature_counts(recent, key_features)
    people = pd.DataFrame(index=pd.Index(sorted(set(licensed)), name="user_key"))
    days4 = result.active_days_4w if result.active_days_4w is not None else pd.Series(dtype=float)
    people["per_week"] = (days4.reindex(people.index) / 4).fillna(0.0)
    people["breadth"] = breadth.reindex(people.index).fillna(0)
    people["recent"] = people.index.isin(result.recent_users)
    people["in_90"] = spans["last"].reindex(people.index) >= end - timedelta(days=90)
    people["first"] = spans["first"].reindex(people.index)
    people["last"] = spans["last"].reindex(people.index)
    people["effective"] = people.index.isin(result.effective)
    first = people["first"]
    people["band"] = _bands(people)
    people["segment"] = _segments(people, end)
    trends.bands = _count(people["band"], USAGE_BANDS)
    trends.segments = _count(people["segment"], USAGE_SEGMENTS)
    trends.people = people
    if first_day <= go_live:
        delays = (first.reindex(people.index).dropna() - go_live).dt.days.clip(lower=0)
        trends.figures["time_to_first_use_median_days"] = (
            float(delays.median()) if len(delays) else None
        )
    else:
        trends.figures["time_to_first_use_median_days"] = None
        trends.unavailable["time_to_first_use_median_days"] = "no usage export covers go-live"
    if any(s.has_features for s in result.sources):
        # actions naming a feature per active day (identical rows once), mean per user
        worked = recent.filter(recent.actions > 0)
        depth = worked.group_by("user_key").aggregate(mean=worked.actions.mean()).execute()["mean"]
        trends.figures["events_per_active_day_median"] = (
            float(depth.median()) if len(depth) else None
        )
    else:
        trends.figures["events_per_active_day_median"] = None
        trends.unavailable["events_per_active_day_median"] = (
            "only login histories: logins are not work"
        )
    return trends


def _user_weeks(days: ibis.Table, end: datetime, covered_from: datetime) -> pd.DataFrame:
    """Each licensed user's active 7-day weeks, counted back from ``end`` (in DuckDB).

    Returns
    -------
    pandas.DataFrame
        ``user_key`` and ``week_start`` (ISO date, categorical): one row per user and
        active week.
    """
    weeks = max(int((end - covered_from).days // 7), 0)
    window = days.filter(days.day >= (end - timedelta(days=7 * weeks)).date())
    window = window.mutate(back=weeks_back(day_start(window), end) + 1)
    pairs = window.select("user_key", "back").distinct().order_by(["user_key", "back"])
    # The (user, week) pairs come back through Arrow, where the activity table's
    # user_key (a DuckDB ENUM) stays dictionary-encoded: a million pairs cost a tenth
    # of a second, where ibis' execute() would turn each key into a Python string.
    found = ibis.get_backend(pairs).raw_sql(ibis.to_sql(pairs, dialect="duckdb"))
    table = found.fetch_arrow_table().to_pandas()
    starts = [(end - timedelta(days=7 * b)).date().isoformat() for b in range(weeks, 0, -1)]
    codes = weeks - table["back"].to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "user_key": np.asarray(table["user_key"], dtype=object),
            "week_start": pd.Categorical.from_codes(codes, categories=starts, ordered=True),
        }
    )


def _weekly(
    user_weeks: pd.DataFrame, end: datetime, covered_from: datetime, licensed: int
) -> pd.DataFrame:
    """Distinct active users per 7-day week counted back from ``end``, every week listed."""
    weeks = max(int((end - covered_from).days // 7), 0)
    active = user_weeks.groupby("week_start", observed=True).size()
    rows = []
    for back in range(weeks, 0, -1):
        week = (end - timedelta(days=7 * back)).date().isoformat()
        n = int(active.get(week, 0))
        rows.append((week, n, round(n / licensed, 4) if licensed else None))
    return pd.DataFrame(rows, columns=["week_start", "active", "share"])


def _bands(people: pd.DataFrame) -> pd.Series:
    """Frequency band per person (rules in the module docstring), vectorised."""
    per_week = people["per_week"]
    choice = np.select(
        [per_week >= 4, per_week >= 1, per_week > 0, people["in_90"].fillna(False).astype(bool)],
        ["daily", "weekly", "monthly", "rare"],
        default="none",
    )
    return pd.Series(choice, index=people.index, dtype=object)


def _segments(people: pd.DataFrame, end: datetime) -> pd.Series:
    """Usage segment per person (rules in the module docstring, tested in order)."""
    per_week = people["per_week"]
    novice = people["first"].notna() & (people["first"] >= end - timedelta(days=30))
    choice = np.select(
        [
            ~people["recent"].astype(bool),
            (per_week >= 4) & (people["breadth"] >= 3),
            per_week >= 2,
            novice,
        ],
        ["non_user", "power", "habitual", "novice"],
        default="low",
    )
    return pd.Series(choice, index=people.index, dtype=object)


def _count(values: pd.Series, names: tuple[str, ...]) -> dict[str, int]:
    counts = values.value_counts()
    return {name: int(counts.get(name, 0)) for name in names}


def cohort_retention(result: UsageResult, licensed: list[str], k: int) -> pd.DataFrame:
    """Share of each activation-month cohort active in each later month.

    Parameters
    ----------
    result
        From :func:`adoption_lib.usage.load.load_usage`.
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
    if result.days is None:
        return pd.DataFrame(
            columns=["cohort", "month", "active", "cohort_size", "retention", "suppressed"]
        )
    days = result.days.filter(result.days.user_key.isin(list(licensed)))
    dated = days.mutate(m=days.day.year() * 12 + days.day.month() - 1)
    firsts = dated.group_by("user_key").aggregate(cohort=dated.m.min())
    joined = dated.join(firsts, "user_key")
    joined = joined.mutate(month=joined.m - joined.cohort)
    table = (
        joined.group_by(["cohort", "month"]).aggregate(active=joined.user_key.nunique()).execute()
    )
    table = table.sort_values(["cohort", "month"]).reset_index(drop=True)
    sizes = table[table["month"] == 0].set_index("cohort")["active"]
    table["cohort_size"] = table["cohort"].map(sizes)
    table["retention"] = table["active"] / table["cohort_size"]
    table["cohort"] = table["cohort"].map(lambda m: f"{m // 12:04d}-{m % 12 + 1:02d}")
    return apply_suppression(table, "cohort", "cohort_size", k, keep=("month",))


def effective_by_week(user_weeks: pd.DataFrame, *, window: int = 4, active: int = 3) -> pd.Series:
    """Effective users as of each week: users active in ``active`` of the ``window``
    weeks ending with it (the effective-user rule, dated back week by week).

    Parameters
    ----------
    user_weeks
        ``user_key`` and ``week_start`` (categorical, ordered, every week a category),
        as :attr:`UsageTrends.user_weeks`.
    window, active
        The rule's weeks and the fewest of them active.

    Returns
    -------
    pandas.Series
        Effective users, indexed by ``week_start``, for each week with ``window`` weeks
        up to it (the first ``window - 1`` weeks have none).
    """
    weeks = list(user_weeks["week_start"].cat.categories)
    if len(weeks) < window:
        return pd.Series(dtype=float, name="effective")
    codes = user_weeks["week_start"].cat.codes.to_numpy()
    users = pd.factorize(user_weeks["user_key"])[0]
    seen = np.zeros((users.max() + 1 if len(users) else 0, len(weeks)), dtype=np.int8)
    seen[users, codes] = 1
    # the active weeks in each run of `window` weeks, by a cumulative sum over weeks
    totals = np.cumsum(np.pad(seen, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    runs = totals[:, window:] - totals[:, :-window]
    counts = (runs >= active).sum(axis=0)
    return pd.Series(counts.astype(float), index=weeks[window - 1 :], name="effective")
