"""Read a survey export from any supported platform into a :class:`RawSurvey`.

The format is detected from the header rows, never from the file name:

* ``qualtrics``: three header rows, the third holding ``{"ImportId": ...}`` objects;
* ``surveymonkey``: two header rows starting ``Respondent ID, Collector ID`` (CSV or XLSX);
* ``google_forms``: one header row starting ``Timestamp``; grid rows as ``Question [Row]``;
* ``microsoft_forms``: an XLSX whose header starts ``ID, Start time, Completion time``;
* ``generic``: any other wide CSV or XLSX with one header row.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.errors import InputFileError
from adoption_lib.survey_readers import (
    generic,
    google_forms,
    microsoft_forms,
    qualtrics,
    surveymonkey,
)
from adoption_lib.survey_readers.rows import read_rows
from adoption_lib.survey_table import RawSurvey

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


def read_survey_export(path: Path, format: str | None = None) -> RawSurvey:
    """Read one survey export.

    Parameters
    ----------
    path
        A CSV or XLSX export.
    format
        The platform, or ``None`` to detect it from the header rows.

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
    rows, lines, encoding = read_rows(path)
    if not rows:
        raise InputFileError(f"{path}: the file is empty")
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    detected = detect_format(rows[:3], is_xlsx)
    chosen = format or detected
    if chosen not in READERS:
        raise InputFileError(
            f"{path}: unknown survey format '{chosen}' (known: {', '.join(READERS)})"
        )
    if format and format != detected and not (format == "generic"):
        raise InputFileError(
            f"{path}: engagement.yml says {format}, but the header rows look like {detected}"
        )
    survey = READERS[chosen].parse(path, rows, lines)
    survey.encoding = encoding
    return survey
