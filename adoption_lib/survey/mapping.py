"""Map an export's columns to the instrument's questions, and its answers to codes.

Columns match a question by, in order: its id as the column name or export tag, its id
as the ImportId, or its normalised text (case, whitespace, punctuation and typographic
quotes ignored; ``{system}`` filled in), alone or after its matrix/grid text. Columns
that match nothing are listed, never silently dropped.

Answers match a scale label case- and space-insensitively, also in the forms
``5 - Strongly agree`` and ``Strongly agree (5)``; numbers must be one of the scale's
codes (a numeric export puts "Don't know"-style options after the labels, so position
``len(labels) + k`` is the k-th ``na_label``). Anything else is an error naming the
file, row, column and value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from adoption_lib.config.instrument import Instrument, Scale
from adoption_lib.errors import InputFileError, NoItemsMatchedError
from adoption_lib.inputs.survey_readers.surveymonkey import PLATFORM_META as MONKEY_META
from adoption_lib.inputs.survey_table import RawSurvey, squash

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_NUMBERED = (
    re.compile(r"^\s*\d+(\.\d+)?\s*[-=:.)]\s*(?P<label>.+)$"),
    re.compile(r"^(?P<label>.+?)\s*\(\s*\d+(\.\d+)?\s*\)\s*$"),
)


class SurveyValueError(InputFileError):
    """An answer that is not a label, na label or code of its item's scale."""


def normalise_text(text: str, system: str = "") -> str:
    """Normalise question or label text for matching.

    Parameters
    ----------
    text
        Text as written by a platform or the instrument.
    system
        Fills ``{system}``.

    Returns
    -------
    str
        Lower-case text without punctuation, accents folded, single spaces.
    """
    text = text.replace("{system}", system)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


#: A platform's question number before the text: ``1. How often`` or ``Q3) How often``.
_QUESTION_NUMBER = re.compile(r"^\s*(?:Q\s*)?\d+[.)]\s+", re.IGNORECASE)


