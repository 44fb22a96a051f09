"""Behaviour held still: every summary of both seeds equals its committed fixture.

The fixtures were written by ``python -m tests.behaviour`` before the code was
restructured (issue 16); a restructuring must leave every figure where it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.behaviour import SEEDS, differences, fixture_name, summary_json

CASES = [(seed, wave) for seed in SEEDS for wave in ("baseline", "day90")]


@pytest.mark.parametrize(("seed", "wave"), CASES, ids=[f"seed{s}-{w}" for s, w in CASES])
def test_summary_equals_its_fixture(generated: dict[int, Path], seed: int, wave: str) -> None:
    expected = json.loads(fixture_name(seed, wave).read_text())
    found = differences(expected, summary_json(generated[seed], wave))
    assert found == [], "\n".join(found[:40])


def test_differences_sees_a_moved_figure() -> None:
    before = {"a": [1, 2.0, {"b": "x"}], "c": 0.5}
    assert differences(before, before) == []
    assert differences(before, {"a": [1, 2.0 + 1e-12, {"b": "x"}], "c": 0.5}) == []
    assert differences(before, {"a": [1, 2.5, {"b": "y"}], "d": 1}) == [
        ".c: missing",
        ".d: unexpected",
        ".a[1]: 2.0, now 2.5",
        ".a[2].b: 'x', now 'y'",
    ]
