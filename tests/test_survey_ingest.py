"""Survey ingestion: the five platforms' layouts, answer coding, errors and quality rules.

Fixtures in tests/fixtures/surveys/ are hand-written after each vendor's documented
export layout:

* Qualtrics: "Data & Analysis > Export Data > CSV" (support page "Understanding Your
  Dataset"): row 1 export tags, row 2 question text (``Matrix - Statement``), row 3
  ``{"ImportId": ...}`` objects; ``Status`` "IP Address"/"Survey Preview" (0/1 in a
  numeric export); UTF-8 with a BOM.
* SurveyMonkey: help page "Exporting All Responses Data" (expanded, actual answer text):
  two header rows; a matrix's question text only over its first column, row labels in
  row 2; ``Response``/``Open-Ended Response`` under single questions.
* Google Forms: help page "View & manage form responses" (download .csv): ``Timestamp``
  first, grid columns ``Question [Row]``, times with a zone abbreviation.
* Microsoft Forms: help page "Check your form results" (Open results in Excel):
  ``ID, Start time, Completion time, Email, Name``, one column per question or
  Likert statement.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.survey.load import load_survey
from adoption_lib.survey.mapping import SurveyValueError

FIXTURES = Path(__file__).parent / "fixtures" / "surveys"
ROSTER = """email,department,role,supervisor
jane.doe@example.com,Sales,end user,boss@example.com
rick.roe@example.com,Service,manager,boss@example.com
ann.lee@example.com,Sales,end user,boss@example.com
bo.li@example.com,Service,end user,rick.roe@example.com
boss@example.com,Sales,executive,
"""
JANE = {"q_trust": 4.0, "q_help": 1.0, "q_plan": None, "q_seven": 5.0, "q_freq": 4.0}
RICK = {"q_trust": 3.0, "q_help": 2.0, "q_plan": 4.0, "q_seven": 1.0, "q_freq": 2.0}


def make_engagement(folder: Path, export: Path, fmt: str | None = None, extra: str = "") -> Path:
    """A minimal engagement around one survey export and the pulse instrument."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.csv").write_text(ROSTER)
    shutil.copy(export, folder / export.name)
    shutil.copy(FIXTURES / "pulse.yml", folder / "pulse.yml")
    format_line = f"\n    format: {fmt}" if fmt else ""
    (folder / "engagement.yml").write_text(
        f"""client: Example Co
system: Salesforce
go_live: 2026-01-05
assessment_date: 2026-10-30
renewal_date: 2027-01-04
licenses: 10
instrument: pulse.yml
survey_opened: 2026-10-05
survey_closed: 2026-10-23
survey_exports:
  - path: {export.name}{format_line}
roster: roster.csv
{extra}"""
    )
    return folder


def _values(data, row: int | str) -> dict[str, float | None]:
    """Coded answers of the response at file row ``row`` (or with response id ``row``)."""
    column = "response_id" if isinstance(row, str) else "row"
    respondent = data.respondents.loc[data.respondents[column] == row, "respondent"].item()
    rows = data.answers[data.answers["respondent"] == respondent]
    return {r.item: (None if r.na else r.value) for r in rows.itertuples()}


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("name", ["qualtrics_choice_text.csv", "qualtrics_numeric.csv"])
def test_qualtrics_both_variants(tmp_path: Path, name: str) -> None:
    engagement = load_engagement(make_engagement(tmp_path / "e", FIXTURES / name))
    data = load_survey(engagement)
    assert data.files[0].format == "qualtrics"
    assert data.files[0].matched["q_trust"] == "text"  # matrix column Q1_1 matched by its text
    assert data.files[0].matched["q_plan"] == "id"
    assert data.files[0].unmatched_columns == ["Q_RecaptchaScore"]
    assert data.quality.rows_received == 3
    assert data.quality.excluded["preview_or_test"] == 1
    assert data.quality.respondents_kept == 2
    assert _values(data, "R_2ZNQ4mKq1bA7xYt") == JANE
    assert _values(data, "R_3kLm9PqR2sT4uVw") == RICK
    kept = data.kept().set_index("response_id")
    jane, rick = kept.loc["R_2ZNQ4mKq1bA7xYt"], kept.loc["R_3kLm9PqR2sT4uVw"]
    assert jane["row"] == 4 and rick["row"] == (
        7 if "text" in name else 6
    )  # a comment spans two lines
    assert jane["department"] == "Sales" and rick["role"] == "Manager"
    assert rick["audience"] == "managers" and jane["audience"] == "all"
    assert jane["duration_seconds"] == 500
    # Denver is UTC-6 in October: 09:08:20 local is 15:08:20 UTC.
    assert jane["ended"].isoformat() == "2026-10-06T15:08:20+00:00"


