"""Parse the timestamps survey platforms write, into UTC.

Platforms write local times in their own formats: Qualtrics ``2026-10-12 09:41:05`` in
the zone its ImportId row names; SurveyMonkey ``10/12/2026 9:41:05 AM``; Google Forms
``2026/10/12 9:41:05 AM GMT+1`` or with an abbreviation such as ``BST`` or ``EST``;
Microsoft Forms Excel date-times. Whether ``03/10/2026`` is day- or month-first is
decided once per file (:func:`settle_date_order`), never value by value. Python's ``strptime`` cannot read zone
abbreviations (``%Z`` accepts only UTC/GMT and the local zone), so the abbreviation is
split off and looked up in the small table below.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adoption_lib.errors import DateOrderError

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
#: A date written with the day and month first, in either order: ``03/10/2026 ...``.
DAY_MONTH = re.compile(r"^\s*(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)\d{4}\b")
_YEAR_FIRST = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
_TIMES = (" %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M", "")
ORDERS = ("dmy", "mdy")


def _formats(order: str) -> list[str]:
    date = {"dmy": "%d{s}%m{s}%Y", "mdy": "%m{s}%d{s}%Y"}[order]
    return [date.format(s=sep) + t for sep in "/.-" for t in _TIMES]


def parse_timestamp(
    text: str, zone: str | None = None, order: str | None = None
) -> datetime | None:
    """Parse one platform timestamp into an aware UTC datetime.

    Parameters
    ----------
    text
        The cell, possibly ending in a zone abbreviation or ``GMT+1``.
    zone
        The zone of naive times (an IANA name, or ``Z``/``UTC``); UTC when ``None``.
    order
        ``dmy`` or ``mdy`` for dates written ``03/10/2026``; see :func:`settle_date_order`.
        When ``None``, month-first is tried before day-first (US platforms' default).

    Returns
    -------
    datetime or None
        The instant in UTC; ``None`` for an empty cell.

    Raises
    ------
    ValueError
        When the text matches no known format or zone.
    """
    parsed = parse_local(text, order)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone_info(zone))
    return parsed.astimezone(UTC)


def parse_local(text: str, order: str | None = None) -> datetime | None:
    """Parse a timestamp as written: aware when the text names a zone, else naive.

    Parameters
    ----------
    text
        The cell.
    order
        ``dmy``, ``mdy`` or ``None`` (month-first, then day-first).

    Returns
    -------
    datetime or None
        ``None`` for an empty cell.

    Raises
    ------
    ValueError
        When the text matches no known format or zone.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    tz = None
    body, _, last = text.rpartition(" ")
    suffix_tz = _suffix(last) if body else None
    if suffix_tz is not None:
        text, tz = body, suffix_tz
    orders = [order] if order else ["mdy", "dmy"]
    for fmt in [*_YEAR_FIRST, *(f for o in orders for f in _formats(o))]:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=tz) if tz is not None else parsed
    hint = f" as {order}" if order and DAY_MONTH.match(text) else ""
    raise ValueError(f"not a timestamp{hint}: {text!r}")


def settle_date_order(
    texts: list[str],
    declared: str | None = None,
    window: tuple[date, date] | None = None,
) -> str | None:
    """Decide whether one file's ``NN/NN/YYYY`` dates are day- or month-first, from all of them.

    The order is a property of the file (the account's locale), never of one value:

    1. a declared ``date_order`` wins;
    2. a first field above 12 means day-first, a second field above 12 month-first;
    3. failing that, the order under which every date falls in ``window`` (with a day
       of slack each side for zones), when only one order does;
    4. when every date reads the same either way, the order does not matter.

    Parameters
    ----------
    texts
        The distinct timestamp texts of the file (every time column).
    declared
        ``dmy`` or ``mdy`` from ``engagement.yml``, or ``None``.
    window
        The dates the values must fall in (the survey window, or the usage coverage).

    Returns
    -------
    str or None
        ``dmy`` or ``mdy``; ``None`` when no text is written day/month.

    Raises
    ------
    DateOrderError
        When the fields contradict each other, or nothing settles the order; the
        message gives an example value and asks for ``date_order: dmy|mdy``.
    """
    if declared:
        return declared
    pairs = [(m, t) for t in texts if (m := DAY_MONTH.match(t))]
    if not pairs:
        return None
    day_first = next((t for m, t in pairs if int(m["a"]) > 12), None)
    month_first = next((t for m, t in pairs if int(m["b"]) > 12), None)
    if day_first and month_first:
        raise DateOrderError(
            f"dates are written both day-first ({day_first!r}) and month-first "
            f"({month_first!r}) in one file"
        )
    if day_first or month_first:
        return "dmy" if day_first else "mdy"
    if all(m["a"] == m["b"] for m, _ in pairs):
        return "mdy"
    if window is not None:
        fits = [o for o in ORDERS if _all_within(pairs, o, window)]
        if len(fits) == 1:
            return fits[0]
    example = next(t for m, t in pairs if m["a"] != m["b"])
    why = (
        "neither the values nor the dates they must fall between settle it"
        if window
        else "the values do not settle it (and no survey window is set)"
    )
    raise DateOrderError(
        f"dates such as {example!r} could be day/month or month/day, and {why}; "
        "add date_order: dmy or date_order: mdy to this export in engagement.yml"
    )


def _all_within(pairs: list, order: str, window: tuple[date, date]) -> bool:
    low, high = window[0] - timedelta(days=1), window[1] + timedelta(days=1)
    for match, text in pairs:
        a, b = int(match["a"]), int(match["b"])
        day, month = (a, b) if order == "dmy" else (b, a)
        year = int(text[match.end() - 4 : match.end()])
        try:
            when = date(year, month, day)
        except ValueError:
            return False
        if not low <= when <= high:
            return False
    return True


def _suffix(token: str) -> timezone | None:
    if token.upper() in ABBREVIATIONS:
        return timezone(timedelta(hours=ABBREVIATIONS[token.upper()]))
    match = _OFFSET.match(token.upper())
    if match:
        minutes = int(match["h"]) * 60 + int(match["m"] or 0)
        return timezone(timedelta(minutes=minutes if match["sign"] == "+" else -minutes))
    return None


def zone_info(zone: str | None) -> timezone | ZoneInfo:
    """The tzinfo of an IANA zone name (or ``Z``/``UTC``/``GMT``); UTC for ``None``.

    Raises
    ------
    ValueError
        For a name the zone database does not know.
    """
    if zone is None or zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
