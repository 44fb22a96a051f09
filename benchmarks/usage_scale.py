"""The usage stage at scale, against a hand-written minimal DuckDB baseline.

Generates N synthetic events (default 20 million: 20,000 users, 365 days, 30 features)
as a CSV (and Parquet for the large run), with a roster of the users, then times in
separate processes, whole process against whole process (start-up included):

* measured: ``adoption summary ENGAGEMENT --json`` on an engagement listing the events
  (reading, de-duplication, the roster join and every core usage metric);
* baseline: one Python process running the least SQL that yields the same core figures
  (30-day actives, effective users, dormant and never-activated) with plain DuckDB.

Both report peak memory (RSS). Run with ``python -m benchmarks`` (2M events) or
``make bench-large`` (20M from CSV and 100M from Parquet, spilling to disk).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
if done.returncode:
    sys.stderr.write(done.stderr[-2000:])
    sys.exit(done.returncode)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

_BASELINE = """
import sys, duckdb
con = duckdb.connect(); con.execute("SET TimeZone='UTC'")
src, roster = sys.argv[1], sys.argv[2]
con.execute(f"CREATE TABLE e AS SELECT DISTINCT lower(actor) AS u, CAST(CAST(logged_at AS TIMESTAMPTZ) AS TIMESTAMP) AS ts FROM {src}")
con.execute(f"CREATE TABLE r AS SELECT lower(email) AS u FROM read_csv('{roster}')")
print(con.execute('''
  WITH a AS (SELECT e.* FROM e JOIN r USING (u) WHERE ts < TIMESTAMP '2026-11-02')
  SELECT (SELECT count(DISTINCT u) FROM a WHERE ts >= TIMESTAMP '2026-10-03'),
         (SELECT count(*) FROM (SELECT u FROM a WHERE ts >= TIMESTAMP '2026-10-05'
            GROUP BY u HAVING count(DISTINCT (epoch(TIMESTAMP '2026-11-02') - epoch(ts)) // 604800) >= 3)),
         (SELECT count(*) FROM r WHERE u NOT IN (SELECT u FROM a)),
         (SELECT count(DISTINCT u) FROM a) - (SELECT count(DISTINCT u) FROM a WHERE ts >= TIMESTAMP '2026-10-03')
''').fetchone())
"""


def _make(folder: Path, events: int, users: int, parquet: bool) -> Path:
    con = duckdb.connect()
    target = folder / ("events.parquet" if parquet else "events.csv")
    fmt = "(FORMAT parquet)" if parquet else "(HEADER)"
    con.execute(
        f"""
        COPY (
          SELECT 'u' || (hash(i) % {users}) || '@example.com' AS actor,
                 strftime(TIMESTAMP '2025-11-02' + to_seconds((hash(i * 7) % 31536000)::BIGINT), '%Y-%m-%dT%H:%M:%SZ') AS logged_at,
                 'Record Updated' AS action,
                 'Feature ' || (hash(i * 13) % 30) AS object
          FROM range({events}) t(i)
        ) TO '{target}' {fmt}
        """
    )
    con.execute(
        f"COPY (SELECT 'u' || i || '@example.com' AS email, 'Dept ' || (i % 20) AS department, 'end user' AS role, "
        f"'boss@example.com' AS supervisor FROM range({users}) t(i)) TO '{folder / 'roster.csv'}' (HEADER)"
    )
    (folder / "engagement.yml").write_text(
        "client: Bench\nsystem: CRM\ngo_live: 2025-11-02\nassessment_date: 2026-11-02\nrenewal_date: 2027-03-01\n"
        f"licenses: {users + 1000}\nroster: roster.csv\nkey_features: [Feature 1, Feature 2, Feature 3]\n"
        f"usage_exports:\n  - path: {target.name}\n    format: events\n"
        "    columns: {user_key: actor, ts: logged_at, event: action, feature: object}\n"
    )
    return target


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    seconds, peak = out.stdout.split()[-2:]
    return float(seconds), int(peak) / 1024, out.stdout


def run(events: int = 2_000_000, users: int = 20_000, parquet: bool = False) -> dict[str, object]:
    """Generate, run both, and return times, peak memory (MB) and the ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        target = _make(folder, events, users, parquet)
        reader = "read_parquet" if parquet else "read_csv"
        src = f"{reader}('{target}')"
        base_s, base_mb, _ = _timed(
            [sys.executable, "-c", _BASELINE, src, str(folder / "roster.csv")]
        )
        adoption = str(Path(sys.executable).with_name("adoption"))
        env_temp = folder / "spill"
        env_temp.mkdir()
        ours_s, ours_mb, _ = _timed(
            ["env", f"ADOPTION_DUCKDB_TEMP={env_temp}", adoption, "summary", str(folder), "--json"]
        )
        return {
            "benchmark": "usage_scale",
            "events": events,
            "users": users,
            "source": "parquet" if parquet else "csv",
            "file_mb": round(target.stat().st_size / 2**20, 1),
            "baseline_seconds": round(base_s, 2),
            "workbook_seconds": round(ours_s, 2),
            "time_ratio": round(ours_s / base_s, 2),
            "baseline_peak_mb": round(base_mb),
            "workbook_peak_mb": round(ours_mb),
        }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000), indent=2))
