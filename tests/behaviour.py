"""What the workbook computes today, held as fixtures so a restructuring cannot change it.

``adoption summary --json`` for every wave of the demo seed and a second seed, and the
file list of a report run's manifest, are written to ``tests/fixtures/behaviour/`` by::

    .venv/bin/python -m tests.behaviour DIR_FOR_SCRATCH

and compared by ``tests/test_behaviour.py``. Regenerate them only for a change that is
meant to move a figure, and say which in the commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

from adoption_lib.cli import main
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import wave_names
from adoption_lib.synthetic import DEMO_SEED, generate_engagement

FIXTURES = Path(__file__).parent / "fixtures" / "behaviour"
SEEDS = (DEMO_SEED, 7)


def summary_json(folder: Path, wave: str) -> dict[str, Any]:
    """``adoption summary --json --wave WAVE`` on an engagement, parsed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["summary", str(folder), "--json", "--wave", wave])
    if code != 0:
        raise AssertionError(f"adoption summary exited {code} on {folder} wave {wave}")
    return json.loads(out.getvalue())


def fixture_name(seed: int, wave: str) -> Path:
    """Where the summary of one seed and wave is kept."""
    return FIXTURES / f"summary_seed{seed}_{wave}.json"


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Every place two JSON values differ; floats within a relative 1e-9 are equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = [f"{where}.{k}: missing" for k in expected.keys() - actual.keys()]
        out += [f"{where}.{k}: unexpected" for k in actual.keys() - expected.keys()]
        for key in expected.keys() & actual.keys():
            out += differences(expected[key], actual[key], f"{where}.{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items, now {len(actual)}"]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, a, f"{where}[{i}]")
        ]
    if (
        isinstance(expected, float)
        and isinstance(actual, (int, float))
        and not isinstance(actual, bool)
    ):
        same = math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)
        return [] if same else [f"{where}: {expected!r}, now {actual!r}"]
    return [] if expected == actual else [f"{where}: {expected!r}, now {actual!r}"]


def write(scratch: Path) -> list[Path]:
    """Generate both seeds under ``scratch`` and write every summary fixture."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    written = []
    for seed in SEEDS:
        folder = scratch / f"seed{seed}"
        generate_engagement(folder, seed=seed)
        for wave in wave_names(load_engagement(folder)):
            path = fixture_name(seed, wave)
            path.write_text(json.dumps(summary_json(folder, wave), indent=1, sort_keys=True) + "\n")
            written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write(Path(sys.argv[1])):
        print(path)


def manifest_files(out: Path) -> list[list[str]]:
    """A report folder's manifest file list: ``[path, audience]`` pairs, sorted."""
    manifest = json.loads((out / "manifest.json").read_text())
    return sorted([f["path"], f["audience"]] for f in manifest["files"])


def manifest_fixture(wave: str) -> Path:
    """Where the demo's manifest file list for one wave is kept."""
    return FIXTURES / f"manifest_files_{wave}.json"
