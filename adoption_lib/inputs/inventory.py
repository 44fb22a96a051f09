"""An inventory of an engagement's inputs: file, format, rows and the dates covered.

The first thing a consultant checks after collecting exports is whether they got what
they asked for: the whole roster, six months of logins, an event log that reaches the
assessment date. DuckDB scans each CSV (plain or gzipped, or a folder glob) without
loading it into memory; XLSX rosters are counted with openpyxl in read-only mode.

Survey exports are counted by the survey reader, since their header rows differ by
platform (Qualtrics writes three, SurveyMonkey two).
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from adoption_lib.config.schema import Engagement, SurveyExport, UsageExport
from adoption_lib.errors import DateOrderError, InputFileError
from adoption_lib.inputs.export_times import settle_times
from adoption_lib.inputs.file_guards import check_usage_files, check_workbook, export_files
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.inputs.survey_times import parse_timestamp
from adoption_lib.inputs.usage_readers.engine import connect
from adoption_lib.inputs.usage_readers.timestamps import date_order, timestamp_sql

#: The timestamp column each usage format is dated by (matched case-insensitively).
TIME_COLUMNS = {
    "roster": "hire_date",
    "salesforce_login_history": "LoginTime",
    "salesforce_users": "LastLoginDate",
    "salesforce_event_log": "TIMESTAMP_DERIVED",
    "m365_active_users": "Report Refresh Date",
    "m365_teams_activity": "Last Activity Date",
}


_ISO = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class InputSummary:
    """What one input file holds."""

    role: str
    path: str
    format: str
    bytes: int
    rows: int | None
    columns: int | None
    time_column: str | None
    first: str | None
    last: str | None
    unparsed_times: int | None
    note: str = ""


def take_inventory(engagement: Engagement) -> list[InputSummary]:
    """Describe every input an engagement lists.

    Parameters
    ----------
    engagement
        A validated engagement.

    Returns
    -------
    list of InputSummary
        The roster, then each survey export, then each usage export (and its User
        export for Salesforce LoginHistory), in ``engagement.yml`` order.

    Raises
    ------
    InputFileError
        When a file cannot be parsed as CSV, naming the file.
    """
    backend = connect()
    con = backend.con  # the DuckDB connection under ibis: plain SQL, rows back as tuples
    found = [_describe(con, engagement, "roster", engagement.roster, "roster", None)]
    for export in engagement.survey_exports:
        found.append(_describe_survey(engagement, export))
    for export in engagement.usage_exports:
        column = (export.columns or {}).get("ts") if export.format == "events" else None
        found.append(
            _describe(con, engagement, "usage", export.path, export.format, column, export)
        )
        if export.users is not None:
            found.append(
                _describe(con, engagement, "usage users", export.users, "salesforce_users", None)
            )
    backend.disconnect()
    return found


def _describe(
    con: duckdb.DuckDBPyConnection,
    engagement: Engagement,
    role: str,
    path: Path,
    fmt: str,
    time_column: str | None,
    export: UsageExport | None = None,
) -> InputSummary:
    files = export_files(path)
    size = sum(f.stat().st_size for f in files)
    rel = engagement.relative(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _describe_xlsx(engagement, path, role, rel, fmt, size)
    if not files:
        raise InputFileError(f"{path}: no files to read")
    source = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    if export is not None:
        check_usage_files(path, engagement.limits)
    note = ""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW inv AS SELECT * FROM read_csv({source}, all_varchar = true, header = true, union_by_name = true)"
        )
        names = [row[0] for row in con.execute("DESCRIBE inv").fetchall()]
        wanted = (time_column or TIME_COLUMNS.get(fmt, "")).lower()
        column = next((n for n in names if n.strip().lower() == wanted), None)
        if column is None:
            rows = con.execute("SELECT count(*) FROM inv").fetchone()[0]
            return InputSummary(role, rel, fmt, size, rows, len(names), None, None, None, None)
        quoted = '"' + column.replace('"', '""') + '"'
        order = None
        if export is not None:
            window = (engagement.go_live - timedelta(days=31), engagement.assessment_date)
            try:
                order = date_order(con, "inv", quoted, export, window)
            except DateOrderError as exc:
                note = str(exc).split(": ", 1)[-1]
        parsed = timestamp_sql(
            f"NULLIF(trim({quoted}), '')", order, export.timezone if export else None
        )
        rows, first, last, unparsed = con.execute(
            # Format in SQL: returning TIMESTAMPTZ values to Python would need pytz.
            f"SELECT count(*), strftime(min({parsed}), '{_ISO}'), strftime(max({parsed}), '{_ISO}'),"
            f" count(*) FILTER (WHERE NULLIF(trim({quoted}), '') IS NOT NULL AND {parsed} IS NULL)"
            " FROM inv"
        ).fetchone()
    except duckdb.Error as exc:
        raise InputFileError(f"{path}: cannot be read as CSV: {str(exc).splitlines()[0]}") from None
    return InputSummary(role, rel, fmt, size, rows, len(names), column, first, last, unparsed, note)


def _describe_survey(engagement: Engagement, export: SurveyExport) -> InputSummary:
    """Count responses with the survey reader (header rows differ by platform)."""

    path, fmt = export.path, export.format
    raw = read_survey_export(path, fmt, engagement.limits)
    notes = [] if fmt else [f"format detected from the header rows: {raw.described}"]
    try:
        settle_times(raw, export, engagement)
    except DateOrderError as exc:
        notes.append(str(exc).split(": ", 1)[-1])
    column = "ended" if "ended" in raw.meta else ("recorded" if "recorded" in raw.meta else None)
    times, unparsed = [], 0
    for row in range(len(raw.rows)) if column else []:
        try:
            when = parse_timestamp(raw.meta_value(row, column), raw.timezone, raw.date_order)
        except ValueError:
            unparsed += 1
            continue
        if when is not None:
            times.append(when)
    first = min(times).strftime(_ISO) if times else None
    last = max(times).strftime(_ISO) if times else None
    name = raw.columns[raw.meta[column]].name if column else None
    note = "; ".join(notes)
    return InputSummary(
        "survey",
        engagement.relative(path),
        raw.format,
        path.stat().st_size,
        len(raw.rows),
        len(raw.columns),
        name,
        first,
        last,
        unparsed if column else None,
        note,
    )


def _describe_xlsx(
    engagement: Engagement, path: Path, role: str, rel: str, fmt: str, size: int
) -> InputSummary:

    limits = engagement.limits
    check_workbook(path, limits.xlsx_max_unpacked_mb, limits.max_compression_ratio)
    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise InputFileError(f"{path}: cannot be read as XLSX: {exc}") from None
    sheet = book.worksheets[0]
    rows, columns = max(sheet.max_row - 1, 0), sheet.max_column
    book.close()
    return InputSummary(role, rel, fmt, size, rows, columns, None, None, None, None, "first sheet")


def format_inventory(items: list[InputSummary]) -> str:
    """Render an inventory as an aligned text table for the terminal.

    Parameters
    ----------
    items
        From :func:`take_inventory`.

    Returns
    -------
    str
        One line per input: role, format, rows, date range and path.
    """
    header = ("input", "format", "rows", "from", "to", "file")
    lines = [header]
    for item in items:
        rows = "?" if item.rows is None else f"{item.rows:,}"
        first = (item.first or "")[:10] or "-"
        last = (item.last or "")[:10] or "-"
        lines.append((item.role, item.format, rows, first, last, item.path))
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    text = [
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in lines
    ]
    notes = [f"  note: {i.path}: {i.note}" for i in items if i.note]
    bad = [
        f"  warning: {i.path}: {i.unparsed_times} values in {i.time_column} are not timestamps"
        for i in items
        if i.unparsed_times
    ]
    return "\n".join(text + notes + bad)


def write_inventory(items: list[InputSummary], engagement: Engagement, out: Path) -> list[Path]:
    """Write the inventory as ``inventory.json`` and a self-contained ``inventory.html``.

    Parameters
    ----------
    items
        From :func:`take_inventory`.
    engagement
        The engagement the inventory describes (for the page title).
    out
        Output folder; created when missing.

    Returns
    -------
    list of Path
        The two files written. The HTML page loads nothing from the network.
    """
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "engagement": {
            "client": engagement.client,
            "system": engagement.system,
            "assessment_date": engagement.assessment_date.isoformat(),
        },
        "inputs": [asdict(i) for i in items],
    }
    json_path = out / "inventory.json"
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    cells = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v if v is not None else '-'))}</td>"
            for v in (
                i.role,
                i.format,
                "?" if i.rows is None else f"{i.rows:,}",
                (i.first or "-")[:10],
                (i.last or "-")[:10],
                i.path,
            )
        )
        + "</tr>"
        for i in items
    )
    title = html.escape(f"{engagement.client} · {engagement.system}: input inventory")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}}
table{{border-collapse:collapse}}td,th{{border-bottom:1px solid #ccc;padding:.35rem .8rem;text-align:left}}
th{{background:#f2f2f2}}</style></head>
<body><h1>{title}</h1>
<p>Assessment as of {engagement.assessment_date.isoformat()}. Each input the engagement lists,
with its rows and the dates it covers.</p>
<table id="inventory"><thead><tr><th>input</th><th>format</th><th>rows</th><th>from</th><th>to</th><th>file</th></tr></thead>
<tbody>{cells}</tbody></table></body></html>
"""
    html_path = out / "inventory.html"
    html_path.write_text(page, encoding="utf-8")
    return [json_path, html_path]
