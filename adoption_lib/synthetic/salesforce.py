"""Write Salesforce exports as Data Loader produces them.

Data Loader writes a header of upper-cased API field names and quotes every value;
datetimes are UTC ISO 8601 with milliseconds (``2026-05-05T08:13:22.000Z``) and ids are
18 characters. The consultant's query selects only the fields the analysis needs::

    SELECT UserId, LoginTime, LoginType, Status, Application, Browser, Platform, ApiType
    FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:180

LoginHistory keeps about six months, so on an assessment nine months after go-live it
starts well after go-live; the User export's ``LastLoginDate`` covers the rest.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from adoption_lib.inputs.salesforce_ids import to_18
from adoption_lib.synthetic.accounts import Account
from adoption_lib.synthetic.behaviour import Login
from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.scenario import Scenario

STREAM_IDS = 4
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LOGIN_FIELDS = (
    "UserId",
    "LoginTime",
    "LoginType",
    "Status",
    "Application",
    "Browser",
    "Platform",
    "ApiType",
)
USER_FIELDS = (
    "Id",
    "Username",
    "Email",
    "FirstName",
    "LastName",
    "IsActive",
    "UserType",
    "Department",
    "LastLoginDate",
    "CreatedDate",
)


def sf_datetime(at: datetime) -> str:
    """Format a UTC datetime as Data Loader does."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def assign_user_ids(keys: list[str], seed: int) -> dict[str, str]:
    """Give every CRM user a unique 18-character User id (prefix ``005``).

    Two users get 15-character ids that differ only in letter case, as happens in
    real orgs: a case-insensitive join on 15-character ids would merge them.

    Parameters
    ----------
    keys
        User keys (person indices as text, or account keys).
    seed
        The generator seed.

    Returns
    -------
    dict
        Key to 18-character id.
    """
    rng = np.random.default_rng([seed, STREAM_IDS])
    ids: dict[str, str] = {}
    seen: set[str] = set()
    for key in keys:
        while True:
            tail = "".join(_BASE62[int(i)] for i in rng.integers(0, 62, 5))
            id15 = f"0058d00000{tail}"
            if id15 not in seen and any(ch.isalpha() for ch in tail):
                break
        seen.add(id15)
        ids[key] = id15
    first, second = keys[1], keys[2]
    ids[second] = ids[first][:10] + ids[first][10:].swapcase()
    return {key: to_18(id15) for key, id15 in ids.items()}


def write_login_history(
    path: Path,
    logins: Iterable[Login],
    ids: dict[str, str],
    start: datetime,
    end: datetime,
    seed: int,
) -> int:
    """Write the LoginHistory export for ``[start, end)``; rows come slightly out of order.

    Returns
    -------
    int
        The number of data rows written.
    """
    rows = sorted((x for x in logins if start <= x.at < end), key=lambda x: (x.at, x.user))
    rng = np.random.default_rng([seed, STREAM_IDS, 1])
    # Without ORDER BY, a query returns rows in storage order, which is only roughly by time.
    order = np.arange(len(rows))
    for block in range(0, len(rows), 400):
        rng.shuffle(order[block : block + 400])
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow([f.upper() for f in LOGIN_FIELDS])
        for i in order:
            x = rows[i]
            out.writerow(
                [
                    ids[x.user],
                    sf_datetime(x.at),
                    x.login_type,
                    x.status,
                    x.application,
                    x.browser,
                    x.platform,
                    x.api_type,
                ]
            )
    return len(rows)


def write_users(
    path: Path,
    people: list[Person],
    accounts: list[Account],
    ids: dict[str, str],
    last_login: dict[str, datetime],
    scenario: Scenario,
) -> int:
    """Write the User export: every CRM user, with ``LastLoginDate`` over all time.

    Returns
    -------
    int
        The number of data rows written.
    """
    created = datetime.combine(scenario.go_live - timedelta(days=12), time(9, 30), tzinfo=UTC)

    def when(day: date) -> datetime:
        return max(created, datetime.combine(day, time(9, 0), tzinfo=UTC))

    rows = []
    for p in people:
        if not p.licensed:
            continue
        dept = p.department if p.idx % 3 else ""  # the CRM's own department field is often blank
        rows.append(
            (
                str(p.idx),
                p.crm_email,
                p.crm_email,
                p.first,
                p.last,
                "true",
                "Standard",
                dept,
                when(p.hire_date),
            )
        )
    for a in accounts:
        active = "true" if a.is_active else "false"
        rows.append((a.key, a.email, a.email, a.first, a.last, active, a.user_type, "", created))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow([f.upper() for f in USER_FIELDS])
        for key, username, email, first, last, active, kind, dept, made in rows:
            last_seen = sf_datetime(last_login[key]) if key in last_login else ""
            out.writerow(
                [
                    ids[key],
                    username,
                    email,
                    first,
                    last,
                    active,
                    kind,
                    dept,
                    last_seen,
                    sf_datetime(made),
                ]
            )
    return len(rows)
