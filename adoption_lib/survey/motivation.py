"""The motivation profile: WIIFM, compliance and commitment (DESIGN §5).

Group means with 95% confidence intervals come first; individual types are secondary
and follow the rule, in order:

1. ``unclassified`` when any of the three scores is missing (fewer than half of that
   scale's items answered);
2. ``low`` when all three scores are below their scale's midpoint;
3. otherwise the motive most likely to lead the other two by at least
   ``motive_lead`` (0.25 points), given each scale's measurement error
   (:mod:`adoption_lib.survey.motive_lead`: the standard error of a difference is
   ``sqrt(SD1^2 (1 - alpha1) + SD2^2 (1 - alpha2))``), when that probability is at least
   ``type_min_probability`` (one half); ``mixed`` when no motive is that likely to lead.

Hard types misplace many people when scales have the usual reliability: the mix is
reported as expected shares (:func:`~adoption_lib.survey.motive_lead.expected_shares`).

Two motivation scales whose correlation, corrected for unreliability
(``r / sqrt(alpha1 * alpha2)``), exceeds ``disattenuated_r_flag`` (.85) are flagged:
they are not measuring different things in this sample.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.labels import MOTIVES, TYPES
from adoption_lib.survey.motive_lead import lead_probabilities, measurement_errors


def motivation_types(
    scores: pd.DataFrame,
    midpoints: dict[str, float],
    alphas: dict[str, float],
    default_margin: float = 0.25,
    lead: float = 0.25,
    min_probability: float = 0.5,
    probabilities: pd.DataFrame | None = None,
) -> pd.Series:
    """Classify each respondent's motivation type.

    Parameters
    ----------
    scores
        Respondents x at least the three motivation scales.
    midpoints
        Each scale's midpoint.
    alphas
        Each scale's alpha (NaN when unknown).
    default_margin
        ``thresholds.mixed_margin_default``: the standard error of a difference when an
        alpha is unknown.
    lead
        ``thresholds.motive_lead``: the smallest lead (points) that makes a motive
        dominant.
    min_probability
        ``thresholds.type_min_probability``: how likely the lead must be to name a type.
    probabilities
        :func:`~adoption_lib.survey.motive_lead.lead_probabilities` already computed
        for these scores (then ``alphas``, ``default_margin`` and ``lead`` are not used).

    Returns
    -------
    pandas.Series
        One of :data:`TYPES` per respondent.
    """
    if probabilities is None:
        errors = measurement_errors(scores, alphas, default_margin)
        probabilities = lead_probabilities(scores, errors, lead)
    chance = probabilities[list(MOTIVES)]
    values = scores[list(MOTIVES)].to_numpy(dtype=float)
    best = chance.to_numpy().argmax(axis=1) if len(chance) else np.array([], dtype=int)
    likely = chance.max(axis=1).to_numpy()
    out = []
    for row, top, p in zip(values, best, likely, strict=True):
        if np.isnan(row).any():
            out.append("unclassified")
        elif all(v < midpoints[m] for v, m in zip(row, MOTIVES, strict=True)):
            out.append("low")
        else:
            # rounded, so a lead of exactly one half is not lost to a float's error
            out.append(MOTIVES[top] if round(p, 9) >= min_probability else "mixed")
    return pd.Series(out, index=scores.index, name="motivation_type")


def type_mix(types: pd.Series, groups: pd.Series | None = None) -> pd.DataFrame:
    """The share of each type, overall or per group.

    Parameters
    ----------
    types
        From :func:`motivation_types`.
    groups
        A grouping per respondent (same index), or ``None`` for the whole sample.

    Returns
    -------
    pandas.DataFrame
        One row per group (``all`` when ungrouped), one column per type, plus ``n``.
    """
    key = groups if groups is not None else pd.Series("all", index=types.index)
    table = pd.crosstab(key, types).reindex(columns=list(TYPES), fill_value=0)
    n = table.sum(axis=1)
    shares = table.div(n, axis=0)
    shares["n"] = n
    shares.index.name = "group"
    return shares


def group_means(
    scores: pd.DataFrame, groups: pd.Series, constructs: list[str] | tuple[str, ...] = MOTIVES
) -> pd.DataFrame:
    """Mean and 95% confidence interval of each construct per group.

    Parameters
    ----------
    scores
        Respondents x constructs.
    groups
        A grouping per respondent (department, role, supervisor team, tenure band...).
    constructs
        Which constructs.

    Returns
    -------
    pandas.DataFrame
        Rows (group, construct) with ``mean``, ``ci_low``, ``ci_high``, ``n``; constructs
        the scores lack are left out.
    """
    # An instrument of the consultant's own may lack some (or all) of these constructs.
    present = [c for c in constructs if c in scores.columns]
    long = scores[present].assign(_group=groups).melt(id_vars="_group", var_name="construct")
    grouped = long.dropna(subset=["value"]).groupby(["_group", "construct"])["value"]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    half = stats.t.ppf(0.975, out["n"].clip(lower=2) - 1) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = (out["mean"] - half).where(out["n"] >= 2)
    out["ci_high"] = (out["mean"] + half).where(out["n"] >= 2)
    out = out.rename(columns={"_group": "group"})
    return out[["group", "construct", "mean", "ci_low", "ci_high", "n"]]


def disattenuated_flags(
    scores: pd.DataFrame, alphas: dict[str, float], limit: float = 0.85
) -> list[dict[str, object]]:
    """Pairs of motivation scales that correlate above ``limit`` after disattenuation.

    Returns
    -------
    list of dict
        ``{"scales": [a, b], "r": r, "r_disattenuated": r'}`` for each flagged pair.
    """
    flags = []
    for a, b in combinations(MOTIVES, 2):
        r = scores[a].corr(scores[b])
        reliability = alphas.get(a, math.nan) * alphas.get(b, math.nan)
        if not (math.isfinite(r) and math.isfinite(reliability)) or reliability <= 0:
            continue
        corrected = r / math.sqrt(reliability)
        if corrected > limit:
            flags.append(
                {"scales": [a, b], "r": round(r, 3), "r_disattenuated": round(corrected, 3)}
            )
    return flags
