"""A generic wide CSV or XLSX: one header row, one row per respondent.

Columns are matched to items by id or text. Metadata columns are recognised by name,
ignoring case, spaces and punctuation, in the spellings platforms and hand-made files
use (see :data:`ALIASES`): ``Respondent ID``, ``ResponseID`` and ``Response ID`` are all
the response id; ``Start Date``/``Start time``, ``End Date``/``Completion time``/
``Submitted``, ``Email Address``/``E-mail`` and so on.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.inputs.survey_table import (
    META_FIELDS,
    RawSurvey,
    SurveyColumn,
    check_widths,
    squash,
)

#: Squashed header names (see :func:`adoption_lib.inputs.survey_table.squash`) to metadata fields.
ALIASES = {
    **{squash(f): f for f in META_FIELDS},
    "id": "response_id",
    "responseid": "response_id",
    "respondentid": "response_id",
    "responseno": "response_id",
    "startdate": "started",
    "starttime": "started",
    "enddate": "ended",
    "endtime": "ended",
    "completiontime": "ended",
    "submitted": "ended",
    "submittedat": "ended",
    "submitdate": "ended",
    "recordeddate": "recorded",
    "durationinseconds": "duration_seconds",
    "emailaddress": "email",
    "respondentemail": "email",
    "recipientemail": "email",
    "externalreference": "external_ref",
    "externaldatareference": "external_ref",
    "qlanguage": "language",
    "userlanguage": "language",
}


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """Always true: the fallback when no platform's layout matches."""
    return True


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey from one header row."""
    columns, meta = [], {}
    for index, name in enumerate(rows[0]):
        name = name.strip()
        key = ALIASES.get(squash(name))
        if key is not None and key not in meta:
            meta[key] = index
        columns.append(SurveyColumn(index, name, name))
    check_widths(path, rows[1:], lines[1:], len(rows[0]))
    return RawSurvey(path, "generic", columns, rows[1:], lines[1:], meta)
