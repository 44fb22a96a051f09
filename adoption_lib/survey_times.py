"""Parse the timestamps survey platforms write, into UTC.

Platforms write local times in their own formats: Qualtrics ``2026-10-12 09:41:05`` in
the zone its ImportId row names; SurveyMonkey ``10/12/2026 9:41:05 AM``; Google Forms
``2026/10/12 9:41:05 AM GMT+1`` or with an abbreviation such as ``BST`` or ``EST``;
Microsoft Forms Excel date-times. Python's ``strptime`` cannot read zone
abbreviations (``%Z`` accepts only UTC/GMT and the local zone), so the abbreviation is
split off and looked up in the small table below.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Zone abbreviations Google Forms writes, as UTC offsets in hours.
ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 1,
    "IST": 1,
    "WET": 0,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AEST": 10,
    "AEDT": 11,
}
_OFFSET = re.compile(r"^(?:GMT|UTC)(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$")
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)


def parse_timestamp(text: str, zone: str | None = None) -> datetime | None:
    """Parse one platform timestamp into an aware UTC datetime.

    Parameters
    ----------
    text
        The cell, possibly ending in a zone abbreviation or ``GMT+1``.
    zone
        The zone of naive times (an IANA name, or ``Z``/``UTC``); UTC when ``None``.

    Returns
    -------
    datetime or None
        The instant in UTC; ``None`` for an empty cell.

    Raises
    ------
    ValueError
        When the text matches no known format or zone.
    """
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    tz = _zone(zone)
    if parsed is None:
        body, _, last = text.rpartition(" ")
        suffix_tz = _suffix(last) if body else None
        if suffix_tz is not None:
            text, tz = body, suffix_tz
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"not a timestamp: {text!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _suffix(token: str) -> timezone | None:
    if token.upper() in ABBREVIATIONS:
        return timezone(timedelta(hours=ABBREVIATIONS[token.upper()]))
    match = _OFFSET.match(token.upper())
    if match:
        minutes = int(match["h"]) * 60 + int(match["m"] or 0)
        return timezone(timedelta(minutes=minutes if match["sign"] == "+" else -minutes))
    return None


def _zone(zone: str | None) -> timezone | ZoneInfo:
    if zone is None or zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
