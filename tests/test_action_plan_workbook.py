"""action_plan.xlsx as a client reads and prints it: words, real units, tall rows, print setup."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from adoption_lib.config.playbook import load_playbook
from adoption_lib.diagnosis.action_plan import PLAN_COLUMNS, write_action_plan
from adoption_lib.remeasure.follow_through import read_action_status

ACTIONS = [
    {
        "id": "A8",
        "barrier": "data_trust",
        "action": "Publish a data-use statement: say what the data is for, and what it is not "
        "for, in one page the executive sponsor signs and every team discusses.",
        "owner_role": "Management: executive sponsor",
        "due": "2027-02-22",
        "phase": "before renewal",
        "measure": "constructs.data_trust.unfavourable_pct",
        "baseline": 0.3312,
        "target": 0.1812,
        "status": "planned",
        "scope": "organisation-wide",
        "evidence": "33% unfavourable in the survey",
    },
    {
        "id": "A6",
        "barrier": "routines",
        "action": "Supervisor coaching",
        "owner_role": "Line managers",
        "due": "2027-04-01",
        "phase": "after renewal",
        "measure": "usage.median_active_days_per_week",
        "baseline": 1.75,
        "target": 2.25,
        "status": "planned",
        "scope": "Field Sales",
        "evidence": "34% unfavourable",
    },
]
REGISTER = [
    {"id": "A8", "finding": "data_trust", "label": "Data trust", "kind": "barrier",
     "score": 0.3312, "control": "outside", "impact": 0.3312, "phase_days": 60},
    {"id": "A6", "finding": "routines", "label": "Routines", "kind": "barrier",
     "score": 0.34, "control": "inside", "impact": 0.0845, "phase_days": 90},
]  # fmt: skip


@pytest.fixture
def book(tmp_path: Path):
    xlsx, _ = write_action_plan(ACTIONS, REGISTER, load_playbook(), tmp_path)
    return xlsx, load_workbook(xlsx)


def _column(sheet, header: str) -> list:
    names = [c.value for c in sheet[1]]
    return list(
        sheet.iter_rows(min_row=2, min_col=names.index(header) + 1, max_col=names.index(header) + 1)
    )


def test_the_plan_names_findings_and_measures_in_words(book) -> None:
    _, wb = book
    plan = wb["Plan"]
    assert [c.value for c in plan[1]] == [name for name, _, _ in PLAN_COLUMNS]
    rows = {r[1]: r for r in plan.iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in plan[1]]
    row = dict(zip(headers, rows["A8"], strict=True))
    assert row["Finding"] == "Data trust"
    assert row["Measure"] == "Data trust, unfavourable share"
    assert row["Measure key"] == "constructs.data_trust.unfavourable_pct"
    assert "Notes" in headers and row["Notes"] is None
    assert dict(zip(headers, rows["A6"], strict=True))["Measure"] == "Median active days per week"


def test_shares_are_percentages_and_other_measures_keep_their_unit(book) -> None:
    _, wb = book
    plan = wb["Plan"]
    baseline = {cells[0].row: cells[0] for cells in _column(plan, "Baseline")}
    target = {cells[0].row: cells[0] for cells in _column(plan, "Target")}
    # A8 is due first, so on row 2
    assert baseline[2].value == pytest.approx(0.3312) and baseline[2].number_format == "0%"
    assert target[2].number_format == "0%"
    assert baseline[3].value == pytest.approx(1.75) and baseline[3].number_format == "0.00"
    register = wb["Register"]
    headers = [c.value for c in register[1]]
    first = dict(zip(headers, next(register.iter_rows(min_row=2)), strict=True))
    assert first["Prevalence (share of licensed users affected)"].number_format == "0%"
    assert first["In users' control"].value == "no"


def test_rows_are_tall_enough_and_every_sheet_prints_one_page_wide(book) -> None:
    _, wb = book
    plan = wb["Plan"]
    # the long action (about 160 characters in a 60-wide column) needs three lines
    assert plan.row_dimensions[2].height >= 3 * 15
    assert plan.row_dimensions[3].height >= 15
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert all(c.alignment.wrap_text for c in sheet[2])


def test_the_plan_reads_back_its_measure_key(book) -> None:
    xlsx, _ = book
    result = read_action_status(xlsx)
    assert {r["id"]: r["measure"] for r in result.rows} == {
        "A8": "constructs.data_trust.unfavourable_pct",
        "A6": "usage.median_active_days_per_week",
    }


def test_a_plan_from_before_the_measure_key_still_reads_its_measures(tmp_path: Path) -> None:
    old = Workbook()
    sheet = old.active
    sheet.title = "Plan"
    sheet.append(["Phase", "ID", "Finding", "Action", "Owner role", "Due", "Measure",
                  "Baseline", "Target", "Status", "Scope", "Evidence"])  # fmt: skip
    sheet.append(["days 1-30", "A1", "data_trust", "Statement", "Sponsor", "2026-12-02",
                  "constructs.data_trust.unfavourable_pct", 0.33, 0.18, "done", "all", "x"])  # fmt: skip
    path = tmp_path / "action_plan.xlsx"
    old.save(path)
    result = read_action_status(path)
    assert result.rows[0]["measure"] == "constructs.data_trust.unfavourable_pct"
    assert result.rows[0]["status"] == "done" and result.problems == []
