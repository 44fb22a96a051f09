"""Survey ingestion: every export of an engagement into respondents and answers tables.

:func:`load_survey` is the API the later stages use. It reads each export listed in
``engagement.yml`` (format detected from the header rows), maps columns to the
instrument's questions, codes every answer, pseudonymises identities with the
engagement's HMAC key, and applies the data-quality rules of
:mod:`adoption_lib.quality`. Every row received is accounted for: kept, or excluded
with one primary reason and written to ``private/survey_quarantine.csv``.

Tables (pandas; person-level, so they stay inside the engagement):

``respondents``
    one row per response received: ``respondent`` (pseudonym), ``source``, ``row``,
    ``started``/``ended`` (UTC), ``duration_seconds``, ``finished``, ``progress``,
    ``status``, ``identity`` (pseudonym of the email or external reference), one
    column per demographic, ``audience`` (``all`` or ``managers``), ``excluded``
    (``None`` when kept) and ``exclusion_detail``.
``answers``
    one row per answered item: ``respondent``, ``item``, ``value`` (the scale code,
    NaN for a don't-know) and ``na``.
``comments``
    one row per non-empty open answer: ``respondent``, ``question``, ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from adoption_lib.engagement_schema import Engagement
from adoption_lib.errors import InputFileError
from adoption_lib.instrument import Instrument, load_instrument
from adoption_lib.pseudonymise import engagement_key, normalise_email, pseudonym
from adoption_lib.quality import QualityReport, apply_quality, write_quarantine
from adoption_lib.survey_mapping import ColumnMap, SurveyValueError, code_answer, map_columns
from adoption_lib.survey_readers import read_survey_export
from adoption_lib.survey_table import RawSurvey
from adoption_lib.survey_times import parse_timestamp

DEFAULT_INSTRUMENT = "adoption_rescue_v1"


@dataclass
class FileReport:
    """What one export held and how it mapped."""

    path: str
    format: str
    encoding: str
    rows: int
    matched: dict[str, str]
    unmatched_columns: list[str]
    missing_questions: list[str]


@dataclass
class SurveyData:
    """Everything survey ingestion produces for the later stages."""

    instrument: Instrument
    respondents: pd.DataFrame
    answers: pd.DataFrame
    comments: pd.DataFrame
    files: list[FileReport] = field(default_factory=list)
    quality: QualityReport | None = None

    def kept(self) -> pd.DataFrame:
        """Respondents that passed every quality rule."""
        return self.respondents[self.respondents["excluded"].isna()]

    def kept_answers(self) -> pd.DataFrame:
        """Answers of kept respondents only."""
        return self.answers[self.answers["respondent"].isin(self.kept()["respondent"])]


def load_survey(engagement: Engagement, *, lenient: bool = False, write: bool = True) -> SurveyData:
    """Read, code and quality-check every survey export of an engagement.

    Parameters
    ----------
    engagement
        A validated engagement with ``survey_exports``.
    lenient
        Quarantine a row with an unreadable answer (reason ``unreadable_answer``)
        instead of stopping with an error.
    write
        Write the quarantine file to ``private/survey_quarantine.csv``.

    Returns
    -------
    SurveyData
        Respondents (kept and excluded), answers, comments, per-file mapping reports
        and the quality report (received = kept + excluded, checked).

    Raises
    ------
    InputFileError
        For an unreadable file, or (without ``lenient``) an unreadable answer; the
        message names the file, row, column and value.
    """
    instrument = load_instrument(engagement.instrument or DEFAULT_INSTRUMENT)
    key = engagement_key(engagement.private_dir, create=True)
    frames, answer_frames, comment_frames, reports = [], [], [], []
    for export in engagement.survey_exports:
        raw = read_survey_export(export.path, export.format)
        mapping = map_columns(raw, instrument, engagement.system)
        respondents, answers, comments = code_responses(
            raw, mapping, instrument, key, lenient=lenient
        )
        frames.append(respondents)
        answer_frames.append(answers)
        comment_frames.append(comments)
        missing = [q for q in instrument.question_ids() if q not in mapping.questions]
        reports.append(
            FileReport(
                _rel(engagement, export.path),
                raw.format,
                raw.encoding,
                len(raw.rows),
                mapping.how,
                mapping.unmatched,
                missing,
            )
        )
    respondents = pd.concat(frames, ignore_index=True) if frames else _empty_respondents(instrument)
    answers = pd.concat(answer_frames, ignore_index=True) if answer_frames else _empty_answers()
    comments = (
        pd.concat(comment_frames, ignore_index=True)
        if comment_frames
        else pd.DataFrame(columns=["respondent", "question", "text"])
    )
    respondents, report = apply_quality(respondents, answers, instrument, engagement)
    if write:
        write_quarantine(respondents, engagement.private_dir / "survey_quarantine.csv")
    return SurveyData(instrument, respondents, answers, comments, reports, report)


def code_responses(
    raw: RawSurvey, mapping: ColumnMap, instrument: Instrument, key: bytes, *, lenient: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Code one export's rows into respondents, answers and comments tables.

    Parameters
    ----------
    raw
        The export.
    mapping
        Its columns matched to questions.
    instrument
        The instrument.
    key
        The engagement's HMAC key, for pseudonyms.
    lenient
        Mark rows with an unreadable answer as excluded (``unreadable_answer``) rather
        than raising.

    Returns
    -------
    respondents, answers, comments
        See the module docstring.
    """
    people, answers, comments = [], [], []
    demographics = [d.id for d in instrument.demographics]
    for row in range(len(raw.rows)):
        respondent = pseudonym(
            f"{raw.path.name}:{raw.row_numbers[row]}:{raw.meta_value(row, 'response_id')}", key
        )
        record = _metadata(raw, row, key)
        record.update(respondent=respondent, source=raw.path.name, row=raw.row_numbers[row])
        for qid in demographics:
            record[qid] = raw.cell(row, mapping.questions[qid]) if qid in mapping.questions else ""
        record["audience"] = _audience(record, instrument)
        record["excluded"], record["exclusion_detail"] = None, ""
        coded = []
        try:
            for item in instrument.items:
                column = mapping.questions.get(item.id)
                if column is None:
                    continue
                value, na = code_answer(
                    raw.cell(row, column), instrument.scale_of(item.id), raw, row, column
                )
                if value is not None or na:
                    coded.append((respondent, item.id, value, na))
        except SurveyValueError as exc:
            if not lenient:
                raise
            record["excluded"], record["exclusion_detail"] = "unreadable_answer", str(exc)
            coded = []
        answers += coded
        for question in instrument.open_questions:
            column = mapping.questions.get(question.id)
            text = raw.cell(row, column) if column is not None else ""
            if text:
                comments.append((respondent, question.id, text))
        people.append(record)
    answers_df = pd.DataFrame(answers, columns=["respondent", "item", "value", "na"]).astype(
        {"value": "float64", "na": "bool"}
    )
    return (
        pd.DataFrame(people),
        answers_df,
        pd.DataFrame(comments, columns=["respondent", "question", "text"]),
    )


