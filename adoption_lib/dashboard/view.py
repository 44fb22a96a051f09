"""The client dashboard: the client cube, filtered by client dimension, panel by panel.

:func:`dashboard_view` is the whole logic, pure and testable: for a selection of one value
(or "(all)") per client dimension it returns the cube cell's figures, or says the cell is
withheld ("too few people to show") and returns no number at all. Only cells of the
suppressed client cube can be reached, since the selection is a cube key; the actions
come from the organisation-wide plan, filtered to those whose scope covers the selected
department. :func:`render` turns a view into HTML panels (:mod:`adoption_lib.reports.panels`) and
:func:`build_dashboard` wraps it in ipywidgets for Voilà.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from adoption_lib.dashboard.waves import wave_trend
from adoption_lib.errors import SelectionError
from adoption_lib.labels import SEGMENTS, SHOWN_TYPES, WITHHELD_SELECTION
from adoption_lib.metrics import metric_label
from adoption_lib.privacy.cells import pick_cell
from adoption_lib.privacy.release import SHARE_DECIMALS
from adoption_lib.privacy.suppression import ALL
from adoption_lib.reports import panels as p
from adoption_lib.reports.bundle import ReportData, key_rule
from adoption_lib.reports.method_text import segments_rule
from adoption_lib.reports.palette import OKABE_ITO
from adoption_lib.reports.panels import STYLE

WITHHELD_TEXT = WITHHELD_SELECTION
MOTIVES = SHOWN_TYPES


@dataclass
class DashboardView:
    """What the dashboard shows for one selection."""

    selection: dict[str, str]
    suppressed: bool
    kpis: dict[str, Any] = field(default_factory=dict)
    motivation: pd.Series | None = None
    barriers: pd.Series | None = None
    #: barriers by the first client dimension's groups, at the other dimensions' selection
    barrier_map: pd.DataFrame | None = None
    keys: pd.Series | None = None
    weekly: pd.Series | None = None
    usage: pd.Series | None = None
    #: respondents per adoption segment (blank where withheld)
    segments: pd.Series | None = None
    actions: pd.DataFrame | None = None
    message: str = ""


def choices(data: ReportData) -> dict[str, list[str]]:
    """The values each client dimension can be filtered by, "(all)" first."""
    cells = data.cube["cells"]
    return {
        d: [ALL, *sorted(v for v in cells[d].astype(str).unique() if v != ALL)]
        for d in data.engagement["client_dimensions"]
    }


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
        raise SelectionError("the dashboard shows the client bundle only")
    dims = list(data.engagement["client_dimensions"])
    chosen = {d: str((selection or {}).get(d, ALL)) for d in dims}
    options = choices(data)
    for d, value in chosen.items():
        if value not in options[d]:
            raise SelectionError(f"{value!r} is not a {d} in this assessment")
    cell = pick_cell(data.cube["cells"], dims, chosen)
    view = DashboardView(chosen, suppressed=cell.empty or bool(cell["suppressed"].iloc[0]))
    if view.suppressed:
        view.message = WITHHELD_TEXT
        return view
    types = pick_cell(data.cube["types"], dims, chosen)
    if not types.empty:
        view.motivation = types.iloc[0][list(MOTIVES)].astype(float)
    constructs = pick_cell(data.cube["constructs"], dims, chosen).set_index("construct")
    barrier_ids = [b["id"] for b in data.summary.get("barriers", [])]
    key_ids = [k["id"] for k in data.summary.get("keys", [])]
    view.barriers = constructs["unfavourable_pct"].reindex(barrier_ids).astype(float)
    shown = constructs.reindex(key_ids)
    view.keys = (
        (shown["favourable_pct"] - shown["unfavourable_pct"]).round(SHARE_DECIMALS)
        if key_rule(data).basis == "net"
        else shown["favourable_pct"]
    ).astype(float)
    view.barrier_map = _barrier_map(data, dims, chosen, barrier_ids)
    if "segments" in data.cube:
        segments = pick_cell(data.cube["segments"], dims, chosen)
        if not segments.empty:
            view.segments = segments.iloc[0][list(SEGMENTS)].astype(float)
    if "weekly" in data.cube:
        weekly = pick_cell(data.cube["weekly"], dims, chosen)
        view.weekly = weekly.set_index("week_start")["share"].astype(float).sort_index()
    if "usage" in data.cube:
        usage = pick_cell(data.cube["usage"], dims, chosen)
        view.usage = usage.iloc[0].drop(labels=[*dims, "suppressed"], errors="ignore")
    view.kpis = _kpis(data, cell.iloc[0], view.usage)
    view.actions = _actions(data, chosen)
    return view


def _barrier_map(
    data: ReportData, dims: list[str], chosen: dict[str, str], barrier_ids: list[str]
) -> pd.DataFrame:
    """Barrier x group of the first dimension (released cells only), others as chosen."""
    by, others = dims[0], dims[1:]
    rows = data.cube["constructs"]
    mask = ~rows["suppressed"].astype(bool)
    for d in others:
        mask &= rows[d].astype(str) == chosen[d]
    grid = rows[mask].pivot_table(
        index="construct", columns=by, values="unfavourable_pct", aggfunc="first", dropna=False
    )
    columns = [ALL, *sorted(c for c in grid.columns if c != ALL)]
    return grid.reindex(index=barrier_ids, columns=[c for c in columns if c in grid.columns])


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
        "effective_share": None if usage is None else usage.get("effective_share"),
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
    rows = sorted(rows, key=lambda a: str(a.get("due", "")))  # the plan's order: by due date
    columns = ["id", "action", "owner_role", "due", "status"]
    return pd.DataFrame(rows, columns=[*columns, "scope"])[columns].set_index("id")


def render(
    data: ReportData,
    view: DashboardView,
    trend: pd.DataFrame | None = None,
    waves: int = 1,
    wave: str | None = None,
) -> tuple[str, str]:
    """The HTML of one view: the KPI header and the panels.

    Parameters
    ----------
    data
        The client bundle (for thresholds and the privacy threshold in the notes).
    view
        From :func:`dashboard_view`.
    trend
        From :func:`adoption_lib.dashboard.waves.wave_trend`: the selection across waves.
    waves
        How many waves the engagement has; with more than one, a trend panel is shown
        (saying so when the selection was too small in one of them).
    wave
        The wave shown, named in the header's ``data-wave`` attribute.

    Returns
    -------
    tuple of str
        The header (its ``data-selection`` attribute names the selection shown) and the
        panels; for a withheld selection, the withheld message and no panel.
    """
    chosen = html.escape("|".join(view.selection.values()), quote=True)
    names = f"data-selection='{chosen}'"  # what the header shows: selection and wave
    if wave is not None:
        names += f" data-wave='{html.escape(wave, quote=True)}'"
    if view.suppressed:
        return (
            f"<div class='withheld' {names}><strong>"
            f"{html.escape(view.message)}</strong> Groups under "
            f"{data.engagement['min_group_size']} people are never shown, and neither is "
            "any group whose figures could be worked out from the others.</div>",
            "",
        )
    k = view.kpis
    risk = (
        "n/a"
        if k["value_at_risk"] is None
        else f"{k['currency'] or ''} {k['value_at_risk']:,.0f}".strip()
    )
    organisation = (
        (
            metric_label("adoption_score.value"),
            "n/a" if k["adoption_score"] is None else f"{k['adoption_score']:.0f}/100",
        ),
        (metric_label("renewal.effective_utilisation"), p.pct(k["effective_utilisation"])),
        (metric_label("renewal.value_at_risk"), risk),
        (metric_label("survey.response_rate"), p.pct(k["response_rate"])),
    )
    selected = (
        ("Licensed users", _count(k["licensed"])),
        ("Survey respondents", _count(k["respondents"])),
        (metric_label("usage.active_share_of_licensed"), p.pct(k["active_share"])),
        (metric_label("usage.effective_share_of_licensed"), p.pct(k["effective_share"])),
    )
    named = ", ".join(v for v in view.selection.values() if v != ALL) or "everyone"
    header = (
        f"<div class='kpis' {names}>"
        + _cards("Whole organisation", organisation)
        + _cards(f"This selection: {named}", selected)
        + "</div>"
    )
    limits = data.engagement["thresholds"]
    flag = limits["barrier_flag_unfavourable"]
    rule = key_rule(data)
    by = next(iter(view.selection))
    panels = [
        p.panel(
            "Motivation mix",
            p.bars(view.motivation) if view.motivation is not None else "<p>No survey.</p>",
            "Share of respondents by what moves them: a shared goal (commitment), "
            "consequences (compliance) or their own benefit (WIIFM).",
        ),
        p.panel(
            f"Barrier heat map by {by}",
            p.heat_map(view.barrier_map, flag, view.selection[by])
            if view.barrier_map is not None and not view.barrier_map.empty
            else "<p>No survey.</p>",
            f"Unfavourable share; ▲ marks {flag:.0%} or more (a barrier to act on). "
            "– is withheld or unanswered.",
            wide=True,
        ),
        p.panel(
            "4+1 Keys scorecard",
            p.scorecard(view.keys, rule) if view.keys is not None else "<p>No survey.</p>",
            rule.rule(),
        ),
        p.panel(
            "Weekly adoption curve",
            p.curve(view.weekly) if view.weekly is not None else "<p>No usage exports.</p>",
            "Share of licensed users active in each week.",
        ),
        p.panel(
            "Adoption segments",
            p.bars(view.segments, OKABE_ITO[5], count=True)
            if view.segments is not None
            else "<p>Segments need both a survey and usage exports.</p>",
            segments_rule(data),
        ),
    ]
    if waves > 1:
        panels.append(
            p.panel(
                "Trend across waves",
                p.trend_lines(trend)
                if trend is not None
                else "<p>Too few people in this selection in one of the waves: no trend.</p>",
                "Shares in each wave's own assessment; a group too small in any wave is "
                "shown in none.",
            )
        )
    plan = p.panel(
        "Action plan", p.table(view.actions.reset_index()) if view.actions is not None else ""
    )
    return header, f"<div class='panels'>{''.join(panels)}</div>{plan}"


def _cards(title: str, cards: tuple[tuple[str, str], ...]) -> str:
    return (
        f"<div class='kpi-group'><span class='group'>{html.escape(title)}</span>"
        + "".join(
            f"<div class='kpi'><span class='value'>{html.escape(value)}</span>"
            f"<span class='label'>{html.escape(name)}</span></div>"
            for name, value in cards
        )
        + "</div>"
    )


def _count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


#: what a visitor sees when a view cannot be drawn: no error text, no traceback
BROKEN_TEXT = "This view could not be drawn. Choose another group, or ask your consultant."


def redrawn(datas: dict[str, ReportData], wave: str, selection: dict[str, str]) -> str:
    """The board's HTML for a wave and a selection, and never an error's text.

    Whatever goes wrong while drawing stays in the kernel: a widget message carries
    only :data:`BROKEN_TEXT`, never an exception's message or a traceback (which could
    quote a file path, a value or the code).
    """
    shown = datas[wave]
    try:
        try:
            view = dashboard_view(shown, selection)
        except ValueError:  # a group the latest wave has and this one did not
            view = DashboardView(selection, suppressed=True, message=WITHHELD_TEXT)
        trend = wave_trend(datas, view.selection) if len(datas) > 1 else None
        header, panels = render(shown, view, trend, len(datas), wave)
    except Exception:
        return f'<div class="withheld broken"><p>{BROKEN_TEXT}</p></div>'
    return header + panels


def build_dashboard(data: ReportData | dict[str, ReportData]) -> Any:
    """The dashboard as ipywidgets: filters (and a wave), a KPI header, the panels.

    Parameters
    ----------
    data
        The client bundle, or one per wave in date order
        (:func:`adoption_lib.dashboard.waves.dashboard_data`): then a wave selector
        (latest first shown) and a trend panel are added.

    Returns
    -------
    ipywidgets.VBox
        Title, filters, and the board (KPI header and panels) that each change redraws
        in one update.
    """
    datas = data if isinstance(data, dict) else {data.engagement.get("wave", "baseline"): data}
    names = list(datas)
    latest = datas[names[-1]]
    about = latest.engagement
    dated = ", ".join(f"{n} {datas[n].engagement['as_of']}" for n in names)
    title = widgets.HTML(
        f"{STYLE}<div class='adoption-board'><h1>{html.escape(str(about['client']))} · "
        f"{html.escape(str(about['system']))}: adoption dashboard</h1>"
        f"<p class='lede'>{'Waves: ' + dated if len(names) > 1 else 'As of ' + dated}. "
        f"Filter by {' or '.join(about['client_dimensions'])}: every panel shows that "
        f"group only. Groups under {about['min_group_size']} people are never shown.</p></div>"
    )
    wave = widgets.Dropdown(options=names, value=names[-1], description="Wave")
    filters = {
        d: widgets.Dropdown(options=values, value=ALL, description=d.capitalize())
        for d, values in choices(latest).items()
    }
    # One widget for the header and every panel: the browser applies each widget's
    # update on its own, so a header in a widget of its own could show a selection
    # before the panels below it caught up.
    board = widgets.HTML()
    board.add_class("adoption-board")

    def redraw(_: Any = None) -> None:
        board.value = redrawn(datas, wave.value, {d: w.value for d, w in filters.items()})

    for widget in (*filters.values(), wave):
        widget.observe(redraw, names="value")
    redraw()
    controls = [*filters.values(), wave] if len(names) > 1 else list(filters.values())
    return widgets.VBox([title, widgets.HBox(controls), board])
