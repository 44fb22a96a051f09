"""One figure, one value and one label: executive summary, usage page, dashboard, summary.json.

Each headline figure is read back from the client's executive summary and usage page
(their visible text), from the dashboard's cards (the wave's board as a visitor sees
it) and from summary.json, and must read "<label>: <value>" (or the card's label and
value) with the registry's label and the summary's value in the registry's format.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from adoption_lib.metrics import format_metric, metric_label

#: each figure, where summary.json holds it, and where it must appear
FIGURES = {
    "renewal.effective_utilisation": ("executive_summary", "usage", "dashboard"),
    "usage.license_utilisation": ("executive_summary", "usage"),
    "renewal.value_at_risk": ("executive_summary", "dashboard"),
    "survey.response_rate": ("executive_summary", "dashboard"),
}
CARD = re.compile(r"<span class='value'>([^<]+)</span><span class='label'>([^<]+)</span>")


def _visible(page: str) -> str:
    """A page's text: no style or script, no tags, entities decoded, spaces collapsed."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _value(summary: dict, key: str) -> float:
    section, name = key.split(".")
    return summary[section][name]


@pytest.mark.slow
def test_each_headline_figure_reads_the_same_everywhere(demo_reports) -> None:
    from adoption_lib.dashboard.view import build_dashboard
    from adoption_lib.dashboard.waves import dashboard_data

    folder, reports = demo_reports
    out = reports["day90"]
    summary = json.loads((out / "summary.json").read_text())
    currency = summary["renewal"]["currency"]
    pages = {
        name: _visible((out / "client" / f"{name}.html").read_text(encoding="utf-8"))
        for name in ("executive_summary", "usage")
    }
    board = build_dashboard(dashboard_data(folder))
    _, _, header = board.children
    cards = {label: value for value, label in CARD.findall(header.value)}
    for key, places in FIGURES.items():
        label = metric_label(key)
        shown = format_metric(key, _value(summary, key), currency)
        if "executive_summary" in places:
            assert f"{label}: {shown}" in pages["executive_summary"], (key, label, shown)
        if "usage" in places:
            assert f"{label} {shown}" in pages["usage"], (key, label, shown)
        if "dashboard" in places:
            assert cards.get(label) == shown, (key, label, cards)
    # the second denominator is labelled as such wherever it appears
    second = metric_label("usage.effective_share_of_licensed")
    share = summary["usage"]["effective_users"] / summary["usage"]["licensed_users"]
    assert f"{second} {share:.0%}" in pages["usage"]
    assert cards[second] == f"{share:.0%}"
    # active use: of licences on the summary and usage page, of licensed users on the
    # usage page and the dashboard, each with its own label and value
    active = metric_label("usage.active_share_of_licensed")
    active_share = summary["usage"]["active_users_30d"] / summary["usage"]["licensed_users"]
    assert f"{active} {active_share:.0%}" in pages["usage"]
    assert cards[active] == f"{active_share:.0%}"
    # and no page calls a share of licensed users by the licences' name
    assert "Effective utilisation" not in pages["executive_summary"] + pages["usage"]
