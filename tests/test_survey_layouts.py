"""Old and odd survey layouts, dates settled per file, and detection that never guesses.

The fixtures in tests/fixtures/surveys/layouts/ are written by this project in the
layouts the platforms produce (see that folder's README): they are not copies of any
third-party file. Every one holds the same people (Jane, Rick, and sometimes Ann), so
the coded values can be checked against one truth.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import (
    DateOrderError,
    InputFileError,
    MixedLanguageError,
    UnrecognisedLayoutError,
)
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.survey.load import load_survey
from tests.test_survey_ingest import JANE, RICK, _values, make_engagement

LAYOUTS = Path(__file__).parent / "fixtures" / "surveys" / "layouts"
ANN = {"q_trust": 4.0, "q_help": 4.0, "q_plan": 4.0, "q_seven": 6.0, "q_freq": 0.0}
ITEMS = {"q_trust", "q_help", "q_plan", "q_seven", "q_freq", "department", "role"}

#: file, format, layout, response ids in file order
CASES = [
    (
        "qualtrics_legacy.csv",
        "qualtrics",
        "legacy",
        ["R_3kVb8Qz1mXwT4aP", "R_9hTq2Lw6nYcE1sD", "R_5mPz7Ka3vRuG8bF"],
    ),
    ("qualtrics_insights.csv", "qualtrics", "insights", ["R_2ZNQ4mKq1bA7xYt", "R_1pVw8cZ2rT9sLmN"]),
    (
        "qualtrics_multilingual_numeric.csv",
        "qualtrics",
        "current",
        ["R_2ZNQ4mKq1bA7xYt", "R_1pVw8cZ2rT9sLmN"],
    ),
    (
        "surveymonkey_legacy.csv",
        "surveymonkey",
        "legacy",
        ["3914325632", "3914327710", "3914330054"],
    ),
    ("surveymonkey_stripped.csv", "surveymonkey", "stripped", ["", "", ""]),
    (
        "surveymonkey_one_header.csv",
        "generic",
        "",
        ["114459230901", "114459231777", "114459230901", "114459233520"],
    ),
]


@pytest.mark.parametrize(("name", "fmt", "layout", "ids"), CASES, ids=[c[0] for c in CASES])
def test_each_layout_is_read_with_its_rows_ids_and_items(
    tmp_path: Path, name: str, fmt: str, layout: str, ids: list[str]
) -> None:
    raw = read_survey_export(LAYOUTS / name)
    assert (raw.format, raw.layout) == (fmt, layout)
    assert len(raw.rows) == len(ids)
    assert [raw.meta_value(r, "response_id") for r in range(len(raw.rows))] == ids
    data = load_survey(load_engagement(make_engagement(tmp_path / "e", LAYOUTS / name)))
    assert set(data.files[0].matched) >= ITEMS
    assert data.files[0].unmatched_columns == []
    first_rows = data.respondents["row"].tolist()
    assert _values(data, first_rows[0]) == JANE
    assert _values(data, first_rows[1]) == RICK


def test_legacy_qualtrics_marks_its_preview_and_names_metadata_by_row_two() -> None:
    raw = read_survey_export(LAYOUTS / "qualtrics_legacy.csv")
    names = {n: raw.columns[i].name for n, i in raw.meta.items()}
    assert names == {
        "response_id": "ResponseID",
        "email": "EmailAddress",
        "external_ref": "ExternalDataReference",
        "status": "Status",
        "started": "StartDate",
        "ended": "EndDate",
        "finished": "Finished",
    }
    assert raw.row_numbers == [3, 4, 5]


def test_legacy_qualtrics_preview_is_excluded(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", LAYOUTS / "qualtrics_legacy.csv")
    data = load_survey(load_engagement(folder))
    assert data.respondents.set_index("row")["excluded"].to_dict() == {
        3: None,
        4: None,
        5: "preview_or_test",
    }


def test_insights_keeps_its_time_zone() -> None:
    raw = read_survey_export(LAYOUTS / "qualtrics_insights.csv")
    assert raw.timezone == "America/Denver"
    assert raw.columns[raw.meta["response_id"]].import_id == "responseId"
    assert [c.import_id for c in raw.columns[16:18]] == ["QID1-1", "QID1-2"]


def test_legacy_surveymonkey_drops_nul_bytes_and_settles_month_first_from_the_window(
    tmp_path: Path,
) -> None:
    assert b"\x00" in (LAYOUTS / "surveymonkey_legacy.csv").read_bytes()
    data = load_survey(
        load_engagement(make_engagement(tmp_path / "e", LAYOUTS / "surveymonkey_legacy.csv"))
    )
    ended = data.respondents.set_index("row")["ended"]
    # 10/06/2026 is 6 October: 10 June would fall outside the 5-23 October survey window.
    assert ended[3] == datetime(2026, 10, 6, 9, 8, 20, tzinfo=UTC)
    assert ended[5] == datetime(2026, 10, 9, 14, 33, 5, tzinfo=UTC)
    assert data.files[0].encoding == "cp1252"
    assert _values(data, 5) == ANN


def test_one_header_surveymonkey_finds_the_repeated_response(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", LAYOUTS / "surveymonkey_one_header.csv")
    data = load_survey(load_engagement(folder))
    table = data.respondents.set_index("row")
    assert table.loc[4, "excluded"] == "duplicate"
    assert table.loc[4, "exclusion_detail"] == "same response as row 2"
    assert table["excluded"].isna().sum() == 3
    # 13/10/2026 settles the whole file day-first, so 06/10 is 6 October too.
    assert table.loc[2, "ended"] == datetime(2026, 10, 6, 9, 8, tzinfo=UTC)
    assert table.loc[5, "ended"] == datetime(2026, 10, 13, 14, 33, tzinfo=UTC)
    assert data.files[0].notes == [
        "surveymonkey_one_header.csv: times without a zone were read as UTC"
        " (set timezone: in engagement.yml if they are local times)"
    ]


def test_multilingual_numeric_export_codes_every_language(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", LAYOUTS / "qualtrics_multilingual_numeric.csv")
    data = load_survey(load_engagement(folder))
    assert data.respondents["excluded"].isna().all()
    assert _values(data, 4) == JANE
    assert _values(data, 5) == RICK


def test_multilingual_choice_text_stops_with_a_clear_error(tmp_path: Path) -> None:
    folder = make_engagement(tmp_path / "e", LAYOUTS / "qualtrics_multilingual_text.csv")
    with pytest.raises(MixedLanguageError) as caught:
        load_survey(load_engagement(folder))
    message = str(caught.value)
    assert message.startswith("qualtrics_multilingual_text.csv:row 5, column 'Q1_1':")
    assert "answer \"Ni d'accord ni pas d'accord\"" in message
    assert "2 languages (EN, FR, column 'Q_Language')" in message
    assert "this row's is FR" in message
    assert "Use numeric values" in message


@pytest.mark.parametrize("header", ["Respondent ID", "ResponseID", "RespondentID", "Response ID"])
def test_generic_response_id_aliases(tmp_path: Path, header: str) -> None:
    export = tmp_path / "responses.csv"
    export.write_text(
        f"{header},E-mail,Submitted,q_trust\nA1,jane.doe@example.com,2026-10-06 09:00,4\n"
    )
    raw = read_survey_export(export)
    assert raw.format == "generic"
    assert (raw.meta_value(0, "response_id"), raw.meta_value(0, "email")) == (
        "A1",
        "jane.doe@example.com",
    )
    assert raw.meta_value(0, "ended") == "2026-10-06 09:00"


# --- detection that never guesses --------------------------------------------------------


def _without_import_row(tmp_path: Path) -> Path:
    source = (LAYOUTS / "qualtrics_insights.csv").read_text(encoding="utf-8-sig").splitlines()
    out = tmp_path / "two_rows.csv"
    out.write_text("\n".join(source[:2] + source[3:]) + "\n", encoding="utf-8")
    return out


def test_header_like_rows_are_refused_not_read_as_respondents(tmp_path: Path) -> None:
    with pytest.raises(UnrecognisedLayoutError) as caught:
        read_survey_export(_without_import_row(tmp_path))
    message = str(caught.value)
    assert message.startswith("two_rows.csv:row 2: looks like a header row")
    assert "the metadata name 'Start Date'" in message
    assert "set format:" in message


def test_unknown_layout_is_exit_2_one_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = _without_import_row(tmp_path)
    folder = make_engagement(tmp_path / "e", export)
    before = sorted(p.name for p in folder.rglob("*"))
    assert main(["summary", str(folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "looks like a header row" in err
    after = sorted(p.name for p in folder.rglob("*") if "private" not in p.parts)
    assert set(after) <= set(before) | {"private"}


def test_explicit_format_is_honoured_where_detection_cannot_decide(tmp_path: Path) -> None:
    # A questions-only SurveyMonkey export of matrix questions alone has no "Response"
    # marker; detection refuses it, and format: surveymonkey reads it.
    export = tmp_path / "matrix_only.csv"
    export.write_text(
        "About Salesforce,,\n"
        "I trust the data in Salesforce.,I struggle to get help with Salesforce.,"
        "I know the plan for Salesforce.\n"
        "Agree,Strongly disagree,Agree\nNeither agree nor disagree,Disagree,Agree\n"
    )
    with pytest.raises(UnrecognisedLayoutError, match="under blank column names"):
        read_survey_export(export)
    raw = read_survey_export(export, "surveymonkey")
    assert (raw.format, len(raw.rows)) == ("surveymonkey", 2)
    assert [c.text for c in raw.columns] == [
        "About Salesforce - I trust the data in Salesforce.",
        "About Salesforce - I struggle to get help with Salesforce.",
        "About Salesforce - I know the plan for Salesforce.",
    ]


def test_explicit_format_names_the_column_that_does_not_fit(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        read_survey_export(LAYOUTS / "surveymonkey_one_header.csv", "surveymonkey")
    message = str(caught.value)
    assert message.startswith("surveymonkey_one_header.csv:row 2, column 'Respondent ID'")
    assert "holds '114459230901'" in message
    assert "the header rows look like generic" in message


# --- dates per file ----------------------------------------------------------------------

GB_HEADER = (
    "Timestamp,Email Address,About Salesforce [I trust the data in Salesforce.],"
    "About Salesforce [I struggle to get help with Salesforce.],I know the plan for Salesforce.,"
    "Salesforce saves me time.,How often do you use Salesforce?\n"
)
ANSWERS = "Agree,Disagree,Agree,Agree,Every working day"
#: Google Forms from an en-GB account: day-first, no zone, every day 12 or less.
GB_FORMS = GB_HEADER + "".join(
    f"{when},{email},{ANSWERS}\n"
    for when, email in [
        ("06/10/2026 09:08:20", "jane.doe@example.com"),
        ("07/10/2026 17:21:40", "rick.roe@example.com"),
        ("09/10/2026 11:00:00", "ann.lee@example.com"),
    ]
)


def _gb_engagement(tmp_path: Path, extra: str = "", window: bool = True) -> Path:
    export = tmp_path / "form_gb.csv"
    export.write_text(GB_FORMS)
    folder = make_engagement(tmp_path / "e", export, extra=extra)
    if not window:
        config = folder / "engagement.yml"
        text = config.read_text().replace("survey_opened: 2026-10-05\n", "")
        config.write_text(text.replace("survey_closed: 2026-10-23\n", ""))
    return folder


def test_day_first_dates_all_twelve_or_less_are_settled_by_the_window(tmp_path: Path) -> None:
    data = load_survey(load_engagement(_gb_engagement(tmp_path)), write=False)
    ended = data.respondents["ended"].tolist()
    assert ended == [
        datetime(2026, 10, 6, 9, 8, 20, tzinfo=UTC),
        datetime(2026, 10, 7, 17, 21, 40, tzinfo=UTC),
        datetime(2026, 10, 9, 11, 0, tzinfo=UTC),
    ]


def test_undecidable_dates_stop_and_ask_for_date_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _gb_engagement(tmp_path, window=False)
    with pytest.raises(DateOrderError) as caught:
        load_survey(load_engagement(folder), write=False)
    assert str(caught.value) == (
        "form_gb.csv: dates such as '06/10/2026 09:08:20' could be day/month or month/day, "
        "and the values do not settle it (and no survey window is set); add date_order: dmy "
        "or date_order: mdy to this export in engagement.yml"
    )
    assert main(["summary", str(folder)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_declared_date_order_and_timezone_are_honoured(tmp_path: Path) -> None:
    folder = _gb_engagement(tmp_path, window=False)
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace(
            "  - path: form_gb.csv\n",
            "  - path: form_gb.csv\n    date_order: mdy\n    timezone: Europe/London\n",
        )
    )
    data = load_survey(load_engagement(folder), write=False)
    # month-first: 10 June 2026, 09:08:20 British Summer Time is 08:08:20 UTC
    assert data.respondents["ended"].iloc[0] == datetime(2026, 6, 10, 8, 8, 20, tzinfo=UTC)
    assert data.files[0].notes == []


def test_engagement_timezone_applies_to_naive_times(tmp_path: Path) -> None:
    folder = _gb_engagement(tmp_path, extra="timezone: America/New_York\n")
    data = load_survey(load_engagement(folder), write=False)
    assert data.respondents["ended"].iloc[0] == datetime(2026, 10, 6, 13, 8, 20, tzinfo=UTC)
    assert data.files[0].notes == []


def test_unknown_timezone_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _gb_engagement(tmp_path, extra="timezone: Mars/Olympus\n")
    assert main(["validate", str(folder)]) == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err


def test_mixed_orders_in_one_file_are_an_error(tmp_path: Path) -> None:
    export = tmp_path / "mixed.csv"
    export.write_text(GB_FORMS + f"10/13/2026 10:00:00,bo.li@example.com,{ANSWERS}\n")
    export.write_text(export.read_text().replace("06/10/2026", "13/10/2026"))
    folder = make_engagement(tmp_path / "e", export)
    with pytest.raises(DateOrderError, match=r"both day-first .* and month-first"):
        load_survey(load_engagement(folder), write=False)


def test_the_file_is_kept_intact_after_every_error(tmp_path: Path) -> None:
    folder = _gb_engagement(tmp_path, window=False)
    before = (folder / "form_gb.csv").read_bytes()
    with pytest.raises(DateOrderError):
        load_survey(load_engagement(folder))
    assert (folder / "form_gb.csv").read_bytes() == before
    assert not (folder / "private" / "survey_quarantine.csv").exists()


def test_survey_check_names_the_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_engagement(tmp_path / "e", LAYOUTS / "surveymonkey_legacy.csv")
    assert main(["survey", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "surveymonkey_legacy.csv: surveymonkey (legacy layout), cp1252, 3 rows" in out


def test_an_unknown_zone_in_the_file_is_a_clear_error(tmp_path: Path) -> None:
    export = tmp_path / "insights_mars.csv"
    export.write_bytes(
        (LAYOUTS / "qualtrics_insights.csv").read_bytes().replace(b"America/Denver", b"Mars/Base")
    )
    folder = make_engagement(tmp_path / "e", export)
    with pytest.raises(InputFileError, match="'Mars/Base', a zone this machine does not know"):
        load_survey(load_engagement(folder), write=False)
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace(
            "  - path: insights_mars.csv\n", "  - path: insights_mars.csv\n    timezone: UTC\n"
        )
    )
    data = load_survey(load_engagement(folder), write=False)
    assert data.respondents["ended"].iloc[0] == datetime(2026, 10, 6, 9, 8, 20, tzinfo=UTC)
