"""Microsoft Forms workbooks (Responses > Open results in Excel).

One header row: ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name`` (and,
in newer exports, ``Last modified time``), then one column per question. A Likert
question becomes one column per statement, headed by the statement's text. Times are
Excel date-times in the form owner's time zone.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.inputs.survey_table import RawSurvey, SurveyColumn, check_widths

_META = {"id": "response_id", "start time": "started", "completion time": "ended", "email": "email"}


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True for a workbook whose header starts ``ID, Start time, Completion time``."""
    first = [c.strip().lower() for c in header[0][:3]] if header else []
    return is_xlsx and first == ["id", "start time", "completion time"]


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey from the workbook's rows."""
    columns, meta = [], {}
    for index, name in enumerate(rows[0]):
        name = name.strip()
        if name.lower() in _META:
            meta[_META[name.lower()]] = index
        columns.append(SurveyColumn(index, name, name))
    check_widths(path, rows[1:], lines[1:], len(rows[0]))
    return RawSurvey(path, "microsoft_forms", columns, rows[1:], lines[1:], meta)
