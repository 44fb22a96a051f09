"""Survey ingestion: every export of an engagement into respondents and answers tables.

:func:`load_survey` is the API the later stages use. It reads each export listed in
``engagement.yml`` (format detected from the header rows), maps columns to the
instrument's questions, codes every answer, pseudonymises identities with the
engagement's HMAC key, and applies the data-quality rules of
:mod:`adoption_lib.survey.quality`. Every row received is accounted for: kept, or excluded
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

import numpy as np
import pandas as pd

from adoption_lib.config.instrument import Instrument, load_instrument
from adoption_lib.config.schema import Engagement
from adoption_lib.errors import InputFileError, MixedLanguageError
from adoption_lib.inputs.export_times import parse_times, settle_times
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.inputs.survey_table import RawSurvey
from adoption_lib.privacy.pseudonyms import engagement_key, person_pseudonym, pseudonym
from adoption_lib.survey.mapping import (
    ColumnMap,
    SurveyValueError,
    check_item_matches,
    code_answer,
    map_columns,
)
from adoption_lib.survey.quality import QualityReport, apply_quality, write_quarantine

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
    #: what the reader noticed, each naming the file: "12 of 67 items matched", ...
    notes: list[str] = field(default_factory=list)


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
        if self.respondents["excluded"].isna().all():
            return self.answers
        return self.answers[self.answers["respondent"].isin(self.kept()["respondent"])]


def load_survey(
    engagement: Engagement,
    *,
    lenient: bool = False,
    write: bool = True,
    key: bytes | None = None,
) -> SurveyData:
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
    key
        The engagement's HMAC key (:func:`adoption_lib.assessment.assess` reads it once
        per run); read from ``private/``, or created there, when not given.

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
    key = key if key is not None else engagement_key(engagement.private_dir, create=True)
    frames, answer_frames, comment_frames, reports = [], [], [], []
    for export in engagement.survey_exports:
        raw = read_survey_export(export.path, export.format, engagement.limits)
        settle_times(raw, export, engagement)
        mapping = map_columns(raw, instrument, engagement.system)
        notes = [check_item_matches(mapping, instrument, engagement.relative(export.path))]
        respondents, answers, comments = code_responses(
            raw, mapping, instrument, key, lenient=lenient
        )
        if raw.naive_as_utc:
            notes.append(
                f"{engagement.relative(export.path)}: times without a zone were read as UTC "
                "(set timezone: in engagement.yml if they are local times)"
            )
        frames.append(respondents)
        answer_frames.append(answers)
        comment_frames.append(comments)
        missing = [q for q in instrument.question_ids() if q not in mapping.questions]
        reports.append(
            FileReport(
                engagement.relative(export.path),
                raw.described,
                raw.encoding,
                len(raw.rows),
                mapping.how,
                mapping.unmatched,
                missing,
                [n for n in notes if n],
            )
        )
    respondents = pd.concat(frames, ignore_index=True) if frames else _empty_respondents(instrument)
    answers = pd.concat(answer_frames, ignore_index=True) if answer_frames else _empty_answers()
    comments = (
        pd.concat(comment_frames, ignore_index=True)
        if comment_frames
        else pd.DataFrame(columns=["respondent", "question", "text"])
    )
    if reports and not any(r.rows for r in reports):
        names = ", ".join(r.path for r in reports)
        raise InputFileError(f"{names}: no responses below the header rows")
    respondents, report = apply_quality(respondents, answers, instrument, engagement)
    if write:
        write_quarantine(respondents, engagement.private_dir / "survey_quarantine.csv")
    if reports and report.respondents_kept == 0:
        reasons = ", ".join(f"{n} {k}" for k, n in report.excluded.items() if n)
        raise InputFileError(
            f"{reports[0].path}: every one of the {report.rows_received} responses was "
            f"excluded ({reasons}); each row and its reason are in "
            f"{engagement.private_dir / 'survey_quarantine.csv'}"
        )
    return SurveyData(instrument, respondents, answers, comments, reports, report)


def code_responses(
    raw: RawSurvey, mapping: ColumnMap, instrument: Instrument, key: bytes, *, lenient: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Code one export's rows into respondents, answers and comments tables.

    Work is done column by column: each *distinct* value of an item column is coded
    once (a column of 50,000 answers holds a handful of distinct labels), then mapped.

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

    Raises
    ------
    SurveyValueError
        Without ``lenient``, for the first unreadable answer in file order.
    """
    width = len(raw.columns)
    # Plain object arrays: far faster to build and index than pandas string columns.
    table = np.array(
        [[c.strip() for c in r] + [""] * (width - len(r)) for r in raw.rows], dtype=object
    )
    table = table.reshape(len(raw.rows), width)
    ids = [
        f"{raw.path.name}:{line}:{raw.meta_value(i, 'response_id')}"
        for i, line in enumerate(raw.row_numbers)
    ]
    respondents = pd.DataFrame({"respondent": [pseudonym(x, key) for x in ids]})
    respondents["source"] = raw.path.name
    respondents["row"] = raw.row_numbers
    for name, value in _metadata(raw, table, key).items():
        respondents[name] = value
    for demographic in instrument.demographics:
        column = mapping.questions.get(demographic.id)
        respondents[demographic.id] = table[:, column] if column is not None else ""
        # A consultant's own instrument may ask for the department as "dept": the
        # roster field it names is the column every grouping looks for.
        field = demographic.roster_field
        if field and field != demographic.id and field not in respondents:
            respondents[field] = respondents[demographic.id]
    respondents["audience"] = _audience(respondents, instrument)
    respondents["excluded"] = None
    respondents["exclusion_detail"] = ""
    items = [item for item in instrument.items if item.id in mapping.questions]
    values = np.full((len(table), len(items)), np.nan)
    nas = np.zeros((len(table), len(items)), dtype=bool)
    problems: dict[int, tuple[int, str]] = {}
    for k, item in enumerate(items):
        column = mapping.questions[item.id]
        codes, categories = pd.factorize(table[:, column])
        coded_value = np.full(len(categories), np.nan)
        coded_na = np.zeros(len(categories), dtype=bool)
        for c, text in enumerate(categories):
            try:
                value, na = code_answer(text, instrument.scale_of(item.id), raw, 0, column)
            except SurveyValueError:
                for row in np.nonzero(codes == c)[0]:
                    problems.setdefault(int(row), (column, text))
                continue
            coded_value[c] = np.nan if value is None else value
            coded_na[c] = na
        values[:, k] = coded_value[codes]
        nas[:, k] = coded_na[codes]
    if problems:
        first = min(problems)
        column, text = problems[first]
        if not lenient:
            _check_languages(raw, first, column, text)
            raise _value_error(raw, instrument, mapping, first, column, text)
        for row, (column, text) in problems.items():
            detail = str(_value_error(raw, instrument, mapping, row, column, text))
            respondents.loc[row, ["excluded", "exclusion_detail"]] = ["unreadable_answer", detail]
        values[list(problems)] = np.nan
        nas[list(problems)] = False
    answers = _long_answers(
        respondents["respondent"].to_numpy(), [i.id for i in items], values, nas
    )
    comments = []
    for question in instrument.open_questions:
        column = mapping.questions.get(question.id)
        if column is None:
            continue
        for row in np.nonzero(table[:, column] != "")[0]:
            comments.append(
                (respondents.at[int(row), "respondent"], question.id, table[row, column])
            )
    comments_df = pd.DataFrame(comments, columns=["respondent", "question", "text"])
    return respondents, answers, comments_df


