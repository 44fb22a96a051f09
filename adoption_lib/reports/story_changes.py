"""The executive summary's first part: what changed since the last wave.

Value at risk and projected use at renewal, effective use, the adoption score, and the
groups whose effective use changed beyond chance, the largest first. Shares change in
percentage points. Split from :mod:`adoption_lib.reports.story` to keep modules small.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from adoption_lib.labels import display_name, in_words
from adoption_lib.metrics import format_metric, points
from adoption_lib.remeasure.results import ProgressData
from adoption_lib.reports.bundle import ReportData

#: the comparison row of effective use, per group
EFFECTIVE_ROW = "effective (share of licensed users)"
#: a change in money smaller than this share of the figure reads "held steady"
STEADY = 0.005


def wave_words(name: Any) -> str:
    """A wave in words: "the baseline", "wave Day90", or "the last wave" when unnamed."""
    if not name:
        return "the last wave"
    return "the baseline" if name == "baseline" else f"wave {display_name(str(name))}"


def money(value: float | None, currency: str | None) -> str:
    """An amount of money in the registry's format ("USD 326,916")."""
    return format_metric("renewal.value_at_risk", value, currency)


def _moved(change: float, size: float, up: str = "rose", down: str = "fell") -> str:
    if abs(change) <= STEADY * max(abs(size), 1.0):
        return "held steady"
    return up if change > 0 else down


def changed_since(data: ReportData, progress: ProgressData) -> list[str]:
    """What changed since the previous wave, as sentences, the money first.

    Parameters
    ----------
    data
        The audience's report data.
    progress
        The comparison with the previous wave.

    Returns
    -------
    list of str
        Value at risk, projected and effective use, the adoption score, then the
        groups whose effective use changed beyond chance.
    """
    deltas = progress.deltas
    about = progress.about
    since = f"since {wave_words(about.get('before'))} ({about.get('before_date')})"
    currency = data.summary.get("renewal", {}).get("currency")
    out = []
    risk = deltas.get("renewal.value_at_risk") or {}
    if risk.get("change") is not None:
        verb = _moved(risk["change"], risk["after"] or 0)
        amount = "" if verb == "held steady" else f" by {money(abs(risk['change']), currency)}"
        out.append(
            f"Value at risk at renewal {verb}{amount} {since}, to {money(risk['after'], currency)}."
        )
    projected = deltas.get("renewal.projected_utilisation_at_renewal") or {}
    if projected.get("change") is not None:
        out.append(
            f"Projected effective use at renewal: {format_metric('renewal.projected_utilisation_at_renewal', projected['before'])}"
            f" then, {format_metric('renewal.projected_utilisation_at_renewal', projected['after'])} now "
            f"({points(projected['change'])})."
        )
    licences = data.engagement.get("licenses")
    effective = deltas.get("usage.effective_users") or {}
    if effective.get("change") is not None and licences:
        before, after = effective["before"] / licences, effective["after"] / licences
        out.append(
            f"Effective use went from {format_metric('renewal.effective_utilisation', before)} "
            f"to {format_metric('renewal.effective_utilisation', after)} of licences "
            f"({points(after - before)}; {effective['before']:,.0f} then "
            f"{effective['after']:,.0f} people)."
        )
    out.extend(_group_changes(progress))
    score = deltas.get("adoption_score.value") or {}
    if score.get("change") is not None:
        out.append(
            f"The adoption score went from {score['before']:.0f} to {score['after']:.0f} out of 100."
        )
    return out


def _group_dimension(comparison: pd.DataFrame) -> str | None:
    dims = [d for d in comparison["dimension"].unique() if d != "organisation"]
    return "department" if "department" in dims else (dims[0] if dims else None)


def _group_changes(progress: ProgressData) -> list[str]:
    table = progress.comparison
    if table is None or table.empty:
        return []
    dim = _group_dimension(table)
    if dim is None:
        return []
    rows = table[(table["dimension"] == dim) & (table["measure"] == EFFECTIVE_ROW)]
    rows = rows.dropna(subset=["before", "after"])
    moved = rows[rows["significant"].fillna(False).astype(bool)]
    if moved.empty:
        return [f"No {in_words(dim)}'s effective use changed by more than chance."]
    moved = moved.assign(_size=(moved["after"] - moved["before"]).abs())
    moved = moved.sort_values("_size", ascending=False, kind="stable")
    parts = []
    for _, row in moved.iterrows():
        change = float(row["after"]) - float(row["before"])
        verb = "improved" if change > 0 else "declined"
        parts.append(
            f"{row['group']}'s effective use {verb}: "
            f"{float(row['before']):.0%} to {float(row['after']):.0%} of its licensed users "
            f"({points(change)})"
        )
    still = len(rows) - len(moved)
    tail = f" Elsewhere no {in_words(dim)} changed by more than chance." if still > 0 else ""
    return ["; ".join(parts) + "." + tail]
