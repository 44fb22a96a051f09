"""Reliability per construct: alpha, omega, corrected item-total r, alpha if deleted.

* Cronbach's alpha from pairwise-complete covariances, ``k/(k-1) * (1 - tr(C)/sum(C))``:
  the estimate :func:`pingouin.cronbach_alpha` (``nan_policy="pairwise"``) and
  ``psych::alpha`` report as raw alpha. It is computed here from one covariance matrix
  per construct because alpha-if-deleted and the item-total correlations come from the
  same matrix: calling pingouin once per deleted item recomputed it k+1 times (a test
  checks the two agree).
* Corrected item-total r ("r.drop") from the same matrix: the correlation of an item
  with the sum of the construct's other items; pingouin has no item statistics.
* McDonald's omega (total) from a one-factor model fitted by iterated principal axes on
  the correlation matrix: ``omega = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))``. Neither
  pingouin nor scipy fits factor models; the fit is ten lines of numpy.

Flags (DESIGN §5): ``low_alpha`` when alpha < ``alpha_flag_below`` (.70), and
``reverse_keying_suspect:<item>`` when an item's corrected item-total r is below 0,
the usual sign that a reverse-keyed item was not (or wrongly) reversed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from adoption_lib.config.instrument import Instrument
from adoption_lib.json_numbers import json_number


@dataclass
class ItemReliability:
    """Item statistics within its construct."""

    r_drop: float
    alpha_if_deleted: float
    n: int


@dataclass
class ConstructReliability:
    """Reliability of one construct."""

    alpha: float
    omega: float
    n: int
    flags: list[str] = field(default_factory=list)
    items: dict[str, ItemReliability] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The DESIGN §4 JSON shape (NaN written as null)."""
        return {
            "alpha": json_number(self.alpha, as_float=True),
            "omega": json_number(self.omega, as_float=True),
            "n": self.n,
            "flags": list(self.flags),
            "items": {
                k: {
                    "r_drop": json_number(v.r_drop, as_float=True),
                    "alpha_if_deleted": json_number(v.alpha_if_deleted, as_float=True),
                    "n": v.n,
                }
                for k, v in self.items.items()
            },
        }


def cronbach_alpha(block: pd.DataFrame) -> float:
    """Cronbach's alpha from pairwise-complete covariances (NaN for fewer than 2 items)."""
    usable = block.dropna(axis=1, how="all")
    if usable.shape[1] < 2 or usable.dropna(how="all").shape[0] < 2:
        return math.nan
    return alpha_from_cov(usable.cov().to_numpy())


def alpha_from_cov(cov: np.ndarray) -> float:
    """Cronbach's alpha of the items whose covariance matrix is ``cov``."""
    k = cov.shape[0]
    total = float(cov.sum())
    if k < 2 or not math.isfinite(total) or total <= 0:
        return math.nan
    return k / (k - 1) * (1 - float(np.trace(cov)) / total)


def item_total_r(block: pd.DataFrame, cov: pd.DataFrame | None = None) -> dict[str, float]:
    """Corrected item-total correlation of each item, from the pairwise covariance matrix."""
    cov = block.cov() if cov is None else cov
    out = {}
    for item in block.columns:
        rest = [c for c in block.columns if c != item]
        covariance = cov.loc[item, rest].sum()
        rest_variance = cov.loc[rest, rest].to_numpy().sum()
        denominator = (
            math.sqrt(cov.loc[item, item] * rest_variance) if rest_variance > 0 else math.nan
        )
        out[item] = (
            float(covariance / denominator)
            if denominator and math.isfinite(denominator)
            else math.nan
        )
    return out


def omega_total(block: pd.DataFrame, iterations: int = 100) -> float:
    """McDonald's omega from a one-factor model (iterated principal axes).

    Parameters
    ----------
    block
        Respondents x items (reverse-keyed), NaN allowed (pairwise correlations).
    iterations
        Principal-axis iterations.

    Returns
    -------
    float
        Omega total; NaN for fewer than three items or a singular matrix.
    """
    corr = block.corr().to_numpy()
    k = corr.shape[0]
    if k < 3 or not np.isfinite(corr).all():
        return math.nan
    # A near-singular matrix (few respondents, items answered identically) gives an
    # infinite or undefined squared multiple correlation: no one-factor fit, no omega.
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            communality = 1 - 1 / np.diag(np.linalg.inv(corr))  # squared multiple correlations
        except np.linalg.LinAlgError:
            return math.nan
    if not np.isfinite(communality).all():
        return math.nan
    for _ in range(iterations):
        reduced = corr.copy()
        np.fill_diagonal(reduced, communality)
        try:
            values, vectors = np.linalg.eigh(reduced)
        except np.linalg.LinAlgError:
            return math.nan
        loadings = vectors[:, -1] * math.sqrt(max(values[-1], 0.0))
        new = np.clip(loadings**2, 0.0, 0.999)
        if np.allclose(new, communality, atol=1e-6):
            break
        communality = new
    loadings = np.abs(loadings) if loadings.sum() < 0 else loadings
    common = loadings.sum() ** 2
    return float(common / (common + (1 - loadings**2).sum()))


def construct_reliability(
    block: pd.DataFrame, alpha_flag_below: float = 0.70
) -> ConstructReliability:
    """Reliability statistics and flags for one construct's items.

    Parameters
    ----------
    block
        Respondents x the construct's items, reverse keying applied, don't-knows NaN.
    alpha_flag_below
        Flag alpha below this.

    Returns
    -------
    ConstructReliability
        Alpha, omega, n (respondents with any answer), flags and item statistics.
    """
    n = int(block.notna().any(axis=1).sum())
    block = block.dropna(axis=1, how="all")
    cov = block.cov()
    alpha = cronbach_alpha(block)
    result = ConstructReliability(alpha, omega_total(block), n)
    if math.isfinite(alpha) and alpha < alpha_flag_below:
        result.flags.append("low_alpha")
    if block.shape[1] >= 2:
        r_drop = item_total_r(block, cov)
        for item in block.columns:
            rest = [c for c in block.columns if c != item]
            deleted = alpha_from_cov(cov.loc[rest, rest].to_numpy()) if len(rest) >= 2 else math.nan
            result.items[item] = ItemReliability(
                r_drop[item], deleted, int(block[item].notna().sum())
            )
            if math.isfinite(r_drop[item]) and r_drop[item] < 0:
                result.flags.append(f"reverse_keying_suspect:{item}")
    return result


def instrument_reliability(
    items: pd.DataFrame, instrument: Instrument, alpha_flag_below: float = 0.70
) -> dict[str, ConstructReliability]:
    """Reliability of every construct with at least two items.

    Parameters
    ----------
    items
        From :func:`adoption_lib.survey.items.item_matrix`.
    instrument
        The instrument.
    alpha_flag_below
        ``thresholds.alpha_flag_below``.

    Returns
    -------
    dict
        Construct id to :class:`ConstructReliability`.
    """
    out = {}
    for construct in instrument.constructs:
        columns = [i.id for i in instrument.items_of(construct.id) if i.id in items]
        if len(columns) >= 2:
            out[construct.id] = construct_reliability(items[columns], alpha_flag_below)
    return out
