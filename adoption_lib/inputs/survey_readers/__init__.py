"""Read a survey export from any supported platform into a :class:`RawSurvey`.

The format is detected from the header rows, never from the file name:

* ``qualtrics``: three header rows, the third holding ``{"ImportId": ...}`` objects
  (or, from 2016-17 Insights, ``{'ImportId': ...}``); or the legacy two rows, ``V1``..
  over ``ResponseID``...;
* ``surveymonkey``: two header rows starting ``Respondent ID, Collector ID`` (CSV or
  XLSX), the legacy ``RespondentID, CollectorID``, or no metadata columns at all with
  ``Response`` markers in row 2;
* ``google_forms``: one header row starting ``Timestamp``; grid rows as ``Question [Row]``;
* ``microsoft_forms``: an XLSX whose header starts ``ID, Start time, Completion time``;
* ``generic``: any other wide CSV or XLSX with one header row.

Detection never guesses silently: a file that fits none of these but whose second or
third row looks like a header row (``Response`` markers, ImportId objects, metadata
names such as ``ResponseID``) is refused with :class:`UnrecognisedLayoutError`, never
read as respondents. An explicit ``format:`` is always honoured; the reader then names
any column that does not fit its layout.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.config.schema import Limits
from adoption_lib.errors import InputFileError, UnrecognisedLayoutError
from adoption_lib.inputs.survey_readers import (
    generic,
    google_forms,
    microsoft_forms,
    qualtrics,
    surveymonkey,
)
from adoption_lib.inputs.survey_readers.rows import read_rows
from adoption_lib.inputs.survey_table import RawSurvey, squash

READERS = {
    "qualtrics": qualtrics,
    "surveymonkey": surveymonkey,
    "google_forms": google_forms,
    "microsoft_forms": microsoft_forms,
    "generic": generic,
}


def detect_format(header: list[list[str]], is_xlsx: bool) -> str:
    """Name the platform that wrote an export, from its first rows.

    Parameters
    ----------
    header
        The first three rows of the file, as strings.
    is_xlsx
        Whether the file is a workbook.

    Returns
    -------
    str
        One of the keys of :data:`READERS`.
    """
    for name in ("qualtrics", "surveymonkey", "microsoft_forms", "google_forms"):
        if READERS[name].detect(header, is_xlsx):
            return name
    return "generic"


def read_survey_export(
    path: Path, format: str | None = None, limits: Limits | None = None
) -> RawSurvey:
    """Read one survey export.

    Parameters
    ----------
    path
        A CSV or XLSX export.
    format
        The platform, or ``None`` to detect it from the header rows.
    limits
        The engagement's ``limits:`` for workbooks (the defaults when ``None``).

    Returns
    -------
    RawSurvey
        Columns with their header metadata, data rows and their line numbers.

    Raises
    ------
    InputFileError
        When the file cannot be read, is truncated, or does not have the layout of
        the given format; the message names the file and row.
    """
    rows, lines, encoding = read_rows(path, limits)
    if not rows:
        raise InputFileError(f"{path}: the file is empty")
    if format is not None and format not in READERS:
        raise InputFileError(
            f"{path}: unknown survey format '{format}' (known: {', '.join(READERS)})"
        )
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    detected = detect_format(rows[:3], is_xlsx)
    if format is None and detected == "generic":
        sign = header_sign(rows[:3])
        if sign:
            raise UnrecognisedLayoutError(
                f"{path.name}:row {lines[sign[0]]}: looks like a header row ({sign[1]}), "
                "but the header rows fit no layout this tool knows; set format: "
                f"({', '.join(READERS)}) on this export in engagement.yml"
            )
    try:
        survey = READERS[format or detected].parse(path, rows, lines)
    except InputFileError as exc:
        if format is None or format == detected:
            raise
        raise type(exc)(
            f"{exc} (format: {format} was given; the header rows look like {detected})"
        ) from None
    survey.encoding = encoding
    return survey


#: Metadata names that, found in a file's second or third row, mark it as a header row.
_HEADER_NAMES = {
    "responseid",
    "respondentid",
    "collectorid",
    "startdate",
    "enddate",
    "recordeddate",
    "ipaddress",
    "emailaddress",
    "responseset",
}


def header_sign(header: list[list[str]]) -> tuple[int, str] | None:
    """The first sign that row 2 or 3 of a file is a header row rather than a respondent.

    Parameters
    ----------
    header
        The first three rows.

    Returns
    -------
    (row index, what was seen) or None
        ``None`` when rows 2 and 3 look like data.
    """
    if len(header) > 1:
        names, second = header[0], header[1]
        labelled = [
            c.strip()
            for i, c in enumerate(second)
            if i < len(names) and not names[i].strip() and c.strip() and not _number(c)
        ]
        if len(labelled) >= 2:
            return 1, f"labels such as {labelled[0][:30]!r} under blank column names"
    for index in (1, 2):
        if index >= len(header):
            break
        cells = [c.strip() for c in header[index]]
        for cell in cells:
            if cell.startswith("{") and "importid" in squash(cell):
                return index, f"an ImportId object {cell[:30]!r}"
            if cell.lower() in ("response", "open-ended response"):
                return index, f"a {cell!r} marker"
            if squash(cell) in _HEADER_NAMES:
                return index, f"the metadata name {cell!r}"
    return None


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
