"""Every text, figure line and table that names a threshold reads the engagement's value."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from adoption_lib.dashboard.view import dashboard_view, render
from adoption_lib.reports import figures, method_text
from adoption_lib.reports.data import build_bundles
from adoption_lib.synthetic import DEMO_SEED

#: none of them the default (0.40, and net 0 / +30 points)
FLAG, RED, GREEN = 0.30, 0.35, 0.80
#: the net basis with its own lines, in points
NET_RED, NET_GREEN = -10, 20

LEGACY = f"  key_red_below: {RED}\n  key_green_from: {GREEN}\n"
NET = f"  keys: {{basis: net, red_below: {NET_RED}, green_from: {NET_GREEN}}}\n"


@pytest.fixture(scope="module", params=["favourable", "net"])
def bundles(request, generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp(f"thresholds-{request.param}") / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    config = folder / "engagement.yml"
    keys = LEGACY if request.param == "favourable" else NET
    config.write_text(
        config.read_text() + f"thresholds:\n  barrier_flag_unfavourable: {FLAG}\n{keys}"
    )
    out = build_bundles(folder)
    out["basis"] = request.param
    return out


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
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    borderline = [
        b for b in bundles["client"].summary["barriers"] if b["certainty"] == "borderline"
    ]
    assert sum(label.endswith(" (borderline)") for label in labels) == len(borderline)
    plt.close(fig)


def test_keys_figure_draws_and_names_red_and_green(bundles) -> None:
    fig = figures.keys_scorecard(bundles["client"])
    if bundles["basis"] == "favourable":
        assert fig.axes[0].get_xlabel() == "Favourable share (red below 35%, green from 80%)"
        assert _vertical_lines(fig) == [RED, GREEN]
    else:
        assert fig.axes[0].get_xlabel() == (
            "Net favourable, points (red below -10, green from +20; neutral counts for neither)"
        )
        assert _vertical_lines(fig) == [NET_RED / 100, 0.0, NET_GREEN / 100]
    plt.close(fig)


def test_report_sentences_name_the_thresholds(bundles) -> None:
    data = bundles["consultant"]
    assert method_text.barrier_rule(data) == (
        "Barriers flagged here are answered unfavourably by at least 30% of respondents."
    )
    if bundles["basis"] == "favourable":
        expected = "Favourable share: red below 35%, amber to 80%, green from 80%."
    else:
        expected = (
            "Net favourable (favourable minus unfavourable answers, neutral counted for "
            "neither): red below -10 points, amber to +20, green from +20."
        )
    assert method_text.keys_rule(data).startswith(expected)
    borderline = [k["id"] for k in data.summary["keys"] if k["certainty"] == "borderline"]
    assert ("Borderline" in method_text.keys_rule(data)) == bool(borderline)


def test_register_evidence_names_the_thresholds(bundles) -> None:
    register = bundles["consultant"].tables["register"]
    evidence = register.set_index("kind")["evidence"]
    barriers, keys = evidence.loc[["barrier"]], evidence.loc[["key"]]
    assert len(barriers) and len(keys)
    assert all("% unfavourable in the survey (flag at 30%)" in e for e in barriers)
    if bundles["basis"] == "favourable":
        assert all("% favourable in the survey (red below 35%)" in e for e in keys)
    else:
        assert all(" points in the survey (" in e and "red below -10)" in e for e in keys)
        assert not any("+0" in e for e in evidence)
    flat = " ".join(evidence)
    assert "40%)" not in flat and "below 50%" not in flat and "below +0)" not in flat


def test_dashboard_names_the_thresholds(bundles) -> None:
    client = bundles["client"]
    _, body = render(client, dashboard_view(client))
    assert "▲ marks 30% or more" in body
    if bundles["basis"] == "favourable":
        assert "Favourable share: red below 35%, amber to 80%, green from 80%." in body
    else:
        assert "red below -10 points, amber to +20, green from +20." in body


def test_statuses_follow_the_thresholds(bundles) -> None:
    net = bundles["basis"] == "net"
    red, green = (NET_RED / 100, NET_GREEN / 100) if net else (RED, GREEN)
    seen = set()
    for key in bundles["client"].summary["keys"]:
        value = key["net_pct"] if net else key["favourable_pct"]
        if value is None:
            continue
        assert key["basis"] == bundles["basis"]
        assert key["net_pct"] == pytest.approx(
            key["favourable_pct"] - key["unfavourable_pct"], abs=2e-4
        )
        expected = "red" if value < red else ("green" if value >= green else "amber")
        assert key["status"] == expected, key
        low, high = key["ci95"]
        assert low <= value <= high
        seen.add(key["status"])
    assert len(seen) >= 2  # the lines separate the demo's Keys, so the test can fail
    for barrier in bundles["client"].summary["barriers"]:
        if barrier["unfavourable_pct"] is not None:
            assert barrier["flagged"] == (barrier["unfavourable_pct"] >= FLAG), barrier


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_threshold_lines_are_labelled_and_every_bar_shows_its_value(bundles) -> None:
    data = bundles["client"]
    barriers = figures.barriers(data)
    assert "flagged at 30%" in _texts(barriers)
    shown = [b["unfavourable_pct"] or 0 for b in data.summary["barriers"]]
    assert sorted(t for t in _texts(barriers) if t.endswith("%") and "flagged" not in t) == sorted(
        f"{v:.0%}" for v in shown
    )
    keys = figures.keys_scorecard(data)
    labels = _texts(keys)
    if bundles["basis"] == "favourable":
        assert "red below 35% " in labels and " green from 80%" in labels
        values = [f"{k['favourable_pct'] or 0:.0%}" for k in data.summary["keys"]]
    else:
        assert "red below -10 " in labels and " green from +20" in labels
        values = [f"{round((k['net_pct'] or 0) * 100):+d}" for k in data.summary["keys"]]
    assert [t for t in labels if "below" not in t and "from" not in t] == values
    # a red Key is drawn in the status red, not the palette's orange
    red = [k for k in data.summary["keys"] if k["status"] == "red"]
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in keys.axes[0].patches}
    if red:
        assert (round(0xB2 / 255, 3), round(0x18 / 255, 3), round(0x2B / 255, 3)) in colours
    plt.close(barriers)
    plt.close(keys)


def test_the_heat_map_has_the_organisation_first_and_group_sizes(bundles) -> None:
    for audience in ("client", "consultant"):
        data = bundles[audience]
        fig = figures.barrier_heat_map(data)
        rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert rows[0] == "Organisation"
        assert all(" (n = " in r for r in rows[1:]), rows
        first = [t.get_text() for t in fig.axes[0].texts][: len(data.summary["barriers"])]
        overall = {b["id"]: b["unfavourable_pct"] for b in data.summary["barriers"]}
        columns = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        assert first == [f"{overall[c.replace(' ', '_')]:.0%}" for c in columns], (
            audience
        )  # the organisation's row is summary.json's figure
        assert fig.axes[1].get_ylabel() == "Share of unfavourable answers"
        plt.close(fig)
