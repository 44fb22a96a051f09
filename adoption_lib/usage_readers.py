"""Usage exports into one canonical activity table, read by DuckDB where they lie.

The canonical model (one row per qualifying action):

``user_key``
    the normalised email (trimmed, lower-cased, plus-addressing removed), the key of
    the roster join; pseudonymised before anything person-level leaves this stage;
``ts``
    when it happened, UTC (naive ``TIMESTAMP``);
``event``, ``feature``
    what happened and on which feature (``feature`` NULL where a source cannot say);
``source``
    the export it came from;
``record_occurred_at``
    (event logs that map it) when the real-world activity the record describes
    happened, for data-entry latency; NULL elsewhere.

Each reader declares its coverage window, the metrics it can support and what counts as
qualifying (:class:`UsageSource`). Files are never loaded into pandas: DuckDB reads the
CSV (plain or gzipped, a folder or a glob) and the metrics run in ibis on top.

Salesforce ``LoginHistory`` (Data Loader or report layout): only ``Status = Success``
qualifies, and API or integration logins (an ``ApiType``, or ``LoginType`` "Other Apex
API") never do. Its ``UserId`` is matched to the ``User`` export by the 18-character id,
or by the case-sensitive 15-character id of report exports: a case-insensitive match
would merge users whose ids differ only in letter case. The ``User`` export also gives
``LastLoginDate``, which reaches back past LoginHistory's six months.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import ibis
import pandas as pd

from adoption_lib.engagement_schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.salesforce_ids import to_18

NORMALISE_EMAIL = "regexp_replace(lower(trim({col})), '\\+[^@]*@', '@')"
API_LOGIN_TYPES = ("Other Apex API", "Partner Product")
#: DuckDB's memory cap unless configured: the whole usage stage stays under ~3 GB.
DEFAULT_MEMORY_LIMIT = "2GB"


@dataclass
class UsageSource:
    """One export, read: its activity, coverage and what it can tell."""

    name: str
    format: str
    activity: ibis.Table
    coverage: tuple[datetime | None, datetime | None]
    has_features: bool
    last_login: ibis.Table | None = None
    rows_read: int = 0
    rows_qualifying: int = 0
    notes: list[str] = field(default_factory=list)


def connect(memory_limit: str | None = None, temp_directory: str | None = None) -> ibis.BaseBackend:
    """An embedded DuckDB through ibis, in UTC, with optional memory and spill settings.

    Parameters
    ----------
    memory_limit
        DuckDB's ``memory_limit`` (for example ``"3GB"``); ``$ADOPTION_DUCKDB_MEMORY``,
        else :data:`DEFAULT_MEMORY_LIMIT`, so that large exports spill rather than grow.
    temp_directory
        Where DuckDB spills; ``$ADOPTION_DUCKDB_TEMP``, else a fresh temporary folder.

    Returns
    -------
    ibis backend
        Connected and configured.
    """
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    limit = memory_limit or os.environ.get("ADOPTION_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT
    temp = (
        temp_directory
        or os.environ.get("ADOPTION_DUCKDB_TEMP")
        or tempfile.mkdtemp(prefix="adoption-duckdb-")
    )
    con.raw_sql(f"SET memory_limit = '{limit}'")
    con.raw_sql(f"SET temp_directory = '{temp}'")
    return con


def _spill_dir() -> str:
    """A spill folder per user, reused across runs (DuckDB removes its own spill files).

    A fresh folder per run would pile up: DuckDB recreates its temp folder when the
    connection is torn down at exit, after any cleanup we could register.
    """
    path = Path(tempfile.gettempdir()) / f"adoption-duckdb-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return str(path)


def register_frame(con: ibis.BaseBackend, name: str, frame: pd.DataFrame) -> ibis.Table:
    """Put a small pandas table (users, roster) into the backend as a DuckDB table.

    ibis' ``create_table`` from pandas fails on pandas 3's arrow-backed string columns
    here, so the frame goes through DuckDB's own pandas scan.
    """
    plain = frame.astype(
        {c: object for c in frame.columns if pd.api.types.is_string_dtype(frame[c])}
    )
    con.con.register(f"{name}_frame", plain)
    con.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{name}_frame"')
    con.con.unregister(f"{name}_frame")
    return con.table(name)


def _source(path: Path) -> str:
    if path.is_dir():
        path = path / "*.csv"
    return "'" + str(path).replace("'", "''") + "'"


def _count(con: ibis.BaseBackend, sql: str) -> int:
    return int(con.raw_sql(f"SELECT count(*) FROM ({sql})").fetchone()[0])


def read_login_history(con: ibis.BaseBackend, export: UsageExport, name: str) -> UsageSource:
    """Read a Salesforce LoginHistory export and its User export.

    Returns
    -------
    UsageSource
        Qualifying interactive logins, and ``last_login`` per user from the User export.

    Raises
    ------
    InputFileError
        When a required column is missing, naming the file and the column.
    """
    users = _user_map(con, export.users, name)
    raw = f"read_csv({_source(export.path)}, all_varchar = true, header = true, normalize_names = true)"
    columns = {c.lower() for c in con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df()["column_name"]}
    for needed in ("userid", "logintime", "status"):
        if needed not in columns:
            raise InputFileError(
                f"{export.path}: LoginHistory has no '{needed}' column (found: {', '.join(sorted(columns))})"
            )
    api = "coalesce(apitype, '')" if "apitype" in columns else "''"
    login_type = "coalesce(logintype, '')" if "logintype" in columns else "''"
    types = ", ".join(f"'{t}'" for t in API_LOGIN_TYPES)
    con.raw_sql(
        f"""
        CREATE OR REPLACE TABLE "{name}" AS
        SELECT u.user_key, CAST(TRY_CAST(l.logintime AS TIMESTAMPTZ) AS TIMESTAMP) AS ts,
               'login' AS event, CAST(NULL AS VARCHAR) AS feature, '{name}' AS source,
               CAST(NULL AS TIMESTAMP) AS record_occurred_at
        FROM {raw} l
        JOIN "{name}_users" u
          ON (length(l.userid) = 18 AND l.userid = u.id18) OR (length(l.userid) = 15 AND l.userid = u.id15)
        WHERE l.status = 'Success' AND {api} IN ('', 'N/A') AND {login_type} NOT IN ({types})
        """
    )
    rows = _count(con, f"SELECT 1 FROM {raw}")
    activity = con.table(name)
    span = con.raw_sql(f'SELECT min(ts), max(ts) FROM "{name}"').fetchone()
    source = UsageSource(
        name,
        export.format,
        activity,
        (span[0], span[1]),
        False,
        users,
        rows,
        int(activity.count().execute()),
    )
    source.notes.append(
        "LoginHistory keeps about six months; LastLoginDate from the User export covers earlier use"
    )
    return source


def _user_map(con: ibis.BaseBackend, path: Path | None, name: str) -> ibis.Table:
    """The User export as ``id18``, ``id15``, ``user_key``, ``last_login`` (small: one row per user)."""
    if path is None:
        raise InputFileError(f"{name}: salesforce_login_history needs the User export ('users:')")
    frame = con.raw_sql(
        f"SELECT * FROM read_csv({_source(path)}, all_varchar = true, header = true, normalize_names = true)"
    ).df()
    for needed in ("id", "email"):
        if needed not in frame.columns:
            raise InputFileError(f"{path}: the User export has no '{needed}' column")
    ids = frame["id"].fillna("").str.strip()
    bad = ids[~ids.str.fullmatch(r"[0-9A-Za-z]{15}([0-9A-Za-z]{3})?")]
    if not bad.empty:
        raise InputFileError(
            f"{path.name}:row {int(bad.index[0]) + 2}, column 'Id': not a Salesforce id: {bad.iloc[0]!r}"
        )
    id18 = ids.map(to_18)
    last = frame["lastlogindate"] if "lastlogindate" in frame else pd.Series([None] * len(frame))
    users = pd.DataFrame(
        {
            "id18": id18,
            "id15": id18.str[:15],
            "email": frame["email"].fillna(""),
            "last_login": pd.to_datetime(
                last.replace("", None), utc=True, errors="coerce"
            ).dt.tz_localize(None),
        }
    )
    register_frame(con, f"{name}_users_raw", users)
    con.raw_sql(
        f"""CREATE OR REPLACE VIEW "{name}_users" AS
        SELECT id18, id15, {NORMALISE_EMAIL.format(col="email")} AS user_key, last_login FROM "{name}_users_raw" """
    )
    return con.table(f"{name}_users")


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
    raw = f"{reader}({_source(export.path)}{options})"
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


READERS = {"salesforce_login_history": read_login_history, "events": read_event_log}
