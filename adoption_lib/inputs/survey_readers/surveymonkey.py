"""SurveyMonkey exports ("All responses data", CSV or XLSX, expanded, actual answer text).

Two header rows. Row 1 holds the metadata names and then each question's text, which
for a matrix stands only over its *first* column; the following columns are blank in
row 1. Row 2 is blank over the metadata and holds ``Response`` (or ``Open-Ended
Response``) for single questions and the matrix's row labels under a matrix. Dates are
the account's format, ``MM/DD/YYYY hh:mm:ss AM`` in the US and ``DD/MM/YYYY`` elsewhere.

Layouts:

``current``
    Metadata ``Respondent ID``, ``Collector ID``, ``Start Date``, ``End Date``,
    ``IP Address``, ``Email Address``, ``First Name``, ``Last Name``, ``Custom Data 1``.
``legacy``
    Before 2015: ``RespondentID``, ``CollectorID``, ``StartDate``, ``EndDate``,
    ``IP Address``, ``Email Address``, ``First Name``, ``LastName``, ``Custom Data``;
    some row-2 cells hold NUL bytes (dropped when the file is decoded).
``stripped``
    The metadata columns removed ("Columns: questions only"): row 1 starts with the
    first question, row 2 with its ``Response`` marker or matrix statement.

A republished file with a single header row (``Respondent ID``, ``1. How ...``) has no
second header row and is read by the generic reader.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.errors import InputFileError
from adoption_lib.inputs.survey_table import RawSurvey, SurveyColumn, check_widths, squash

_META = {
    "respondentid": "response_id",
    "startdate": "started",
    "enddate": "ended",
    "emailaddress": "email",
    "customdata1": "external_ref",
    "customdata": "external_ref",
}
#: Metadata that is not a question and not needed: listed neither as matched nor unmatched.
PLATFORM_META = {"collectorid", "ipaddress", "firstname", "lastname"}
MARKERS = {"response", "open-ended response"}


def layout(header: list[list[str]]) -> str | None:
    """Which SurveyMonkey layout the header rows have: current, legacy, stripped or None."""
    if len(header) < 2 or not header[0]:
        return None
    first, second = header[0], header[1]
    ids = [squash(c) for c in first[:2]]
    if ids == ["respondentid", "collectorid"]:
        if second and second[0].strip():
            return None  # one header row: respondents start on row 2
        return "current" if first[0].strip().lower() == "respondent id" else "legacy"
    markers = sum(1 for c in second if c.strip().lower() in MARKERS)
    if first[0].strip() and markers and second[0].strip():
        return "stripped"
    return None


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True when the two header rows are one of SurveyMonkey's layouts."""
    return layout(header) is not None


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey; a matrix column's text is 'question - row label'.

    Raises
    ------
    InputFileError
        When row 2 is not a SurveyMonkey header row: a metadata column with a value
        under it (a one-header-row file), naming the column.
    """
    names, labels = rows[0], rows[1] if len(rows) > 1 else []
    columns, meta, question = [], {}, ""
    for index, name in enumerate(names):
        name = name.strip()
        label = labels[index].strip() if index < len(labels) else ""
        key = squash(name)
        if key in _META or key in PLATFORM_META:
            if label:
                raise InputFileError(
                    f"{path.name}:row {lines[1]}, column '{name}': holds {label[:40]!r}, but "
                    "SurveyMonkey's second header row is blank over the metadata; this looks "
                    "like a file with one header row (leave format: out, or use generic)"
                )
            if key in _META and _META[key] not in meta:
                meta[_META[key]] = index
            columns.append(SurveyColumn(index, name, name))
            continue
        if name:
            question = name
        elif not question:
            raise InputFileError(
                f"{path.name}:row {lines[0]}, column {index + 1}: blank, but no question "
                "stands before it for a matrix row"
            )
        text = question if label.lower() in MARKERS or not label else f"{question} - {label}"
        columns.append(SurveyColumn(index, name or f"{question} [{label}]", text))
    check_widths(path, rows[2:], lines[2:], len(names))
    survey = RawSurvey(path, "surveymonkey", columns, rows[2:], lines[2:], meta)
    survey.layout = layout(rows[:2]) or ""
    return survey
