"""Run the benchmarks: ``python -m benchmarks [--large]`` (``make bench`` / ``make bench-large``).

Each benchmark runs the workbook's code and a baseline doing the least possible work
on the same input, each in its own process (so peak memory is whole process against
whole process), and reports the ratios. Results are printed and written to
``benchmarks/results/<name>.json``. Nothing here asserts: targets are judged by a person
reading the ratios, and recorded in the issue notes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks import (
    dashboard,
    gzip_check,
    inventory_scan,
    kernel_imports,
    scoring,
    survey_load,
    usage_scale,
)

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--large", action="store_true", help="20M/100M-event runs (manual, slow, never in CI)"
    )
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    rows = 20_000_000 if args.large else 2_000_000
    results = {
        f"inventory_scan_{rows}": lambda: inventory_scan.run(rows),
        f"gzip_check_{rows}": lambda: gzip_check.run(rows),
        "survey_load_50000": lambda: survey_load.run(50_000),
        "scoring_50000": lambda: scoring.run(50_000),
    }
    if args.large:
        results = {
            "usage_scale_20m_csv": lambda: usage_scale.run(20_000_000),
            "usage_scale_100m_parquet": lambda: usage_scale.run(100_000_000, parquet=True),
        }
    else:
        results["usage_scale_2m_csv"] = lambda: usage_scale.run(2_000_000)
        results["dashboard"] = dashboard.run
        results["kernel_imports"] = kernel_imports.run
    for name, bench in results.items():
        print(f"running {name}...", flush=True)
        result = bench()
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        print(f"written to {out}")


if __name__ == "__main__":
    main()
