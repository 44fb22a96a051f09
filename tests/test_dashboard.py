"""The client dashboard's logic: cube cells only, withheld selections, filters that move figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import adoption_lib.dashboard.view as view_module
from adoption_lib.config.thresholds import KeyThresholds
from adoption_lib.dashboard.view import (
    WITHHELD_TEXT,
    build_dashboard,
    choices,
    dashboard_view,
    render,
)
from adoption_lib.errors import SelectionError
from adoption_lib.privacy.suppression import ALL
from adoption_lib.reports import panels
from adoption_lib.reports.data import build_bundles
from adoption_lib.synthetic import DEMO_SEED


@pytest.fixture(scope="module")
def bundles(generated: dict[int, Path]):
    return build_bundles(generated[DEMO_SEED])


def test_whole_organisation_view(bundles) -> None:
    view = dashboard_view(bundles["client"])
    assert not view.suppressed
    assert view.kpis["licensed"] == 600 and view.kpis["respondents"] == 440
    # "unclassified" not shown; shares are whole percentages, so the sum may miss 1 a little
    assert view.motivation.sum() == pytest.approx(1.0, abs=0.05)
    assert ((view.motivation * 100).round(6) % 1 == 0).all()
    assert len(view.weekly) > 30
    # the plan's actions by due date, as the reports list them
    assert view.actions["due"].is_monotonic_increasing
    assert set(view.actions.index) == {a["id"] for a in bundles["client"].summary["actions"]}


def test_a_filter_changes_the_figures(bundles) -> None:
    client = bundles["client"]
    everyone = dashboard_view(client)
    service = dashboard_view(client, {"department": "Service"})
    assert service.kpis["licensed"] == 100
    assert service.barriers["process_fit"] > everyone.barriers["process_fit"] + 0.2
    assert list(service.barriers.index) == list(everyone.barriers.index)
    # Marketing's 6 managers and executives would be Marketing minus its end users: its
    # managers are withheld, Marketing itself is shown
    assert not dashboard_view(client, {"department": "Marketing"}).suppressed
    assert dashboard_view(client, {"department": "Marketing", "role": "manager"}).suppressed
    sales = dashboard_view(client, {"department": "Field Sales"})
    scopes = {a["id"]: a["scope"] for a in client.summary["actions"]}
    assert all(
        scopes[i] == "organisation-wide" or "Field Sales" in scopes[i] for i in sales.actions.index
    )
    assert len(sales.actions) < len(everyone.actions)


def test_a_withheld_selection_shows_no_number(bundles) -> None:
    client = bundles["client"]
    cells = client.cube["cells"]
    hidden = cells[cells["suppressed"]].iloc[0]
    selection = {d: hidden[d] for d in client.engagement["client_dimensions"]}
    view = dashboard_view(client, selection)
    assert view.suppressed and view.message == WITHHELD_TEXT
    assert view.kpis == {} and view.motivation is None and view.actions is None


def test_only_the_client_bundle_and_only_cube_values(bundles) -> None:
    with pytest.raises(SelectionError, match="client bundle only"):
        dashboard_view(bundles["consultant"])
    with pytest.raises(SelectionError, match="'Nowhere' is not a department"):
        dashboard_view(bundles["client"], {"department": "Nowhere"})
    options = choices(bundles["client"])
    assert set(options) == {"department", "role"} and options["department"][0] == ALL


def test_segments_and_barrier_map_come_from_released_cells(bundles) -> None:
    client = bundles["client"]
    everyone = dashboard_view(client)
    summary_segments = client.summary["segments"]
    # the organisation's counts in the client summary are the cube's, withheld ones alike
    assert {k: (None if pd.isna(v) else v) for k, v in everyone.segments.items()} == {
        k: (None if v is None else float(v)) for k, v in summary_segments.items()
    }
    cells = client.cube["cells"]
    released = set(cells.loc[~cells["suppressed"] & (cells["role"] == ALL), "department"])
    assert set(everyone.barrier_map.columns) == released
    assert list(everyone.barrier_map.index) == [b["id"] for b in client.summary["barriers"]]
    service = dashboard_view(client, {"department": "Service"})
    assert service.barrier_map["Service"].equals(service.barriers)
    assert service.segments.sum() <= service.kpis["respondents"]
    k = client.engagement["min_group_size"]
    for view in (everyone, service):
        shown = view.segments.dropna()
        assert not ((shown > 0) & (shown < k)).any()


def test_render_shows_every_panel_and_names_the_selection(bundles) -> None:
    client = bundles["client"]
    header, body = render(client, dashboard_view(client, {"department": "Service"}))
    assert "data-selection='Service|(all)'" in header and "This selection: Service" in header
    assert "100</span><span class='label'>Licensed users" in header
    for title in (
        "Motivation mix",
        "Barrier heat map by department",
        "4+1 Keys scorecard",
        "Weekly adoption curve",
        "Adoption segments",
        "Action plan",
    ):
        assert f"<h2>{title}</h2>" in body, title
    assert "<svg role='img'" in body and body.count("<polyline") >= 1
    cells = client.cube["cells"]
    hidden = cells[cells["suppressed"]].iloc[0]
    selection = {d: hidden[d] for d in client.engagement["client_dimensions"]}
    header, body = render(client, dashboard_view(client, selection))
    assert WITHHELD_TEXT in header and body == ""
    assert not any(ch.isdigit() for ch in header.split("</strong>")[0])


def test_panels_write_withheld_figures_as_words_and_escape_text() -> None:
    bars = panels.bars(pd.Series({"wiifm": 0.25, "low": float("nan")}))
    assert "WIIFM" in bars and "25%" in bars and bars.count("class='bar'") == 1
    assert "withheld" in bars
    grid = pd.DataFrame({"(all)": [0.45, 0.2], "<b>Ops</b>": [float("nan"), 0.4]}, ["a_b", "c"])
    heat = panels.heat_map(grid, 0.4, selected="<b>Ops</b>")
    assert "&lt;b&gt;Ops&lt;/b&gt;" in heat and "<b>Ops" not in heat
    assert heat.count("▲") == 2 and "45% ▲" in heat and "20%<" in heat
    assert "title='withheld'>–" in heat and ">All</th>" in heat
    earlier = KeyThresholds(basis="favourable", red_below=50, green_from=70)
    card = panels.scorecard(pd.Series({"key1_people": 0.49, "key2_plan": 0.7}), earlier)
    assert "Key 1: people" in card and ">red<" in card and ">green<" in card
    assert "49%" in card
    net = panels.scorecard(pd.Series({"key1_people": -0.05, "key2_plan": 0.1}), KeyThresholds())
    assert ">red<" in net and ">amber<" in net and "-5 pts" in net and "+10 pts" in net
    weeks = pd.Series(
        [0.2, float("nan"), 0.4, 0.5], index=pd.date_range("2026-01-05", periods=4, freq="7D")
    )
    svg = panels.curve(weeks)
    assert svg.count("<polyline") == 2 and "latest week 50% active" in svg
    plan = panels.table(pd.DataFrame({"action": ["<script>x</script>"]}))
    assert "&lt;script&gt;" in plan and "<script>" not in plan


def test_widgets_redraw_on_a_filter_change(bundles) -> None:
    board = build_dashboard(bundles["client"])
    title, filters, header = board.children
    assert "Northwind" in title.value and "adoption dashboard" in title.value
    department = filters.children[0]
    before = header.value
    department.value = "Service"
    assert header.value != before and "data-selection='Service|(all)'" in header.value
    assert "Barrier heat map" in header.value
    cells = bundles["client"].cube["cells"]
    hidden = cells[
        cells["suppressed"] & (cells["role"] != ALL) & (cells["department"] != ALL)
    ].iloc[0]
    department.value = hidden["department"]
    filters.children[1].value = hidden["role"]
    assert "Too few people to show" in header.value
    assert "<section" not in header.value


@pytest.fixture(scope="module")
def waves(demo_dir: Path):
    from adoption_lib.dashboard.waves import dashboard_data

    return dashboard_data(demo_dir)


def test_every_wave_and_a_trend_per_released_cell(waves) -> None:
    from adoption_lib.dashboard.waves import wave_trend

    assert list(waves) == ["baseline", "day90"]
    trend = wave_trend(waves, {"department": "Service"})
    assert list(trend.index) == ["2026-11-02", "2027-01-31"]
    assert list(trend.columns) == [
        "Active use (of licensed users)",
        "Effective use (of licensed users)",
        "Commitment-led respondents",
    ]
    service = {w: dashboard_view(d, {"department": "Service"}) for w, d in waves.items()}
    assert trend["Effective use (of licensed users)"].tolist() == [
        service[w].usage["effective_share"] for w in waves
    ]
    assert (
        trend["Effective use (of licensed users)"].iloc[1]
        > trend["Effective use (of licensed users)"].iloc[0]
    )  # planted
    cells = waves["day90"].cube["cells"]
    hidden = cells[cells["suppressed"]].iloc[0]
    assert wave_trend(waves, {d: hidden[d] for d in ("department", "role")}) is None


def test_the_wave_selector_redraws_the_board(waves) -> None:
    board = build_dashboard(waves)
    title, controls, header = board.children
    department, _role, wave = controls.children
    assert wave.value == "day90" and "Waves: baseline 2026-11-02, day90 2027-01-31" in title.value
    assert "data-wave='day90'" in header.value and "Trend across waves" in header.value
    latest = header.value
    wave.value = "baseline"
    assert "data-wave='baseline'" in header.value and header.value != latest
    department.value = "Service"
    assert "Active use (of licensed users)" in header.value and "→" in header.value


def test_a_view_that_fails_sends_no_error_text(bundles, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("/home/consultant/acme/private/people.parquet: column 'salary'")

    monkeypatch.setattr(view_module, "render", broken)
    html = view_module.redrawn({"day90": bundles["client"]}, "day90", {"department": ALL})
    assert view_module.BROKEN_TEXT in html
    assert "Traceback" not in html and "salary" not in html and "private" not in html
    monkeypatch.undo()
    shown = view_module.redrawn({"day90": bundles["client"]}, "day90", {"department": ALL})
    assert "kpis" in shown and view_module.BROKEN_TEXT not in shown
