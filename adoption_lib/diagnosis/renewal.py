"""Renewal: what today's adoption is worth when the contract comes up (DESIGN §5).

Method (documented here because the client will ask):

* **Effective users now**: licensed users active in at least 3 of the last 4 weeks.
* **Projection**: a least-squares line through the last ``projection_weeks`` (12)
  weekly active-user counts, extended to the week of ``renewal_date``. Effective users
  are assumed to move with weekly actives: projected effective = effective now x
  (projected weekly actives at renewal / fitted weekly actives this week). The low/high
  band is the 95% prediction interval of the line at renewal, mapped the same way. With
  fewer than ``projection_min_weeks`` (6) weeks of data there is no projection.
  Projections are capped at the licensed users and never go below 0.
* **Value at risk** = max(0, licences - projected effective users) x annual contract
  value / licences; its band comes from the projection's band (the high projection gives
  the low value at risk). More effective users than licences gives 0, reported.
* **Risk** on projected effective utilisation: at least 80% low, 60-80% medium, below
  60% high. Unassigned seats are reported separately: they are licences nobody holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.errors import LicenceCountError


@dataclass
class Projection:
    """Projected effective users at renewal, with a 95% band, or the reason there is none."""

    central: float | None
    low: float | None
    high: float | None
    weeks_used: int
    reason: str = ""


def project_effective(
    weekly_active: pd.Series,
    effective_now: int,
    weeks_ahead: float,
    *,
    weeks: int = 12,
    min_weeks: int = 6,
    cap: int | None = None,
) -> Projection:
    """Project effective users ``weeks_ahead`` weeks on from the weekly active series.

    Parameters
    ----------
    weekly_active
        Weekly active users, oldest first (one value per 7-day week up to ``as_of``).
    effective_now
        Effective users now.
    weeks_ahead
        Weeks from ``as_of`` to the renewal date.
    weeks, min_weeks
        How many recent weeks the line is fitted on, and the fewest it needs.
    cap
        The most effective users possible (the licensed users).

    Returns
    -------
    Projection
        Central value and 95% band, or ``None`` with the reason.
    """
    series = pd.Series(weekly_active, dtype="float64").dropna().iloc[-weeks:]
    n = len(series)
    if n < min_weeks:
        return Projection(
            None, None, None, n, f"only {n} weeks of usage data; the projection needs {min_weeks}"
        )
    t = np.arange(n, dtype=float)
    fit = stats.linregress(t, series.to_numpy())
    now = fit.intercept + fit.slope * (n - 1)
    if now <= 0:
        return Projection(None, None, None, n, "no weekly active users to project from")
    at = n - 1 + weeks_ahead
    centre = fit.intercept + fit.slope * at
    residual = series.to_numpy() - (fit.intercept + fit.slope * t)
    s = float(np.sqrt((residual**2).sum() / (n - 2)))
    spread = s * np.sqrt(1 + 1 / n + (at - t.mean()) ** 2 / ((t - t.mean()) ** 2).sum())
    half = float(stats.t.ppf(0.975, n - 2)) * spread

    def scale(value: float) -> float:
        out = max(0.0, effective_now * value / now)
        return min(out, float(cap)) if cap is not None else out

    return Projection(
        round(scale(centre), 1), round(scale(centre - half), 1), round(scale(centre + half), 1), n
    )


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
        Reported alongside, never mixed into value at risk.
    low_risk_from, high_risk_below
        Risk cut-offs on projected effective utilisation.

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
        "projected_utilisation_at_renewal": None,
        "value_at_risk": None,
        "value_at_risk_low": None,
        "value_at_risk_high": None,
        "currency": currency,
        "risk": None,
        "unassigned_seats": unassigned_seats,
        "target_utilisation": low_risk_from,
        "unavailable": {},
    }
    if effective_now is not None and effective_now > licenses:
        notes.append(
            f"{effective_now - licenses} more effective users than licences: "
            "the contract is over-used, nothing is at risk from adoption"
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
    if annual_contract_value is None:
        figures["unavailable"]["value_at_risk"] = (
            "annual_contract_value is not set in engagement.yml"
        )
        notes.append("value at risk omitted: engagement.yml gives no annual_contract_value")
        return Renewal(figures, notes)
    per_licence = annual_contract_value / licenses

    def at_risk(effective: float) -> float:
        return round(max(0.0, licenses - effective) * per_licence, 2)

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
