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

from datetime import date, datetime, time, timedelta

import duckdb
import ibis
import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.file_guards import check_usage_files, one_line
from adoption_lib.inputs.usage_readers import READERS, UsageSource, connect, register_frame
from adoption_lib.inputs.usage_readers.activity_scan import merge_scans, scan_source
from adoption_lib.timings import step
from adoption_lib.usage.metrics import ActivityFigures, activity_figures, snapshot_figures
from adoption_lib.usage.result import UsageResult
from adoption_lib.usage.stored import cached_usage


def load_usage(
    engagement: Engagement, roster: pd.DataFrame, as_of: date | None = None
) -> UsageResult:
    """Read every usage export of an engagement and compute the adoption metrics.

    Parameters
    ----------
    engagement
        A validated engagement.
    roster
        From :func:`adoption_lib.inputs.roster.load_roster`.
    as_of
        The end of every window; the assessment date by default.

    Returns
    -------
    UsageResult
        The DESIGN §4 ``usage`` figures, reasons for the unavailable ones, the sources;
        from the engagement's cache when the exports, the settings and the licensed
        users are unchanged (:mod:`adoption_lib.usage.stored`).
    """
    when = as_of or engagement.assessment_date
    return cached_usage(
        engagement, roster, when, lambda: _read_and_measure(engagement, roster, when)
    )


def _read_and_measure(engagement: Engagement, roster: pd.DataFrame, as_of: date) -> UsageResult:
    """Read every usage export and compute the metrics (what the cache keeps)."""
    con = connect()
    sources = []
    # the dates usage falls between (a month of pilot before go-live): settles d/m order
    window = (engagement.go_live - timedelta(days=31), engagement.assessment_date)
    for index, export in enumerate(engagement.usage_exports):
        reader = READERS.get(export.format)
        if reader is None:
            continue
        check_usage_files(export.path, engagement.limits)
        if export.timezone is None and engagement.timezone is not None:
            export = export.model_copy(update={"timezone": engagement.timezone})
        name = f"usage_{index}_{export.format}"
        try:
            with step(f"usage: read {name}"):
                sources.append(reader(con, export, name, window=window))
        except duckdb.Error as exc:
            raise InputFileError(
                f"{engagement.relative(export.path)}: cannot be read as {export.format}: "
                f"{one_line(exc)}"
            ) from None
    with step("usage: metrics"):
        return compute_metrics(con, sources, roster, engagement, as_of)


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
    events = [s for s in sources if s.scan_sql is not None]
    snapshots = [s for s in sources if s.snapshot is not None]
    usable = _usable_snapshots(snapshots, end, result)
    if not events and not usable:
        reason = result.no_events_reason or "no usage export"
        for metric in (*WINDOW_METRICS, *EVENT_METRICS, "feature_breadth_median"):
            result.metrics[metric] = None
            result.unavailable[metric] = reason
        return result
    keys = list(engagement.key_features)
    active: dict[int, set[str]] = {1: set(), 7: set(), 30: set()}
    ever: set[str] = set()
    breadth = pd.Series(dtype=int)
    not_on_roster: set[str] = set()
    if events:
        for source in events:
            with step(f"usage: scan {source.name}"):
                scan_source(con, source, end, keys)
        with step("usage: activity table"):
            tables = merge_scans(con, events, people, end)
        not_on_roster |= tables.not_on_roster
        figures = activity_figures(
            tables.days,
            end,
            weeks_window=t.effective_weeks_window,
            weeks_active=t.effective_weeks_active,
            key_features=keys,
        )
        active = {days: set(users) for days, users in figures.active.items()}
        ever |= figures.ever
        _event_metrics(result, figures, set(licensed["user_key"]))
        if any(s.has_features for s in events):
            breadth = figures.breadth
        result.days, result.latency, result.end = tables.days, tables.latency, end
        result.active_days_4w = figures.days_4w
    else:
        for metric in EVENT_METRICS:
            result.metrics[metric] = None
            result.unavailable[metric] = result.no_events_reason
    for source, snap_end in usable:
        snap = source.snapshot
        assert snap is not None
        not_on_roster |= _users(snap.anti_join(people, "user_key"))
        mine = snap.semi_join(people, "user_key")
        figures_s = snapshot_figures(mine, snap_end, keys)
        for days in active:
            active[days] |= figures_s.active[days]
        ever |= figures_s.ever
        if breadth.empty and source.has_features:
            breadth = figures_s.breadth
        _licence_notes(source, mine, licensed)
    for source in events:
        if source.last_login is not None:
            logged = source.last_login.filter(
                source.last_login.last_login.notnull() & (source.last_login.last_login < end)
            )
            ever |= _users(logged)
    everyone = set(licensed["user_key"])
    for days in (1, 7, 30):
        result.metrics[f"active_users_{days}d"] = len(active[days] & everyone)
    result.metrics["license_utilisation"] = round(
        result.metrics["active_users_30d"] / engagement.licenses, 4
    )
    result.recent_users = active[30] & everyone
    result.ever = ever & everyone
    result.metrics["never_activated"] = len(everyone - ever)
    result.metrics["dormant_users"] = len((everyone & ever) - result.recent_users)
    result.not_on_roster = len(not_on_roster)
    _breadth(result, sources, breadth, engagement)
    return result


