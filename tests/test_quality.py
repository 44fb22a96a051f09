"""Survey quality rules: each exclusion reason, and their precedence (DESIGN §5)."""

from __future__ import annotations

from pathlib import Path

from adoption_lib.config.engagement import load_engagement
from adoption_lib.survey.load import load_survey

from .test_survey_ingest import make_engagement

HEADER = "response_id,email,status,started,ended,finished,q_trust,q_help,q_plan,q_seven,q_freq,department,role"
ROWS = [
    # r1: a preview by someone who also answered for real: preview wins over duplicate
    "r1,jane.doe@example.com,Survey Preview,2026-10-05T09:00:00Z,2026-10-05T09:09:00Z,True,4,2,4,5,3,Sales,End user",
    # r2/r3: the same person twice, both complete: the later one is kept
    "r2,jane.doe@example.com,,2026-10-06T09:00:00Z,2026-10-06T09:08:00Z,True,4,2,4,5,3,Sales,End user",
    "r3,Jane.Doe+x@example.com,,2026-10-08T09:00:00Z,2026-10-08T09:08:20Z,True,4,1,3,5,4,Sales,End user",
    # r4: partial (2 of 5) and fast: incomplete wins over speeder
    "r4,ann.lee@example.com,,2026-10-06T10:00:00Z,2026-10-06T10:00:20Z,False,4,2,,,,Sales,End user",
    # r5: fast and straight-lining: speeder wins over straight_line
    "r5,bo.li@example.com,,2026-10-06T11:00:00Z,2026-10-06T11:00:30Z,True,4,4,4,5,3,Service,End user",
    # r6: straight-lines the three agree5 items at a normal pace
    "r6,rick.roe@example.com,,2026-10-06T12:00:00Z,2026-10-06T12:07:30Z,True,2,2,2,6,3,Service,Manager",
    # r7-r9: ordinary responses
    "r7,boss@example.com,,2026-10-07T09:00:00Z,2026-10-07T09:06:40Z,True,5,1,4,6,4,Sales,Executive",
    "r8,x1@example.com,,2026-10-07T09:00:00Z,2026-10-07T09:10:00Z,True,3,2,Don't know,4,2,Service,End user",
    "r9,x2@example.com,,2026-10-07T09:00:00Z,2026-10-07T09:09:10Z,True,4,3,2,5,3,Sales,End user",
    # r10/r11: a complete answer and a later abandoned retake: the complete one is kept
    "r10,x3@example.com,,2026-10-08T09:00:00Z,2026-10-08T09:07:00Z,True,4,2,5,6,4,Service,End user",
    "r11,x3@example.com,,2026-10-09T09:00:00Z,2026-10-09T09:01:00Z,False,3,,,,,Service,End user",
]


def _data(tmp_path: Path):
    export = tmp_path / "responses.csv"
    export.write_text("\n".join([HEADER, *ROWS]) + "\n")
    folder = make_engagement(
        tmp_path / "e", export, extra="thresholds:\n  straightline_min_items: 3\n"
    )
    return load_survey(load_engagement(folder)), folder


def test_each_reason_and_its_precedence(tmp_path: Path) -> None:
    data, _ = _data(tmp_path)
    reasons = dict(zip(data.respondents["response_id"], data.respondents["excluded"], strict=True))
    assert reasons == {
        "r1": "preview_or_test",
        "r2": "duplicate",
        "r3": None,
        "r4": "incomplete",
        "r5": "speeder",
        "r6": "straight_line",
        "r7": None,
        "r8": None,
        "r9": None,
        "r10": None,
        "r11": "duplicate",
    }
    q = data.quality
    assert q.rows_received == 11 and q.respondents_kept == 5
    assert q.rows_received == q.respondents_kept + sum(q.excluded.values())
    assert q.excluded == {
        "unreadable_answer": 0,
        "preview_or_test": 1,
        "duplicate": 2,
        "incomplete": 1,
        "speeder": 1,
        "straight_line": 1,
    }


def test_details_explain_each_exclusion(tmp_path: Path) -> None:
    data, _ = _data(tmp_path)
    detail = dict(
        zip(data.respondents["response_id"], data.respondents["exclusion_detail"], strict=True)
    )
    assert detail["r2"] == "same person as row 4"
    assert detail["r4"] == "answered 40% of the items shown"
    # median of the durations still kept before the speeder rule: r3 r5 r6 r7 r8 r9 r10
    assert data.quality.median_duration_seconds == 450.0
    assert detail["r5"] == "30s against a 148s limit"
    assert detail["r6"] == "3 items on agree5 all answered 2"


def test_quarantine_file_lists_every_exclusion_in_private(tmp_path: Path) -> None:
    _, folder = _data(tmp_path)
    lines = (folder / "private" / "survey_quarantine.csv").read_text().splitlines()
    assert lines[0] == "source,row,response_id,reason,detail"
    assert len(lines) == 1 + 6
    assert "responses.csv,2,r1,preview_or_test,status: Survey Preview" in lines


def test_outside_window_is_counted(tmp_path: Path) -> None:
    data, _ = _data(tmp_path)
    assert data.quality.outside_window == 0
    late = tmp_path / "late"
    late.mkdir()
    export = late / "responses.csv"
    export.write_text("\n".join([HEADER, ROWS[2].replace("2026-10-08", "2026-10-30")]) + "\n")
    folder = make_engagement(late / "e", export)
    assert load_survey(load_engagement(folder)).quality.outside_window == 1
