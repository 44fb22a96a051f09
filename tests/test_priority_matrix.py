"""The priority matrix: every barrier at its prevalence and importance, for both audiences."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from adoption_lib.reports.data import build_bundles
from adoption_lib.reports.gaps import Missing
from adoption_lib.reports.priority_matrix import priority_matrix
from adoption_lib.synthetic import DEMO_SEED


@pytest.fixture(scope="module")
def bundles(generated):
    return build_bundles(generated[DEMO_SEED])


def _points(fig) -> dict[tuple[float, float], str]:
    out = {}
    for collection in fig.axes[0].collections:
        if collection.get_label().startswith("_"):  # the interval bars, not the points
            continue
        for x, y in collection.get_offsets():
            out[(round(float(x), 4), round(float(y), 4))] = collection.get_label()
    return out


@pytest.mark.parametrize("audience", ["consultant", "client"])
def test_each_barrier_sits_at_its_prevalence_and_importance(bundles, audience: str) -> None:
    data = bundles[audience]
    fig = priority_matrix(data)
    assert not isinstance(fig, Missing)
    drivers = {
        d["id"]: d
        for d in data.summary["drivers"]
        if d["outcome"] == "active_days_per_week" and d["family"] == "barrier"
    }
    points = _points(fig)
    expected = {
        (round(b["unfavourable_pct"], 4), round(drivers[b["id"]]["importance"], 4)): (
            "relates to use more than a random predictor"
            if drivers[b["id"]]["beats_noise"]
            else "not distinguishable from a random predictor"
        )
        for b in data.summary["barriers"]
    }
    assert points == expected and len(points) == 8
    names = {t.get_text() for t in fig.axes[0].texts}
    assert "Process fit" in {n.capitalize() for n in names}
    flag = [
        line.get_xdata()[0] for line in fig.axes[0].get_lines() if len(set(line.get_xdata())) == 1
    ]
    assert np.isclose(flag, 0.40).any()
    plt.close(fig)


def test_both_audiences_see_the_same_matrix(bundles) -> None:
    a, b = priority_matrix(bundles["consultant"]), priority_matrix(bundles["client"])
    assert _points(a) == _points(b)
    plt.close(a)
    plt.close(b)


def test_without_drivers_the_matrix_says_why(bundles) -> None:
    data = bundles["client"]
    original = data.summary["drivers"]
    data.summary["drivers"] = []
    try:
        note = priority_matrix(data)
    finally:
        data.summary["drivers"] = original
    assert isinstance(note, Missing) and "no priority matrix" in note.reason
