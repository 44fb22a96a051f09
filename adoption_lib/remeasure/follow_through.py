"""Reading the action plan back: each action's status, and whether its measure moved.

The consultant (or the client) edits the **Plan** sheet of ``action_plan.xlsx`` in Excel,
LibreOffice or openpyxl, setting each action's status to planned, in progress or done.
The next wave reads it back with :func:`read_action_status` and checks every action's
``measure`` (a summary.json path) against its ``baseline`` and ``target`` with
:func:`follow_through`: the seeds' ARC loop (action, reflection, change) at the level of
the organisation.

A malformed edit never loses the other rows: every problem is collected, each naming the
file, sheet, row and column, and every readable row is kept. :class:`ActionPlanError`
carries both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from adoption_lib.diagnosis.findings import STATUSES, resolve
from adoption_lib.errors import InputError, InputFileError
from adoption_lib.inputs.file_guards import check_workbook

SHEET = "Plan"
#: The Plan sheet's headers that reading back needs, and the key each is read into.
REQUIRED = {"ID": "id", "Status": "status"}
OPTIONAL = {"Baseline": "baseline", "Target": "target", "Action": "action"}
#: the measure's summary.json path: "Measure key" since the plan names it in words under
#: "Measure"; a plan written before holds the path under "Measure"
MEASURE_HEADERS = ("Measure key", "Measure")


@dataclass
class ActionStatus:
    """The statuses read back: one record per action row, and every problem found."""

    path: Path
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def status(self) -> dict[str, str | None]:
        """Action id -> status (None where the cell could not be read)."""
        return {r["id"]: r["status"] for r in self.rows}


class ActionPlanError(InputError):
    """An edited action plan with problems; ``result`` keeps every row that could be read."""

    def __init__(self, result: ActionStatus) -> None:
        self.result = result
        self.problems = result.problems
        super().__init__("\n".join(result.problems))


def read_action_status(path: str | Path, *, strict: bool = True) -> ActionStatus:
    """Read each action's status (and measure, baseline, target) from the Plan sheet.

    Statuses are matched ignoring case, spaces, ``-`` and ``_`` ("In-Progress" is "in
    progress"); a blank status cell is "planned".

    Parameters
    ----------
    path
        The edited ``action_plan.xlsx``.
    strict
        Raise :class:`ActionPlanError` when any problem was found (the default); with
        ``False`` return the rows and the problems instead.

    Returns
    -------
    ActionStatus
        One record per action row: ``id``, ``status`` (None when unreadable), ``row``
        (the sheet's row number) and, where their columns exist, ``measure``,
        ``baseline``, ``target``, ``action``.

    Raises
    ------
    InputFileError
        When the file is missing or is not a workbook.
    ActionPlanError
        In strict mode, with every problem: an unknown status, a missing column, a
        repeated or blank id, a baseline or target that is not a number.
    """
    path = Path(path)
    result = ActionStatus(path)
    if path.is_file():
        check_workbook(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except Exception as exc:  # zip, XML or format errors: not a readable workbook
        raise InputFileError(f"{path}: not an .xlsx workbook ({exc})") from None
    if SHEET not in book.sheetnames:
        result.problems.append(f"{path.name}: no sheet '{SHEET}' (sheets: {book.sheetnames})")
        return _finish(result, strict)
    rows = book[SHEET].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    where = f"{path.name}, sheet {SHEET}"
    columns: dict[str, int] = {}
    measure = next((name for name in MEASURE_HEADERS if name in header), None)
    if measure == "Measure" and not _holds_paths(book[SHEET], header.index(measure)):
        measure = None  # the measure in words, its key column deleted: nothing to read
    if measure is not None:
        columns["measure"] = header.index(measure)
    else:
        result.problems.append(
            f"{where}, row 1: column 'Measure key' is missing (the header has: "
            f"{', '.join(h for h in header if h)}); put it back to read measures"
        )
    for name, key in {**REQUIRED, **OPTIONAL}.items():
        if name in header:
            columns[key] = header.index(name)
        elif name in REQUIRED or name in ("Baseline", "Target"):
            result.problems.append(
                f"{where}, row 1: column '{name}' is missing (the header has: "
                f"{', '.join(h for h in header if h)}); put it back to read "
                f"{'statuses' if name == 'Status' else name.lower() + 's'}"
            )
    if "id" not in columns:
        return _finish(result, strict)
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        cells = list(values) + [None] * (len(header) - len(values))
        if all(v is None or str(v).strip() == "" for v in cells):
            continue  # an empty row: nothing to read
        record = _record(cells, columns, number, where, result.problems)
        if record is None:
            continue
        if record["id"] in seen:
            result.problems.append(
                f"{where}, row {number}, column {_letter(columns['id'])} (ID): "
                f"'{record['id']}' is also on row {seen[record['id']]}"
            )
            continue
        seen[record["id"]] = number
        result.rows.append(record)
    return _finish(result, strict)


#: a summary.json path, as an older plan's Measure column holds it
PATH = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


def _holds_paths(sheet: Any, index: int) -> bool:
    """Whether a column holds summary.json paths (an older plan's Measure), not words."""
    values = [
        str(row[index]).strip()
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if index < len(row) and row[index] not in (None, "")
    ]
    return all(PATH.fullmatch(v) for v in values)


def _record(
    cells: list[Any], columns: dict[str, int], number: int, where: str, problems: list[str]
) -> dict[str, Any] | None:
    raw_id = cells[columns["id"]]
    if raw_id is None or str(raw_id).strip() == "":
        problems.append(
            f"{where}, row {number}, column {_letter(columns['id'])} (ID): blank id; "
            "the row's action cannot be matched"
        )
        return None
    record: dict[str, Any] = {"id": str(raw_id).strip(), "row": number, "status": None}
    if "status" in columns:
        text = cells[columns["status"]]
        status = _status(text)
        if status is None:
            problems.append(
                f"{where}, row {number}, column {_letter(columns['status'])} (Status): "
                f"'{text}' is not a status ({', '.join(STATUSES)})"
            )
        record["status"] = status
    for key in ("measure", "action"):
        if key in columns:
            value = cells[columns[key]]
            record[key] = None if value is None else str(value).strip()
    for key in ("baseline", "target"):
        if key in columns:
            value = cells[columns[key]]
            number_value = _number(value)
            if value not in (None, "") and number_value is None:
                problems.append(
                    f"{where}, row {number}, column {_letter(columns[key])} "
                    f"({key.capitalize()}): '{value}' is not a number"
                )
            record[key] = number_value
    return record


def _status(value: Any) -> str | None:
    if value is None or str(value).strip() == "":
        return "planned"
    key = re.sub(r"[\s_\-]+", " ", str(value)).strip().casefold()
    return key if key in STATUSES else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            return None
    return None


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _finish(result: ActionStatus, strict: bool) -> ActionStatus:
    if strict and result.problems:
        raise ActionPlanError(result)
    return result


def follow_through(
    actions: list[dict[str, Any]], status: ActionStatus, summary: dict[str, Any]
) -> pd.DataFrame:
    """Each action of the previous wave: its status now, and where its measure stands.

    Parameters
    ----------
    actions
        The previous wave's summary.json ``actions`` (measure, baseline, target).
    status
        The statuses read back from the edited plan; an edited measure, baseline or
        target there replaces the plan's.
    summary
        This wave's summary.json.

    Returns
    -------
    pandas.DataFrame
        Per action: ``id``, ``action``, ``status``, ``measure``, ``baseline``, ``target``,
        ``now`` (the measure in this wave), ``progress`` (share of the way from baseline
        to target, 1 = reached) and ``verdict``: "target met", "moving" (at least a
        tenth of the way), "no clear change", "moved away" (a tenth or more the wrong
        way) or "not measured"; ``closed`` when this wave's plan no longer holds the
        action (its finding is gone). Actions read back that the plan does not hold
        are listed last with the verdict "not in the plan".
    """
    edited = {r["id"]: r for r in status.rows}
    current = {a["id"] for a in summary.get("actions", [])}
    rows = []
    for action in actions:
        mine = edited.get(action["id"], {})
        measure = mine.get("measure") or action.get("measure")
        baseline = _pick(mine.get("baseline"), action.get("baseline"))
        target = _pick(mine.get("target"), action.get("target"))
        now = resolve(summary, measure) if measure else None
        progress = None
        if None not in (now, baseline, target) and target != baseline:
            progress = (now - baseline) / (target - baseline)
        rows.append(
            {
                "id": action["id"],
                "action": action.get("action"),
                "status": mine.get("status", action.get("status")),
                "measure": measure,
                "baseline": baseline,
                "target": target,
                "now": now,
                "progress": progress,
                "verdict": _verdict(progress, now, baseline),
                "closed": action["id"] not in current,
            }
        )
    planned = {a["id"] for a in actions}
    for extra in status.rows:
        if extra["id"] not in planned:
            rows.append({**extra, "verdict": "not in the plan", "closed": False})
    columns = ["id", "action", "status", "measure", "baseline", "target", "now", "progress"]
    return pd.DataFrame(rows).reindex(columns=[*columns, "verdict", "closed"])


def map_edited_ids(actions: list[dict[str, Any]], status: ActionStatus) -> list[str]:
    """Read a plan edited under older action ids: match its rows by action, then measure.

    Action ids follow the playbook (:func:`adoption_lib.diagnosis.plan_actions
    .action_ids`); a plan written before they did numbered actions by priority, so its
    "A3" may be another action's id now. Each row takes, in turn:

    1. the id of the one plan action with the same Action text;
    2. else its own id, when the plan holds it;
    3. else the id of the one plan action with the same Measure.

    An id already taken by an earlier row is never given twice, and a row matching
    none keeps its id (the follow-through lists it as not in the plan). Rows are
    changed in place.

    Parameters
    ----------
    actions
        The previous wave's summary.json ``actions``.
    status
        The statuses read back from the edited plan.

    Returns
    -------
    list of str
        One note per row given a new id ("A6 in the edited plan is A8 now: the same
        action"), for the progress report.
    """
    known = {a["id"] for a in actions}

    def only(key: str, value: Any) -> str | None:
        same = [a["id"] for a in actions if value and a.get(key) == value]
        return same[0] if len(same) == 1 else None

    chosen: list[str | None] = [only("action", row.get("action")) for row in status.rows]
    taken = {c for c in chosen if c}
    for n, row in enumerate(status.rows):
        if chosen[n] is None and row["id"] in known and row["id"] not in taken:
            chosen[n] = row["id"]
            taken.add(row["id"])
    for n, row in enumerate(status.rows):
        if chosen[n] is None:
            by_measure = only("measure", row.get("measure"))
            if by_measure and by_measure not in taken:
                chosen[n] = by_measure
                taken.add(by_measure)
    notes = []
    for row, new in zip(status.rows, chosen, strict=True):
        if new and new != row["id"]:
            notes.append(f"{row['id']} in the edited plan is {new} now: the same action.")
            row["id"] = new
    return notes


def _pick(edited: float | None, planned: Any) -> float | None:
    if edited is not None:
        return edited
    return float(planned) if isinstance(planned, int | float) else None


#: Less than this share of the way from baseline to target, either way, is no clear change.
CLEAR_MOVE = 0.1


def _verdict(progress: float | None, now: float | None, baseline: float | None) -> str:
    if now is None or baseline is None:
        return "not measured"
    if progress is None:
        return "no clear change" if now == baseline else "moving"
    if progress >= 1:
        return "target met"
    if progress >= CLEAR_MOVE:
        return "moving"
    return "moved away" if progress <= -CLEAR_MOVE else "no clear change"
