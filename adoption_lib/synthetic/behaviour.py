"""Simulate daily use of the CRM from each person's latent traits.

For every licensed person and calendar day the probability of using the system is a
logistic function of their traits (commitment drives steady use, compliance drives use
just before deadlines, WIIFM use fades once the payoff is reached, barriers suppress
use, a coaching supervisor builds habit) plus personal noise, a learning ramp after
activation, weekends, public holidays and leave. On a day of use the person logs in and
creates events on the features they use; how late they enter records and how often they
export reports to keep data elsewhere also follow from their traits.

The output is plain Python records in UTC; the writers turn them into vendor formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.scenario import Scenario

STREAM_BEHAVIOUR = 2

#: Features each department works with, most central first (managers add the last two).
FEATURE_AFFINITY = {
    "Inside Sales": ("Opportunity", "Activity", "Contact", "Account", "Quote", "Forecast"),
    "Field Sales": ("Opportunity", "Activity", "Account", "Contact", "Quote", "Forecast"),
    "Customer Success": ("Account", "Activity", "Case", "Contact", "Opportunity", "Dashboard"),
    "Service": ("Case", "Account", "Contact", "Activity", "Dashboard", "Quote"),
    "Marketing": ("Contact", "Account", "Dashboard", "Activity", "Opportunity", "Case"),
    "Operations": ("Account", "Quote", "Case", "Dashboard", "Opportunity", "Contact"),
}
MANAGER_FEATURES = ("Forecast", "Dashboard")
ACTIONS = {
    "Opportunity": ("Opportunity Created", "Opportunity Updated", "Opportunity Viewed"),
    "Account": ("Account Viewed", "Account Updated"),
    "Contact": ("Contact Created", "Contact Updated"),
    "Activity": ("Activity Logged",),
    "Forecast": ("Forecast Submitted", "Forecast Viewed"),
    "Quote": ("Quote Created", "Quote Updated"),
    "Case": ("Case Created", "Case Updated", "Case Closed"),
    "Dashboard": ("Dashboard Viewed",),
}
#: Actions that describe something that happened off-system, with its own date.
DATED_ACTIONS = {"Activity Logged", "Opportunity Updated", "Case Closed"}
EXPORT_ACTION, EXPORT_FEATURE = "Report Exported", "Report"


@dataclass(frozen=True)
class Login:
    """One LoginHistory row before formatting."""

    user: str  # a Person index as text, or a service-account key
    at: datetime  # UTC
    login_type: str
    status: str
    application: str
    browser: str
    platform: str
    api_type: str


@dataclass(frozen=True)
class Event:
    """One event-log row before formatting."""

    user: str
    at: datetime  # UTC
    tz: str
    action: str
    feature: str
    record_seq: int
    activity_date: date | None


def _sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-x))


@lru_cache(maxsize=65536)
def _utc(day: date, minutes: int, tz: str, seconds: int = 0) -> datetime:
    """Convert a local day and minute of the day to UTC (cached: few distinct values)."""
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))
    return (local + timedelta(minutes=minutes, seconds=seconds)).astimezone(UTC)


def simulate(
    people: list[Person], scenario: Scenario, seed: int, stream: int = 0
) -> tuple[list[Login], list[Event], dict[int, list[date]]]:
    """Simulate every licensed person's logins and events from go-live to the assessment.

    A re-measure wave simulates its own window (``go_live`` is then the previous wave's
    date) with ``stream`` set to the wave's number: its draws are independent of the
    baseline's, and locked-out users' failed attempts, already in the baseline, are
    not drawn again.

    Parameters
    ----------
    people
        The population, with lifecycle plans.
    scenario
        Dates, locations and features.
    seed
        The generator seed.

    Returns
    -------
    logins, events, active_days
        Interactive logins (successful and failed), events, and each person's local
        days of use (the ground truth PLANTED.md is computed from).
    """
    rng = np.random.default_rng(
        [seed, STREAM_BEHAVIOUR, stream] if stream else [seed, STREAM_BEHAVIOUR]
    )
    days = [
        scenario.go_live + timedelta(days=i)
        for i in range((scenario.assessment_date - scenario.go_live).days)
    ]
    zones = {loc.name: loc for loc in scenario.locations}
    logins: list[Login] = []
    events: list[Event] = []
    active_days: dict[int, list[date]] = {}
    counters = dict.fromkeys(ACTIONS, 5000)
    counters[EXPORT_FEATURE] = 0
    for person in (p for p in people if p.licensed):
        loc = zones[person.location]
        active = _active_calendar(person, days, loc.holidays, scenario, rng)
        active_days[person.idx] = [d for d, on in zip(days, active, strict=True) if on]
        features = _feature_set(person, rng)
        batch_share = float(_sigmoid(-1.0 + 1.2 * person.compliance - 1.0 * person.commitment))
        export_p = float(
            _sigmoid(
                -3.2
                + 1.0 * person.compliance
                + 0.8 * person.process_barrier
                - 0.5 * person.commitment
            )
        )
        rate = 1.0 + 1.6 * float(_sigmoid(person.commitment)) + 0.6 * float(_sigmoid(person.habit))
        for day in active_days[person.idx]:
            start = int(np.clip(rng.normal(8.75 * 60, 55), 6 * 60, 12 * 60))
            logins += _interactive_login(str(person.idx), _utc(day, start, loc.tz, _sec(rng)), rng)
            if rng.random() < 0.22:
                later = start + int(rng.integers(180, 420))
                logins += _interactive_login(
                    str(person.idx), _utc(day, later, loc.tz, _sec(rng)), rng
                )
            n_events = 1 + int(rng.poisson(rate))
            minutes = np.sort(start + 2 + rng.integers(0, 480, n_events))
            for i, minute in enumerate(minutes):
                feature = features[0] if i == 0 else features[int(rng.integers(len(features)))]
                action = str(rng.choice(ACTIONS[feature]))
                counters[feature] += 1
                dated = None
                if action in DATED_ACTIONS:
                    dated = day - timedelta(days=_entry_lag(day, batch_share, rng))
                events.append(
                    Event(
                        str(person.idx),
                        _utc(day, int(minute), loc.tz, _sec(rng)),
                        loc.tz,
                        action,
                        feature,
                        counters[feature],
                        dated,
                    )
                )
            if rng.random() < export_p:
                counters[EXPORT_FEATURE] += 1
                at = _utc(day, int(minutes[-1]) + 3, loc.tz)
                events.append(
                    Event(
                        str(person.idx),
                        at,
                        loc.tz,
                        EXPORT_ACTION,
                        EXPORT_FEATURE,
                        counters[EXPORT_FEATURE],
                        None,
                    )
                )
        if person.never_activated and person.access_barrier > 2.0 and not stream:
            logins.extend(_failed_attempts(person, days, loc.tz, rng))
    return logins, events, active_days


def _active_calendar(
    person: Person,
    days: list[date],
    holidays: tuple[date, ...],
    scenario: Scenario,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw which days the person uses the system (a boolean array over ``days``)."""
    n = len(days)
    if person.activation is None:
        return np.zeros(n, dtype=bool)
    offsets = np.array([(d - person.activation).days for d in days])
    weekday = np.array([d.weekday() for d in days])
    month_end = np.array([(d + timedelta(days=3)).month != d.month for d in days])
    deadline = (weekday == 4) | month_end
    c, k, w = person.commitment, person.compliance, person.wiifm
    months = np.maximum(offsets, 0) / 30.0
    fade = 0.3 * max(0.0, w - max(c, k)) * np.maximum(months - 3, 0) / 3
    logit = (
        -0.35
        + 0.9 * c
        + 0.45 * k
        + 0.25 * w
        - 0.75 * person.process_barrier
        + person.habit
        + person.noise
        - 1.0 * np.exp(-np.maximum(offsets, 0) / 21)
        + np.where(deadline, 0.9, -0.3) * max(k, 0.0)
        - fade
    )
    p = np.asarray(_sigmoid(logit))
    p = np.where(weekday >= 5, p * 0.04, p)
    p = np.where(
        np.isin(np.array(days, dtype="datetime64[D]"), np.array(holidays, dtype="datetime64[D]")),
        p * 0.05,
        p,
    )
    for begin, end in person.leave:
        p = np.where([(begin <= d < end) for d in days], 0.0, p)
    p = np.where(offsets < 0, 0.0, p)
    if person.dropout is not None:
        p = np.where([d >= person.dropout for d in days], 0.0, p)
    draws = rng.random(n)
    return draws < p


