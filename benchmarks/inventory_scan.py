"""Inventory of a large gzipped event log against a raw DuckDB scan of the same file.

Baseline: one DuckDB query counting rows and taking min/max of the timestamp column.
Measured: ``adoption validate --inventory`` on an engagement listing that file, as a
consultant runs it (process start, validation, inventory of every input).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import duckdb


def _make_engagement(folder: Path, rows: int) -> None:
    (folder / "exports").mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT md5(i::VARCHAR)[:16] AS event_id,
                 strftime(TIMESTAMP '2026-02-02' + to_seconds(i % 23328000), '%Y-%m-%dT%H:%M:%SZ') AS logged_at,
                 'user' || (i % 5000) || '@example.com' AS actor_email,
                 'Opportunity Updated' AS action, 'Opportunity' AS object_type,
                 '0068d0000' || (i % 999999) AS record_id, '' AS activity_date
          FROM range({rows}) t(i)
        ) TO '{folder}/exports/events.csv.gz' (HEADER, COMPRESSION gzip)
        """
    )
    (folder / "exports" / "roster.csv").write_text("email,department,role,supervisor\n")
    (folder / "engagement.yml").write_text(
        textwrap.dedent(
            """\
            client: Bench
            system: CRM
            go_live: 2026-02-02
            assessment_date: 2026-11-02
            renewal_date: 2027-03-01
            licenses: 5000
            roster: exports/roster.csv
            usage_exports:
              - path: exports/events.csv.gz
                format: events
                columns: {user_key: actor_email, ts: logged_at, event: action}
            """
        )
    )


_BASELINE = """
import duckdb, sys
con = duckdb.connect(); con.execute("SET TimeZone='UTC'")
print(con.execute("SELECT count(*), min(TRY_CAST(logged_at AS TIMESTAMPTZ))::VARCHAR,"
                  " max(TRY_CAST(logged_at AS TIMESTAMPTZ))::VARCHAR"
                  " FROM read_csv(?, all_varchar=true, header=true)", [sys.argv[1]]).fetchone())
"""


# A fresh wrapper process per command, so that RUSAGE_CHILDREN is that command's alone.
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, process start included."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], check=True, capture_output=True, text=True
    )
    seconds, peak_kb = out.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def run(rows: int) -> dict[str, object]:
    """Run the benchmark on ``rows`` events; return times, memory and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        _make_engagement(folder, rows)
        adoption = str(Path(sys.executable).with_name("adoption"))
        base_s, base_mb = _timed(
            [sys.executable, "-c", _BASELINE, str(folder / "exports/events.csv.gz")]
        )
        ours_s, ours_mb = _timed([adoption, "validate", str(folder), "--inventory"])
        return {
            "benchmark": "inventory_scan",
            "rows": rows,
            "file_mb": round((folder / "exports/events.csv.gz").stat().st_size / 2**20, 1),
            "baseline_seconds": round(base_s, 2),
            "workbook_seconds": round(ours_s, 2),
            "time_ratio": round(ours_s / base_s, 2),
            "baseline_peak_mb": round(base_mb),
            "workbook_peak_mb": round(ours_mb),
        }