WINDOW_METRICS = (
    "active_users_1d",
    "active_users_7d",
    "active_users_30d",
    "license_utilisation",
    "dormant_users",
    "never_activated",
)
#: Metrics that need day-by-day activity: a last-activity report cannot give them.
EVENT_METRICS = ("dau_mau", "effective_users", "median_active_days_per_week")
#: How far a last-activity report's date may fall before ``as_of`` (Microsoft's usage
#: reports run two to three days behind).
SNAPSHOT_LAG_DAYS = 7


def _users(table: ibis.Table) -> set[str]:
    return set(table.select("user_key").distinct().execute()["user_key"])


def _event_metrics(result: UsageResult, figures: ActivityFigures, everyone: set[str]) -> None:
    active30 = len(figures.active[30])
    result.metrics["dau_mau"] = (
        round(figures.daily_active_sum / 30 / active30, 4) if active30 else None
    )
    if not active30:
        result.unavailable["dau_mau"] = "no active users in the last 30 days"
    result.metrics["effective_users"] = len(figures.effective)
    result.effective = figures.effective
    per_week = pd.Series(0.0, index=sorted(everyone))
    per_week.update(figures.days_4w / 4)
    result.metrics["median_active_days_per_week"] = round(float(per_week.median()), 3)


def _usable_snapshots(
    snapshots: list[UsageSource], end: datetime, result: UsageResult
) -> list[tuple[UsageSource, datetime]]:
    """Snapshots whose date fits ``as_of``, each with the end of its own windows."""
    usable = []
    for source in snapshots:
        assert source.refreshed is not None
        snap_end = source.refreshed + timedelta(days=1)
        refreshed = f"{source.refreshed:%Y-%m-%d}"
        if snap_end == end + timedelta(days=1):
            # Refreshed on the assessment date itself, the date a consultant picks: the
            # report is that day's, so it counts, its windows running to the end of it.
            usable.append((source, snap_end))
            source.notes.append(
                f"refreshed on the as_of date, {refreshed}: its windows run to the end of "
                "that day, one day past the other exports'"
            )
        elif snap_end > end:
            source.notes.append(
                f"not used: refreshed on {refreshed}, after as_of; its last-activity "
                "dates would hide activity inside the windows (set as_of after the report date)"
            )
        elif end - snap_end > timedelta(days=SNAPSHOT_LAG_DAYS):
            source.notes.append(
                f"not used: refreshed on {refreshed}, more than {SNAPSHOT_LAG_DAYS} days before "
                "as_of; export the report again"
            )
        else:
            usable.append((source, snap_end))
            if snap_end < end:
                source.notes.append(f"its windows end on its own date, {refreshed}")
    if snapshots:
        result.no_events_reason = (
            "last-activity reports give one date per user and product, not day-by-day activity"
            if usable
            else "; ".join(n for s in snapshots for n in s.notes if n.startswith("not used"))
        )
    return usable


def _licence_notes(source: UsageSource, mine: ibis.Table, licensed: pd.DataFrame) -> None:
    """Note roster-licensed users the report shows without a licence."""
    unlicensed = _users(
        mine.group_by("user_key").aggregate(any=mine.licensed.any()).filter(lambda t: ~t["any"])
    )
    if unlicensed:
        source.notes.append(
            f"{len(unlicensed)} users licensed on the roster have no licence in the report"
        )


def _breadth(
    result: UsageResult, sources: list[UsageSource], breadth: pd.Series, engagement: Engagement
) -> None:
    if not any(s.has_features for s in sources):
        result.metrics["feature_breadth_median"] = None
        result.unavailable["feature_breadth_median"] = "no usage export names features"
        return
    if not engagement.key_features:
        result.metrics["feature_breadth_median"] = None
        result.unavailable["feature_breadth_median"] = "engagement.yml lists no key_features"
        return
    result.metrics["feature_breadth_median"] = float(breadth.median()) if len(breadth) else None
    if not len(breadth):
        result.unavailable["feature_breadth_median"] = "no active users in the last 30 days"
