"""Write one set of survey responses in each platform's own export layout.

The layouts follow what each platform writes for a survey built from this project's
instrument (``adoption survey export``), the same layouts the readers document:

* Qualtrics "Export Data > CSV", choice text or numeric values: three header rows
  (export tags, question text, ``{"ImportId": ...}``), UTF-8 with a BOM, CRLF;
* SurveyMonkey "All responses data", expanded, as CSV or XLSX: two header rows, a
  matrix's question text over its first column only, row statements in row 2;
* Google Forms "Download responses (.csv)": ``Timestamp`` first, grids as
  ``Question [Row]``, times with a zone abbreviation;
* Microsoft Forms "Open results in Excel": ``ID, Start time, Completion time, Email,
  Name`` and one column per question or Likert statement.

A response is a :class:`Response`; its answers are labels of the item's scale (or a
``na_labels`` entry), ``None`` where the question was skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from adoption_lib.config.instrument import Instrument
from adoption_lib.synthetic.qualtrics_file import QUALTRICS_META

_QUALTRICS_LEFT_OUT = {"IPAddress", "RecipientLastName", "RecipientFirstName", "UserLanguage"}

__all__ = ["PLATFORMS", "Response", "write_export"]


@dataclass
class Response:
    """One row of a survey export, as the platform recorded it."""

    response_id: str
    email: str
    name: str
    started: datetime
    ended: datetime
    answers: dict[str, str | None]
    demographics: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    finished: bool = True
    preview: bool = False


def _text(instrument: Instrument, system: str, text: str) -> str:
    return text.replace("{system}", system)


def _questions(instrument: Instrument) -> list:
    return [*instrument.items, *instrument.demographics, *instrument.open_questions]


def _answer(response: Response, question, instrument: Instrument, numeric: bool) -> str:
    qid = question.id
    if qid in response.answers:
        label = response.answers[qid]
        if label is None:
            return ""
        if not numeric:
            return label
        scale = instrument.scale_of(qid)
        if label in scale.labels:
            return f"{scale.values[scale.labels.index(label)]:g}"
        # Qualtrics numbers "Don't know" after the scale's own choices.
        return f"{len(scale.labels) + 1 + scale.na_labels.index(label)}"
    if qid in response.demographics:
        return response.demographics[qid]
    return response.comments.get(qid, "")


def _qualtrics(
    path: Path, instrument: Instrument, system: str, rows: list[Response], numeric: bool
) -> None:
    zone = "Europe/London"
    # the demo's Qualtrics metadata columns, less the ones a small variant leaves out
    meta = [
        (name, label, {**info, "timeZone": zone} if "timeZone" in info else info)
        for name, label, info in QUALTRICS_META
        if name not in _QUALTRICS_LEFT_OUT
    ]
    header = [[m[0] for m in meta], [m[1] for m in meta], [json.dumps(m[2]) for m in meta]]
    for number, question in enumerate(_questions(instrument), start=1):
        header[0].append(question.id)
        label = _text(instrument, system, question.text)
        group = getattr(question, "group", None)
        header[1].append(f"{_text(instrument, system, group)} - {label}" if group else label)
        suffix = "_TEXT" if question in instrument.open_questions else ""
        header[2].append(json.dumps({"ImportId": f"QID{number}{suffix}"}))
    local = ZoneInfo(zone)
    out = []
    for r in rows:
        start, end = r.started.astimezone(local), r.ended.astimezone(local)
        status = ["IP Address", "Survey Preview"][r.preview] if not numeric else str(int(r.preview))
        cells = [
            start.strftime("%Y-%m-%d %H:%M:%S"),
            end.strftime("%Y-%m-%d %H:%M:%S"),
            status,
            "100" if r.finished else "40",
            f"{int((r.ended - r.started).total_seconds())}",
            ("1" if r.finished else "0") if numeric else str(r.finished),
            end.strftime("%Y-%m-%d %H:%M:%S"),
            r.response_id,
            "" if r.preview else r.email,
            "",
            "preview" if r.preview else "email",
        ]
        cells += [_answer(r, q, instrument, numeric) for q in _questions(instrument)]
        out.append(cells)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(header + out)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def _monkey_rows(instrument: Instrument, system: str, rows: list[Response]) -> list[list]:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    meta += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    top, sub = list(meta), [""] * len(meta)
    seen_groups: set[str] = set()
    for question in _questions(instrument):
        group = getattr(question, "group", None)
        text = _text(instrument, system, question.text)
        if group:
            title = _text(instrument, system, group)
            top.append("" if title in seen_groups else title)
            seen_groups.add(title)
            sub.append(text)
        else:
            top.append(text)
            sub.append(
                "Open-Ended Response" if question in instrument.open_questions else "Response"
            )
    out = [top, sub]
    for r in rows:
        first, _, last = r.name.partition(" ")
        out.append(
            [
                r.response_id,
                "431209876",
                r.started.strftime("%m/%d/%Y %I:%M:%S %p"),
                r.ended.strftime("%m/%d/%Y %I:%M:%S %p"),
                "203.0.113.7",
                r.email,
                first,
                last,
                "",
                *[_answer(r, q, instrument, False) for q in _questions(instrument)],
            ]
        )
    return out


def _surveymonkey_csv(path: Path, instrument: Instrument, system: str, rows: list[Response]):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_monkey_rows(instrument, system, rows))
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _xlsx(path: Path, table: list[list]) -> None:
    book = Workbook()
    for row in table:
        book.active.append([None if cell == "" else cell for cell in row])
    book.save(path)


def _surveymonkey_xlsx(path: Path, instrument: Instrument, system: str, rows: list[Response]):
    _xlsx(path, _monkey_rows(instrument, system, rows))


def _google(path: Path, instrument: Instrument, system: str, rows: list[Response]) -> None:
    header = ["Timestamp", "Email Address"]
    for question in _questions(instrument):
        text = _text(instrument, system, question.text)
        group = getattr(question, "group", None)
        header.append(f"{_text(instrument, system, group)} [{text}]" if group else text)
    out = [header]
    zone = ZoneInfo("America/Denver")
    for r in rows:
        local = r.ended.astimezone(zone)
        hour = local.hour % 12 or 12
        stamp = f"{local:%Y/%m/%d} {hour}:{local:%M:%S %p} {local.tzname()}"
        out.append(
            [stamp, r.email, *[_answer(r, q, instrument, False) for q in _questions(instrument)]]
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(out)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _microsoft(path: Path, instrument: Instrument, system: str, rows: list[Response]) -> None:
    header = ["ID", "Start time", "Completion time", "Email", "Name"]
    header += [_text(instrument, system, q.text) for q in _questions(instrument)]
    table: list[list] = [header]
    for r in rows:
        table.append(
            [
                int(r.response_id),
                r.started.replace(tzinfo=None),
                r.ended.replace(tzinfo=None),
                r.email,
                r.name,
                *[_answer(r, q, instrument, False) for q in _questions(instrument)],
            ]
        )
    _xlsx(path, table)


def _numeric(path: Path, instrument: Instrument, system: str, rows: list[Response]) -> None:
    _qualtrics(path, instrument, system, rows, numeric=True)


def _choice_text(path: Path, instrument: Instrument, system: str, rows: list[Response]) -> None:
    _qualtrics(path, instrument, system, rows, numeric=False)


Writer = Callable[[Path, Instrument, str, list[Response]], None]
#: Platform variant -> (file name, writer).
PLATFORMS: dict[str, tuple[str, Writer]] = {
    "qualtrics_text": ("survey_qualtrics.csv", _choice_text),
    "qualtrics_numeric": ("survey_qualtrics_numeric.csv", _numeric),
    "surveymonkey_csv": ("survey_surveymonkey.csv", _surveymonkey_csv),
    "surveymonkey_xlsx": ("survey_surveymonkey.xlsx", _surveymonkey_xlsx),
    "google_forms": ("survey_google_forms.csv", _google),
    "microsoft_forms": ("survey_microsoft_forms.xlsx", _microsoft),
}


def write_export(
    folder: Path, platform: str, instrument: Instrument, system: str, rows: list[Response]
) -> Path:
    """Write ``rows`` as ``platform`` exports them, into ``folder``.

    Parameters
    ----------
    folder
        Where the export goes (created when missing).
    platform
        A key of :data:`PLATFORMS`.
    instrument
        The instrument the survey was built from.
    system
        Fills ``{system}`` in the question texts.
    rows
        The responses, in the order the platform lists them.

    Returns
    -------
    Path
        The file written.
    """
    name, writer = PLATFORMS[platform]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    writer(path, instrument, system, rows)
    return path
