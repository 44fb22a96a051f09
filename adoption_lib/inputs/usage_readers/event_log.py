"""A generic event log (CSV or Parquet) whose columns ``engagement.yml`` maps."""

from __future__ import annotations

from datetime import date

import ibis

from adoption_lib.config.schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.usage_readers.engine import NORMALISE_EMAIL, UsageSource, sql_path
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
    parsed = timestamp_sql(col("ts"), order, export.timezone)
    # One scan of the file into one DuckDB table (it spills to disk past its memory
    # limit). Identical rows are kept here and folded only where a count of actions is
    # taken (depth, latency): every other figure counts distinct users, days or weeks,
    # and folding 100 million rows up front would double the cost of the whole stage.
    # Emails are normalised once per distinct spelling, not once per row.
    con.raw_sql(
        f"""
        CREATE OR REPLACE TABLE "{name}_rows" AS
        SELECT CAST({col("user_key")} AS VARCHAR) AS raw_user, {parsed} AS ts,
               CAST({col("event")} AS VARCHAR) AS event, CAST({col("feature")} AS VARCHAR) AS feature,
               CAST(TRY_CAST(NULLIF(CAST({col("record_occurred_at")} AS VARCHAR), '') AS TIMESTAMP) AS TIMESTAMP)
                 AS record_occurred_at
        FROM {raw}
        """
    )
    con.raw_sql(
        f"""CREATE OR REPLACE TABLE "{name}_keys" AS
        SELECT raw_user, {NORMALISE_EMAIL.format(col="raw_user")} AS user_key, n
        FROM (SELECT raw_user, count(*) AS n FROM "{name}_rows" WHERE raw_user IS NOT NULL GROUP BY raw_user)"""
    )
    con.raw_sql(
        f"""CREATE OR REPLACE VIEW "{name}" AS
        SELECT k.user_key, r.ts, r.event, r.feature, '{name}' AS source, r.record_occurred_at
        FROM "{name}_rows" r JOIN "{name}_keys" k ON r.raw_user = k.raw_user
        WHERE k.user_key <> ''"""
    )
    rows, qualifying = con.raw_sql(
        f"""SELECT (SELECT count(*) FROM "{name}_rows"),
                   (SELECT coalesce(sum(n), 0) FROM "{name}_keys" WHERE user_key <> '')"""
    ).fetchone()
    activity = con.table(name)
    keys = con.table(f"{name}_keys")
    span = con.raw_sql(f'SELECT min(ts), max(ts) FROM "{name}_rows"').fetchone()
    return UsageSource(
        name,
        "events",
        activity,
        (span[0], span[1]),
        "feature" in mapping,
        None,
        int(rows),
        int(qualifying),
        accounts=keys.filter(keys.user_key != "").select("user_key"),
    )
