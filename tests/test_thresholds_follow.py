"""Every text, figure line and table that names a threshold reads the engagement's value."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from adoption_lib.dashboard.view import dashboard_view, render
from adoption_lib.reports import figures, views
from adoption_lib.reports.data import build_bundles
from adoption_lib.synthetic import DEMO_SEED

#: none of them the default (0.40, 0.50, 0.70)
FLAG, RED, GREEN = 0.30, 0.45, 0.80


@pytest.fixture(scope="module")
def bundles(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("thresholds") / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text() + f"thresholds:\n  barrier_flag_unfavourable: {FLAG}\n"
        f"  key_red_below: {RED}\n  key_green_from: {GREEN}\n"
    )
    return build_bundles(folder)


def _vertical_lines(fig) -> list[float]:
    return sorted(
        round(float(line.get_xdata()[0]), 6)
        for line in fig.axes[0].get_lines()
        if len(set(line.get_xdata())) == 1
    )


def test_barrier_figure_draws_and_names_the_flag(bundles) -> None:
    fig = figures.barriers(bundles["client"])
    assert fig.axes[0].get_xlabel() == "Unfavourable share (flagged at 30%)"
    assert _vertical_lines(fig) == [FLAG]
    plt.close(fig)


def test_keys_figure_draws_and_names_red_and_green(bundles) -> None:
    fig = figures.keys_scorecard(bundles["client"])
    assert fig.axes[0].get_xlabel() == "Favourable share (red below 45%, green from 80%)"
    assert _vertical_lines(fig) == [RED, GREEN]
    plt.close(fig)


def test_report_sentences_name_the_thresholds(bundles) -> None:
    data = bundles["consultant"]
    assert views.barrier_rule(data) == (
        "Barriers flagged here are answered unfavourably by at least 30% of respondents."
    )
    assert views.keys_rule(data) == "Red below 45% favourable, amber to 80%, green from 80%."


def test_register_evidence_names_the_thresholds(bundles) -> None:
    register = bundles["consultant"].tables["register"]
    evidence = register.set_index("kind")["evidence"]
    barriers, keys = evidence.loc[["barrier"]], evidence.loc[["key"]]
    assert len(barriers) and len(keys)
    assert all("% unfavourable in the survey (flag at 30%)" in e for e in barriers)
    assert all("% favourable in the survey (red below 45%)" in e for e in keys)
    flat = " ".join(evidence)
    assert "40%)" not in flat and "below 50%" not in flat


def test_dashboard_names_the_thresholds(bundles) -> None:
    client = bundles["client"]
    _, body = render(client, dashboard_view(client))
    assert "▲ marks 30% or more" in body
    assert "Favourable share: red below 45%, green from 80%." in body


def test_statuses_follow_the_thresholds(bundles) -> None:
    for key in bundles["client"].summary["keys"]:
        share = key["favourable_pct"]
        if share is None:
            continue
        expected = "red" if share < RED else ("green" if share >= GREEN else "amber")
        assert key["status"] == expected, key
    for barrier in bundles["client"].summary["barriers"]:
        if barrier["unfavourable_pct"] is not None:
            assert barrier["flagged"] == (barrier["unfavourable_pct"] >= FLAG), barrier
