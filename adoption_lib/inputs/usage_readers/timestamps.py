"""Text timestamps in usage exports: ISO, or day/month dates settled once per file.

Admin consoles write ISO times (``2026-10-01T09:41:05Z``), but a report downloaded in
a user's locale writes ``01/10/2026 09:41``, which is 1 October in en-GB and 10 January
in en-US. As for survey exports, the order is a property of the whole file: it is
settled from the file's own values, then from the usage coverage (a month before
go-live to the assessment date), else from ``date_order:`` on the export, else the run stops
(:func:`adoption_lib.inputs.survey_times.settle_date_order`). A file of ISO times pays one
look at its first 1,000 rows.
"""

from __future__ import annotations

from datetime import date

import duckdb
import ibis

from adoption_lib.config.schema import UsageExport
from adoption_lib.errors import DateOrderError
from adoption_lib.inputs.survey_times import DAY_MONTH, settle_date_order

_DAY_MONTH_SQL = r"^\s*[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}"
_TIMES = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
_SAMPLE = 1000
_DISTINCT = 100_000


def _formats(order: str) -> str:
    date_part = {"dmy": "%d{s}%m{s}%Y", "mdy": "%m{s}%d{s}%Y"}[order]
    formats = [date_part.format(s=s) + " " + t for s in "/.-" for t in _TIMES]
    formats += [date_part.format(s=s) for s in "/.-"]
    return "[" + ", ".join(f"'{f}'" for f in formats) + "]"


def date_order(
    con: ibis.BaseBackend | duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    export: UsageExport,
    window: tuple[date, date] | None,
) -> str | None:
    """Settle whether one usage file's ``NN/NN/YYYY`` dates are day- or month-first.

    Parameters
    ----------
    con
        The backend.
    relation
        The SQL relation the file is read as (``read_csv(...)``).
    column
        The quoted timestamp column.
    export
        The export (its ``date_order:`` wins).
    window
        The dates the values must fall between, or ``None``.

    Returns
    -------
    str or None
        ``dmy``, ``mdy``, or ``None`` when the file writes no such dates.

    Raises
    ------
    DateOrderError
        When nothing settles the order, naming the file.
    """
    text = f"CAST({column} AS VARCHAR)"
    run = getattr(con, "raw_sql", None) or con.execute  # ibis, or a plain DuckDB connection
    sample = run(
        f"SELECT count(*) FROM (SELECT {text} AS t FROM {relation} LIMIT {_SAMPLE}) "
        f"WHERE regexp_matches(t, '{_DAY_MONTH_SQL}')"
    ).fetchone()[0]
    if not sample:
        return export.date_order
    dates = run(
        f"SELECT DISTINCT regexp_extract({text}, '{_DAY_MONTH_SQL}') AS d FROM {relation} "
        f"WHERE d <> '' LIMIT {_DISTINCT}"
    ).fetchall()
    texts = sorted(str(d[0]).strip() for d in dates if DAY_MONTH.match(str(d[0])))
    try:
        return settle_date_order(texts, export.date_order, window)
    except DateOrderError as exc:
        raise DateOrderError(f"{export.path}: {exc}") from None


def timestamp_sql(column: str, order: str | None, zone: str | None) -> str:
    """SQL turning one text timestamp column into a naive UTC ``TIMESTAMP``.

    Times with an offset or ``Z`` are converted; naive ones are read in ``zone`` (UTC
    when ``None``); ``NN/NN/YYYY`` dates in ``order``. Unreadable text becomes NULL.
    """
    text = f"CAST({column} AS VARCHAR)"
    # With the session in UTC, a cast to TIMESTAMPTZ honours an offset or "Z" and reads
    # a naive time as UTC; only a file whose naive times are local needs the slower test.
    aware = f"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP)"
    local_zone = (zone or "UTC").replace("'", "")
    if local_zone.upper() == "UTC":
        return (
            aware
            if order is None
            else f"coalesce({aware}, TRY_STRPTIME({text}, {_formats(order)}))"
        )
    naive = f"TRY_CAST({text} AS TIMESTAMP)"
    if order is not None:
        naive = f"coalesce({naive}, TRY_STRPTIME({text}, {_formats(order)}))"
    local = f"CAST(timezone('UTC', timezone('{local_zone}', {naive})) AS TIMESTAMP)"
    return (
        f"CASE WHEN regexp_matches({text}, '(Z|[+-][0-9]{{2}}:?[0-9]{{2}})$') "
        f"THEN {aware} ELSE {local} END"
    )
