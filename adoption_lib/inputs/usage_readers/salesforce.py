"""Salesforce admin exports: LoginHistory, Event Monitoring log files, the User export.

LoginHistory (Data Loader or report layout): only ``Status = Success`` qualifies, and
API or integration logins (an ``ApiType``, or ``LoginType`` "Other Apex API") never do.

Event Monitoring log files (``EventLogFile``, one CSV per day and event type, read as a
folder or glob; layout from Salesforce's *EventLogFile Supported Event Types*
reference): ``LightningPageView`` rows qualify, and ``URI`` rows whose
``REQUEST_STATUS`` is success or redirect (``S``, ``R``); other event types in the
folder are counted and left out. ``TIMESTAMP_DERIVED`` (ISO, UTC) is used when present,
else ``TIMESTAMP`` (``20240312130531.123``, UTC). The user is ``USER_ID_DERIVED`` (the
18-character id), falling back to ``USER_ID`` (15 characters). The feature is the
object: ``PAGE_ENTITY_TYPE`` for page views, the record id's key prefix for URIs.

Both logs name users by id, so both need the ``User`` export: it maps the 18-character
id, or the case-sensitive 15-character id of report exports, to the email (a
case-insensitive match would merge users whose ids differ only in letter case), and
gives ``LastLoginDate``, which reaches back past LoginHistory's six months.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pandas as pd

from adoption_lib.config.schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.salesforce_ids import to_18
from adoption_lib.inputs.usage_readers.engine import (
    NORMALISE_EMAIL,
    UsageSource,
    count_rows,
    register_frame,
    sql_path,
)
from adoption_lib.inputs.usage_readers.timestamps import date_order, timestamp_sql

API_LOGIN_TYPES = ("Other Apex API", "Partner Product")
#: Event Monitoring types that show a person working in the system.
QUALIFYING_TYPES = ("LightningPageView", "URI")
#: URI ``REQUEST_STATUS`` codes that count: S(uccess), R(edirect); blank when unlogged.
URI_STATUSES = ("S", "R", "")
#: Record-id key prefixes of standard objects (the first three characters of every
#: Salesforce id name its object). URI logs give the record id but not the object.
KEY_PREFIXES = {
    "001": "Account",
    "003": "Contact",
    "006": "Opportunity",
    "00Q": "Lead",
    "500": "Case",
    "00T": "Task",
    "00U": "Event",
    "00O": "Report",
    "01Z": "Dashboard",
    "0Q0": "Quote",
    "800": "Contract",
    "701": "Campaign",
}


def read_login_history(
    con: ibis.BaseBackend,
    export: UsageExport,
    name: str,
    window: tuple[date, date] | None = None,
) -> UsageSource:
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
    users = user_map(con, export.users, name)
    raw = f"read_csv({sql_path(export.path)}, all_varchar = true, header = true, normalize_names = true)"
    columns = {c.lower() for c in con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df()["column_name"]}
    for needed in ("userid", "logintime", "status"):
        if needed not in columns:
            raise InputFileError(
                f"{export.path}: LoginHistory has no '{needed}' column (found: {', '.join(sorted(columns))})"
            )
    api = "coalesce(apitype, '')" if "apitype" in columns else "''"
    login_type = "coalesce(logintype, '')" if "logintype" in columns else "''"
    types = ", ".join(f"'{t}'" for t in API_LOGIN_TYPES)
    # Data Loader writes ISO UTC; a download from Setup writes the user's locale.
    order = date_order(con, raw, "logintime", export, window)
    login_time = timestamp_sql("l.logintime", order, export.timezone)
    con.raw_sql(
        f"""
        CREATE OR REPLACE TABLE "{name}" AS
        SELECT u.user_key, {login_time} AS ts,
               'login' AS event, CAST(NULL AS VARCHAR) AS feature, '{name}' AS source,
               CAST(NULL AS TIMESTAMP) AS record_occurred_at
        FROM {raw} l
        JOIN "{name}_users" u
          ON (length(l.userid) = 18 AND l.userid = u.id18) OR (length(l.userid) = 15 AND l.userid = u.id15)
        WHERE l.status = 'Success' AND {api} IN ('', 'N/A') AND {login_type} NOT IN ({types})
        """
    )
    rows = count_rows(con, f"SELECT 1 FROM {raw}")
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
        scan_sql=_scan_sql(name),
    )
    source.notes.append(
        "LoginHistory keeps about six months; LastLoginDate from the User export covers earlier use"
    )
    return source


def _scan_sql(name: str) -> str:
    """The events of a Salesforce log for the activity scan (a small table already:
    LoginHistory keeps six months, Event Monitoring 30 days)."""
    return f'SELECT user_key AS raw_user, ts, feature, record_occurred_at FROM "{name}"'


def user_map(con: ibis.BaseBackend, path: Path | None, name: str) -> ibis.Table:
    """Read the User export as ``id18``, ``id15``, ``user_key``, ``last_login``.

    It is small (one row per user), so it goes through pandas to check every id.

    Raises
    ------
    InputFileError
        Without an ``Id`` or ``Email`` column, or with a value that is not a
        Salesforce id (naming the row).
    """
    if path is None:
        raise InputFileError(f"{name}: salesforce_login_history needs the User export ('users:')")
    frame = con.raw_sql(
        f"SELECT * FROM read_csv({sql_path(path)}, all_varchar = true, header = true, normalize_names = true)"
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


def read_event_monitoring(
    con: ibis.BaseBackend, export: UsageExport, name: str, window: object = None
) -> UsageSource:
    """Read Salesforce Event Monitoring log files (a folder or glob of daily CSVs).

    Returns
    -------
    UsageSource
        Qualifying page views and record URIs, the object as the feature; exact repeats
        (the same file downloaded twice, overlapping hourly and daily files) count once.

    Raises
    ------
    InputFileError
        When no file matches, a needed column is missing, or a timestamp is not one
        Salesforce writes (naming the file and the value).
    """
    users = user_map(con, export.users, name)
    raw = (
        f"read_csv({sql_path(export.path)}, all_varchar = true, header = true, "
        "union_by_name = true, normalize_names = true, filename = true, delim = ',')"
    )
    try:
        columns = set(con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df()["column_name"])
    except Exception as error:  # DuckDB's IOException: no file matches the glob
        raise InputFileError(
            f"{export.path}: no Event Monitoring log file could be read ({error})"
        ) from None
    if "event_type" not in columns:
        raise InputFileError(f"{export.path}: an Event Monitoring log has no 'EVENT_TYPE' column")

    def either(*names: str) -> str:
        present = [n for n in names if n in columns]
        if not present:
            wanted = " or ".join(n.upper() for n in names)
            raise InputFileError(f"{export.path}: the log files have no {wanted} column")
        return "coalesce(" + ", ".join(f"nullif({n}, '')" for n in present) + ")"

    def maybe(column: str) -> str:
        return f"nullif({column}, '')" if column in columns else "NULL"

    stamp = either("timestamp_derived", "timestamp")
    when = (
        f"coalesce(CAST(TRY_CAST({maybe('timestamp_derived')} AS TIMESTAMPTZ) AS TIMESTAMP), "
        f"TRY_STRPTIME({maybe('timestamp')}, ['%Y%m%d%H%M%S.%g', '%Y%m%d%H%M%S']))"
    )
    user_id = either("user_id_derived", "user_id")
    prefixes = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in KEY_PREFIXES.items())
    record = f"coalesce({maybe('page_entity_id')}, {maybe('uri_id_derived')})"
    feature = (
        f"CASE WHEN event_type = 'LightningPageView' THEN {maybe('page_entity_type')} "
        f"ELSE CASE left({maybe('uri_id_derived')}, 3) {prefixes} END END"
    )
    status = f"coalesce({maybe('request_status')}, '')"
    types = ", ".join(f"'{t}'" for t in QUALIFYING_TYPES)
    statuses = ", ".join(f"'{s}'" for s in URI_STATUSES)
    con.raw_sql(
        f"""CREATE OR REPLACE TABLE "{name}_raw" AS
        SELECT filename, event_type, {stamp} AS stamp, {when} AS ts, {user_id} AS uid,
               {record} AS record_id, {feature} AS feature,
               event_type IN ({types}) AND (event_type <> 'URI' OR {status} IN ({statuses}))
                 AS qualifies
        FROM {raw}"""
    )
    bad = con.raw_sql(
        f"""SELECT filename, stamp FROM "{name}_raw" WHERE ts IS NULL LIMIT 1"""
    ).fetchone()
    if bad is not None:
        raise InputFileError(
            f"{Path(bad[0]).name}: column TIMESTAMP: {bad[1]!r} is not a Salesforce timestamp "
            "(like 20240312130531.123)"
        )
    con.raw_sql(
        f"""CREATE OR REPLACE TABLE "{name}" AS
        SELECT u.user_key, r.ts, r.event_type AS event, r.feature, '{name}' AS source,
               CAST(NULL AS TIMESTAMP) AS record_occurred_at, r.record_id
        FROM "{name}_raw" r
        JOIN "{name}_users" u
          ON (length(r.uid) = 18 AND r.uid = u.id18) OR (length(r.uid) = 15 AND r.uid = u.id15)
        WHERE r.qualifies
        GROUP BY ALL"""
    )
    read, qualifying, unknown = con.raw_sql(
        f"""SELECT count(*), count(*) FILTER (WHERE qualifies),
                   count(*) FILTER (WHERE qualifies AND uid NOT IN (SELECT id18 FROM "{name}_users")
                                    AND uid NOT IN (SELECT id15 FROM "{name}_users"))
            FROM "{name}_raw" """
    ).fetchone()
    activity = con.table(name).drop("record_id")
    span = con.raw_sql(f'SELECT min(ts), max(ts) FROM "{name}"').fetchone()
    con.raw_sql(f'DROP TABLE "{name}_raw"')
    source = UsageSource(
        name,
        export.format,
        activity,
        (span[0], span[1]),
        True,
        users,
        int(read),
        int(activity.count().execute()),
        scan_sql=_scan_sql(name),
    )
    others = int(read) - int(qualifying)
    source.notes.append(
        "Event Monitoring keeps log files for 30 days (1 day without the add-on): "
        "weeks before the first file are not measured"
    )
    if others:
        source.notes.append(f"{others} rows of other event types or failed requests left out")
    if unknown:
        source.notes.append(f"{unknown} qualifying rows name a user id the User export lacks")
    return source
