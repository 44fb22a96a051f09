"""What a dashboard visitor's kernel loads: the workbook's light modules against their libraries.

Every visitor gets a kernel of their own (ten sessions, ten kernels), so what importing
the dashboard costs is paid per visitor. Baseline: importing the libraries the dashboard
draws with (pandas, ipywidgets, matplotlib), the least a kernel can load. Measured: the
modules the dashboard notebook and the report notebooks import, which read their data
from a cache and must not load DuckDB, ibis, scipy or the report runner. Each runs in
its own process; wall time and peak memory, whole process against whole process.
"""

from __future__ import annotations

import sys

from benchmarks.inventory_scan import _timed

_BASELINE = "import pandas, ipywidgets, matplotlib.pyplot"
_KERNEL = (
    "import adoption_lib.dashboard.view, adoption_lib.dashboard.waves, "
    "adoption_lib.reports.views, adoption_lib.reports.figures, adoption_lib.reports.bundle"
)
_PIPELINE = "import adoption_lib.pipeline"


def run() -> dict[str, object]:
    """Time each import three times (the best run counts); return seconds, MB and ratios."""
    best = {}
    for name, code in (("baseline", _BASELINE), ("kernel", _KERNEL), ("pipeline", _PIPELINE)):
        runs = [_timed([sys.executable, "-c", code]) for _ in range(3)]
        best[name] = (min(s for s, _ in runs), min(m for _, m in runs))
    (base_s, base_mb), (kernel_s, kernel_mb), (pipe_s, pipe_mb) = best.values()
    return {
        "benchmark": "kernel_imports",
        "baseline_seconds": round(base_s, 2),
        "kernel_seconds": round(kernel_s, 2),
        "pipeline_seconds": round(pipe_s, 2),
        "time_ratio": round(kernel_s / base_s, 2),
        "baseline_peak_mb": round(base_mb),
        "kernel_peak_mb": round(kernel_mb),
        "pipeline_peak_mb": round(pipe_mb),
        "memory_ratio": round(kernel_mb / base_mb, 2),
        "pipeline_memory_ratio": round(pipe_mb / base_mb, 2),
    }
