"""Motivation typing as probabilities: checked against sampling and a known-type simulation.

* :func:`lead_probabilities` against an independent Monte Carlo: draw each true score
  from a normal around the observed one with its SEM and count who leads by the margin.
* The standard error of a difference is ``sqrt(SD1^2 (1 - a1) + SD2^2 (1 - a2))``, not
  the pooled ``SD * sqrt(2 - a1 - a2)`` (44% too wide in the issue's example).
* A simulation with known types, as the issue sets it: 5-point items, 4 items a scale,
  person SD 0.9, alpha about .85, a 0.8-point lead. The expected shares recover the mix.
  Hard labels cannot meet 80% / 15% / 15% at that noise: no rule can (the best rule
  that knows the true model misplaces about a third at equal priors; docs/method.md).
  Where the scores resolve the lead (an SEM of 0.15, unrounded), the labels meet all three.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.labels import MOTIVES
from adoption_lib.survey.motivation import motivation_types
from adoption_lib.survey.motive_lead import (
    expected_shares,
    lead_probabilities,
    measurement_errors,
)
from adoption_lib.survey.reliability import cronbach_alpha


def _monte_carlo(x: np.ndarray, sem: np.ndarray, lead: float, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    true = x[None, :] + sem[None, :] * rng.standard_normal((draws, 3))
    out = []
    for m in range(3):
        others = np.delete(true, m, axis=1).max(axis=1)
        out.append(float((true[:, m] - others >= lead).mean()))
    return np.array(out)


@settings(max_examples=25, deadline=None)
@given(
    x=st.lists(st.floats(1, 5), min_size=3, max_size=3),
    sem=st.lists(st.floats(0.1, 0.7), min_size=3, max_size=3),
    lead=st.sampled_from([0.0, 0.25, 0.5]),
)
def test_the_probabilities_match_sampling(x: list[float], sem: list[float], lead: float) -> None:
    scores = pd.DataFrame([x], columns=list(MOTIVES))
    errors = dict(zip(MOTIVES, sem, strict=True))
    found = lead_probabilities(scores, errors, lead).iloc[0]
    sampled = _monte_carlo(np.array(x), np.array(sem), lead, 200_000, seed=1)
    assert found[list(MOTIVES)].to_numpy() == pytest.approx(sampled, abs=0.006)
    assert found.sum() == pytest.approx(1.0, abs=2e-3)
    assert found["mixed"] == pytest.approx(1 - sampled.sum(), abs=0.01)


def test_the_difference_uses_each_scales_own_error() -> None:
    # SDs 1.2 and 0.4, alphas .95 and .6: unequal SDs, as the issue found
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(
        {
            "commitment": rng.normal(3, 1.2, 4000),
            "compliance": rng.normal(3, 0.4, 4000),
            "wiifm": rng.normal(3, 1, 4000),
        }
    )
    alphas = {"commitment": 0.95, "compliance": 0.6, "wiifm": 0.8}
    errors = measurement_errors(scores, alphas)
    sd1, sd2 = scores["commitment"].std(), scores["compliance"].std()
    right = math.sqrt(sd1**2 * 0.05 + sd2**2 * 0.4)
    assert math.hypot(errors["commitment"], errors["compliance"]) == pytest.approx(right)
    pooled = math.sqrt((sd1**2 + sd2**2) / 2) * math.sqrt(2 - 0.95 - 0.6)
    assert pooled / right == pytest.approx(1.63, abs=0.03)  # the pooled margin: too wide
    # an unknown alpha: the default margin is the difference's standard error
    fallback = measurement_errors(scores, {"commitment": 0.9}, default_margin=0.25)
    assert math.hypot(fallback["compliance"], fallback["wiifm"]) == pytest.approx(0.25)


def test_a_missing_score_has_no_probabilities_and_a_perfect_scale_is_a_step() -> None:
    scores = pd.DataFrame(
        {"commitment": [4.1, 4.4, np.nan], "compliance": [4.0, 4.0, 3.0], "wiifm": [1.0] * 3}
    )
    exact = dict.fromkeys(MOTIVES, 0.0)
    found = lead_probabilities(scores, exact, 0.25)
    assert list(found.iloc[0]) == [0.0, 0.0, 0.0, 1.0]  # 0.1 ahead: under the lead
    assert list(found.iloc[1]) == [1.0, 0.0, 0.0, 0.0]  # 0.4 ahead: leads for certain
    assert found.iloc[2].isna().all()


def _simulate(
    n: int, lead: float, seed: int, alpha: float = 0.85
) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """People of four kinds (no dominant motive, or one of three leading by ``lead``)."""
    rng = np.random.default_rng(seed)
    true_sd = math.sqrt(alpha * 0.81)  # observed SD 0.9
    rho = alpha / (4 - 3 * alpha)  # the inter-item correlation giving alpha over 4 items
    noise = math.sqrt(true_sd**2 * (1 - rho) / rho)
    base = rng.normal(3.4, true_sd, n)
    kind = rng.integers(0, 4, n)
    true = np.repeat(base[:, None], 3, axis=1)
    for m in range(3):
        true[kind == m + 1, m] += lead
    items = np.clip(np.rint(true[:, :, None] + rng.normal(0, noise, (n, 3, 4))), 1, 5)
    scores = pd.DataFrame(items.mean(axis=2), columns=list(MOTIVES))
    alphas = {m: cronbach_alpha(pd.DataFrame(items[:, i, :])) for i, m in enumerate(MOTIVES)}
    return scores, kind, alphas


def _rates(types: pd.Series, kind: np.ndarray) -> tuple[float, float, float]:
    """Recovered and mixed among dominant people, typed among the rest ("low" left out)."""
    truth = np.array(["none", *MOTIVES])[kind]
    keep = (types != "low").to_numpy()
    dominant, none = (kind > 0) & keep, (kind == 0) & keep
    recovered = float((types[dominant] == truth[dominant]).mean())
    mixed = float((types[dominant] == "mixed").mean())
    typed = float(types[none].isin(MOTIVES).mean())
    return recovered, mixed, typed


def test_the_issues_simulation_expected_shares_recover_the_mix() -> None:
    scores, kind, alphas = _simulate(12_000, 0.8, seed=11)
    assert all(0.82 <= a <= 0.88 for a in alphas.values())
    types = motivation_types(scores, dict.fromkeys(MOTIVES, 3.0), alphas)
    chance = lead_probabilities(scores, measurement_errors(scores, alphas), 0.25)
    shares = expected_shares(types, chance)
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-6)
    keep = (types != "low").to_numpy()
    truth = np.bincount(kind[keep], minlength=4) / len(kind)  # "low" people left out
    for motive, true in zip(MOTIVES, truth[1:], strict=True):
        assert shares[motive] == pytest.approx(true, abs=0.05)
    # the flat prior leaves some probability off a real lead: "mixed" comes out high
    assert shares["mixed"] == pytest.approx(truth[0], abs=0.07)
    labelled = types.value_counts(normalize=True)
    # the hard labels at this noise: what the data allow, measured (docs/method.md)
    recovered, mixed, typed = _rates(types, kind)
    assert recovered == pytest.approx(0.61, abs=0.04)
    assert mixed == pytest.approx(0.37, abs=0.04)
    assert typed == pytest.approx(0.32, abs=0.04)
    # and the labelled mix is much further from the truth than the expected shares
    assert abs(labelled.get("mixed", 0) - truth[0]) > 2 * abs(shares["mixed"] - truth[0])


def test_where_the_scales_can_resolve_the_lead_the_labels_meet_the_targets() -> None:
    # unrounded scores (no 5-point ceiling) with an SEM of 0.15: a 0.8 lead is 3.8 SE
    rng = np.random.default_rng(12)
    n = 12_000
    kind = rng.integers(0, 4, n)
    true = np.repeat(rng.normal(3.4, 0.8, n)[:, None], 3, axis=1)
    for m in range(3):
        true[kind == m + 1, m] += 0.8
    scores = pd.DataFrame(true + rng.normal(0, 0.15, (n, 3)), columns=list(MOTIVES))
    alphas = {m: 1 - 0.15**2 / scores[m].var() for m in MOTIVES}
    types = motivation_types(scores, dict.fromkeys(MOTIVES, 3.0), alphas)
    recovered, mixed, typed = _rates(types, kind)
    assert recovered >= 0.80 and mixed <= 0.15 and typed <= 0.15, (recovered, mixed, typed)
