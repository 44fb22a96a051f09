"""The client dashboard: the client cube, filtered by client dimension, panel by panel.

:func:`dashboard_view` is the whole logic, pure and testable: for a selection of one value
(or "(all)") per client dimension it returns the cube cell's figures, or says the cell is
withheld ("too few people to show") and returns no number at all. Only cells of the
suppressed client cube can be reached, since the selection is a cube key; the actions
come from the organisation-wide plan, filtered to those whose scope covers the selected
department. :func:`build_dashboard` wraps it in ipywidgets for Voilà.
"""

from __future__ import annotations

import html
import io
import threading
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from adoption_lib.privacy import ALL
from adoption_lib.report_data import ReportData

WITHHELD_TEXT = "Too few people to show for this selection."
#: Seconds after the first render before the other cells' charts are drawn.
PRERENDER_DELAY_SECONDS = 3.0
MOTIVES = ("commitment", "compliance", "wiifm", "mixed", "low")


@dataclass
class DashboardView:
    """What the dashboard shows for one selection."""

    selection: dict[str, str]
    suppressed: bool
    kpis: dict[str, Any] = field(default_factory=dict)
    motivation: pd.Series | None = None
    barriers: pd.Series | None = None
    keys: pd.Series | None = None
    weekly: pd.Series | None = None
    usage: pd.Series | None = None
    actions: pd.DataFrame | None = None
    message: str = ""


def choices(data: ReportData) -> dict[str, list[str]]:
    """The values each client dimension can be filtered by, "(all)" first."""
    cells = data.cube["cells"]
    return {
        d: [ALL, *sorted(v for v in cells[d].astype(str).unique() if v != ALL)]
        for d in data.engagement["client_dimensions"]
    }


def _cell(table: pd.DataFrame, dims: list[str], selection: dict[str, str]) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for d in dims:
        mask &= table[d].astype(str) == selection.get(d, ALL)
    return table[mask]


def dashboard_view(data: ReportData, selection: dict[str, str] | None = None) -> DashboardView:
    """The figures of one cube cell, or the withheld message.

    Parameters
    ----------
    data
        The **client** bundle (a consultant bundle is refused: the dashboard is a client view).
    selection
        One value per client dimension; missing ones mean "(all)".

    Returns
    -------
    DashboardView
        KPIs and panel series, or ``suppressed`` with only the message.

    Raises
    ------
    ValueError
        For a consultant bundle, or a value that is no cell of the cube.
    """
    if data.audience != "client":
        raise ValueError("the dashboard shows the client bundle only")
    dims = list(data.engagement["client_dimensions"])
    chosen = {d: str((selection or {}).get(d, ALL)) for d in dims}
    options = choices(data)
    for d, value in chosen.items():
        if value not in options[d]:
            raise ValueError(f"{value!r} is not a {d} in this assessment")
    cell = _cell(data.cube["cells"], dims, chosen)
    view = DashboardView(chosen, suppressed=cell.empty or bool(cell["suppressed"].iloc[0]))
    if view.suppressed:
        view.message = WITHHELD_TEXT
        return view
    types = _cell(data.cube["types"], dims, chosen)
    if not types.empty:
        view.motivation = types.iloc[0][list(MOTIVES)].astype(float)
    constructs = _cell(data.cube["constructs"], dims, chosen).set_index("construct")
    barrier_ids = [b["id"] for b in data.summary.get("barriers", [])]
    key_ids = [k["id"] for k in data.summary.get("keys", [])]
    view.barriers = constructs["unfavourable_pct"].reindex(barrier_ids).astype(float)
    view.keys = constructs["favourable_pct"].reindex(key_ids).astype(float)
    if "weekly" in data.cube:
        weekly = _cell(data.cube["weekly"], dims, chosen)
        view.weekly = weekly.set_index("week_start")["share"].astype(float).sort_index()
    if "usage" in data.cube:
        usage = _cell(data.cube["usage"], dims, chosen)
        view.usage = usage.iloc[0].drop(labels=[*dims, "suppressed"], errors="ignore")
    view.kpis = _kpis(data, cell.iloc[0], view.usage)
    view.actions = _actions(data, chosen)
    return view


def _kpis(data: ReportData, cell: pd.Series, usage: pd.Series | None) -> dict[str, Any]:
    summary = data.summary
    renewal = summary.get("renewal", {})
    survey = summary.get("survey", {})
    return {
        "adoption_score": summary.get("adoption_score", {}).get("value"),
        "effective_utilisation": renewal.get("effective_utilisation"),
        "value_at_risk": renewal.get("value_at_risk"),
        "currency": renewal.get("currency"),
        "response_rate": survey.get("response_rate"),
        "respondents": None if pd.isna(cell.get("n")) else int(cell["n"]),
        "licensed": None if pd.isna(cell.get("licensed")) else int(cell["licensed"]),
        "active_share": None if usage is None else usage.get("active_30d_share"),
    }


def _actions(data: ReportData, chosen: dict[str, str]) -> pd.DataFrame:
    department = chosen.get("department", ALL)
    rows = [
        a
        for a in data.summary.get("actions", [])
        if department == ALL
        or a.get("scope") == "organisation-wide"
        or department in str(a.get("scope", "")).split(", ")
    ]
    columns = ["id", "action", "owner_role", "due", "status"]
    return pd.DataFrame(rows, columns=[*columns, "scope"])[columns].set_index("id")


