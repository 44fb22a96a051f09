"""The renewal forecast: coverage over many series of known shape, breaks, and back-tests.

The series come from this file's own generator, not the workbook's: each shape's true
weekly level, AR(1) noise (lag-1 r = .4, SD 2.5% of the level, the autocorrelation
the issue measured on the demo's residuals), and the truth is the series' own value 13
weeks (a quarter) after the last week. The comparison is the forecast the workbook
used before (a least-squares line through the last 12 weeks with its 95% prediction
interval), written here from scipy.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from adoption_lib import pipeline
from adoption_lib.config.engagement import load_engagement
from adoption_lib.diagnosis.forecast import project_effective
from adoption_lib.diagnosis.forecast_models import last_regime, seasonal_shift
from adoption_lib.synthetic import DEMO_SEED
from adoption_lib.usage.trends import effective_by_week

from .conftest import SECOND_SEED

HORIZON = 13
#: series of each shape
SEEDS = 100
SHAPES = ("flat", "seasonal", "ramp", "step", "decay", "accelerating", "growth")


def _noise(rng: np.random.Generator, n: int, sd: float, rho: float = 0.4) -> np.ndarray:
    out = np.empty(n)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + rng.normal(0, sd * np.sqrt(1 - rho**2))
    return out


def shaped_series(shape: str, seed: int) -> tuple[np.ndarray, float, float]:
    """History, the truth HORIZON weeks on, and the true level over the last 4 weeks."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(250, 500)
    lengths = {"seasonal": [60, 78], "accelerating": [26, 39], "decay": [26, 39]}
    lengths["ramp"] = [12, 16, 20]
    n = int(rng.choice(lengths.get(shape, [16, 26, 39])))
    t = np.arange(n + HORIZON, dtype=float)
    if shape == "flat":
        mu = np.full_like(t, level)
    elif shape == "seasonal":  # a flat level, 8% either way over the year
        mu = level * (1 + 0.08 * np.sin(2 * np.pi * t / 52 + rng.uniform(0, 2 * np.pi)))
    elif shape == "ramp":  # 7 weeks from go-live to the plateau
        mu = level * np.minimum(1, (t + 1) / 7)
    elif shape == "step":  # a cohort joins or leaves 5 to 10 weeks before the end
        k, size = int(rng.integers(5, 11)), rng.choice([-1, 1]) * rng.uniform(0.12, 0.25)
        mu = np.where(t >= n - k, level * (1 + size), level)
    elif shape == "decay":  # toward a floor of 60%
        mu = 0.6 * level + 0.4 * level * np.exp(-t / rng.uniform(8, 20))
    elif shape == "accelerating":  # 5-12% lost over the history, quadratically
        mu = level - rng.uniform(0.05, 0.12) * level / n**2 * t**2
    else:  # steady growth, 0.2-0.8% of the start a week
        mu = level * (1 + rng.uniform(0.002, 0.008) * t)
    y = np.maximum(np.round(mu + _noise(rng, len(t), 0.025 * level)), 0)
    return y[:n], float(y[n + HORIZON - 1]), float(mu[n - 4 : n].mean())


def linear_fit(y: np.ndarray) -> tuple[float, float]:
    """The earlier forecast: a line through the last 12 weeks, its 95% prediction band."""
    y = np.asarray(y[-12:], dtype=float)
    n, t = len(y), np.arange(len(y), dtype=float)
    fit = stats.linregress(t, y)
    at = n - 1 + HORIZON
    centre = fit.intercept + fit.slope * at
    s = np.sqrt(((y - fit.intercept - fit.slope * t) ** 2).sum() / (n - 2))
    spread = s * np.sqrt(1 + 1 / n + (at - t.mean()) ** 2 / ((t - t.mean()) ** 2).sum())
    half = stats.t.ppf(0.975, n - 2) * spread
    return centre - half, centre + half


def interval_score(low: float, high: float, truth: float, alpha: float = 0.05) -> float:
    """Gneiting and Raftery's interval score (lower is better)."""
    return (high - low) + 2 / alpha * max(low - truth, 0.0) + 2 / alpha * max(truth - high, 0.0)


@pytest.fixture(scope="module")
def coverage() -> pd.DataFrame:
    rows = []
    for i, shape in enumerate(SHAPES):
        for seed in range(SEEDS):
            y, truth, level = shaped_series(shape, 1000 * i + seed)
            cap = int(1.25 * y.max())  # licensed users: a quarter more than the busiest week
            p = project_effective(pd.Series(y), int(y[-1]), HORIZON, cap=cap)
            low, high = linear_fit(y)
            rows.append(
                {
                    "shape": shape,
                    "inside": p.low <= truth <= p.high,
                    "width": (p.high - p.low) / level,
                    "score": interval_score(p.low, p.high, truth) / level,
                    "linear": interval_score(max(low, 0), min(high, cap), truth) / level,
                }
            )
    return pd.DataFrame(rows)


def test_band_covers_the_truth_over_seven_shapes(coverage: pd.DataFrame) -> None:
    assert coverage["inside"].mean() >= 0.90  # 0.933 over the 700 series
    assert coverage["width"].median() <= 0.25  # 0.247
    # where the line trended through a ramp or a step, nearly always
    by_shape = coverage.groupby("shape")["inside"].mean()
    assert by_shape["ramp"] >= 0.95 and by_shape["step"] >= 0.95, by_shape


