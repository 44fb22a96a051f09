"""Named steps of a run, written to ``$ADOPTION_PROFILE`` when the process exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adoption_lib.timings import STEPS, profile, step


def test_a_step_is_recorded_even_when_it_fails() -> None:
    before = len(STEPS)
    with pytest.raises(ValueError), step("a failing step"):
        raise ValueError("boom")
    assert [row["step"] for row in profile()[before:]] == ["a failing step"]


def test_the_profile_is_written_at_exit_only_when_asked(tmp_path: Path) -> None:
    code = (
        "from adoption_lib.timings import step\n"
        "with step('outer'):\n"
        "    with step('inner'):\n"
        "        pass\n"
    )
    target = tmp_path / "profile.json"
    env = {**os.environ, "ADOPTION_PROFILE": str(target)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    rows = json.loads(target.read_text())
    assert [r["step"] for r in rows] == ["inner", "outer"]  # in the order they ended
    assert rows[1]["seconds"] >= rows[0]["seconds"] >= 0
    # the process's peak memory as each step ended: a running maximum, in MB, and at
    # least what the interpreter itself holds
    assert rows[1]["peak_mb"] >= rows[0]["peak_mb"] > 5
    quiet = {k: v for k, v in os.environ.items() if k != "ADOPTION_PROFILE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=quiet, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.json"]
