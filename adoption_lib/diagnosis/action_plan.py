"""The action plan as the client tracks it: ``action_plan.xlsx`` and ``action_plan.csv``.

The workbook has a **Plan** sheet (the 30/60/90-day plan: one row per action, with
owner, due date and a status cell limited to planned / in progress / done, ready for
tracking), a **Register** sheet (every finding with its evidence, control and owner),
and a **Plays** sheet (the playbook the actions come from). Written with openpyxl; it
opens in Excel and LibreOffice. The CSV holds the Plan sheet's rows.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from adoption_lib.cell_text import as_text_cells, csv_value
from adoption_lib.config.playbook import Playbook, load_playbook
from adoption_lib.config.schema import Engagement
from adoption_lib.diagnosis.findings import STATUSES

#: The Plan sheet's columns: (header, action key, width).
PLAN_COLUMNS = (
    ("Phase", "phase", 15),
    ("ID", "id", 6),
    ("Finding", "barrier", 18),
    ("Action", "action", 60),
    ("Owner role", "owner_role", 28),
    ("Due", "due", 12),
    ("Measure", "measure", 40),
    ("Baseline", "baseline", 10),
    ("Target", "target", 10),
    ("Status", "status", 13),
    ("Scope", "scope", 28),
    ("Evidence", "evidence", 70),
)
REGISTER_COLUMNS = (
    ("ID", "id", 6),
    ("Finding", "label", 30),
    ("Kind", "kind", 8),
    ("Survey share", "score", 12),
    ("Scope", "scope", 28),
    ("In users' control", "control", 16),
    ("Owner role", "owner_role", 28),
    ("Play", "play_title", 36),
    ("Evidence", "evidence", 70),
    ("Comment mentions", "comment_mentions", 12),
    ("Impact", "impact", 9),
    ("Effort", "effort", 9),
)
PLAY_COLUMNS = (
    ("ID", "id", 22),
    ("Play", "title", 40),
    ("When to use it", "when", 60),
    ("Steps", "steps", 80),
    ("Owner role", "owner_role", 24),
    ("Measure", "measure", 40),
    ("Typical weeks", "duration_weeks", 10),
    ("Effort", "effort", 9),
)
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def plan_rows(
    actions: list[dict[str, Any]], register: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The Plan sheet's rows: each action with its phase, in plan order.

    Plan order is by due date (what lands before the renewal first), and on one date
    by priority, the order ``actions`` comes in (A1 first). An action's phase is its
    own (``before renewal`` or ``after renewal``); a plan written before phases had
    one falls back to the register's days.
    """
    days = {r["id"]: r.get("phase_days") for r in register}
    rows = [{**a, "phase": a.get("phase") or _days_phase(days.get(a["id"]))} for a in actions]
    return sorted(rows, key=lambda row: str(row.get("due") or "9999"))


def _days_phase(days: int | None) -> str:
    return "" if days is None else f"days {max(days - 29, 1)}-{days}"


def _sheet(ws: Any, columns: tuple[tuple[str, str, int], ...], rows: list[dict[str, Any]]) -> None:
    ws.append([c[0] for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        values = []
        for _, key, _ in columns:
            value = row.get(key)
            if key == "due" and isinstance(value, str):
                value = date.fromisoformat(value)
            elif isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            values.append(value)
        ws.append(values)
    for index, (_, key, width) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        for cell in ws[letter][1:]:
            cell.alignment = Alignment(vertical="top", wrap_text=width >= 28)
            if key == "due":
                cell.number_format = "yyyy-mm-dd"
            elif key in ("baseline", "target", "score") and isinstance(cell.value, float):
                cell.number_format = "0.00"
    as_text_cells(ws)  # text from the inputs never runs as a formula
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_action_plan(
    actions: list[dict[str, Any]],
    register: list[dict[str, Any]],
    playbook: Playbook,
    out: Path,
    *,
    title: str = "",
) -> list[Path]:
    """Write ``action_plan.xlsx`` (Plan, Register, Plays) and ``action_plan.csv``.

    Parameters
    ----------
    actions
        summary.json ``actions``.
    register
        The register rows (records of :attr:`adoption_lib.diagnosis.findings.Register.rows`).
    playbook
        The plays.
    out
        Output folder, created when missing.
    title
        Written in the workbook's properties.

    Returns
    -------
    list of Path
        The two files.
    """
    out.mkdir(parents=True, exist_ok=True)
    rows = plan_rows(actions, register)
    book = Workbook()
    plan = book.active
    plan.title = "Plan"
    _sheet(plan, PLAN_COLUMNS, rows)
    status_column = get_column_letter([c[1] for c in PLAN_COLUMNS].index("status") + 1)
    check = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose planned, in progress or done",
    )
    plan.add_data_validation(check)
    if rows:
        check.add(f"{status_column}2:{status_column}{len(rows) + 1}")
    _sheet(book.create_sheet("Register"), REGISTER_COLUMNS, register)
    plays = [p.model_dump() for p in playbook.plays]
    for play in plays:
        play["steps"] = [f"{i}. {s}" for i, s in enumerate(play["steps"], start=1)]
    _sheet(book.create_sheet("Plays"), PLAY_COLUMNS, plays)
    book.properties.title = title or "Action plan"
    xlsx = out / "action_plan.xlsx"
    book.save(xlsx)
    path = out / "action_plan.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([c[0] for c in PLAN_COLUMNS])
        for row in rows:
            writer.writerow(
                [
                    "" if row.get(key) is None else csv_value(row.get(key))
                    for _, key, _ in PLAN_COLUMNS
                ]
            )
    return [xlsx, path]


def write_engagement_plan(
    engagement: Engagement,
    actions: list[dict[str, Any]],
    register: list[dict[str, Any]],
    out: Path,
) -> list[Path]:
    """Write an engagement's action plan with its own playbook and title.

    Parameters
    ----------
    engagement
        The engagement (its playbook, client and system).
    actions
        summary.json ``actions``.
    register
        The register's rows.
    out
        The folder to write into.

    Returns
    -------
    list of Path
        ``action_plan.xlsx`` and ``action_plan.csv``.
    """
    return write_action_plan(
        actions,
        register,
        load_playbook(engagement.playbook or "playbook"),
        out,
        title=f"{engagement.client} · {engagement.system}: adoption action plan",
    )