def _sec(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 60))


def _feature_set(person: Person, rng: np.random.Generator) -> list[str]:
    """The features someone uses: breadth grows with commitment and habit, shrinks with barriers."""
    affinity = list(FEATURE_AFFINITY[person.department])
    if person.role != "end user":
        affinity += [f for f in MANAGER_FEATURES if f not in affinity]
    breadth = 2.4 + 1.3 * person.commitment + 0.6 * person.habit - 0.8 * person.process_barrier
    breadth -= 0.5 * max(person.compliance - person.commitment, 0.0)
    size = int(np.clip(round(breadth + rng.normal(0, 0.7)), 1, len(affinity)))
    weights = np.linspace(2.0, 0.6, len(affinity))
    chosen = rng.choice(len(affinity), size=size, replace=False, p=weights / weights.sum())
    return [affinity[i] for i in sorted(chosen)]


def _entry_lag(day: date, batch_share: float, rng: np.random.Generator) -> int:
    """Days between an activity and its entry: batchers enter the week's work at once."""
    if rng.random() < batch_share:
        return int(day.weekday()) + int(rng.poisson(1.5))
    return 0 if rng.random() < 0.85 else 1


def _interactive_login(user: str, at: datetime, rng: np.random.Generator) -> list[Login]:
    """One successful interactive login, now and then after a failed password attempt."""
    roll = rng.random()
    if roll < 0.72:
        browser = str(rng.choice(["Chrome 141", "Chrome 142", "Edge 141", "Safari 18"]))
        return [
            Login(
                user, at, "SAML Idp Initiated SSO", "Success", "Browser", browser, "Windows 10", ""
            )
        ]
    if roll < 0.85:
        browser = str(rng.choice(["Chrome 141", "Firefox 144"]))
        ok = Login(user, at, "Application", "Success", "Browser", browser, "Mac OSX", "")
        if rng.random() < 0.08:
            failed = Login(
                user,
                at - timedelta(seconds=int(rng.integers(20, 90))),
                "Application",
                "Invalid Password",
                "Browser",
                browser,
                "Mac OSX",
                "",
            )
            return [failed, ok]
        return [ok]
    app, platform = (
        ("Salesforce for iOS", "iOS")
        if rng.random() < 0.6
        else ("Salesforce for Android", "Android")
    )
    return [Login(user, at, "Remote Access 2.0", "Success", app, "Unknown", platform, "")]


def _failed_attempts(
    person: Person, days: list[date], tz: str, rng: np.random.Generator
) -> list[Login]:
    """A never-activated user who tried a few times and was locked out (an access barrier)."""
    tries = []
    first = int(rng.integers(len(days) - 170, len(days) - 10))
    for offset in range(int(rng.integers(2, 5))):
        day = days[min(first + offset, len(days) - 1)]
        status = "Password Lockout" if offset >= 2 else "Invalid Password"
        at = _utc(day, int(rng.integers(8 * 60, 17 * 60)), tz)
        tries.append(
            Login(
                str(person.idx),
                at,
                "Application",
                status,
                "Browser",
                "Chrome 141",
                "Windows 10",
                "",
            )
        )
    return tries