def _check_languages(raw: RawSurvey, row: int, column: int, text: str) -> None:
    """Stop with a clear error when an uncodable answer comes from a multilingual export."""
    index = raw.meta.get("language")
    if index is None:
        return
    languages = sorted({raw.cell(r, index) for r in range(len(raw.rows))} - {""})
    if len(languages) < 2:
        return
    raise MixedLanguageError(
        f"{raw.where(row, column)}: answer {text!r} is not one of the scale's labels; this "
        f"export holds answers in {len(languages)} languages ({', '.join(languages)}, column "
        f"'{raw.columns[index].name}') and this row's is {raw.cell(row, index) or 'not given'}. "
        "Download it again with numeric values (Qualtrics: Export Data > Use numeric values) "
        "so that every language maps through the instrument's codes"
    )


def _value_error(
    raw: RawSurvey, instrument: Instrument, mapping: ColumnMap, row: int, column: int, text: str
) -> SurveyValueError:
    """Recreate the coding error for one cell, now with its real row."""
    item = next(q for q, c in mapping.questions.items() if c == column)
    try:
        code_answer(text, instrument.scale_of(item), raw, row, column)
    except SurveyValueError as exc:
        return exc
    raise AssertionError("a value that failed to code now codes")  # pragma: no cover


def _long_answers(
    respondent: np.ndarray, items: list[str], values: np.ndarray, nas: np.ndarray
) -> pd.DataFrame:
    """Stack the coded item matrix into one row per answered (or don't-know) item."""
    rows, cols = np.nonzero(~np.isnan(values) | nas)
    return pd.DataFrame(
        {
            "respondent": respondent[rows],
            "item": np.asarray(items, dtype=object)[cols],
            "value": values[rows, cols],
            "na": nas[rows, cols],
        }
    )


