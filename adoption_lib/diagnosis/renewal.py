"""Renewal: what today's adoption is worth when the contract comes up (DESIGN §5).

Method (documented here because the client will ask):

* **Effective users now**: licensed users active in at least 3 of the last 4 weeks.
* **Projection**: :mod:`adoption_lib.diagnosis.forecast`, a model of weekly actives
  chosen by rolling-origin back-test, scaled to effective users, with a band that
  pools scenarios, a block bootstrap and the effective/active ratio's variation. With
  fewer than ``projection_min_weeks`` (6) weeks of data there is no projection.
* **Value at risk** = max(0, assigned licences - projected effective users) x annual
  contract value / licences, where assigned licences are the licences less the
  unassigned seats; its band comes from the projection's band (the high projection
  gives the low value at risk).
* **Seat-contraction exposure** = unassigned seats x annual contract value / licences:
  licences nobody holds, reported beside value at risk and never added to it.
* **Risk** on projected effective utilisation of the licences: at least 80% low,
  60-80% medium, below 60% high. ``risk_certainty`` is ``borderline`` when the
  projection's band crosses a cut-off (``risk_line`` names it), so a report says
  "medium, borderline" rather than a level the band does not support; ``clear``
  otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from adoption_lib.diagnosis.forecast import Projection
from adoption_lib.errors import LicenceCountError


@dataclass
class Renewal:
    """The renewal section of summary.json, and notes for the reader."""

    figures: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def renewal(
    *,
    licenses: int,
    effective_now: int | None,
    projection: Projection,
    annual_contract_value: float | None,
    currency: str | None,
    unassigned_seats: int | None,
    low_risk_from: float = 0.80,
    high_risk_below: float = 0.60,
    week_starts: list[str] | None = None,
) -> Renewal:
    """Value at risk at renewal, its band and the risk level.

    Parameters
    ----------
    licenses
        Licences bought; must be positive.
    effective_now
        Effective users now (``None`` when no export gives it).
    projection
        From :func:`project_effective`.
    annual_contract_value, currency
        The contract; without a value, value at risk is omitted with a note.
    unassigned_seats
        Licences nobody holds: value at risk counts the assigned ones only, and these
        are priced apart as ``seat_contraction_exposure``.
    low_risk_from, high_risk_below
        Risk cut-offs on projected effective utilisation.
    week_starts
        The weekly series' week starts (``forecast_from_week`` names the first week the
        forecast learnt from).

    Returns
    -------
    Renewal
        DESIGN §4 ``renewal`` keys and notes.

    Raises
    ------
    LicenceCountError
        When ``licenses`` is not positive.
    """
    if licenses <= 0:
        raise LicenceCountError(f"licenses is {licenses}: renewal arithmetic needs at least 1")
    notes: list[str] = []
    figures: dict[str, Any] = {
        "licenses": licenses,
        "effective_users": effective_now,
        "effective_utilisation": None
        if effective_now is None
        else round(effective_now / licenses, 4),
        "projected_effective_users_at_renewal": projection.central,
        "projected_effective_users_low": projection.low,
        "projected_effective_users_high": projection.high,
        "projected_effective_users_band": None
        if projection.low is None
        else [projection.low, projection.high],
        "model": projection.model,
        "backtest": dict(projection.backtest),
        "backtest_horizon_weeks": projection.backtest_horizon or None,
        "forecast_from_week": week_starts[projection.regime_start]
        if week_starts
        and projection.model is not None
        and projection.regime_start < len(week_starts)
        else None,
        "projected_utilisation_at_renewal": None,
        "value_at_risk": None,
        "value_at_risk_low": None,
        "value_at_risk_high": None,
        "currency": currency,
        "risk": None,
        "risk_certainty": None,
        "risk_line": None,
        "unassigned_seats": unassigned_seats,
        "assigned_licenses": None,
        "seat_contraction_exposure": None,
        "target_utilisation": low_risk_from,
        "unavailable": {},
    }
    if effective_now is not None and effective_now > licenses:
        notes.append(
            f"{effective_now - licenses} more effective users than licences: "
            "the contract is over-used, nothing is at risk from adoption"
        )
    unassigned = max(int(unassigned_seats or 0), 0)
    figures["assigned_licenses"] = max(licenses - unassigned, 0)
    if annual_contract_value is not None and unassigned_seats is not None:
        figures["seat_contraction_exposure"] = round(
            unassigned * annual_contract_value / licenses, 2
        )
    if projection.central is None:
        reason = projection.reason or "no projection"
        for key in ("projected_effective_users_at_renewal", "value_at_risk", "risk"):
            figures["unavailable"][key] = reason
        return Renewal(figures, notes)
    utilisation = projection.central / licenses
    figures["projected_utilisation_at_renewal"] = round(utilisation, 4)
    figures["risk"] = (
        "low"
        if utilisation >= low_risk_from
        else "high"
        if utilisation < high_risk_below
        else "medium"
    )
    figures["risk_certainty"], figures["risk_line"] = _certainty(
        projection, licenses, (high_risk_below, low_risk_from)
    )
    if annual_contract_value is None:
        figures["unavailable"]["value_at_risk"] = (
            "annual_contract_value is not set in engagement.yml"
        )
        notes.append("value at risk omitted: engagement.yml gives no annual_contract_value")
        return Renewal(figures, notes)
    per_licence = annual_contract_value / licenses
    assigned = figures["assigned_licenses"]

    def at_risk(effective: float) -> float:
        return round(max(0.0, assigned - effective) * per_licence, 2)

    figures["value_at_risk"] = at_risk(projection.central)
    figures["value_at_risk_low"] = at_risk(
        projection.high if projection.high is not None else projection.central
    )
    figures["value_at_risk_high"] = at_risk(
        projection.low if projection.low is not None else projection.central
    )
    target_users = int(np.ceil(low_risk_from * licenses))
    protected = round(max(0.0, target_users - projection.central) * per_licence, 2)
    figures["target_sentence"] = (
        f"Reaching {low_risk_from:.0%} effective utilisation by renewal ({target_users} of "
        f"{licenses} licences in weekly use) would protect {_money(protected, currency)} of "
        f"the {_money(annual_contract_value, currency)} contract"
        + (
            f", {max(0, target_users - round(projection.central))} more effective users than today's trend gives."
            if protected > 0
            else "; today's trend already reaches it."
        )
    )
    return Renewal(figures, notes)


def _certainty(
    projection: Projection, licenses: int, cut_offs: tuple[float, float]
) -> tuple[str | None, float | None]:
    """``borderline`` and the cut-off when the band crosses one, else ``clear``."""
    if projection.low is None or projection.high is None:
        return None, None
    low, high = projection.low / licenses, projection.high / licenses
    crossed = [c for c in cut_offs if low < c <= high]
    if not crossed:
        return "clear", None
    central = (projection.central or 0) / licenses
    return "borderline", min(crossed, key=lambda c: abs(c - central))


def _money(value: float, currency: str | None) -> str:
    return f"{currency + ' ' if currency else ''}{value:,.0f}"


def weeks_between(start: date, end: date) -> float:
    """Weeks from ``start`` to ``end`` (fractional)."""
    return (end - start).days / 7


def adoption_score(components: dict[str, float | None]) -> dict[str, Any]:
    """The adoption score: 100 x the mean of the components that are available.

    Parameters
    ----------
    components
        Each in 0..1, or ``None`` when the engagement cannot give it.

    Returns
    -------
    dict
        ``value`` (0-100, ``None`` when no component is available), ``components``
        (every component with its value) and ``used`` (the names averaged).
    """
    used = {k: min(max(float(v), 0.0), 1.0) for k, v in components.items() if v is not None}
    value = round(100 * sum(used.values()) / len(used), 1) if used else None
    return {
        "value": value,
        "components": {
            k: (None if v is None else round(float(v), 4)) for k, v in components.items()
        },
        "used": sorted(used),
    }
