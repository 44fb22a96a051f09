"""Licence right-sizing: the seats the renewal could drop, and what that saves.

Three kinds of seat pay for no use (DESIGN §5's usage definitions):

* **unassigned seats**: licences bought that nobody on the roster holds;
* **never activated**: licensed users with no successful interactive login, ever;
* **dormant**: licensed users who were active once, with no qualifying use in the last
  30 days.

The recommendation reclaims the first two at renewal (``reclaimable_seats``), after a
check with each never-activated user's manager, and re-engages the dormant users
before renewal: those still dormant then can go too (``dormant_value``). Each value is
seats x annual contract value / licences. Never-activated and dormant users are
assigned licences nobody uses, so their value is part of the value at risk: reclaiming
them turns that part of the risk into a saving. Unassigned seats are the
seat-contraction exposure, never part of the value at risk.
"""

from __future__ import annotations

from typing import Any


def right_sizing(
    *,
    licenses: int,
    unassigned_seats: int | None,
    never_activated: int | None,
    dormant_users: int | None,
    annual_contract_value: float | None,
    currency: str | None,
) -> dict[str, Any]:
    """The right-sizing recommendation: seats to reclaim or re-engage, with their value.

    Parameters
    ----------
    licenses
        Licences bought (positive: :func:`~adoption_lib.diagnosis.renewal.renewal`
        checks it first).
    unassigned_seats, never_activated, dormant_users
        The usage counts, or None when no export gives them.
    annual_contract_value, currency
        The contract; without a value the counts stand alone and every value is None.

    Returns
    -------
    dict
        ``unassigned_seats``, ``never_activated``, ``dormant_users``,
        ``reclaimable_seats`` (unassigned + never activated), ``reclaim_value``,
        ``dormant_value``, ``currency`` and ``recommendation`` (one plain sentence, or
        None when no count is known or every count is 0).

    Examples
    --------
    >>> r = right_sizing(licenses=100, unassigned_seats=5, never_activated=3,
    ...                  dormant_users=2, annual_contract_value=100_000, currency="EUR")
    >>> r["reclaimable_seats"], r["reclaim_value"], r["dormant_value"]
    (8, 8000.0, 2000.0)
    """
    counts = {
        "unassigned_seats": unassigned_seats,
        "never_activated": never_activated,
        "dormant_users": dormant_users,
    }
    known = {k: max(int(v), 0) for k, v in counts.items() if v is not None}
    reclaimable = (
        known.get("unassigned_seats", 0) + known.get("never_activated", 0)
        if "unassigned_seats" in known or "never_activated" in known
        else None
    )
    per_seat = None if annual_contract_value is None else annual_contract_value / licenses
    out: dict[str, Any] = {
        **{k: known.get(k) for k in counts},
        "reclaimable_seats": reclaimable,
        "reclaim_value": None
        if per_seat is None or reclaimable is None
        else round(reclaimable * per_seat, 2),
        "dormant_value": None
        if per_seat is None or "dormant_users" not in known
        else round(known["dormant_users"] * per_seat, 2),
        "currency": currency,
        "recommendation": None,
    }
    out["recommendation"] = _sentence(out)
    return out


def _money(value: float | None, currency: str | None) -> str:
    if value is None:
        return ""
    return f" ({currency + ' ' if currency else ''}{value:,.0f} a year)"


def _sentence(r: dict[str, Any]) -> str | None:
    parts = []
    if r["reclaimable_seats"]:
        held = []
        if r["unassigned_seats"]:
            held.append(f"{r['unassigned_seats']} unassigned seats")
        if r["never_activated"]:
            held.append(f"{r['never_activated']} licensed users who have never signed in")
        parts.append(
            f"Renew up to {r['reclaimable_seats']} fewer seats"
            f"{_money(r['reclaim_value'], r['currency'])}: "
            + " and ".join(held)
            + (
                ", once their managers confirm they do not need access"
                if r["never_activated"]
                else ""
            )
            + "."
        )
    if r["dormant_users"]:
        parts.append(
            f"Re-engage the {r['dormant_users']} dormant users before renewal; seats still "
            f"unused then can go too{_money(r['dormant_value'], r['currency'])}."
        )
    return " ".join(parts) or None
