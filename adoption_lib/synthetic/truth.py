"""Ground truth of a generated engagement, computed from what the generator produced.

The figures here are what a correct usage analysis of the written files must recover
(DESIGN §4/§5 definitions): they are counted from the simulated qualifying logins and
events, not from the scenario's intentions, so PLANTED.md never claims more than the
files contain.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from adoption_lib.synthetic.accounts import Account
from adoption_lib.synthetic.behaviour import DATED_ACTIONS, EXPORT_ACTION, Event, Login
from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.scenario import Scenario

LATE_DAYS = 2


def qualifying(login: Login) -> bool:
    """True for a successful interactive login (not an API or integration login)."""
    return login.status == "Success" and not login.api_type and login.login_type != "Other Apex API"


def compute_truth(
    scenario: Scenario,
    people: list[Person],
    accounts: list[Account],
    logins: list[Login],
    events: list[Event],
    window_start: datetime,
) -> dict[str, Any]:
    """Count the planted patterns as generated.

    Parameters
    ----------
    scenario, people, accounts
        The generated population.
    logins, events
        Everything simulated, API logins included.
    window_start
        The first instant the LoginHistory export covers.

    Returns
    -------
    dict
        JSON-ready figures: org-level usage metrics, one entry per department, the
        strong supervisor team, and the non-roster accounts.
    """
    as_of = datetime.combine(scenario.assessment_date, time(0), tzinfo=UTC)
    licensed = {str(p.idx): p for p in people if p.licensed}
    seen: dict[str, list[datetime]] = defaultdict(list)
    for login in logins:
        if login.user in licensed and qualifying(login):
            seen[login.user].append(login.at)
    recent = {u for u, ats in seen.items() if max(ats) >= as_of - timedelta(days=30)}
    weeks = {u: _active_weeks(ats, as_of) for u, ats in seen.items()}
    effective = {u for u, n in weeks.items() if n >= 3}
    dormant = {u for u in seen if u not in recent}
    dormant_before_window = {u for u in dormant if max(seen[u]) < window_start}
    never = set(licensed) - set(seen)
    breadth = _breadth(events, as_of)
    departments = {}
    for dept in scenario.departments:
        members = [u for u, p in licensed.items() if p.department == dept.name]
        departments[dept.name] = _group_figures(members, seen, recent, breadth, events, as_of)
        departments[dept.name]["planted"] = dept.planted
    strong = _strong_team(people, scenario)
    team = [str(p.idx) for p in people if p.supervisor == strong.idx]
    rest = [
        u
        for u, p in licensed.items()
        if p.department == strong.department and p.supervisor != strong.idx and p.role == "end user"
    ]
    api_only = sorted(str(p.idx) for p in people if p.api_jobs)
    return {
        "as_of": scenario.assessment_date.isoformat(),
        "licenses": scenario.licenses,
        "licensed_users": len(licensed),
        "unassigned_seats": scenario.licenses - len(licensed),
        "active_users_30d": len(recent),
        "license_utilisation": round(len(recent) / scenario.licenses, 4),
        "effective_users": len(effective),
        "dormant_users": len(dormant),
        "dormant_before_login_history": len(dormant_before_window),
        "never_activated": len(never),
        "never_activated_with_failed_logins": len(
            {x.user for x in logins if x.user in never and x.status != "Success"}
        ),
        "api_only_roster_users": len([u for u in api_only if u not in recent]),
        "departments": departments,
        "strong_team": {
            "department": strong.department,
            "supervisor": strong.email,
            "team": _group_figures(team, seen, recent, breadth, events, as_of),
            "rest_of_department": _group_figures(rest, seen, recent, breadth, events, as_of),
        },
        "not_on_roster": {
            kind: sorted(a.email for a in accounts if a.kind == kind)
            for kind in ("integration", "contractor", "leaver", "automated")
        },
    }


def _active_weeks(ats: list[datetime], as_of: datetime) -> int:
    return sum(
        any(as_of - timedelta(days=7 * (k + 1)) <= at < as_of - timedelta(days=7 * k) for at in ats)
        for k in range(4)
    )


def _breadth(events: list[Event], as_of: datetime) -> dict[str, int]:
    used: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.action != EXPORT_ACTION and as_of - timedelta(days=30) <= e.at < as_of:
            used[e.user].add(e.feature)
    return {u: len(f) for u, f in used.items()}


def _group_figures(
    members: list[str],
    seen: dict[str, list[datetime]],
    recent: set[str],
    breadth: dict[str, int],
    events: list[Event],
    as_of: datetime,
) -> dict[str, Any]:
    """Usage figures for a group of licensed users over the last four weeks."""
    member_set = set(members)
    start = as_of - timedelta(days=28)
    days_per_week = [
        len({at.date() for at in seen.get(u, []) if start <= at < as_of}) / 4 for u in members
    ]
    lags, exports, active_days = [], 0, 0
    for e in events:
        if e.user not in member_set:
            continue
        if e.action in DATED_ACTIONS and e.activity_date is not None:
            lags.append((e.at.date() - e.activity_date).days)
        if e.action == EXPORT_ACTION:
            exports += 1
    for u in members:
        active_days += len({at.date() for at in seen.get(u, [])})
    return {
        "licensed_users": len(members),
        "active_users_30d": len(member_set & recent),
        "mean_active_days_per_week": round(statistics.fmean(days_per_week), 3) if members else None,
        "median_feature_breadth_30d": statistics.median(breadth.get(u, 0) for u in members)
        if members
        else None,
        "late_entry_share": round(sum(lag > LATE_DAYS for lag in lags) / len(lags), 3)
        if lags
        else None,
        "report_exports_per_100_active_days": round(100 * exports / active_days, 1)
        if active_days
        else None,
    }


def _strong_team(people: list[Person], scenario: Scenario) -> Person:
    managers = [
        p for p in people if p.role == "manager" and p.department == scenario.strong_team_department
    ]
    return max(managers, key=lambda p: p.coaching)
