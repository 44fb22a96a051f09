"""A generic wide CSV or XLSX: one header row, one row per respondent.

Columns are matched to items by id or text; these metadata names are recognised
(case-insensitively; ``respondent_id`` and ``id`` also mean ``response_id``): ``response_id``, ``started``, ``ended``, ``duration_seconds``,
``status``, ``finished``, ``progress``, ``email``, ``external_ref``.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.survey_table import META_FIELDS, RawSurvey, SurveyColumn, check_widths

#: Common spellings of the metadata columns in hand-made or other tools' files.
ALIASES = {"respondent_id": "response_id", "id": "response_id", "email_address": "email"}


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """Always true: the fallback when no platform's layout matches."""
    return True


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey from one header row."""
    columns, meta = [], {}
    for index, name in enumerate(rows[0]):
        name = name.strip()
        key = ALIASES.get(name.lower(), name.lower())
        if key in META_FIELDS:
            meta[key] = index
        columns.append(SurveyColumn(index, name, name))
    check_widths(path, rows[1:], lines[1:], len(rows[0]))
    return RawSurvey(path, "generic", columns, rows[1:], lines[1:], meta)
