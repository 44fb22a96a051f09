"""One scan of each event export into the compact activity table every figure reads.

Every usage figure counts users, days, weeks or key features, so none needs the events
themselves: one row per licensed user and UTC day holds all they need. Each export's
events (a reader's ``scan_sql``, over the file where it lies) are scanned once, in
DuckDB, straight into a per-export aggregate; nothing per event is materialised or
reaches pandas. The aggregates of every export are then merged into:

``activity_days``, one row per licensed user and day over the :data:`DETAIL_DAYS` days
    before ``end``, and one per user, week and calendar month before that
    ``user_key`` (an ENUM of the licensed users: dictionary codes, several times faster
    to group than strings; ibis sees a string), ``day`` (DATE; before the detail window,
    the first day of the row's week, or of its month when the week began in the month
    before: see :func:`bucket_day`), ``events`` (rows, repeats included),
    ``first_ts`` and ``last_ts`` (the row's first and last action), ``key_features``
    (bit *i* set when ``key_features[i]`` was used) and ``actions`` (distinct actions
    naming a feature, identical rows once, counted per day in the detail window that
    depth reads; NULL before);
``activity_latency``, one row per licensed user and whole day of data-entry lag
    ``user_key``, ``lag_days`` (floor of the days between the activity and its entry,
    0 when entered first), ``n`` (distinct records of activity entered with that lag).

Why weeks before the detail window: no figure counts days further back than 30 days
(every older figure counts weeks counted back from ``end``, calendar months, or first
and last actions), and a year of events has about four times fewer user-weeks than
user-days, so the scan groups, and the table holds, about a quarter of the rows.
A week is split where a month begins, so that both its week and its month stay exact.

Identical rows fold only where actions are counted (depth, latency), across exports
and across spellings of one address: the per-export aggregate keeps each distinct
action of the depth window, and each dated record, as its own row (the rest fold to one
row per spelling and day), so the merge can take them distinct once normalised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import ibis
from ibis.backends.sql.datatypes import DuckDBType

from adoption_lib.config.schema import MAX_KEY_FEATURES
from adoption_lib.errors import ConfigError
from adoption_lib.inputs.usage_readers.engine import NORMALISE_EMAIL, UsageSource, sql_string

#: days before ``end`` whose actions are counted one by one (depth: actions per day)
DETAIL_DAYS = 30
DAYS = "activity_days"
LATENCY = "activity_latency"


@dataclass
class ActivityTables:
    """The compact tables of licensed users' activity, and who else the exports name."""

    days: ibis.Table
    latency: ibis.Table
    #: accounts the exports name that are not on the roster as licensed users
    not_on_roster: set[str]


def _mask_sql(key_features: list[str]) -> str:
    if len(key_features) > MAX_KEY_FEATURES:
        # engagement.yml is validated to at most this; here for callers of the library
        raise ConfigError(
            "engagement.yml",
            [
                f"key_features: {len(key_features)} listed; at most {MAX_KEY_FEATURES} can be measured"
            ],
        )
    if not key_features:
        return "CAST(0 AS BIGINT)"
    cases = " ".join(
        f"WHEN {sql_string(f)} THEN CAST({1 << i} AS BIGINT)" for i, f in enumerate(key_features)
    )
    return f"CASE feature {cases} ELSE CAST(0 AS BIGINT) END"


