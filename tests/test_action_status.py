"""Reading an edited action plan back, and checking each action's measure in the next wave."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from adoption_lib.config.playbook import load_playbook
from adoption_lib.diagnosis.action_plan import write_action_plan
from adoption_lib.errors import InputFileError
from adoption_lib.remeasure.follow_through import (
    ActionPlanError,
    ActionStatus,
    follow_through,
    read_action_status,
)

ACTIONS = [
    {
        "id": f"A{i}",
        "barrier": "process_fit",
        "action": f"Action {i}",
        "owner_role": "Line managers",
        "due": "2026-12-02",
        "play": "process_alignment",
        "evidence": "survey",
        "measure": measure,
        "baseline": baseline,
        "target": target,
        "status": "planned",
        "scope": "organisation-wide",
    }
    for i, (measure, baseline, target) in enumerate(
        [
            ("constructs.process_fit.unfavourable_pct", 0.42, 0.27),
            ("usage.license_utilisation", 0.62, 0.75),
            ("usage.never_activated", 51.0, 25.5),
            ("constructs.key2_plan.favourable_pct", 0.22, 0.37),
            ("usage.dau_mau", 0.30, 0.40),
        ],
        start=1,
    )
]
LATER = {
    "constructs": {
        "process_fit": {"unfavourable_pct": 0.25},
        "key2_plan": {"favourable_pct": 0.30},
    },
    "usage": {"license_utilisation": 0.58, "never_activated": 51, "dau_mau": None},
}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    register = [{"id": a["id"], "phase_days": 30} for a in ACTIONS]
    xlsx, _ = write_action_plan(ACTIONS, register, load_playbook(), tmp_path / "plan")
    return xlsx


def _edit(path: Path, cells: dict[str, object], delete_column: int | None = None) -> None:
    book = load_workbook(path)
    sheet = book["Plan"]
    for ref, value in cells.items():
        sheet[ref] = value
    if delete_column is not None:
        sheet.delete_cols(delete_column)
    book.save(path)


def test_statuses_edited_with_openpyxl_read_back(plan: Path) -> None:
    # Status is column J; rows 2.. are A1..A5
    _edit(plan, {"J2": "done", "J3": "In-Progress", "J4": " IN PROGRESS ", "J5": None})
    result = read_action_status(plan)
    assert result.problems == []
    assert result.status() == {
        "A1": "done",
        "A2": "in progress",
        "A3": "in progress",
        "A4": "planned",  # a cleared cell is "planned"
        "A5": "planned",
    }
    assert result.rows[0]["measure"] == "constructs.process_fit.unfavourable_pct"
    assert result.rows[0]["baseline"] == 0.42 and result.rows[0]["row"] == 2


def test_a_bad_status_names_sheet_row_and_column_and_keeps_the_rest(plan: Path) -> None:
    _edit(plan, {"J2": "done", "J4": "finished", "H5": "lots"})
    with pytest.raises(ActionPlanError) as caught:
        read_action_status(plan)
    problems = caught.value.problems
    assert problems == [
        "action_plan.xlsx, sheet Plan, row 4, column J (Status): 'finished' is not a status "
        "(planned, in progress, done)",
        "action_plan.xlsx, sheet Plan, row 5, column H (Baseline): 'lots' is not a number",
    ]
    kept = caught.value.result.status()
    assert kept == {"A1": "done", "A2": "planned", "A3": None, "A4": "planned", "A5": "planned"}


def test_a_deleted_column_is_named_and_no_row_is_lost(plan: Path) -> None:
    _edit(plan, {"J2": "done"}, delete_column=14)  # Measure key (N)
    result = read_action_status(plan, strict=False)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "action_plan.xlsx, sheet Plan, row 1: column 'Measure key' is missing (the header has: "
    )
    assert [r["id"] for r in result.rows] == ["A1", "A2", "A3", "A4", "A5"]
    assert result.status()["A1"] == "done"  # columns after the deleted one still line up
    assert "measure" not in result.rows[0]
    deleted_status = load_workbook(plan)
    deleted_status["Plan"].delete_cols(7)  # Measure, in words: nothing is read from it
    deleted_status["Plan"].delete_cols(9)  # Status, now column I
    deleted_status.save(plan)
    result = read_action_status(plan, strict=False)
    assert any("column 'Status' is missing" in p for p in result.problems)
    assert [r["status"] for r in result.rows] == [None] * 5 and len(result.rows) == 5


def test_repeated_and_blank_ids_and_unreadable_files(plan: Path, tmp_path: Path) -> None:
    _edit(plan, {"B3": "A1", "B4": None})
    result = read_action_status(plan, strict=False)
    assert result.problems == [
        "action_plan.xlsx, sheet Plan, row 3, column B (ID): 'A1' is also on row 2",
        "action_plan.xlsx, sheet Plan, row 4, column B (ID): blank id; the row's action "
        "cannot be matched",
    ]
    assert [r["id"] for r in result.rows] == ["A1", "A4", "A5"]
    with pytest.raises(InputFileError, match="file not found"):
        read_action_status(tmp_path / "nothing.xlsx")
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook")
    with pytest.raises(InputFileError, match=r"not an \.xlsx workbook"):
        read_action_status(bogus)
    book = load_workbook(plan)
    book["Plan"].title = "My plan"
    book.save(plan)
    with pytest.raises(ActionPlanError, match="no sheet 'Plan'"):
        read_action_status(plan)


def test_follow_through_compares_each_measure_with_baseline_and_target(plan: Path) -> None:
    _edit(plan, {"J2": "done", "J3": "in progress", "I4": 30})  # A3's target edited to 30
    table = follow_through(ACTIONS, read_action_status(plan), LATER).set_index("id")
    assert table.loc["A1", "status"] == "done" and table.loc["A1", "verdict"] == "target met"
    assert table.loc["A1", "progress"] == pytest.approx((0.25 - 0.42) / (0.27 - 0.42))
    assert table.loc["A2", "verdict"] == "moved away" and table.loc["A2", "progress"] < 0
    assert table.loc["A3", "target"] == 30 and table.loc["A3", "verdict"] == "no clear change"
    assert table.loc["A4", "verdict"] == "moving"
    assert table.loc["A4", "progress"] == pytest.approx(0.08 / 0.15)
    assert table.loc["A5", "verdict"] == "not measured"  # dau_mau is null in the later wave


@pytest.mark.libreoffice
def test_a_plan_saved_by_libreoffice_reads_back(
    plan: Path, libreoffice: str, tmp_path: Path
) -> None:
    _edit(plan, {"J2": "done", "J3": "in progress"})
    out = tmp_path / "saved"
    done = subprocess.run(
        [libreoffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
         "--outdir", str(out), str(plan)],
        capture_output=True,
        text=True,
        timeout=240,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    saved = out / plan.name
    assert saved.read_bytes() != plan.read_bytes()  # LibreOffice wrote its own file
    result = read_action_status(saved)
    assert result.status() == {
        "A1": "done",
        "A2": "in progress",
        "A3": "planned",
        "A4": "planned",
        "A5": "planned",
    }
    assert result.rows[1]["baseline"] == pytest.approx(0.62)
    shutil.rmtree(out)


def test_a_wave_with_no_action_shows_an_empty_follow_through() -> None:
    # a usage-only engagement may have no action: the progress notebook's table is
    # empty, with its columns, instead of failing on the empty (float-typed) column
    from adoption_lib.remeasure.results import ProgressData
    from adoption_lib.reports.progress_views import follow_through as shown

    table = follow_through([], ActionStatus(Path("action_plan.xlsx")), LATER)
    data = ProgressData("client", {}, pd.DataFrame(), {}, table)
    out = shown(data)
    assert out.empty and out.index.name == "id"
    assert list(out.columns) == ["action", "status", "measure", "baseline", "target", "now",
                                 "verdict"]  # fmt: skip
