"""The organisation-wide figures a client view shows, taken from the released cube.

summary.json is the consultant's: exact counts of people everywhere. A client sees the
organisation's figures too (the headline, the habits table, the motivation mix, the
segments, the renewal), and each of those that counts people comes from the released
cube's organisation cell, so that it went through the same suppression and the same
disclosure audit as every other figure: a share the cube withholds is withheld here,
shares are whole percentages, and the exact counts shown (active in the last 30 days,
dormant, never activated, effective users) and the organisation's medians and DAU/MAU
are the cube's ``organisation`` table.
Counts of people the cube does not release (active yesterday or in the last 7 days,
accounts not on the roster) are the consultant's only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from adoption_lib.labels import SEGMENTS, SHOWN_TYPES, USAGE_BANDS, USAGE_SEGMENTS
from adoption_lib.privacy.cells import pick_cell
from adoption_lib.privacy.release import ORGANISATION_FIGURES
from adoption_lib.privacy.suppression import enough

#: the summary sections a client view may show
CLIENT_SECTIONS = (
    "engagement",
    "survey",
    "constructs",
    "motivation",
    "barriers",
    "keys",
    "comment_themes",
    "usage",
    "segments",
    "segments_basis",
    "motivation_vs_use",
    "renewal",
    "adoption_score",
    "actions",
    # key drivers: relative weights across supervisor teams of at least k, organisation-wide
    "drivers",
    "privacy",
)
#: organisation-wide counts of people the cube does not release: consultant only
_CONSULTANT_COUNTS = ("accounts_not_on_roster", "active_users_1d", "active_users_7d")
#: summary.json's usage counts and the cube's organisation columns they are taken from
_ORGANISATION_COUNTS = {
    "active_users_30d": "active_30d",
    "dormant_users": "dormant",
    "never_activated": "never_activated",
    "effective_users": "effective",
}
#: summary.json's organisation-wide medians and DAU/MAU: the cube's organisation figures
_ORGANISATION_FIGURES = {name: name for name in ORGANISATION_FIGURES}


def client_summary(
    summary: Mapping[str, Any], cube: Mapping[str, pd.DataFrame], dims: list[str], k: int
) -> dict[str, Any]:
    """The part of summary.json a client view may show, its people figures from the cube.

    Parameters
    ----------
    summary
        The wave's summary.json (the consultant's).
    cube
        The released cube's tables by name (``cells``, ``types``, ``usage``, ``weekly``,
        ``segments``, ``organisation``); those missing leave their figures out.
    dims
        The cube's client dimensions.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    dict
        The client sections. Actions keep their first piece of evidence only (the
        survey share): the rest compares departments with figures that did not go
        through the client cube.
    """
    out: dict[str, Any] = {key: summary[key] for key in CLIENT_SECTIONS if key in summary}
    whole = {name: _organisation_row(table, dims) for name, table in cube.items()}
    if "motivation" in out and whole.get("types") is not None:
        labelled = {t: _number(whole["types"].get(t)) for t in SHOWN_TYPES}
        # the expected shares are a mean over every respondent, shown only where the
        # cube released the organisation's row (so never for fewer than k respondents)
        released = any(v is not None for v in labelled.values())
        expected = out["motivation"].get("mix", {})
        mix = {t: _rounded(expected.get(t)) if released else None for t in SHOWN_TYPES}
        out["motivation"] = {**out["motivation"], "mix": mix, "labelled_mix": labelled}
    if "segments" in out:
        counts = whole.get("segments")
        out["segments"] = {
            s: _number(counts.get(s)) if counts is not None else None for s in SEGMENTS
        }
    if "usage" in out:
        out["usage"] = _usage(out["usage"], whole, cube, dims)
    if "renewal" in out:
        out["renewal"] = _renewal(out["renewal"], whole)
    if "adoption_score" in out:
        score = out["adoption_score"]
        components = {c: _rounded(v) for c, v in score.get("components", {}).items()}
        out["adoption_score"] = {**score, "components": components}
    if "comment_themes" in out:
        cells = whole.get("cells")
        respondents = _number(cells.get("n")) if cells is not None else None
        out["comment_themes"] = _themes(out["comment_themes"], respondents, k)
    out["actions"] = [
        {**a, "evidence": first_clause(a["evidence"])} for a in summary.get("actions", [])
    ]
    return out


def first_clause(text: str) -> str:
    """The first ``; ``-separated piece of evidence, never cut inside parentheses.

    Examples
    --------
    >>> first_clause("net -45 points (16% favourable, 24% neutral; red below 0); more")
    'net -45 points (16% favourable, 24% neutral; red below 0)'
    """
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and text.startswith("; ", index):
            return text[:index]
    return text


def _themes(
    themes: Mapping[str, Any], respondents: float | None, k: int
) -> dict[str, float | None]:
    """Respondents mentioning each theme, withheld where it or its complement is under k.

    The organisation's respondents are released, so a theme mentioned by all but a few
    of them would say how many did not mention it: those counts are withheld too, and
    all of them when the respondents are.
    """
    out: dict[str, float | None] = {}
    for theme, count in themes.items():
        shown = count is not None and respondents is not None
        shown = shown and enough(count, k) and enough(respondents - count, k)
        out[theme] = count if shown else None
    return out


def _organisation_row(table: pd.DataFrame | None, dims: list[str]) -> pd.Series | None:
    if table is None or table.empty or "week_start" in table:
        return None
    rows = pick_cell(table, dims, {})
    return None if rows.empty else rows.iloc[0]


def _usage(
    usage: Mapping[str, Any],
    whole: Mapping[str, pd.Series | None],
    cube: Mapping[str, pd.DataFrame],
    dims: list[str],
) -> dict[str, Any]:
    out = {
        key: value for key, value in usage.items() if key not in ("sources", *_CONSULTANT_COUNTS)
    }
    cells, shares, organisation = whole.get("cells"), whole.get("usage"), whole.get("organisation")
    licensed = _number(cells.get("licensed")) if cells is not None else None
    out["licensed_users"] = licensed
    for key, column in {**_ORGANISATION_COUNTS, **_ORGANISATION_FIGURES}.items():
        if usage.get(key) is None:  # not measured: the view says so ("n/a")
            out.pop(key, None)
            continue
        # measured: the cube's figure, or withheld (None)
        out[key] = _number(organisation.get(column) if organisation is not None else None)
    licences = usage.get("licenses")
    active = out.get("active_users_30d")
    out["license_utilisation"] = round(active / licences, 2) if active and licences else None
    out.pop("frequency_bands", None)
    out.pop("usage_segments", None)
    if shares is not None:
        out["frequency_band_shares"] = {
            b: _number(shares.get(f"band_{b}_share")) for b in USAGE_BANDS
        }
        out["usage_segment_shares"] = {
            s: _number(shares.get(f"segment_{s}_share")) for s in USAGE_SEGMENTS
        }
    weekly = cube.get("weekly")
    if weekly is not None and not weekly.empty:
        curve = pick_cell(weekly, dims, {})
        out["weekly_active"] = [
            {"week_start": str(pd.Timestamp(w).date()), "share": _number(s)}
            for w, s in zip(curve["week_start"], curve["share"], strict=True)
        ]
    else:
        out.pop("weekly_active", None)
    return out


def _renewal(renewal: Mapping[str, Any], whole: Mapping[str, pd.Series | None]) -> dict[str, Any]:
    out = dict(renewal)
    organisation = whole.get("organisation")
    effective = _number(organisation.get("effective")) if organisation is not None else None
    if effective is None and out.get("effective_users") is not None:
        # the cube withholds the organisation's effective users: so do the figures on them,
        # the projection too (it starts from them, and a short horizon nearly repeats them)
        for key in RENEWAL_FROM_EFFECTIVE:
            if key in out:
                out[key] = None
    return out


#: the renewal figures a client sees only where the organisation's effective users are
RENEWAL_FROM_EFFECTIVE = (
    "effective_users",
    "effective_utilisation",
    "projected_effective_users_at_renewal",
    "projected_effective_users_low",
    "projected_effective_users_high",
    "projected_effective_users_band",
    "projected_utilisation_at_renewal",
    "value_at_risk",
    "value_at_risk_low",
    "value_at_risk_high",
    "target_sentence",
)


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _rounded(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value
