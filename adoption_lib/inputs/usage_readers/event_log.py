"""A generic event log (CSV or Parquet) whose columns ``engagement.yml`` maps."""

from __future__ import annotations

from datetime import date

import ibis

from adoption_lib.config.schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.usage_readers.engine import (
    NORMALISE_EMAIL,
    UsageSource,
    sql_path,
    sql_string,
)
from adoption_lib.inputs.usage_readers.timestamps import date_order, timestamp_sql


def read_event_log(
    con: ibis.BaseBackend,
    export: UsageExport,
    name: str,
    window: tuple[date, date] | None = None,
) -> UsageSource:
    """Read a generic event log whose columns ``engagement.yml`` maps to the canonical ones.

    Identical rows count once where actions are counted (depth, latency); timestamps
    with an offset or ``Z`` are converted to UTC, naive ones read in ``timezone``
    (default UTC), and ``NN/NN/YYYY`` dates in the order settled for the whole file
    (see :mod:`.timestamps`; ``window`` is the usage coverage that can settle it).

    Raises
    ------
    InputFileError
        When a mapped column is missing from the file.
    """
    mapping = dict(export.columns or {})
    suffix = str(export.path).lower()
    reader = "read_parquet" if suffix.endswith(".parquet") else "read_csv"
    options = "" if reader == "read_parquet" else ", all_varchar = true, header = true"
    raw = f"{reader}({sql_path(export.path)}{options})"
    present = set(con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df()["column_name"])
    missing = [f"{k} -> {v}" for k, v in mapping.items() if v not in present]
    if missing:
        raise InputFileError(f"{export.path}: mapped columns not in the file: {', '.join(missing)}")

    def col(key: str) -> str:
        return f'"{mapping[key]}"' if key in mapping else "NULL"

    order = date_order(con, raw, col("ts"), export, window)
    scan = _fast_relation(con, export, raw, present, mapping.get("ts"), order)
    parsed = timestamp_sql(col("ts"), order, export.timezone)
    ts_fast = f"CAST({col('ts')} AS TIMESTAMP)"

    def events(relation: str, ts: str) -> str:
        return f"""SELECT CAST({col("user_key")} AS VARCHAR) AS raw_user, {ts} AS ts,
               CAST({col("event")} AS VARCHAR) AS event, CAST({col("feature")} AS VARCHAR) AS feature,
               CAST(TRY_CAST(NULLIF(CAST({col("record_occurred_at")} AS VARCHAR), '') AS TIMESTAMP) AS TIMESTAMP)
                 AS record_occurred_at
        FROM {relation}"""

    # Nothing is read here: the events stay a view over the file, which
    # :mod:`.activity_scan` scans once. Identical rows are kept and folded only where a
    # count of actions is taken (depth, latency); every other figure counts distinct
    # users, days or weeks. The view below, with each email normalised, is for looking
    # at the events; the scan normalises once per distinct spelling instead.
    text_events = events(raw, parsed)
    con.raw_sql(
        f"""CREATE OR REPLACE VIEW "{name}" AS
        SELECT * FROM (
            SELECT {NORMALISE_EMAIL.format(col="raw_user")} AS user_key, ts, event, feature,
                   '{name}' AS source, record_occurred_at
            FROM ({text_events}))
        WHERE user_key <> ''"""
    )
    return UsageSource(
        name,
        "events",
        con.table(name),
        (None, None),
        "feature" in mapping,
        scan_sql=events(scan, ts_fast) if scan is not None else text_events,
        scan_fallback=text_events if scan is not None else None,
        counted_by_scan=True,
    )


def _fast_relation(
    con: ibis.BaseBackend,
    export: UsageExport,
    raw: str,
    present: set[str],
    ts_column: str | None,
    order: str | None,
) -> str | None:
    """The file read with its timestamp column typed, when that reads the same instants.

    Parsing the timestamps while reading is about twice as fast as casting text after.
    It reads what :func:`timestamp_sql` reads only for ISO times in UTC (an offset or
    ``Z`` honoured, naive times taken as UTC), so a file with day/month dates or
    naive local times keeps the text path. ``None`` when the text path is needed.
    """
    zone = (export.timezone or "UTC").upper()
    if ts_column is None or order is not None or zone != "UTC":
        return None
    if raw.startswith("read_parquet"):
        kind = con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df().set_index("column_name")
        typed = str(kind.loc[ts_column, "column_type"]).startswith("TIMESTAMP")
        return raw if typed else None
    types = ", ".join(
        f"{sql_string(c)}: '{'TIMESTAMPTZ' if c == ts_column else 'VARCHAR'}'"
        for c in sorted(present)
    )
    return f"read_csv({sql_path(export.path)}, header = true, types = {{{types}}})"
