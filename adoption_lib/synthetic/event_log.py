"""Write the generic event log and the HR roster, with the messiness real files have.

The event log is what a data warehouse or product-analytics export looks like: one row
per action, the actor's CRM email, local timestamps with mixed offsets (UTC ``Z`` for
server-side integrations), an optional ``activity_date`` for records describing
something that happened off-system, at-least-once delivery (a few exact duplicates),
and rows ordered by arrival, not by time (the mobile app syncs late). It is gzipped,
as warehouse extracts usually are; DuckDB reads it directly.

The roster comes from HR via Excel: UTF-8 with a BOM, CRLF line ends, emails in mixed
case with stray spaces.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from adoption_lib.synthetic.behaviour import Event
from adoption_lib.synthetic.population import Person

STREAM_EVENTS = 5
EVENT_COLUMNS = (
    "event_id",
    "logged_at",
    "actor_email",
    "action",
    "object_type",
    "record_id",
    "activity_date",
)
ROSTER_COLUMNS = (
    "email",
    "name",
    "department",
    "role",
    "supervisor",
    "location",
    "hire_date",
    "licensed",
)
RECORD_PREFIX = {
    "Opportunity": "006",
    "Account": "001",
    "Contact": "003",
    "Activity": "00T",
    "Forecast": "0Fh",
    "Quote": "0Q0",
    "Case": "500",
    "Dashboard": "01Z",
    "Report": "00O",
}


def write_event_log(
    path: Path, events: list[Event], emails: dict[str, str], seed: int
) -> tuple[int, int]:
    """Write the gzipped event log.

    Parameters
    ----------
    path
        Target ``.csv.gz`` file.
    events
        Simulated events (UTC).
    emails
        User key to the email the CRM logs for that user.
    seed
        The generator seed.

    Returns
    -------
    rows, duplicates
        Data rows written, of which exact re-deliveries.
    """
    rng = np.random.default_rng([seed, STREAM_EVENTS])
    ordered = sorted(events, key=lambda e: (e.at, e.user, e.action))
    arrivals = []
    for i, event in enumerate(ordered):
        delay = timedelta(days=int(rng.integers(1, 4))) if rng.random() < 0.03 else timedelta(0)
        event_id = hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:16]
        arrivals.append((event.at + delay, i, event_id, event))
        if rng.random() < 0.004:
            arrivals.append((event.at + delay + timedelta(minutes=5), i, event_id, event))
    arrivals.sort(key=lambda row: (row[0], row[1]))
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(EVENT_COLUMNS)
    for _, _, event_id, e in arrivals:
        if e.tz == "UTC":
            logged = e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            logged = e.at.astimezone(ZoneInfo(e.tz)).isoformat(timespec="seconds")
        record = f"{RECORD_PREFIX[e.feature]}8d0000{_base62(e.record_seq).rjust(6, '0')}"
        dated = e.activity_date.isoformat() if e.activity_date else ""
        out.writerow([event_id, logged, emails[e.user], e.action, e.feature, record, dated])
    # mtime=0 and no file name in the header keep the gzip bytes identical across runs.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return len(arrivals), len(arrivals) - len(ordered)


def write_roster(path: Path, people: list[Person], seed: int) -> int:
    """Write the HR roster as Excel saves "CSV UTF-8": BOM, CRLF, untidy emails.

    Returns
    -------
    int
        The number of data rows written.
    """
    rng = np.random.default_rng([seed, STREAM_EVENTS, 1])
    by_idx = {p.idx: p for p in people}

    def untidy(email: str) -> str:
        local, _, domain = email.partition("@")
        roll = rng.random()
        if roll < 0.35:
            local = ".".join(part.capitalize() for part in local.split("."))
        if roll > 0.97:
            return f"{local}@{domain} "
        return f"{local}@{domain}"

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(ROSTER_COLUMNS)
        for p in people:
            boss = untidy(by_idx[p.supervisor].email) if p.supervisor is not None else ""
            licensed = "TRUE" if p.licensed else "FALSE"
            row = [untidy(p.email), f"{p.first} {p.last}", p.department, p.role, boss, p.location]
            out.writerow([*row, p.hire_date.isoformat(), licensed])
    return len(people)


def _base62(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rem = divmod(number, 62)
        out = digits[rem] + out
        if number == 0:
            return out