def test_qualtrics_comment_keeps_commas_quotes_newlines_and_emoji(tmp_path: Path) -> None:
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", FIXTURES / "qualtrics_choice_text.csv"))
    )
    assert data.comments["text"].tolist() == ['Works, mostly.\nBut "reports" are slow 🐢']


def test_surveymonkey_csv_and_xlsx(tmp_path: Path) -> None:
    for export in (FIXTURES / "surveymonkey.csv", _monkey_xlsx(tmp_path)):
        data = load_survey(load_engagement(make_engagement(tmp_path / export.suffix[1:], export)))
        assert data.files[0].format == "surveymonkey"
        assert data.files[0].unmatched_columns == []
        assert data.quality.respondents_kept == 2
        assert _values(data, 3) == JANE
        assert _values(data, 4) == RICK
        assert data.kept().set_index("row").loc[3, "duration_seconds"] == 500


def _monkey_xlsx(tmp_path: Path) -> Path:
    import csv

    with (FIXTURES / "surveymonkey.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return _xlsx(tmp_path / "surveymonkey.xlsx", rows)


def test_google_forms_grid_and_zone_abbreviations(tmp_path: Path) -> None:
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", FIXTURES / "google_forms.csv"))
    )
    assert data.files[0].format == "google_forms"
    assert _values(data, 2) == JANE and _values(data, 3) == RICK
    kept = data.kept().set_index("row")
    assert kept.loc[2, "ended"].isoformat() == "2026-10-06T15:08:20+00:00"  # MDT is UTC-6
    assert kept.loc[3, "ended"].isoformat() == "2026-10-07T16:21:40+00:00"  # GMT+1
    assert data.quality.speeder_rule == "not_applicable"


def test_microsoft_forms_xlsx(tmp_path: Path) -> None:
    from datetime import datetime

    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "I trust the data in Salesforce.",
        "I struggle to get help with Salesforce.",
        "I know the plan for Salesforce.",
        "Salesforce saves me time.",
        "How often do you use Salesforce?",
        "Which department do you work in?",
        "Which best describes your role?",
        "Anything else?",
    ]
    rows = [
        header,
        [
            1,
            datetime(2026, 10, 6, 9, 0),
            datetime(2026, 10, 6, 9, 8, 20),
            "jane.doe@example.com",
            "Jane Doe",
            "Agree",
            "Strongly disagree",
            "Don't know",
            "Somewhat agree",
            "Every working day",
            "Sales",
            "End user",
            "Works, mostly.",
        ],
        [
            2,
            datetime(2026, 10, 7, 10, 15),
            datetime(2026, 10, 7, 10, 21, 40),
            "rick.roe@example.com",
            "Rick Roe",
            "Neither agree nor disagree",
            "Disagree",
            "Agree",
            "Strongly disagree",
            "A few times a month",
            "Service",
            "Manager",
            None,
        ],
    ]
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", _xlsx(tmp_path / "forms.xlsx", rows)))
    )
    assert data.files[0].format == "microsoft_forms"
    assert data.files[0].unmatched_columns == []
    assert _values(data, 2) == JANE and _values(data, 3) == RICK
    assert data.kept().set_index("row").loc[2, "duration_seconds"] == 500


def test_generic_cp1252_crlf(tmp_path: Path) -> None:
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", FIXTURES / "generic_cp1252.csv"))
    )
    assert data.files[0].format == "generic" and data.files[0].encoding == "cp1252"
    assert _values(data, 2) == JANE and _values(data, 3) == RICK
    assert data.comments["text"].tolist() == ["Café meetings, mostly – fine."]


def test_detection_ignores_the_file_name(tmp_path: Path) -> None:
    renamed = tmp_path / "qualtrics_export.csv"
    shutil.copy(FIXTURES / "google_forms.csv", renamed)
    assert read_survey_export(renamed).format == "google_forms"


def test_declared_format_that_does_not_fit_names_the_row_and_column(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "google_forms.csv", fmt="qualtrics")
    with pytest.raises(InputFileError) as caught:
        load_survey(load_engagement(folder))
    message = str(caught.value)
    assert "google_forms.csv:row 3, column 'Timestamp'" in message
    assert "expected Qualtrics' ImportId row" in message
    assert "format: qualtrics was given; the header rows look like google_forms" in message


def _edit(path: Path, old: str, new: str) -> Path:
    data = path.read_bytes().decode("utf-8-sig").replace(old, new, 1)
    path.write_text(data, encoding="utf-8")
    return path


def test_unknown_label_names_file_row_column_and_value(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "google_forms.csv")
    _edit(folder / "google_forms.csv", "Somewhat agree", "Kinda agree")
    with pytest.raises(SurveyValueError) as caught:
        load_survey(load_engagement(folder))
    message = str(caught.value)
    assert message.startswith(
        "google_forms.csv:row 2, column 'Salesforce saves me time.': unknown answer 'Kinda agree'"
    )


