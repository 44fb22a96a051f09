"""An export's times: the date order and zone settled for the whole file, then parsed.

The inventory and the survey loader both settle an export's times here, so that both
read a file's dates the same way.
"""

from __future__ import annotations

import pandas as pd

from adoption_lib.config.schema import Engagement, SurveyExport
from adoption_lib.errors import DateOrderError, InputFileError
from adoption_lib.inputs.survey_table import RawSurvey
from adoption_lib.inputs.survey_times import parse_local, settle_date_order, zone_info

#: the metadata fields that hold times
_TIME_FIELDS = ("started", "ended", "recorded")


def settle_times(raw: RawSurvey, export: SurveyExport, engagement: Engagement) -> None:
    """Settle one export's date order and the zone of its naive times, for the whole file.

    The zone is the export's ``timezone:``, else the one the file states (Qualtrics),
    else the engagement's ``timezone:``, else UTC (and the file's note says so). The
    date order comes from every timestamp of the file and the survey window; see
    :func:`adoption_lib.inputs.survey_times.settle_date_order`.

    Raises
    ------
    DateOrderError
        When nothing settles whether dates are day- or month-first, naming the file.
    """
    raw.timezone = export.timezone or raw.timezone or engagement.timezone
    window = None
    if engagement.survey_opened and engagement.survey_closed:
        window = (engagement.survey_opened, engagement.survey_closed)
    try:
        raw.date_order = settle_date_order(time_texts(raw), export.date_order, window)
    except DateOrderError as exc:
        raise DateOrderError(f"{engagement.relative(export.path)}: {exc}") from None


def time_texts(raw: RawSurvey) -> list[str]:
    """Every distinct timestamp text of an export's time columns, sorted."""
    columns = [raw.meta[n] for n in _TIME_FIELDS if n in raw.meta]
    return sorted({raw.cell(r, c) for c in columns for r in range(len(raw.rows))} - {""})


def parse_times(raw: RawSurvey, values: pd.Series, name: str) -> pd.Series:
    """Parse one of an export's time columns to UTC; each distinct text is parsed once.

    Naive times take the zone :func:`settle_times` chose.

    Raises
    ------
    InputFileError
        For a zone this machine does not know, or a text that is not a time, naming
        the file, row and column.
    """
    try:
        zone = zone_info(raw.timezone)
    except ValueError:
        raise InputFileError(
            f"{raw.path.name}: the export's times are in {raw.timezone!r}, a zone this "
            "machine does not know; set timezone: (an IANA name) on this export"
        ) from None
    parsed: dict[str, object] = {}
    for text in values.unique():
        try:
            when = parse_local(text, raw.date_order)
        except ValueError as exc:
            row = int((values == text).idxmax())
            raise InputFileError(f"{raw.where(row, raw.meta[name])}: {exc}") from None
        if when is not None and when.tzinfo is None:
            raw.naive_as_utc = raw.naive_as_utc or raw.timezone is None
            when = when.replace(tzinfo=zone)
        parsed[text] = when
    return pd.to_datetime(values.map(parsed), utc=True)
