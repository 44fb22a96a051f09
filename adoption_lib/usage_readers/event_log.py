"""A generic event log (CSV or Parquet) whose columns ``engagement.yml`` maps."""

from __future__ import annotations

import ibis

from adoption_lib.engagement_schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.usage_readers.engine import NORMALISE_EMAIL, UsageSource, sql_path


def read_event_log(con: ibis.BaseBackend, export: UsageExport, name: str) -> UsageSource:
    """Read a generic event log whose columns ``engagement.yml`` maps to the canonical ones.

    Exact repeats (same user, time, event, feature and record) count once; timestamps
    with an offset or ``Z`` are converted to UTC, naive ones read in ``timezone``
    (default UTC).

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

    zone = (export.timezone or "UTC").replace("'", "")
    ts = col("ts")
    parsed = (
        f"CASE WHEN regexp_matches(CAST({ts} AS VARCHAR), '(Z|[+-][0-9]{{2}}:?[0-9]{{2}})$') "
        f"THEN CAST(TRY_CAST(CAST({ts} AS VARCHAR) AS TIMESTAMPTZ) AS TIMESTAMP) "
        f"ELSE CAST(timezone('UTC', timezone('{zone}', TRY_CAST(CAST({ts} AS VARCHAR) AS TIMESTAMP))) AS TIMESTAMP) END"
    )
    # One scan of the file into one DuckDB table (it spills to disk past its memory
    # limit): exact repeats are folded while counting them, so the rows read and the
    # duplicates dropped come from the same pass.
    con.raw_sql(
        f"""
        CREATE OR REPLACE TABLE "{name}" AS
        SELECT {NORMALISE_EMAIL.format(col=col("user_key"))} AS user_key, {parsed} AS ts,
               CAST({col("event")} AS VARCHAR) AS event, CAST({col("feature")} AS VARCHAR) AS feature,
               '{name}' AS source, CAST({col("record_id")} AS VARCHAR) AS record_id,
               CAST(TRY_CAST(NULLIF(CAST({col("record_occurred_at")} AS VARCHAR), '') AS TIMESTAMP) AS TIMESTAMP)
                 AS record_occurred_at,
               count(*) AS copies
        FROM {raw}
        GROUP BY ALL
        """
    )
    rows = int(con.raw_sql(f'SELECT coalesce(sum(copies), 0) FROM "{name}"').fetchone()[0])
    con.raw_sql(f"""DELETE FROM "{name}" WHERE user_key IS NULL OR user_key = '' """)
    activity = con.table(name).drop("record_id", "copies")
    span = con.raw_sql(f'SELECT min(ts), max(ts) FROM "{name}"').fetchone()
    return UsageSource(
        name,
        "events",
        activity,
        (span[0], span[1]),
        "feature" in mapping,
        None,
        rows,
        int(activity.count().execute()),
    )
