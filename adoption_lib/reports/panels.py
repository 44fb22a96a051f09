"""The dashboard's panels as HTML: bars, a heat map, a scorecard, a curve and tables.

Why HTML and not matplotlib images: a filter change must redraw the board within 300 ms.
Drawing four matplotlib charts into a PNG took 250-450 ms of kernel time per selection
(more while other sessions drew), whereas these panels are strings the browser lays out
in a millisecond or two. They also stay text: a screen reader, a browser's find and a
test can read every figure, and a withheld figure is the word "withheld", never a
zero-length bar. The curve is a small inline SVG (no script, no external asset).

Every function is pure: figures in, escaped HTML out.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from adoption_lib.config.thresholds import KeyThresholds
from adoption_lib.labels import WITHHELD_WORD, display_name
from adoption_lib.privacy.suppression import ALL
from adoption_lib.reports.palette import HEAT, OKABE_ITO, STATUS

WITHHELD = WITHHELD_WORD

STYLE = """<style>
.adoption-board{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;
  max-width:1180px}
.adoption-board h1{font-size:1.6rem;margin:.2rem 0}
.adoption-board .lede{color:#555;margin:.1rem 0 .6rem}
.kpis{margin:.6rem 0}
.kpi-group{display:flex;flex-wrap:wrap;align-items:stretch;gap:.6rem;margin:.3rem 0}
.kpi-group .group{flex:0 0 9rem;font-weight:600;font-size:.85rem;align-self:center}
.kpi{border:1px solid #ddd;border-radius:8px;padding:.5rem .8rem;min-width:150px;background:#fafafa}
.kpi .value{display:block;font-size:1.4rem;font-weight:600}
.kpi .label{display:block;font-size:.8rem;color:#555}
.panels{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:1rem}
.panel{border:1px solid #e3e3e3;border-radius:8px;padding:.6rem .8rem;background:#fff;
  overflow-x:auto}
.panel.wide{grid-column:span 2}
@media (max-width:900px){.panels{grid-template-columns:1fr}.panel.wide{grid-column:auto}}
.panel h2{font-size:1.05rem;margin:.1rem 0 .5rem}
.panel .note{font-size:.78rem;color:#666;margin:.4rem 0 0}
.bar-row{display:grid;grid-template-columns:10.5rem 1fr 4.2rem;align-items:center;gap:.4rem;
  margin:.18rem 0;font-size:.88rem}
.bar-track{background:#f0f0f0;border-radius:3px;height:.9rem}
.bar{height:.9rem;border-radius:3px}
.bar-value{text-align:right;font-variant-numeric:tabular-nums}
.heat{border-collapse:collapse;font-size:.8rem;font-variant-numeric:tabular-nums}
.heat th,.heat td{padding:.2rem .35rem;text-align:center;border:1px solid #fff}
.heat td{white-space:nowrap}
.heat th{font-weight:600;background:#f5f5f5}
.heat th.row{text-align:left}
.heat .selected{outline:2px solid #000;outline-offset:-2px}
.status{display:inline-block;padding:0 .45rem;border-radius:9px;color:#fff;font-size:.78rem}
.plan{border-collapse:collapse;font-size:.85rem;width:100%}
.plan th,.plan td{border-bottom:1px solid #e5e5e5;padding:.3rem;text-align:left;vertical-align:top}
.legend-row{display:flex;justify-content:space-between;gap:.5rem;font-size:.85rem;margin:.15rem 0}
.withheld{border:2px dashed #999;border-radius:8px;padding:1.2rem;font-size:1.1rem;margin:1rem 0}
</style>"""


def pct(value: float | None) -> str:
    """A share as a whole percentage, or "n/a"."""
    return "n/a" if value is None or pd.isna(value) else f"{value:.0%}"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def panel(title: str, body: str, note: str = "", wide: bool = False) -> str:
    """One titled panel; ``note`` is a short explanation under it, ``wide`` spans two columns."""
    foot = f"<p class='note'>{html.escape(note)}</p>" if note else ""
    kind = "panel wide" if wide else "panel"
    return f"<section class='{kind}'><h2>{html.escape(title)}</h2>{body}{foot}</section>"


def bars(values: pd.Series, colour: str = OKABE_ITO[0], count: bool = False) -> str:
    """Horizontal bars, one per index entry: shares (0-1) or, with ``count``, people.

    A missing value is written "withheld" with no bar.
    """
    known = [v for v in values if not _missing(v)]
    top = max(known, default=0) if count else 1.0
    rows = []
    for name, value in values.items():
        if _missing(value):
            bar, shown = "", WITHHELD
        else:
            width = 0 if not top else 100 * float(value) / top
            bar = f"<div class='bar' style='width:{width:.1f}%;background:{colour}'></div>"
            shown = f"{value:,.0f}" if count else pct(value)
        rows.append(
            f"<div class='bar-row'><span>{html.escape(display_name(str(name)))}</span>"
            f"<div class='bar-track'>{bar}</div><span class='bar-value'>{shown}</span></div>"
        )
    return "".join(rows)


def _heat_colour(value: float) -> tuple[str, str]:
    """White to :data:`HEAT` by value; black or white text, whichever reads."""
    r, g, b = (int(HEAT[i : i + 2], 16) for i in (1, 3, 5))
    t = min(max(value, 0.0), 1.0)
    mixed = [round(255 + (c - 255) * t) for c in (r, g, b)]
    luminance = 0.2126 * mixed[0] + 0.7152 * mixed[1] + 0.0722 * mixed[2]
    return "#{:02x}{:02x}{:02x}".format(*mixed), "#000" if luminance > 140 else "#fff"


def heat_map(table: pd.DataFrame, flag: float, selected: str | None = None) -> str:
    """Rows (barriers) by columns (groups) of shares, shaded and written out.

    A share at or above ``flag`` is also marked "▲" (never colour alone); a missing one
    is "–" (withheld or no answers). The ``selected`` column is outlined.
    """
    head = "".join(
        f"<th class='{'selected' if c == selected else ''}'>"
        f"{'All' if c == ALL else html.escape(str(c))}</th>"
        for c in table.columns
    )
    rows = []
    for name, row in table.iterrows():
        cells = []
        for column, value in row.items():
            outline = " selected" if column == selected else ""
            if _missing(value):
                cells.append(f"<td class='{outline}' title='{WITHHELD}'>–</td>")
                continue
            background, ink = _heat_colour(float(value))
            mark = " ▲" if value >= flag else ""
            cells.append(
                f"<td class='{outline}' style='background:{background};color:{ink}'>"
                f"{pct(value)}{mark}</td>"
            )
        rows.append(
            f"<tr><th class='row'>{html.escape(display_name(str(name)))}</th>{''.join(cells)}</tr>"
        )
    return f"<table class='heat'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def scorecard(values: pd.Series, rule: KeyThresholds) -> str:
    """The 4+1 Keys: each key's value on the rule's basis and a worded status.

    ``values`` are net shares (shown in points) on the net basis, favourable shares on
    the favourable one.
    """
    rows = []
    for name, value in values.items():
        if _missing(value):
            status, shown = None, WITHHELD
        else:
            status = rule.status(value)
            shown = f"{rule.points(value * 100)} pts" if rule.basis == "net" else pct(value)
        badge = (
            f"<span class='status' style='background:{STATUS[status]}'>{status}</span>"
            if status
            else ""
        )
        rows.append(
            f"<div class='bar-row'><span>{html.escape(display_name(str(name)))}</span>"
            f"<span>{badge}</span><span class='bar-value'>{shown}</span></div>"
        )
    return "".join(rows)


@dataclass
class _Plot:
    """A share (0-1) plot area in SVG coordinates: n points across, 0-100% up."""

    width: int
    height: int
    n: int
    left: int = 36
    right: int = 12
    top: int = 10
    bottom: int = 24

    def x(self, i: int) -> float:
        return self.left + (self.width - self.left - self.right) * i / max(self.n - 1, 1)

    def y(self, v: float) -> float:
        return self.top + (self.height - self.top - self.bottom) * (1 - v)

    def grid(self, ticks: tuple[float, ...]) -> str:
        """Horizontal grid lines with their percentage labels."""
        return "".join(
            f"<line x1='{self.left}' x2='{self.width - self.right}' y1='{self.y(t):.1f}' "
            f"y2='{self.y(t):.1f}' stroke='#e5e5e5'/><text x='{self.left - 4}' "
            f"y='{self.y(t) + 4:.1f}' font-size='10' text-anchor='end'>{t:.0%}</text>"
            for t in ticks
        )

    def label(self, i: int, text: str) -> str:
        """A label under point ``i``; the first and last are kept inside the plot."""
        anchor = "middle"
        if self.n > 1 and i == 0:
            anchor = "start"
        elif self.n > 1 and i == self.n - 1:
            anchor = "end"
        return (
            f"<text x='{self.x(i):.1f}' y='{self.height - 8}' font-size='10' "
            f"text-anchor='{anchor}'>{html.escape(text)}</text>"
        )

    def svg(self, parts: list[str], described: str) -> str:
        return (
            f"<svg role='img' aria-label='{html.escape(described, quote=True)}' "
            f"viewBox='0 0 {self.width} {self.height}' width='100%' "
            f"style='max-width:{self.width}px'>{''.join(parts)}</svg>"
        )


def curve(weekly: pd.Series, width: int = 520, height: int = 190) -> str:
    """A line of weekly shares (0-1) as inline SVG; withheld weeks break the line."""
    if weekly is None or weekly.empty:
        return "<p>No weekly usage for this selection.</p>"
    plot = _Plot(width, height, len(weekly))
    parts = [plot.grid((0, 0.25, 0.5, 0.75, 1))]
    runs: list[list[str]] = [[]]
    for i, value in enumerate(weekly.to_numpy(dtype=float)):
        if math.isnan(value):
            runs.append([])
        else:
            runs[-1].append(f"{plot.x(i):.1f},{plot.y(value):.1f}")
    for points in (r for r in runs if r):
        parts.append(
            f"<polyline fill='none' stroke='{OKABE_ITO[0]}' stroke-width='2' "
            f"points='{' '.join(points)}'/>"
        )
    weeks = pd.to_datetime(pd.Index(weekly.index))
    n = len(weekly)
    parts += [plot.label(i, f"{weeks[i]:%d %b %Y}") for i in sorted({0, n // 2, n - 1})]
    latest = weekly.dropna()
    summary = f"latest week {pct(latest.iloc[-1])} active" if len(latest) else "every week withheld"
    return plot.svg(parts, f"Weekly active share, {n} weeks; {summary}")


def table(frame: pd.DataFrame) -> str:
    """A plain, escaped HTML table (the action plan)."""
    if frame.empty:
        return "<p>No actions for this selection.</p>"
    head = "".join(f"<th>{html.escape(display_name(str(c)))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table class='plan'><tr>{head}</tr>{body}</table>"


def trend_lines(trend: pd.DataFrame, width: int = 360, height: int = 170) -> str:
    """Shares (0-1) per wave as lines with points (inline SVG), and a worded legend."""
    plot = _Plot(width, height, len(trend), left=34, right=14)
    parts = [plot.grid((0, 0.5, 1))]
    parts += [plot.label(i, str(when)) for i, when in enumerate(trend.index)]
    legend = []
    for j, column in enumerate(trend.columns):
        colour = OKABE_ITO[j % len(OKABE_ITO)]
        points = [(plot.x(i), plot.y(v)) for i, v in enumerate(trend[column]) if not _missing(v)]
        if len(points) > 1:
            coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in points)
            parts.append(
                f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{coords}'/>"
            )
        parts += [f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3.5' fill='{colour}'/>" for a, b in points]
        values = " → ".join(pct(v) if not _missing(v) else WITHHELD for v in trend[column])
        legend.append(
            f"<div class='legend-row'><span><span style='color:{colour}'>■</span> "
            f"{html.escape(str(column))}</span><span class='bar-value'>{values}</span></div>"
        )
    return plot.svg(parts, "Trend across waves") + "".join(legend)
