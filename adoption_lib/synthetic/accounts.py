"""Accounts in the CRM that are not on the roster: integrations, contractors, leavers.

Real orgs always have them, and a usage analysis that mixes them in overstates
adoption. They appear in the User export and in the logs, never on the roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from adoption_lib.synthetic.behaviour import Event, Login, _utc
from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.scenario import Scenario

STREAM_ACCOUNTS = 3


@dataclass(frozen=True)
class Account:
    """A CRM user that is not on the roster."""

    key: str
    first: str
    last: str
    email: str
    kind: str  # integration, contractor, leaver or automated
    user_type: str
    is_active: bool
    until: date | None = None  # leavers: last working day


def other_accounts(scenario: Scenario, seed: int) -> list[Account]:
    """List the scenario's non-roster accounts (deterministic in ``seed``).

    Parameters
    ----------
    scenario
        The scenario (its domain and dates).
    seed
        The generator seed.

    Returns
    -------
    list of Account
        Three integration users, two contractors, four leavers and two automated users.
    """
    rng = np.random.default_rng([seed, STREAM_ACCOUNTS])
    d = scenario.domain
    accounts = [
        Account(
            "svc-erp", "ERP", "Integration", f"integration.erp@{d}", "integration", "Standard", True
        ),
        Account(
            "svc-mkt", "Marketing", "Sync", f"marketing.sync@{d}", "integration", "Standard", True
        ),
        Account("svc-dl", "Data", "Loader", f"dataloader.svc@{d}", "integration", "Standard", True),
        Account(
            "ctr-1",
            "Priya",
            "Venkat",
            "p.venkat@acme-consulting.com",
            "contractor",
            "Standard",
            True,
        ),
        Account(
            "ctr-2",
            "Marc",
            "Dubois",
            "m.dubois@acme-consulting.com",
            "contractor",
            "Standard",
            True,
        ),
        Account(
            "auto-1",
            "Automated",
            "Process",
            f"autoproc@00d8d000001nwtr.{d}",
            "automated",
            "AutomatedProcess",
            True,
        ),
        Account(
            "auto-2",
            "Integration",
            "User",
            f"integration@00d8d000001nwtr.{d}",
            "automated",
            "Standard",
            True,
        ),
    ]
    leavers = (("Gareth", "Pryce"), ("Nadia", "Haddad"), ("Owen", "McCarthy"), ("Lena", "Fischer"))
    for i, (first, last) in enumerate(leavers):
        until = scenario.go_live + timedelta(days=int(rng.integers(100, 220)))
        email = f"{first.lower()}.{last.lower()}@{d}"
        accounts.append(
            Account(f"lvr-{i + 1}", first, last, email, "leaver", "Standard", False, until)
        )
    return accounts


def simulate_accounts(
    accounts: list[Account], people: list[Person], scenario: Scenario, seed: int, stream: int = 0
) -> tuple[list[Login], list[Event]]:
    """Simulate the logins and events of non-roster accounts and of roster API jobs.

    Parameters
    ----------
    accounts
        From :func:`other_accounts`.
    people
        The roster population; people with ``api_jobs`` run a weekly Data Loader job.
    scenario
        The scenario.
    seed
        The generator seed.
    stream
        0 for the baseline; a re-measure wave's number for its own window.

    Returns
    -------
    logins, events
        API logins (never qualifying use) and the interactive use of contractors and
        leavers.
    """
    rng = np.random.default_rng(
        [seed, STREAM_ACCOUNTS, 1, stream] if stream else [seed, STREAM_ACCOUNTS, 1]
    )
    days = [
        scenario.go_live + timedelta(days=i)
        for i in range((scenario.assessment_date - scenario.go_live).days)
    ]
    logins: list[Login] = []
    events: list[Event] = []
    utc = "UTC"
    for account in accounts:
        if account.key == "svc-erp":
            for day in days:
                for hour in (1, 7, 13, 19):
                    at = _utc(day, hour * 60 + int(rng.integers(0, 4)), utc)
                    logins.append(
                        Login(
                            account.key,
                            at,
                            "Other Apex API",
                            "Success",
                            "N/A",
                            "Unknown",
                            "Unknown",
                            "SOAP Partner",
                        )
                    )
                for _ in range(int(rng.integers(4, 10))):
                    at = _utc(day, int(rng.integers(60, 1400)), utc)
                    events.append(
                        Event(
                            account.key,
                            at,
                            utc,
                            "Account Updated",
                            "Account",
                            int(rng.integers(5000, 9000)),
                            None,
                        )
                    )
        elif account.key == "svc-mkt":
            for day in days:
                for hour in (6, 18):
                    at = _utc(day, hour * 60 + int(rng.integers(0, 15)), utc)
                    logins.append(
                        Login(
                            account.key,
                            at,
                            "Remote Access 2.0",
                            "Success",
                            "Marketo Sync",
                            "Unknown",
                            "Unknown",
                            "REST",
                        )
                    )
        elif account.key == "svc-dl":
            for day in days:
                if day.weekday() < 5:
                    at = _utc(day, 2 * 60 + int(rng.integers(0, 10)), utc)
                    logins.append(
                        Login(
                            account.key,
                            at,
                            "Other Apex API",
                            "Success",
                            "DataLoaderBulkUI",
                            "Unknown",
                            "Unknown",
                            "SOAP Partner",
                        )
                    )
        elif account.kind in ("contractor", "leaver"):
            last = account.until or scenario.assessment_date
            share = 0.45 if account.kind == "contractor" else 0.6
            for day in days:
                if day.weekday() >= 5 or day > last or rng.random() > share:
                    continue
                start = int(rng.integers(8 * 60, 10 * 60))
                logins.append(
                    Login(
                        account.key,
                        _utc(day, start, "Europe/London"),
                        "Application",
                        "Success",
                        "Browser",
                        "Chrome 141",
                        "Windows 10",
                        "",
                    )
                )
                for minute in sorted(start + rng.integers(5, 400, int(rng.integers(1, 5)))):
                    action, feature = (
                        ("Dashboard Viewed", "Dashboard")
                        if rng.random() < 0.6
                        else ("Account Updated", "Account")
                    )
                    events.append(
                        Event(
                            account.key,
                            _utc(day, int(minute), "Europe/London"),
                            "Europe/London",
                            action,
                            feature,
                            int(rng.integers(5000, 9000)),
                            None,
                        )
                    )
    for person in people:
        if not person.api_jobs:
            continue
        for day in days:
            if day.weekday() == 0:
                at = _utc(day, 7 * 60 + int(rng.integers(30, 90)), "Europe/London")
                logins.append(
                    Login(
                        str(person.idx),
                        at,
                        "Remote Access 2.0",
                        "Success",
                        "Dataloader Partner",
                        "Unknown",
                        "Windows 10",
                        "SOAP Partner",
                    )
                )
    return logins, events
