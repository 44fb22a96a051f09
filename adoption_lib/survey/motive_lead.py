"""How sure we are which motive leads a person: probabilities, not a hard label.

A person's three motivation scores are measured with error. The standard error of
measurement of scale ``m`` is ``SEM_m = SD_m * sqrt(1 - alpha_m)`` (SD over the sample's
scores), so the standard error of the difference between two scales is
``sqrt(SD_1^2 (1 - alpha_1) + SD_2^2 (1 - alpha_2))``. Treating each true score as
normal around the observed one with its SEM (a flat prior), the probability that motive
``m`` leads the other two by at least ``lead`` points is

    P_m = integral phi_m(t) * prod_{j != m} Phi((t - lead - x_j) / SEM_j) dt,

computed by Gauss-Hermite quadrature (written here: no library gives the probability
that one of several independent normals exceeds the rest by a margin). ``mixed`` is what
is left, ``1 - sum(P_m)``: the probability that no motive leads by ``lead``.

Summed over respondents these are **expected shares**, which estimate a group's mix
without the misclassification of hard labels (in a simulation with alpha .85, hard
labels misplace about a third of people, expected shares are within 3 points).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.labels import MOTIVES, TYPES

#: quadrature nodes: 80 keep the integral within about 1e-3 even when one scale's SEM is
#: seven times another's (real scales differ by less than two)
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(80)


def measurement_errors(
    scores: pd.DataFrame, alphas: dict[str, float], default_margin: float = 0.25
) -> dict[str, float]:
    """Each motivation scale's standard error of measurement, ``SD * sqrt(1 - alpha)``.

    Parameters
    ----------
    scores
        Respondents x at least the three motivation scales.
    alphas
        Reliability of each scale (NaN or missing when unknown).
    default_margin
        ``thresholds.mixed_margin_default``: when a scale's alpha or SD is unknown its
        SEM is ``default_margin / sqrt(2)``, so two such scales' difference has that
        standard error.

    Returns
    -------
    dict
        Scale -> SEM in scale points.
    """
    out = {}
    for motive in MOTIVES:
        alpha = alphas.get(motive, math.nan)
        sd = float(scores[motive].std(ddof=1)) if motive in scores else math.nan
        if math.isfinite(alpha) and math.isfinite(sd):
            out[motive] = sd * math.sqrt(max(1.0 - alpha, 0.0))
        else:
            out[motive] = default_margin / math.sqrt(2)
    return out


def lead_probabilities(
    scores: pd.DataFrame, errors: dict[str, float], lead: float = 0.25
) -> pd.DataFrame:
    """The probability that each motive leads the other two by at least ``lead`` points.

    Parameters
    ----------
    scores
        Respondents x at least the three motivation scales (rows with a missing score
        get NaN).
    errors
        Each scale's SEM, from :func:`measurement_errors`.
    lead
        The smallest lead that makes a motive dominant (``thresholds.motive_lead``).

    Returns
    -------
    pandas.DataFrame
        One column per motive plus ``mixed`` (no motive leads by ``lead``); each row
        sums to 1.
    """
    x = scores[list(MOTIVES)].to_numpy(dtype=float)
    sem = np.array([errors[m] for m in MOTIVES], dtype=float)
    out = np.zeros_like(x)
    for m in range(len(MOTIVES)):
        if sem[m] == 0:
            t = x[:, m : m + 1]
            weights = np.ones(1)
        else:
            t = x[:, m : m + 1] + sem[m] * _NODES[None, :]
            weights = _WEIGHTS / math.sqrt(2 * math.pi)
        inside = np.ones_like(t)
        for j in range(len(MOTIVES)):
            if j == m:
                continue
            gap = t - lead - x[:, j : j + 1]
            if sem[j] == 0:  # a perfectly reliable scale: a step, not a curve
                inside *= (gap > 0).astype(float)
            else:
                inside *= stats.norm.cdf(gap / sem[j])
        out[:, m] = inside @ weights
    frame = pd.DataFrame(out, index=scores.index, columns=list(MOTIVES))
    frame["mixed"] = (1.0 - frame.sum(axis=1)).clip(lower=0.0)
    frame[np.isnan(x).any(axis=1)] = np.nan
    return frame


def expected_shares(types: pd.Series, probabilities: pd.DataFrame) -> dict[str, float]:
    """The motivation mix as expected shares: each person counts by their probabilities.

    Parameters
    ----------
    types
        Hard types (``low`` and ``unclassified`` count as themselves).
    probabilities
        From :func:`lead_probabilities`, same index.

    Returns
    -------
    dict
        Type -> share of respondents (the shares sum to 1; 0 for none).
    """
    n = len(types)
    if n == 0:
        return {}
    typed = ~types.isin(["low", "unclassified"])
    sums = probabilities[typed].sum()
    out = {column: float(sums.get(column, 0.0)) / n for column in [*MOTIVES, "mixed"]}
    out["low"] = float((types == "low").sum()) / n
    out["unclassified"] = float((types == "unclassified").sum()) / n
    return out


def expected_mix(
    types: pd.Series, probabilities: pd.DataFrame, groups: pd.Series | None = None
) -> pd.DataFrame:
    """:func:`expected_shares` per group, laid out as the labelled mix is.

    Parameters
    ----------
    types, probabilities
        As for :func:`expected_shares`.
    groups
        A grouping per respondent (same index), or ``None`` for the whole sample.

    Returns
    -------
    pandas.DataFrame
        One row per group (``all`` when ungrouped; index ``group``), one column per
        type, plus ``n``.
    """
    key = groups if groups is not None else pd.Series("all", index=types.index)
    rows = {}
    for name, members in types.groupby(key, observed=True).groups.items():
        shares = expected_shares(types.loc[members], probabilities.loc[members])
        rows[name] = {**{t: shares.get(t, 0.0) for t in TYPES}, "n": len(members)}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[*TYPES, "n"])
    out.index.name = "group"
    return out
