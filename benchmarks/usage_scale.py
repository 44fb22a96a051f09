"""The usage stage at scale, against a hand-written minimal DuckDB baseline.

Generates N synthetic events (default 20 million: 20,000 users, 365 days, 30 features)
as a CSV (and Parquet for the large run), with a roster of the users, then times in
separate processes, whole process against whole process (start-up included):

* measured: ``adoption summary ENGAGEMENT --json`` on an engagement listing the events
  (reading, de-duplication, the roster join and every core usage metric);
* baseline: :mod:`benchmarks.usage_baseline`, one Python process running the least
  DuckDB that yields the same core figures (30-day actives, dormant, never activated,
  key-feature breadth, DAU/MAU), with the workbook's memory limit and threads.

The figures of both are printed side by side (equal where both compute them). Then the
same ``adoption summary`` runs again, warm: its summary and activity table come from
the engagement's cache, and its time and peak are reported too.

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

from adoption_lib.inputs.usage_readers.engine import DEFAULT_MEMORY_LIMIT

_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
if done.returncode:
    sys.stderr.write(done.stderr[-2000:])
    sys.exit(done.returncode)
sys.stdout.write(done.stdout)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

#: the baseline script (committed before any optimisation and never changed)
BASELINE = Path(__file__).resolve().with_name("usage_baseline.py")
#: the engagement's key features (the benchmark's engagement.yml lists the same)
KEY_FEATURES = ("Feature 1", "Feature 2", "Feature 3")
#: the figures both compute, over the same windows
FIGURES = (
    "active_users_30d",
    "dormant_users",
    "never_activated",
    "feature_breadth_median",
    "dau_mau",
)


def _make(folder: Path, events: int, users: int, parquet: bool) -> Path:
    con = duckdb.connect()
    target = folder / ("events.parquet" if parquet else "events.csv")
    fmt = "(FORMAT parquet)" if parquet else "(HEADER)"
    con.execute(
        f"""
        COPY (
          -- one user in 20 stopped after 300 days (dormant by the end)
          SELECT 'u' || (hash(i) % {users}) || '@example.com' AS actor,
                 strftime(TIMESTAMP '2025-11-02' + to_seconds((hash(i * 7) %
                   (CASE WHEN hash(i) % {users} % 20 = 0 THEN 25920000 ELSE 31536000 END))::BIGINT),
                   '%Y-%m-%dT%H:%M:%SZ') AS logged_at,
                 'Record Updated' AS action,
                 'Feature ' || (hash(i * 13) % 30) AS object
          FROM range({events}) t(i)
        ) TO '{target}' {fmt}
        """
    )
    con.execute(
        f"COPY (SELECT 'u' || i || '@example.com' AS email, 'Dept ' || (i % 20) AS department, 'end user' AS role, "
        f"'boss@example.com' AS supervisor FROM range({users + users // 10}) t(i)) "
        f"TO '{folder / 'roster.csv'}' (HEADER)"  # one roster user in 11 never logs in
    )
    (folder / "engagement.yml").write_text(
        "client: Bench\nsystem: CRM\ngo_live: 2025-11-02\nassessment_date: 2026-11-02\nrenewal_date: 2027-03-01\n"
        f"licenses: {users + users // 10 + 1000}\nroster: roster.csv\nkey_features: [{', '.join(KEY_FEATURES)}]\n"
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
        base_s, base_mb, base_out = _timed(
            [sys.executable, str(BASELINE), str(target), str(folder / "roster.csv"),
             "2026-11-02", DEFAULT_MEMORY_LIMIT, "|".join(KEY_FEATURES)]
        )  # fmt: skip
        adoption = str(Path(sys.executable).with_name("adoption"))
        env_temp = folder / "spill"
        env_temp.mkdir()
        ours_s, ours_mb, ours_out = _timed(
            ["env", f"ADOPTION_DUCKDB_TEMP={env_temp}", f"ADOPTION_PROFILE={folder / 'profile.json'}",
             adoption, "summary", str(folder), "--json"]
        )  # fmt: skip
        profile = json.loads((folder / "profile.json").read_text())
        # the same engagement again: the summary and the activity table come from the
        # engagement's cache (private/cache/), nothing is scanned
        warm_s, warm_mb, warm_out = _timed([adoption, "summary", str(folder), "--json"])
        baseline = json.loads(base_out.splitlines()[-2])
        usage = json.loads("\n".join(ours_out.splitlines()[:-1]))["usage"]
        figures = {
            name: {"baseline": baseline[name], "workbook": usage.get(name)} for name in FIGURES
        }
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
            "figures": figures,
            "figures_equal": all(f["baseline"] == f["workbook"] for f in figures.values()),
            "warm_summary_seconds": round(warm_s, 2),
            "warm_summary_peak_mb": round(warm_mb),
            "warm_equals_cold": warm_out.splitlines()[:-1] == ours_out.splitlines()[:-1],
            # where the workbook's time went (adoption_lib.timings), slowest first, with
            # the process's peak memory as each step ended
            "workbook_steps": {
                row["step"]: f"{row['seconds']:.2f} s, peak {row['peak_mb']} MB"
                for row in sorted(profile, key=lambda r: -r["seconds"])
            },
        }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000), indent=2))
