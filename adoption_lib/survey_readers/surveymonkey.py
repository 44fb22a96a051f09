"""SurveyMonkey exports ("All responses data", CSV or XLSX, expanded, actual answer text).

Two header rows. Row 1 holds the metadata names (``Respondent ID``, ``Collector ID``,
``Start Date``, ``End Date``, ``IP Address``, ``Email Address``, ``First Name``,
``Last Name``, ``Custom Data 1``) and then each question's text, which for a matrix
stands only over its *first* column; the following columns are blank in row 1. Row 2
holds ``Response`` (or ``Open-Ended Response``) for single questions and the matrix's
row labels under a matrix. Dates are the US ``MM/DD/YYYY hh:mm:ss AM`` of the account.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.survey_table import RawSurvey, SurveyColumn, check_widths

_META = {
    "respondent id": "response_id",
    "start date": "started",
    "end date": "ended",
    "email address": "email",
    "custom data 1": "external_ref",
}
_ROW2_PLAIN = {"", "response", "open-ended response"}


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True when row 1 starts with SurveyMonkey's Respondent and Collector ids."""
    first = [c.strip().lower() for c in header[0][:2]] if header else []
    return first == ["respondent id", "collector id"]


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey; a matrix column's text is 'question - row label'."""
    names, labels = rows[0], rows[1] if len(rows) > 1 else []
    columns, meta, question = [], {}, ""
    for index, name in enumerate(names):
        name = name.strip()
        label = labels[index].strip() if index < len(labels) else ""
        if name:
            question = name
        if name.lower() in _META:
            meta[_META[name.lower()]] = index
            columns.append(SurveyColumn(index, name, name))
            continue
        text = question if label.lower() in _ROW2_PLAIN else f"{question} - {label}"
        columns.append(SurveyColumn(index, name or f"{question} [{label}]", text))
    check_widths(path, rows[2:], lines[2:], len(names))
    return RawSurvey(path, "surveymonkey", columns, rows[2:], lines[2:], meta)
