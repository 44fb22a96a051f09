"""Qualtrics CSV exports ("Download Data Table", CSV, choice text or numeric values).

Layout (as documented by Qualtrics and seen in every current export):

1. column names: metadata (``StartDate``, ``EndDate``, ``Status``, ``Progress``,
   ``Duration (in seconds)``, ``Finished``, ``RecordedDate``, ``ResponseId``,
   ``RecipientEmail``, ``ExternalReference`` ...) then question export tags (``Q5_1``,
   or our item ids when the survey was imported from ``adoption survey export``);
2. labels: ``Start Date`` ... and question texts; a matrix statement reads
   ``Matrix text - Statement``;
3. ``{"ImportId":"startDate","timeZone":"Europe/London"}``, ``{"ImportId":"QID12_1"}``.

``Status`` is ``IP Address`` for real responses and ``Survey Preview`` or ``Survey Test``
for the consultant's own runs (or 0, 1, 2 in a numeric export).
"""

from __future__ import annotations

import json
from pathlib import Path

from adoption_lib.errors import InputFileError
from adoption_lib.survey_table import RawSurvey, SurveyColumn, check_widths

_META = {
    "startDate": "started",
    "endDate": "ended",
    "recordedDate": "recorded",
    "duration": "duration_seconds",
    "status": "status",
    "finished": "finished",
    "progress": "progress",
    "_recordId": "response_id",
    "recipientEmail": "email",
    "externalDataReference": "external_ref",
}


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True when the third row holds Qualtrics ImportId objects."""
    return len(header) >= 3 and bool(header[2]) and header[2][0].strip().startswith('{"ImportId"')


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey from a Qualtrics export's rows."""
    if len(rows) < 3 or not detect(rows[:3], False):
        raise InputFileError(f"{path.name}:row 3: expected Qualtrics' ImportId row")
    names, labels, imports = rows[0], rows[1], rows[2]
    columns, meta, zone = [], {}, None
    for index, name in enumerate(names):
        try:
            info = json.loads(imports[index]) if index < len(imports) else {}
        except json.JSONDecodeError:
            raise InputFileError(
                f"{path.name}:row {lines[2]}: column '{name}' has no ImportId object"
            ) from None
        import_id = info.get("ImportId")
        columns.append(
            SurveyColumn(
                index, name.strip(), labels[index].strip() if index < len(labels) else "", import_id
            )
        )
        if import_id in _META:
            meta[_META[import_id]] = index
        if import_id == "startDate":
            zone = info.get("timeZone")
    check_widths(path, rows[3:], lines[3:], len(names))
    return RawSurvey(path, "qualtrics", columns, rows[3:], lines[3:], meta, timezone=zone)
