"""Qualtrics CSV exports, in the three layouts Qualtrics has written since 2012.

``current`` (Data & Analysis > Export, since 2017):

1. column names: metadata (``StartDate``, ``EndDate``, ``Status``, ``Progress``,
   ``Duration (in seconds)``, ``Finished``, ``RecordedDate``, ``ResponseId``,
   ``RecipientEmail``, ``ExternalReference`` ...) then question export tags (``Q5_1``,
   or our item ids when the survey was imported from ``adoption survey export``);
2. labels: ``Start Date`` ... and question texts; a matrix statement reads
   ``Matrix text - Statement``;
3. ``{"ImportId":"startDate","timeZone":"Europe/London"}``, ``{"ImportId":"QID12_1"}``.

``insights`` (the 2016-17 "Insights" platform): the same three rows, but the third is
written as a Python dict, ``{'ImportId': 'QID2-1'}``, with single quotes.

``legacy`` (before 2017): two header rows and no ImportId row. Row 1 is ``V1`` ..
``V10`` over the metadata and the export tags over the questions; row 2 names the
metadata (``ResponseID``, ``ResponseSet``, ``Name``, ``ExternalDataReference``,
``EmailAddress``, ``IPAddress``, ``Status``, ``StartDate``, ``EndDate``, ``Finished``)
and gives the question texts, a matrix statement as ``Matrix text-Statement``. Times
are naive, in the account's zone.

``Status`` is ``IP Address`` for real responses and ``Survey Preview`` or ``Survey Test``
for the consultant's own runs (or 0, 1, 2 in a numeric or legacy export).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from adoption_lib.errors import InputFileError
from adoption_lib.inputs.survey_table import RawSurvey, SurveyColumn, check_widths, squash

_META = {
    "startDate": "started",
    "endDate": "ended",
    "recordedDate": "recorded",
    "duration": "duration_seconds",
    "status": "status",
    "finished": "finished",
    "progress": "progress",
    "_recordId": "response_id",
    "responseId": "response_id",
    "recipientEmail": "email",
    "externalDataReference": "external_ref",
    "Q_Language": "language",
}
#: Metadata by squashed column name: the legacy row 2, and any ImportId we do not know.
_NAMED_META = {
    "responseid": "response_id",
    "startdate": "started",
    "enddate": "ended",
    "recordeddate": "recorded",
    "durationinseconds": "duration_seconds",
    "status": "status",
    "finished": "finished",
    "progress": "progress",
    "emailaddress": "email",
    "recipientemail": "email",
    "externaldatareference": "external_ref",
    "externalreference": "external_ref",
    "qlanguage": "language",
}
_LEGACY_TAG = re.compile(r"^V\d+$")
#: An ImportId cell is a small dict; anything longer is not one (and is never evaluated).
_MAX_IMPORT_CELL = 400


def layout(header: list[list[str]]) -> str | None:
    """Which Qualtrics layout the header rows have: current, insights, legacy or None."""
    if len(header) >= 3 and header[2]:
        first = header[2][0].strip()
        if first.startswith('{"ImportId"'):
            return "current"
        if first.startswith("{'ImportId'"):
            return "insights"
    if len(header) >= 2 and header[0] and _LEGACY_TAG.match(header[0][0].strip()):
        names = {squash(c) for c in header[1]}
        if "responseid" in names:
            return "legacy"
    return None


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True when the header rows are one of Qualtrics' three layouts."""
    return layout(header) is not None


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey from a Qualtrics export's rows, in any of its layouts."""
    kind = layout(rows[:3])
    if kind is None:
        cell = rows[2][0] if len(rows) > 2 and rows[2] else ""
        raise InputFileError(
            f"{path.name}:row {lines[2] if len(lines) > 2 else len(rows) + 1}, column "
            f"'{rows[0][0] if rows and rows[0] else ''}': expected Qualtrics' ImportId row "
            f"(or legacy V1..V10 over a ResponseID row), found {cell[:40]!r}"
        )
    if kind == "legacy":
        return _legacy(path, rows, lines)
    names, labels, imports = rows[0], rows[1], rows[2]
    columns, meta, zone = [], {}, None
    for index, name in enumerate(names):
        cell = imports[index] if index < len(imports) else ""
        info = _import_info(cell, kind)
        if info is None:
            raise InputFileError(
                f"{path.name}:row {lines[2]}, column '{name}': expected an ImportId object, "
                f"found {cell[:40]!r}"
            )
        import_id = info.get("ImportId")
        label = labels[index].strip() if index < len(labels) else ""
        columns.append(SurveyColumn(index, name.strip(), label, import_id))
        field = _META.get(str(import_id)) or _NAMED_META.get(squash(name))
        if field and field not in meta:
            meta[field] = index
        if import_id == "startDate":
            zone = info.get("timeZone")
    check_widths(path, rows[3:], lines[3:], len(names))
    survey = RawSurvey(path, "qualtrics", columns, rows[3:], lines[3:], meta, timezone=zone)
    survey.layout = kind
    return survey


def _import_info(cell: str, kind: str) -> dict | None:
    """The ImportId object of one cell: JSON (current) or a Python dict (insights)."""
    cell = cell.strip()
    if not cell:
        return {}
    if len(cell) > _MAX_IMPORT_CELL or not cell.startswith("{"):
        return None
    try:
        # literal_eval reads only literals, never calls anything: safe on a client file.
        info = json.loads(cell) if kind == "current" else ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return info if isinstance(info, dict) else None


def _legacy(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    tags, labels = rows[0], rows[1]
    columns, meta = [], {}
    for index, tag in enumerate(tags):
        tag = tag.strip()
        label = labels[index].strip() if index < len(labels) else ""
        field = _NAMED_META.get(squash(label)) if _LEGACY_TAG.match(tag) else None
        if field and field not in meta:
            meta[field] = index
        # V-columns are named by their row-2 label; questions by their export tag.
        name = label if _LEGACY_TAG.match(tag) and label else tag
        columns.append(SurveyColumn(index, name, label))
    check_widths(path, rows[2:], lines[2:], len(tags))
    survey = RawSurvey(path, "qualtrics", columns, rows[2:], lines[2:], meta)
    survey.layout = "legacy"
    return survey
