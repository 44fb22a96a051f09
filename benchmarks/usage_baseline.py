"""The usage stage's baseline: the least DuckDB that yields its core figures.

Committed before any work on the usage stage's speed, and never changed afterwards:
the usage benchmark's ratios are against this script, so a faster workbook cannot be
claimed by a slower baseline. One ``read_csv`` (or ``read_parquet``) of the events,
joined to the roster once, then one ``GROUP BY`` per figure:

* ``active_users_30d``: users with an event in the 30 days before the end;
* ``dormant_users``: users with an event before, but not in, those 30 days;
* ``never_activated``: roster users with no event before the end;
* ``feature_breadth_median``: distinct key features used in the 30 days, median over
  the 30-day actives (0 for an active user who used none);
* ``dau_mau``: daily active users summed over the 30 days, over 30, over the 30-day
  actives (four decimals).

Run as ``python benchmarks/usage_baseline.py SOURCE ROSTER END MEMORY_LIMIT FEATURES``:
``SOURCE`` a CSV or Parquet file of events (``actor``, ``logged_at``, ``object``),
``ROSTER`` a CSV with ``email``, ``END`` the first day after the windows
(``YYYY-MM-DD``, exclusive), ``MEMORY_LIMIT`` DuckDB's (the workbook's), ``FEATURES``
the key features joined by ``|``. Threads are DuckDB's default, as in the workbook.
Prints the figures as JSON.
"""

from __future__ import annotations

import json
import sys

import duckdb


def main(argv: list[str]) -> None:
    """Compute and print the baseline's figures."""
    source, roster, end, memory_limit, features = argv[1:6]
    reader = "read_parquet" if source.endswith(".parquet") else "read_csv"
    keys = ", ".join("'" + f.replace("'", "''") + "'" for f in features.split("|") if f)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(
        f"CREATE TABLE r AS SELECT DISTINCT lower(trim(email)) AS u FROM read_csv('{roster}')"
    )
    con.execute(
        f"""CREATE TABLE a AS
        SELECT lower(trim(actor)) AS u,
               CAST(CAST(logged_at AS TIMESTAMPTZ) AS TIMESTAMP) AS ts, object AS f
        FROM {reader}('{source}')
        WHERE lower(trim(actor)) IN (SELECT u FROM r)
          AND CAST(CAST(logged_at AS TIMESTAMPTZ) AS TIMESTAMP) < TIMESTAMP '{end}'"""
    )
    window = f"ts >= TIMESTAMP '{end}' - INTERVAL 30 DAY"
    active = con.execute(f"SELECT count(DISTINCT u) FROM a WHERE {window}").fetchone()[0]
    ever = con.execute("SELECT count(DISTINCT u) FROM a").fetchone()[0]
    roster_size = con.execute("SELECT count(*) FROM r").fetchone()[0]
    breadth = con.execute(
        f"""SELECT median(n) FROM (
            SELECT u, count(DISTINCT CASE WHEN f IN ({keys or "NULL"}) THEN f END) AS n
            FROM a WHERE {window} GROUP BY u)"""
    ).fetchone()[0]
    daily = con.execute(
        f"""SELECT sum(d) FROM (
            SELECT CAST(ts AS DATE) AS day, count(DISTINCT u) AS d
            FROM a WHERE {window} GROUP BY day)"""
    ).fetchone()[0]
    figures = {
        "active_users_30d": active,
        "dormant_users": ever - active,
        "never_activated": roster_size - ever,
        "feature_breadth_median": None if breadth is None else float(breadth),
        "dau_mau": round(daily / 30 / active, 4) if active else None,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv)