def test_lenient_quarantines_the_row_and_loses_nothing(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "google_forms.csv")
    _edit(folder / "google_forms.csv", "Somewhat agree", "Kinda agree")
    data = load_survey(load_engagement(folder), lenient=True)
    assert data.quality.rows_received == 2
    assert data.quality.excluded["unreadable_answer"] == 1
    assert data.quality.respondents_kept == 1
    assert _values(data, 3) == RICK
    quarantine = (folder / "private" / "survey_quarantine.csv").read_text()
    assert "unreadable_answer" in quarantine and "Kinda agree" in quarantine


def test_numeric_value_outside_the_codes_is_an_error(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "generic_cp1252.csv")
    raw = (
        (folder / "generic_cp1252.csv")
        .read_bytes()
        .decode("cp1252")
        .replace(",5,4,Sales", ",9,4,Sales")
    )
    (folder / "generic_cp1252.csv").write_bytes(raw.encode("cp1252"))
    with pytest.raises(
        SurveyValueError,
        match=r"row 2, column 'q_seven': value '9' is not one of the scale's codes \[1, 2, 3, 4, 5, 6, 7\]",
    ):
        load_survey(load_engagement(folder))


def test_truncated_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "qualtrics_choice_text.csv")
    path = folder / "qualtrics_choice_text.csv"
    path.write_bytes(path.read_bytes()[:-120])
    with pytest.raises(InputFileError, match="truncated"):
        load_survey(load_engagement(folder))


def test_truncated_inside_a_quoted_cell(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", FIXTURES / "qualtrics_choice_text.csv")
    path = folder / "qualtrics_choice_text.csv"
    text = path.read_bytes().decode("utf-8-sig")
    path.write_text(text[: text.index("But") + 3], encoding="utf-8")
    with pytest.raises(
        InputFileError, match=r"row 4: the file ends or breaks inside a quoted cell"
    ):
        load_survey(load_engagement(folder))


def test_dont_know_is_flagged_not_scored(tmp_path: Path) -> None:
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", FIXTURES / "qualtrics_numeric.csv"))
    )
    plan = data.kept_answers().query("item == 'q_plan'")
    assert plan["na"].tolist() == [True, False]
    assert math.isnan(plan["value"].iloc[0]) and plan["value"].iloc[1] == 4.0


def test_response_rate_against_the_roster(tmp_path: Path) -> None:
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", FIXTURES / "qualtrics_choice_text.csv"))
    )
    assert data.quality.response_rate == 0.4  # 2 kept of 5 licensed
    assert data.quality.response_rate_by["department"]["Sales"] == {
        "invited": 3,
        "responded": 1,
        "rate": 0.3333,
    }
    assert data.quality.response_rate_by["role"]["manager"]["responded"] == 1


@pytest.mark.parametrize(
    "text", ["5 - Strongly agree", "Strongly agree (5)", "5 = strongly AGREE", " strongly   agree "]
)
def test_numbered_and_untidy_labels(text: str) -> None:
    from adoption_lib.config.instrument import load_instrument
    from adoption_lib.survey.mapping import code_answer

    scale = load_instrument(FIXTURES / "pulse.yml").scales["agree5"]
    assert code_answer(text, scale, None, 0, 0) == (5.0, False)  # type: ignore[arg-type]


def test_generic_xlsx_and_import_id_matching(tmp_path: Path) -> None:
    rows = [
        [
            "response_id",
            "email",
            "ended",
            "Q1",
            "q_help",
            "q_plan",
            "q_seven",
            "q_freq",
            "department",
            "role",
        ],
        [
            1,
            "jane.doe@example.com",
            "2026-10-06T15:08:20Z",
            4,
            1,
            "Don't know",
            5,
            4,
            "Sales",
            "End user",
        ],
    ]
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", _xlsx(tmp_path / "wide.xlsx", rows)))
    )
    assert data.files[0].format == "generic" and data.files[0].encoding == "xlsx"
    assert data.files[0].unmatched_columns == ["Q1"]
    values = _values(data, 2)
    assert values == {k: v for k, v in JANE.items() if k != "q_trust"}
    # The same column, carrying the item id as its Qualtrics ImportId, maps by ImportId.
    from adoption_lib.config.instrument import load_instrument
    from adoption_lib.inputs.survey_table import RawSurvey, SurveyColumn
    from adoption_lib.survey.mapping import map_columns

    raw = RawSurvey(
        tmp_path / "x.csv", "qualtrics", [SurveyColumn(0, "Q1", "", "q_trust")], [["4"]], [4]
    )
    mapping = map_columns(raw, load_instrument(FIXTURES / "pulse.yml"), "Salesforce")
    assert mapping.questions == {"q_trust": 0} and mapping.how == {"q_trust": "import_id"}
