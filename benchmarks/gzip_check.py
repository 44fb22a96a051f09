"""The whole-file gzip check (``file_guards.check_gzip``) against DuckDB reading the same file.

DuckDB reads a truncated ``.gz`` without an error, so every gzipped usage export is
streamed once through zlib before DuckDB reads it. Baseline: DuckDB counting the rows of
the same file (the least work a read does). Measured: ``check_gzip`` alone. The ratio is
what the check adds to a usage read of that file; each runs in its own process.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.inventory_scan import _make_engagement, _timed

_BASELINE = """
import duckdb, sys
print(duckdb.connect().execute("SELECT count(*) FROM read_csv(?, all_varchar=true, header=true)",
                               [sys.argv[1]]).fetchone())
"""
_CHECK = """
import sys
from pathlib import Path
from adoption_lib.inputs.file_guards import check_gzip
check_gzip(Path(sys.argv[1]))
"""


def run(rows: int) -> dict[str, object]:
    """Run the benchmark on ``rows`` events; return times, memory and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        _make_engagement(folder, rows)
        gz = folder / "exports" / "events.csv.gz"
        base_s, base_mb = _timed([sys.executable, "-c", _BASELINE, str(gz)])
        check_s, check_mb = _timed([sys.executable, "-c", _CHECK, str(gz)])
        return {
            "benchmark": "gzip_check",
            "rows": rows,
            "file_mb": round(gz.stat().st_size / 2**20, 1),
            "baseline_seconds": round(base_s, 2),
            "check_seconds": round(check_s, 2),
            "time_ratio": round(check_s / base_s, 2),
            "baseline_peak_mb": round(base_mb),
            "check_peak_mb": round(check_mb),
        }