def _figure(view: DashboardView) -> Any:
    """The four charts of a view in one figure (motivation, barriers, Keys, adoption curve).

    Built with matplotlib's object API (no pyplot state), so figures can be drawn off the
    main thread.
    """
    from matplotlib.figure import Figure

    from adoption_lib.figures import OKABE_ITO

    fig = Figure(figsize=(11, 7))
    axes = fig.subplots(2, 2)
    (mix, bars), (keys, curve) = axes
    if view.motivation is not None:
        mix.barh(
            list(view.motivation.index), view.motivation.fillna(0).to_numpy(), color=OKABE_ITO[0]
        )
        mix.invert_yaxis()
    mix.set_title("Motivation mix")
    mix.set_xlabel("Share of respondents (withheld shares left blank)")
    mix.set_xlim(0, 1)
    if view.barriers is not None:
        labels = [b.replace("_", " ") for b in view.barriers.index]
        bars.barh(labels, view.barriers.fillna(0).to_numpy(), color=OKABE_ITO[3])
        bars.axvline(0.4, color="black", linestyle="--", linewidth=1)
        bars.invert_yaxis()
    bars.set_title("Barriers: unfavourable share")
    bars.set_xlim(0, 1)
    if view.keys is not None:
        labels = [k.replace("_", " ") for k in view.keys.index]
        keys.barh(labels, view.keys.fillna(0).to_numpy(), color=OKABE_ITO[2])
        for x in (0.5, 0.7):
            keys.axvline(x, color="black", linestyle=":", linewidth=1)
        keys.invert_yaxis()
    keys.set_title("4+1 Keys: favourable share")
    keys.set_xlim(0, 1)
    if view.weekly is not None and len(view.weekly):
        curve.plot(pd.to_datetime(view.weekly.index), view.weekly.to_numpy(), color=OKABE_ITO[0])
    curve.set_title("Weekly active share of licensed users")
    curve.set_ylim(0, 1)
    curve.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    return fig


def chart_png(view: DashboardView) -> bytes:
    """The view's charts as PNG bytes."""
    buffer = io.BytesIO()
    _figure(view).savefig(buffer, format="png", dpi=72)
    return buffer.getvalue()


def build_dashboard(data: ReportData) -> Any:
    """The dashboard as ipywidgets: a filter per client dimension, a KPI header, the panels.

    Parameters
    ----------
    data
        The client bundle.

    Returns
    -------
    ipywidgets.VBox
        Filters, KPIs, charts and the action plan; each filter change redraws them all.
    """
    import ipywidgets as widgets
    from IPython.display import Image, display

    from adoption_lib.report_views import configure

    configure()  # whole action texts in the plan table
    title = widgets.HTML(
        f"<h1>{data.engagement['client']} · {data.engagement['system']}: adoption dashboard</h1>"
        f"<p>As of {data.engagement['as_of']}. Groups under "
        f"{data.engagement['min_group_size']} people are never shown.</p>"
    )
    filters = {
        d: widgets.Dropdown(options=values, value=ALL, description=d.capitalize())
        for d, values in choices(data).items()
    }
    header = widgets.HTML()
    charts = widgets.Output()
    plan = widgets.Output()

    cache: dict[tuple[str, ...], bytes] = {}
    lock = threading.Lock()

    def png(view: DashboardView) -> bytes:
        key = tuple(view.selection.values())
        with lock:  # held only around the dict: a redraw never waits for the drawing thread
            image = cache.get(key)
        if image is None:
            image = chart_png(view)
            with lock:
                cache[key] = image
        return image

    def prerender() -> None:
        cells = data.cube["cells"]
        dims = list(data.engagement["client_dimensions"])
        for row in cells[~cells["suppressed"]].to_dict("records"):
            png(dashboard_view(data, {d: str(row[d]) for d in dims}))

    def redraw(_: Any = None) -> None:
        view = dashboard_view(data, {d: w.value for d, w in filters.items()})
        charts.clear_output(wait=True)
        plan.clear_output(wait=True)
        if view.suppressed:
            header.value = f'<div class="withheld"><strong>{view.message}</strong></div>'
            return
        with charts:
            display(Image(data=png(view)))
        with plan:
            display(view.actions)
        # the header last: when it shows the selection, the whole board is redrawn
        k = view.kpis
        chosen = html.escape("|".join(view.selection.values()), quote=True)
        header.value = (
            f"<div class='kpis' data-selection='{chosen}'>"
            + "".join(
                f"<span class='kpi'><b>{label}</b> {value}</span> &nbsp; "
                for label, value in (
                    (
                        "Adoption score",
                        "n/a" if k["adoption_score"] is None else f"{k['adoption_score']:.0f}/100",
                    ),
                    ("Effective utilisation", _pct(k["effective_utilisation"])),
                    (
                        "Value at risk",
                        "n/a"
                        if k["value_at_risk"] is None
                        else f"{k['currency'] or ''} {k['value_at_risk']:,.0f}",
                    ),
                    ("Response rate", _pct(k["response_rate"])),
                    (
                        "People in this selection",
                        f"{k['licensed']} licensed, {k['respondents']} answered",
                    ),
                )
            )
            + "</div>"
        )

    for widget in filters.values():
        widget.observe(redraw, names="value")
    redraw()
    # Draw every other released cell's charts in the background, so that a filter
    # change only displays a finished image; start once the first page is on screen.
    timer = threading.Timer(PRERENDER_DELAY_SECONDS, prerender)
    timer.daemon = True
    timer.start()
    return widgets.VBox([title, widgets.HBox(list(filters.values())), header, charts, plan])


def _pct(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:.0%}"