@contextmanager
def unordered(con: ibis.BaseBackend) -> Iterator[None]:
    """Let DuckDB drop row order while building an aggregate (much less memory: on 100M
    events the merge otherwise runs out of a 1 GB limit). Every table built so is read
    by grouping, or ordered explicitly."""
    con.raw_sql("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.raw_sql("RESET preserve_insertion_order")


def bucket_day(end: datetime) -> str:
    """The SQL for the ``day`` an action's row has in the activity table (column ``ts``).

    In the :data:`DETAIL_DAYS` before ``end``, the action's UTC day. Before that, the first
    day of its seven-day week counted back from ``end`` (week 0 is ``[end - 7d, end)``),
    or the first of its month when that is later: the row's day then lies in the same
    week and the same month as every action it holds.
    """
    end_epoch = int((end - datetime(1970, 1, 1)).total_seconds())
    start = end - timedelta(days=DETAIL_DAYS)
    week = f"DATE '{end:%Y-%m-%d}' + CAST(7 * floor((epoch(ts) - {end_epoch}) / 604800) AS INTEGER)"
    month = "CAST(date_trunc('month', ts) AS DATE)"
    return (
        f"CASE WHEN ts >= TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' THEN CAST(ts AS DATE) "
        f"ELSE greatest({week}, {month}) END"
    )


def scan_source(
    con: ibis.BaseBackend, source: UsageSource, end: datetime, key_features: list[str]
) -> None:
    """Scan one export's events once into its aggregate ``<name>_scan``.

    The grain is one row per raw user spelling and :func:`bucket_day`, except that an
    action in the :data:`DETAIL_DAYS` before ``end`` that names a feature, and a record
    that says when
    its activity happened, keep their own row (``action_ts``, ``action_feature``,
    ``record_occurred_at``). A reader that leaves its counts to the scan
    (``counted_by_scan``) gets ``rows_read``, ``rows_qualifying`` and its coverage from it.

    Parameters
    ----------
    con
        The DuckDB backend the reader registered the source in.
    source
        An event source (``scan_sql`` set).
    end
        Midnight UTC of ``as_of``.
    key_features
        The engagement's key features, in order (bit *i* is ``key_features[i]``).
    """
    assert source.scan_sql is not None
    start = end - timedelta(days=DETAIL_DAYS)
    window = (
        f"ts >= TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' AND ts < TIMESTAMP '{end:%Y-%m-%d %H:%M:%S}'"
    )
    detail = f"(({window} AND feature IS NOT NULL) OR record_occurred_at IS NOT NULL)"
    mask = _mask_sql(key_features)

    day = bucket_day(end)

    def scan(events: str) -> None:
        con.raw_sql(
            f"""CREATE OR REPLACE TABLE "{source.name}_scan" AS
            SELECT raw_user, {day} AS day,
                   CASE WHEN {detail} THEN ts END AS action_ts,
                   CASE WHEN {detail} THEN feature END AS action_feature,
                   record_occurred_at,
                   count(*) AS events, min(ts) AS first_ts, max(ts) AS last_ts,
                   bit_or({mask}) AS key_features
            FROM ({events})
            GROUP BY ALL"""
        )

    with unordered(con):
        try:
            scan(source.scan_sql)
        except duckdb.Error:
            if source.scan_fallback is None:
                raise
            scan(source.scan_fallback)  # the typed read failed on some value: read text
    if source.counted_by_scan:
        # per spelling first, so each address is normalised once, not once per row
        rows, qualifying, first, last = con.raw_sql(
            f"""SELECT coalesce(sum(events), 0),
                   coalesce(sum(events) FILTER (WHERE {NORMALISE_EMAIL.format(col="raw_user")} <> ''), 0),
                   min(first_ts), max(last_ts)
            FROM (SELECT raw_user, sum(events) AS events, min(first_ts) AS first_ts,
                         max(last_ts) AS last_ts
                  FROM "{source.name}_scan" GROUP BY raw_user)"""
        ).fetchone()
        source.rows_read, source.rows_qualifying = int(rows), int(qualifying)
        source.coverage = (first, last)


def merge_scans(
    con: ibis.BaseBackend, sources: list[UsageSource], people: ibis.Table, end: datetime
) -> ActivityTables:
    """Merge every export's aggregate into the licensed users' compact tables.

    Parameters
    ----------
    con
        The backend holding each source's ``<name>_scan``.
    sources
        The event sources, scanned by :func:`scan_source`.
    people
        The licensed users (``user_key``), a table in ``con``.
    end
        Midnight UTC of ``as_of``: only days before it count.

    Returns
    -------
    ActivityTables
        ``activity_days``, ``activity_latency`` and the accounts not on the roster.
    """
    with unordered(con):
        return _merge(con, sources, people, end)


def _merge(
    con: ibis.BaseBackend, sources: list[UsageSource], people: ibis.Table, end: datetime
) -> ActivityTables:
    scans = " UNION ALL ".join(f'SELECT * FROM "{s.name}_scan"' for s in sources)
    con.raw_sql(f"CREATE OR REPLACE TEMP VIEW activity_scans AS {scans}")
    # Emails are normalised once per distinct spelling, not once per event.
    con.raw_sql(
        f"""CREATE OR REPLACE TABLE activity_keys AS
        SELECT raw_user, {NORMALISE_EMAIL.format(col="raw_user")} AS user_key
        FROM (SELECT DISTINCT raw_user FROM activity_scans WHERE raw_user IS NOT NULL)"""
    )
    end_day = f"DATE '{end:%Y-%m-%d}'"
    start = f"TIMESTAMP '{end - timedelta(days=DETAIL_DAYS):%Y-%m-%d %H:%M:%S}'"
    con.raw_sql("DROP TABLE IF EXISTS activity_days")
    con.raw_sql("DROP TABLE IF EXISTS activity_latency")
    con.raw_sql("DROP TYPE IF EXISTS licensed_user")
    con.raw_sql(
        f'CREATE TYPE licensed_user AS ENUM (SELECT DISTINCT user_key FROM "{people.get_name()}")'
    )
    licensed = f"""SELECT CAST(k.user_key AS licensed_user) AS user_key, s.*
        FROM activity_scans s JOIN activity_keys k ON s.raw_user = k.raw_user
        WHERE k.user_key IN (SELECT user_key FROM "{people.get_name()}") AND s.day < {end_day}"""
    con.raw_sql(f"CREATE OR REPLACE TEMP VIEW licensed_scans AS {licensed}")
    con.raw_sql(
        f"""CREATE TABLE activity_days AS
        WITH actions AS (
            SELECT user_key, CAST(action_ts AS DATE) AS day, count(*) AS actions
            FROM (SELECT DISTINCT user_key, action_ts, action_feature FROM licensed_scans
                  WHERE action_feature IS NOT NULL AND action_ts >= {start})
            GROUP BY ALL),
        days AS (
            SELECT user_key, day, sum(events) AS events, min(first_ts) AS first_ts,
                   max(last_ts) AS last_ts, bit_or(key_features) AS key_features
            FROM licensed_scans GROUP BY ALL)
        SELECT d.user_key, d.day, CAST(d.events AS BIGINT) AS events, d.first_ts, d.last_ts,
               d.key_features, a.actions
        FROM days d LEFT JOIN actions a ON d.user_key = a.user_key AND d.day = a.day"""
    )
    # The lag as ibis computes it from epoch seconds, whole days, never negative.
    con.raw_sql(
        """CREATE TABLE activity_latency AS
        SELECT user_key, CAST(greatest(floor((epoch(action_ts) - epoch(record_occurred_at)) / 86400), 0)
                              AS BIGINT) AS lag_days, count(*) AS n
        FROM (SELECT DISTINCT user_key, action_ts, action_feature, record_occurred_at
              FROM licensed_scans WHERE record_occurred_at IS NOT NULL)
        GROUP BY ALL ORDER BY user_key, lag_days"""
    )
    outside = con.raw_sql(
        f"""SELECT DISTINCT k.user_key FROM activity_keys k
        WHERE k.user_key <> '' AND k.user_key NOT IN (SELECT user_key FROM "{people.get_name()}")"""
    ).fetchall()
    # The per-export aggregates have served: their memory goes back before the figures.
    con.raw_sql("DROP VIEW IF EXISTS licensed_scans")
    con.raw_sql("DROP VIEW IF EXISTS activity_scans")
    for source in sources:
        con.raw_sql(f'DROP TABLE IF EXISTS "{source.name}_scan"')
    con.raw_sql("DROP TABLE IF EXISTS activity_keys")
    return ActivityTables(
        activity_table(con, DAYS), activity_table(con, LATENCY), {row[0] for row in outside}
    )


def activity_table(con: ibis.BaseBackend, name: str) -> ibis.Table:
    """An activity table as ibis sees it, ``user_key`` a string.

    ``con.table`` would describe the table and parse each column's type with sqlglot,
    and the licensed users' ENUM is spelled out value by value: two seconds for 20,000
    users. The schema is read here and the ENUM given as the string ibis makes of it.
    """
    columns = con.raw_sql(f'DESCRIBE "{name}"').fetchall()
    schema = ibis.schema(
        {
            column: "string" if kind.startswith("ENUM(") else DuckDBType.from_string(kind)
            for column, kind, *_ in columns
        }
    )
    return con.sql(f'SELECT * FROM "{name}"', schema=schema)