def _metadata(raw: RawSurvey, table: np.ndarray, key: bytes) -> dict[str, object]:
    """Respondent metadata columns: times in UTC, duration, progress, status, identity."""
    n = len(table)

    def column(name: str) -> pd.Series:
        index = raw.meta.get(name)
        return pd.Series(table[:, index] if index is not None else [""] * n, dtype=object)

    out: dict[str, object] = {"response_id": column("response_id").to_numpy()}
    for name in ("started", "ended", "recorded"):
        out[name] = parse_times(raw, column(name), name)
    duration = pd.to_numeric(column("duration_seconds").replace("", None), errors="coerce")
    if "duration_seconds" in raw.meta:
        bad = duration.isna() & (column("duration_seconds") != "")
        if bad.any():
            row = int(bad.idxmax())
            raise InputFileError(
                f"{raw.where(row, raw.meta['duration_seconds'])}: expected a number of seconds"
            )
    else:
        duration = (out["ended"] - out["started"]).dt.total_seconds()
    out["duration_seconds"] = duration.to_numpy(dtype="float64", na_value=float("nan"))
    finished = (
        column("finished").str.lower().map({"true": True, "1": True, "false": False, "0": False})
    )
    out["finished"] = finished.to_numpy(dtype="object")
    out["progress"] = pd.to_numeric(
        column("progress").replace("", None), errors="coerce"
    ).to_numpy()
    out["status"] = column("status").to_numpy()
    emails, refs = column("email"), column("external_ref")
    out["identity"] = [
        person_pseudonym(e, key) if e else (pseudonym(f"ref:{r}", key) if r else None)
        for e, r in zip(emails, refs, strict=True)
    ]
    return out


def _audience(respondents: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """``managers`` for respondents whose audience answer is a manager answer, else ``all``."""
    if instrument.audience_question is None or instrument.audience_question not in respondents:
        return pd.Series("all", index=respondents.index)
    managers = {a.casefold() for a in instrument.manager_answers}
    answer = respondents[instrument.audience_question].astype(str).str.strip().str.casefold()
    return answer.isin(managers).map({True: "managers", False: "all"})


def _empty_respondents(instrument: Instrument) -> pd.DataFrame:
    columns = ["respondent", "source", "row", "excluded", "exclusion_detail", "audience"]
    return pd.DataFrame(columns=columns + [d.id for d in instrument.demographics])


def _empty_answers() -> pd.DataFrame:
    return pd.DataFrame(columns=["respondent", "item", "value", "na"])
