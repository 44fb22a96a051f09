"""The action plan as the client tracks it: ``action_plan.xlsx`` and ``action_plan.csv``.

The workbook has a **Plan** sheet (the plan by due date: one row per action, with
owner, due date, a status cell limited to planned / in progress / done, and a Notes
column for the client), a **Register** sheet (every finding with its evidence, control
and owner), and a **Plays** sheet (the playbook the actions come from). Findings and
measures are in words; a share is a percentage format over its fraction; rows are tall
enough for their wrapped text; each sheet prints landscape, one page wide, with its
header row on every page. Written with openpyxl; it opens in Excel and LibreOffice.
The CSV holds the Plan sheet's rows.
"""

from __future__ import annotations

import csv
import math
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
from adoption_lib.labels import display_name
from adoption_lib.metrics import is_share, measure_name

#: The Plan sheet's columns: (header, action key, width). Columns A to J keep their
#: places from the first plans; the measure's summary.json path, which reading back
#: uses, is the last column ("Measure key"), and "Measure" is its name in words.
PLAN_COLUMNS = (
    ("Phase", "phase", 15),
    ("ID", "id", 6),
    ("Finding", "finding_words", 22),
    ("Action", "action", 60),
    ("Owner role", "owner_role", 28),
    ("Due", "due", 12),
    ("Measure", "measure_words", 34),
    ("Baseline", "baseline", 10),
    ("Target", "target", 10),
    ("Status", "status", 13),
    ("Scope", "scope", 28),
    ("Evidence", "evidence", 70),
    ("Notes", "notes", 40),
    ("Measure key", "measure", 24),
)
REGISTER_COLUMNS = (
    ("ID", "id", 6),
    ("Finding", "label", 30),
    ("Kind", "kind", 8),
    ("Survey share (unfavourable; favourable for a Key)", "score", 14),
    ("Scope", "scope", 28),
    ("In users' control", "control", 16),
    ("Owner role", "owner_role", 28),
    ("Play", "play_title", 36),
    ("Evidence", "evidence", 70),
    ("Comment mentions (respondents)", "comment_mentions", 14),
    ("Prevalence (share of licensed users affected)", "impact", 14),
    ("Effort", "effort", 9),
)
#: register and plan keys holding a share of 1, shown as a percentage
SHARE_KEYS = ("score", "impact")
#: a row's height per line of wrapped text, in points
LINE_HEIGHT = 15
PLAY_COLUMNS = (
    ("Action ID", "action_id", 9),
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
    by priority, the order ``actions`` comes in. The finding and the measure are in
    words too; the measure's path stays in "Measure key" for reading back. An action's phase is its
    own (``before renewal`` or ``after renewal``); a plan written before phases had
    one falls back to the register's days.
    """
    days = {r["id"]: r.get("phase_days") for r in register}
    labels = {r.get("finding"): r.get("label") for r in register}
    rows = [
        {
            **a,
            "phase": a.get("phase") or _days_phase(days.get(a["id"])),
            "finding_words": labels.get(a.get("barrier")) or display_name(str(a.get("barrier"))),
            "measure_words": measure_name(str(a.get("measure", ""))),
        }
        for a in actions
    ]
    return sorted(rows, key=lambda row: str(row.get("due") or "9999"))


def _days_phase(days: int | None) -> str:
    return "" if days is None else f"days {max(days - 29, 1)}-{days}"


def _sheet(ws: Any, columns: tuple[tuple[str, str, int], ...], rows: list[dict[str, Any]]) -> None:
    ws.append([c[0] for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = LINE_HEIGHT * max(
        _lines(name, width) for name, _, width in columns
    )
    for number, row in enumerate(rows, start=2):
        values = [_cell_value(key, row.get(key)) for _, key, _ in columns]
        ws.append(values)
        # wrapped text needs its row tall enough: LibreOffice does not grow it on open
        ws.row_dimensions[number].height = LINE_HEIGHT * max(
            _lines(value, width) for value, (_, _, width) in zip(values, columns, strict=True)
        )
    for index, (_, key, width) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        for number, cell in enumerate(ws[letter][1:]):
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if key == "due":
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, float):
                share = key in SHARE_KEYS or (
                    key in ("baseline", "target") and is_share(str(rows[number].get("measure")))
                )
                cell.number_format = "0%" if share else "0.00"
    as_text_cells(ws)  # text from the inputs never runs as a formula
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _print_setup(ws)


def _cell_value(key: str, value: Any) -> Any:
    """A row's value as its cell holds it: a date, words for a flag, lines for a list."""
    if key == "due" and isinstance(value, str):
        return date.fromisoformat(value)
    if key == "control" and isinstance(value, str):
        return {"inside": "yes", "outside": "no"}.get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _lines(value: Any, width: int) -> int:
    """How many lines a cell's text takes wrapped at its column's width (characters)."""
    if value is None:
        return 1
    text = str(value)
    return sum(max(1, math.ceil(len(part) * 1.1 / max(width - 1, 1))) for part in text.split("\n"))


def _print_setup(ws: Any) -> None:
    """Landscape A4, fit to one page wide, the header row on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "&A · page &P of &N"


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
    # the measure's path is for reading back, not for reading: hidden, kept last
    plan.column_dimensions[get_column_letter(len(PLAN_COLUMNS))].hidden = True
    if rows:
        check.add(f"{status_column}2:{status_column}{len(rows) + 1}")
    _sheet(book.create_sheet("Register"), REGISTER_COLUMNS, register)
    plays = [p.model_dump() for p in playbook.plays]
    for n, play in enumerate(plays, start=1):
        play["steps"] = [f"{i}. {s}" for i, s in enumerate(play["steps"], start=1)]
        play["action_id"] = f"A{n}"  # the id an action from this play takes, every wave
        play["measure"] = measure_name(play["measure"].replace("{barrier}", "the_barrier"))
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
