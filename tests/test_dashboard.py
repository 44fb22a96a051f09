"""The client dashboard's logic: cube cells only, withheld selections, filters that move figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption_lib.dashboard import WITHHELD_TEXT, build_dashboard, choices, dashboard_view
from adoption_lib.privacy import ALL
from adoption_lib.report_data import build_bundles
from adoption_lib.synthetic import DEMO_SEED


@pytest.fixture(scope="module")
def bundles(generated: dict[int, Path]):
    return build_bundles(generated[DEMO_SEED])


def test_whole_organisation_view(bundles) -> None:
    view = dashboard_view(bundles["client"])
    assert not view.suppressed
    assert view.kpis["licensed"] == 600 and view.kpis["respondents"] == 440
    assert view.motivation.sum() == pytest.approx(0.95, abs=0.06)  # "unclassified" not shown
    assert len(view.weekly) > 30 and view.actions.index[0] == "A1"


def test_a_filter_changes_the_figures(bundles) -> None:
    client = bundles["client"]
    everyone = dashboard_view(client)
    service = dashboard_view(client, {"department": "Service"})
    assert service.kpis["licensed"] == 100
    assert service.barriers["process_fit"] > everyone.barriers["process_fit"] + 0.2
    assert list(service.barriers.index) == list(everyone.barriers.index)
    marketing = dashboard_view(client, {"department": "Marketing"})
    scopes = {a["id"]: a["scope"] for a in client.summary["actions"]}
    assert all(
        scopes[i] == "organisation-wide" or "Marketing" in scopes[i]
        for i in marketing.actions.index
    )
    assert len(marketing.actions) < len(everyone.actions)


def test_a_withheld_selection_shows_no_number(bundles) -> None:
    client = bundles["client"]
    cells = client.cube["cells"]
    hidden = cells[cells["suppressed"]].iloc[0]
    selection = {d: hidden[d] for d in client.engagement["client_dimensions"]}
    view = dashboard_view(client, selection)
    assert view.suppressed and view.message == WITHHELD_TEXT
    assert view.kpis == {} and view.motivation is None and view.actions is None


def test_only_the_client_bundle_and_only_cube_values(bundles) -> None:
    with pytest.raises(ValueError, match="client bundle only"):
        dashboard_view(bundles["consultant"])
    with pytest.raises(ValueError, match="'Nowhere' is not a department"):
        dashboard_view(bundles["client"], {"department": "Nowhere"})
    options = choices(bundles["client"])
    assert set(options) == {"department", "role"} and options["department"][0] == ALL


def test_widgets_redraw_on_a_filter_change(bundles) -> None:
    board = build_dashboard(bundles["client"])
    _, filters, header, charts, plan = board.children
    department = filters.children[0]
    before = header.value
    department.value = "Service"
    assert header.value != before and "100 licensed" in header.value
    cells = bundles["client"].cube["cells"]
    hidden = cells[
        cells["suppressed"] & (cells["role"] != ALL) & (cells["department"] != ALL)
    ].iloc[0]
    department.value = hidden["department"]
    filters.children[1].value = hidden["role"]
    assert "Too few people to show" in header.value
    assert charts.outputs == () and plan.outputs == ()