def _unnumbered(text: str, system: str) -> str:
    return normalise_text(_QUESTION_NUMBER.sub("", text, count=1), system)


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds which question, and which columns matched nothing."""

    questions: dict[str, int]
    unmatched: list[str]
    how: dict[str, str]


def map_columns(survey: RawSurvey, instrument: Instrument, system: str) -> ColumnMap:
    """Match an export's columns to the instrument's questions.

    Parameters
    ----------
    survey
        The export, from :func:`adoption_lib.inputs.survey_readers.read_survey_export`.
    instrument
        The instrument the survey was fielded from.
    system
        The system name that filled ``{system}`` when the survey was fielded.

    Returns
    -------
    ColumnMap
        Question id to column index, the names of unmatched non-metadata columns, and
        how each question was matched (``id``, ``import_id`` or ``text``).
    """
    ids = {qid.casefold(): qid for qid in instrument.question_ids()}
    by_text: dict[str, str] = {}
    for item in instrument.items:
        by_text.setdefault(normalise_text(item.text, system), item.id)
        if item.group:
            joined = f"{item.group} - {item.text}"
            by_text.setdefault(normalise_text(joined, system), item.id)
    for question in [*instrument.demographics, *instrument.open_questions]:
        by_text.setdefault(normalise_text(question.text, system), question.id)
    meta = set(survey.meta.values())
    questions: dict[str, int] = {}
    how: dict[str, str] = {}
    unmatched: list[str] = []
    for column in survey.columns:
        if column.index in meta:
            continue
        found, way = None, ""
        if column.name.casefold() in ids:
            found, way = ids[column.name.casefold()], "id"
        elif column.import_id and column.import_id.casefold() in ids:
            found, way = ids[column.import_id.casefold()], "import_id"
        elif column.text and normalise_text(column.text, system) in by_text:
            found, way = by_text[normalise_text(column.text, system)], "text"
        elif column.text and _unnumbered(column.text, system) in by_text:
            found, way = by_text[_unnumbered(column.text, system)], "text"
        if found is None or found in questions:
            if not _platform_metadata(survey.format, column.name, column.import_id):
                unmatched.append(column.name)
            continue
        questions[found] = column.index
        how[found] = way
    return ColumnMap(questions, unmatched, how)


_QUALTRICS_META = {
    "ipAddress",
    "locationLatitude",
    "locationLongitude",
    "distributionChannel",
    "userLanguage",
    "recipientFirstName",
    "recipientLastName",
    "Q_Language",
}
#: Legacy Qualtrics names its metadata only in row 2 (squashed here).
_QUALTRICS_LEGACY_META = {
    "responseset",
    "name",
    "ipaddress",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "userlanguage",
    "qlanguage",
}


def _platform_metadata(fmt: str, name: str, import_id: str | None) -> bool:
    if fmt == "qualtrics":
        return import_id in _QUALTRICS_META or (
            import_id is None and squash(name) in _QUALTRICS_LEGACY_META
        )
    if fmt == "surveymonkey":
        return squash(name) in MONKEY_META
    if fmt == "microsoft_forms":
        return name.strip().lower() in {"name", "last modified time"}
    return False


def code_answer(
    raw: str, scale: Scale, survey: RawSurvey, row: int, column: int
) -> tuple[float | None, bool]:
    """Turn one answer into a scale code, or mark it as a "Don't know".

    Parameters
    ----------
    raw
        The cell's text.
    scale
        The item's scale.
    survey, row, column
        Where the answer came from, for the error message.

    Returns
    -------
    code, na
        ``(None, False)`` for an empty cell, ``(None, True)`` for an na label,
        ``(code, False)`` otherwise.

    Raises
    ------
    SurveyValueError
        For any other value, naming the file, row, column and value.
    """
    text = raw.strip()
    if not text:
        return None, False
    labels = {
        normalise_text(label): code for label, code in zip(scale.labels, scale.values, strict=True)
    }
    na = {normalise_text(label) for label in scale.na_labels}
    for candidate in _label_forms(text):
        key = normalise_text(candidate)
        if key in labels:
            return labels[key], False
        if key in na:
            return None, True
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number in scale.values:
            return number, False
        position = number - len(scale.labels)
        if position.is_integer() and 1 <= position <= len(scale.na_labels):
            return None, True
        raise SurveyValueError(
            f"{survey.where(row, column)}: value {text!r} is not one of the scale's codes"
            f" {[int(c) if c.is_integer() else c for c in scale.values]}"
        )
    allowed = ", ".join(repr(label) for label in [*scale.labels, *scale.na_labels])
    raise SurveyValueError(
        f"{survey.where(row, column)}: unknown answer {text!r} (expected one of {allowed})"
    )


def _label_forms(text: str) -> list[str]:
    forms = [text]
    for pattern in _NUMBERED:
        match = pattern.match(text)
        if match:
            forms.append(match["label"])
    return forms


def _listed(names: list[str], quote: bool = True, limit: int = 8, width: int = 60) -> str:
    """The first ``limit`` names, shortened to ``width``, and how many more there are."""
    shown = [n if len(n) <= width else n[: width - 1] + "…" for n in names[:limit]]
    text = ", ".join(repr(n) if quote else n for n in shown)
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def check_item_matches(mapping: ColumnMap, instrument: Instrument, name: str) -> str | None:
    """Stop when no item maps to a column; describe a partial match.

    Parameters
    ----------
    mapping
        From :func:`map_columns`.
    instrument
        The instrument the export should hold.
    name
        The export's file name, for the messages.

    Returns
    -------
    str or None
        ``"<file>: 12 of 67 items matched"`` when only some items matched, else None.

    Raises
    ------
    NoItemsMatchedError
        When none of the instrument's items matched, listing the first items and
        columns that did not match and how many more (on one line).
    """
    items = [i.id for i in instrument.items]
    matched = [i for i in items if i in mapping.questions]
    if not matched:
        raise NoItemsMatchedError(
            f"{name}: none of the {len(items)} items of instrument '{instrument.id}' matched "
            f"a column (by export tag, ImportId or question text); unmatched items: "
            f"{_listed(items, quote=False)}; unmatched columns: "
            f"{_listed(mapping.unmatched) or 'none'}; check `instrument:` and `system:` in "
            "engagement.yml (question texts are matched with {system} filled in)"
        )
    if len(matched) < len(items):
        return f"{name}: {len(matched)} of {len(items)} items matched"
    return None