def test_band_beats_the_linear_fit_on_interval_score(coverage: pd.DataFrame) -> None:
    assert coverage["score"].mean() < coverage["linear"].mean()
    by_shape = coverage.groupby("shape")[["score", "linear"]].mean()
    # where the line trended through a break, by far (a ramp: 0.24 against 10.1)
    for shape in ("ramp", "step"):
        assert by_shape.loc[shape, "score"] < by_shape.loc[shape, "linear"] / 5, by_shape
    assert by_shape.loc["seasonal", "score"] < by_shape.loc["seasonal", "linear"] / 2
    # accelerating declines are the exception: the line scores 0.46 against 0.58
    for shape in ("flat", "growth", "decay"):
        assert by_shape.loc[shape, "score"] < by_shape.loc[shape, "linear"], by_shape


def test_a_ramp_to_the_cap_is_never_a_zero_width_band() -> None:
    # every licensed user active after a 7-week ramp: the line ran to the cap
    weekly = pd.Series([30, 60, 90, 120, 150, 180, 200, 200, 200, 199, 200, 200])
    p = project_effective(weekly, 200, 10, cap=200)
    assert p.high == 200 and p.low < 200
    assert p.regime_start >= 5  # the models learnt from the plateau only
    assert p.model == "flat"


def test_last_regime_finds_steps_and_ramps_and_leaves_curves() -> None:
    rng = np.random.default_rng(5)
    flat = 400 + _noise(rng, 30, 10)
    assert last_regime(flat) == 0
    step = np.concatenate([400 + _noise(rng, 20, 10), 480 + _noise(rng, 10, 10)])
    assert last_regime(step) in range(19, 22)
    ramp = np.concatenate([np.linspace(50, 380, 6), 400 + _noise(rng, 20, 10)])
    assert last_regime(ramp) in range(4, 8)
    season = 400 * (1 + 0.06 * np.sin(2 * np.pi * np.arange(40) / 52)) + _noise(rng, 40, 5)
    assert last_regime(season) == 0


def test_seasonal_shift_is_last_years_move_from_its_level() -> None:
    y = np.arange(60, dtype=float)  # a steady rise of 1 a week
    shift = seasonal_shift(y)
    # a year before the last week (index 7) the level was mean(4..7) = 5.5; the week h
    # after it, averaged with its neighbours, is 7 + h: the shift is h + 1.5
    assert shift[0] == pytest.approx(2.5) and shift[9] == pytest.approx(11.5)


def test_effective_by_week_applies_three_of_four_weeks() -> None:
    weeks = [f"2026-01-{d:02d}" for d in (1, 8, 15, 22, 29)]
    rows = [("a", w) for w in weeks[:3]] + [("b", w) for w in weeks] + [("c", weeks[4])]
    table = pd.DataFrame(rows, columns=["user_key", "week_start"])
    table["week_start"] = pd.Categorical(table["week_start"], categories=weeks, ordered=True)
    got = effective_by_week(table)
    # week 4: a (3 of 4) and b; week 5: b only (a has 2 of weeks 2-5, c has 1)
    assert got.to_dict() == {weeks[3]: 2.0, weeks[4]: 1.0}


@pytest.mark.parametrize("seed", [DEMO_SEED, SECOND_SEED])
def test_back_test_band_holds_the_later_waves_effective_users(
    generated: dict[int, Path], tmp_path: Path, seed: int
) -> None:
    folder = tmp_path / "engagement"
    shutil.copytree(generated[seed], folder)
    engagement = load_engagement(folder)
    later = engagement.waves[0]
    # renewal on the day of the re-measure: the baseline's forecast is checked by it
    moved = engagement.model_copy(update={"renewal_date": later.assessment_date})
    before = pipeline.run(moved, wave="baseline").summary["renewal"]
    actual = pipeline.run(moved, wave=later.name).summary["renewal"]["effective_users"]
    low, high = before["projected_effective_users_band"]
    assert low <= actual <= high, (before, actual)
    assert before["model"] in before["backtest"]
    assert before["backtest_horizon_weeks"] == round(
        (later.assessment_date - date(2026, 11, 2)).days / 7
    )


@settings(max_examples=40, deadline=None)
@given(
    weekly=st.lists(st.integers(0, 600), min_size=6, max_size=60),
    weeks_ahead=st.floats(0, 40),
    licensed=st.integers(1, 700),
)
def test_any_weekly_series_gives_an_ordered_band_within_the_licences(
    weekly: list[int], weeks_ahead: float, licensed: int
) -> None:
    weekly = [min(w, licensed) for w in weekly]  # weekly actives are licensed users
    effective = min(weekly[-1], licensed)
    p = project_effective(pd.Series(weekly), effective, weeks_ahead, cap=licensed)
    if sum(weekly[-4:]) == 0:
        assert p.central is None and p.reason == "no weekly active users to project from"
        return
    assert 0 <= p.low <= p.central <= p.high <= licensed
    assert p.low < p.high  # never a zero-width band, at the cap or at 0
    assert p.model in p.backtest or not p.backtest