def _metadata(raw: RawSurvey, row: int, key: bytes) -> dict[str, object]:
    record: dict[str, object] = {"response_id": raw.meta_value(row, "response_id")}
    for name in ("started", "ended", "recorded"):
        text = raw.meta_value(row, name)
        try:
            record[name] = parse_timestamp(text, raw.timezone)
        except ValueError as exc:
            raise InputFileError(f"{raw.where(row, raw.meta[name])}: {exc}") from None
    duration = raw.meta_value(row, "duration_seconds")
    if duration:
        record["duration_seconds"] = _number(raw, row, "duration_seconds")
    elif record["started"] is not None and record["ended"] is not None:
        record["duration_seconds"] = (record["ended"] - record["started"]).total_seconds()
    else:
        record["duration_seconds"] = None
    finished = raw.meta_value(row, "finished").lower()
    record["finished"] = {"true": True, "1": True, "false": False, "0": False}.get(finished)
    record["progress"] = _number(raw, row, "progress") if raw.meta_value(row, "progress") else None
    record["status"] = raw.meta_value(row, "status")
    email, ref = raw.meta_value(row, "email"), raw.meta_value(row, "external_ref")
    identity = f"email:{normalise_email(email)}" if email else (f"ref:{ref}" if ref else "")
    record["identity"] = pseudonym(identity, key) if identity else None
    return record


def _number(raw: RawSurvey, row: int, name: str) -> float:
    text = raw.meta_value(row, name)
    try:
        return float(text)
    except ValueError:
        raise InputFileError(
            f"{raw.where(row, raw.meta[name])}: expected a number, got {text!r}"
        ) from None


def _audience(record: dict[str, object], instrument: Instrument) -> str:
    if instrument.audience_question is None:
        return "all"
    answer = str(record.get(instrument.audience_question, "")).strip().casefold()
    return "managers" if answer in {a.casefold() for a in instrument.manager_answers} else "all"


def _empty_respondents(instrument: Instrument) -> pd.DataFrame:
    columns = ["respondent", "source", "row", "excluded", "exclusion_detail", "audience"]
    return pd.DataFrame(columns=columns + [d.id for d in instrument.demographics])


def _empty_answers() -> pd.DataFrame:
    return pd.DataFrame(columns=["respondent", "item", "value", "na"])


def _rel(engagement: Engagement, path: Path) -> str:
    try:
        return str(path.relative_to(engagement.folder))
    except ValueError:
        return str(path)
