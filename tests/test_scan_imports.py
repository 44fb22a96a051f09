"""The usage scan runs before any statistics library is loaded (issue 18's memory peak).

scipy, statsmodels, pingouin and matplotlib hold about 150 MB once imported. The summary
imports them only after the usage stage, so they are never resident beside DuckDB's scan
of a large event log. Checked in a fresh interpreter: a spy on the scan records which of
them are loaded when it starts, and the run then goes on to load them (so the spy sees a
run that needs them, not one that skipped them). A later wave's summary assesses the
baseline first, so its own scan has them loaded: this holds for the baseline's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import SECOND_SEED

HEAVY = ("scipy.stats", "scipy.optimize", "statsmodels", "pingouin", "matplotlib")

SPY = """
import json, sys
import adoption_lib.usage.load as usage_load
seen = {}
measure = usage_load.compute_metrics
def spy(*args, **kwargs):
    seen["at_scan"] = [m for m in HEAVY if m in sys.modules]
    return measure(*args, **kwargs)
usage_load.compute_metrics = spy
from adoption_lib.cli.main import main
code = main(["summary", sys.argv[1], "--json", "--wave", "baseline"])
seen["at_end"] = [m for m in HEAVY if m in sys.modules]
sys.stderr.write("SPY " + json.dumps({"code": code, **seen}) + "\\n")
"""


def _spied(engagement: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{SPY}", str(engagement)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("SPY ")]
    assert lines, done.stderr[-2000:]
    return json.loads(lines[-1][4:])


def test_the_scan_starts_with_no_statistics_library_loaded(
    generated: dict[int, Path], tmp_path: Path
) -> None:
    engagement = tmp_path / "engagement"
    shutil.copytree(generated[SECOND_SEED], engagement)
    shutil.rmtree(engagement / "private" / "cache", ignore_errors=True)  # a cold run
    seen = _spied(engagement)
    assert seen["code"] == 0
    assert seen["at_scan"] == []
    # the survey, the diagnosis, the cube and its audit then needed each of them
    assert set(seen["at_end"]) >= {"scipy.stats", "scipy.optimize", "statsmodels"}
