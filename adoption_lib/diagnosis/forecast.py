"""Effective users at renewal: a forecast chosen by back-test, with an honest band.

Method (``docs/method.md`` gives it for the client):

1. **The last regime.** :func:`~adoption_lib.diagnosis.forecast_models.last_regime`
   finds the latest break in the weekly active series (a ramp after go-live that
   flattened, a step from a new cohort); the models learn only from the weeks after it,
   so nothing trends through a break.
2. **Candidates**: ``flat``, ``trend``, ``damped`` (a trend that fades: a decline
   decaying toward a floor) and, with a year of history, ``seasonal``
   (:mod:`~adoption_lib.diagnosis.forecast_models`). A regime of fewer than 8 weeks
   has ``flat`` alone.
3. **Rolling-origin back-test.** Each candidate is refitted at each of the regime's
   last :data:`MAX_ORIGINS` weeks that leave at least one week to check, and forecasts
   up to the horizon the data can test (the renewal's, or fewer). Its error is the mean
   absolute error over origins and horizons, in weekly active users, each origin
   weighted by its recency (half the weight every :data:`HALF_LIFE` weeks back, so that
   what the series does now counts most); the smallest wins and gives the central
   forecast.
4. **The band** pools the candidates' simulated futures, each candidate's share its
   back-test likelihood relative to the best's, ``(best MSE / its MSE) ** (origins/2)``,
   the mean squared errors shrunk toward their mean as if :data:`PRIOR_ORIGINS` more
   origins had found them equal. Each candidate's futures are driven by a moving-block
   bootstrap of its residuals (blocks of :data:`BLOCK` weeks keep their
   autocorrelation), scaled so that their spread at the longest horizon tested matches
   the back-test's (shrunk the same way toward the simulations' own), widened by the
   ratio of Student's t to the normal quantile for a spread estimated from that many
   origins, and growing at least as a random walk's beyond the tested horizon. Each
   draw is then scaled to effective users by a ratio drawn from the recent weeks'
   effective/active ratios, capped at the licensed users and floored at 0. The band is
   the draws' 2.5th and 97.5th percentiles, never narrower than 1.96 binomial standard
   errors of the central share of the licensed users, so never zero-width at the cap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.diagnosis.forecast_models import (
    SEASON,
    TREND_MIN_WEEKS,
    FittedModel,
    fit_model,
    last_regime,
    line_residuals,
    models_for,
)
from adoption_lib.errors import DegenerateDataError

#: origins of the rolling back-test, at most
MAX_ORIGINS = 20
#: the fewest weeks a back-test origin learns from (``flat``)
MIN_TRAIN = 4
#: the fewest back-test origins with a year behind them for ``seasonal`` to compete
MIN_SEASONAL_ORIGINS = 6
#: weeks in a bootstrap block
BLOCK = 3
#: simulated futures in the band
REPETITIONS = 4000
#: recent weeks whose effective/active ratio the band draws from
RATIO_WEEKS = 12
SEED = 20261201
#: weeks back over which a back-test origin's weight halves
HALF_LIFE = 8
#: how many back-test origins the prior (candidates alike; the simulations' own spread)
#: is worth
PRIOR_ORIGINS = 4


@dataclass
class Projection:
    """Projected effective users at renewal, with a 95% band, or the reason there is none."""

    central: float | None
    low: float | None
    high: float | None
    weeks_used: int
    reason: str = ""
    #: the model chosen by back-test
    model: str | None = None
    #: each candidate's back-test mean absolute error, weekly active users
    backtest: dict[str, float] = field(default_factory=dict)
    #: the longest horizon the back-test checked, weeks
    backtest_horizon: int = 0
    #: the weeks of ``weekly_active`` before the last regime (the models learn from none)
    regime_start: int = 0


@dataclass
class WeeklyForecast:
    """Weekly active users ``horizon`` weeks on: central value and simulated draws."""

    central: float
    draws: np.ndarray
    model: str
    backtest: dict[str, float]
    backtest_horizon: int
    regime_start: int
    #: the chosen model's level at the last week
    level: float


def forecast_weekly(
    weekly_active: pd.Series | np.ndarray, horizon: int, *, seed: int = SEED
) -> WeeklyForecast:
    """Forecast weekly active users ``horizon`` weeks after the last week.

    Parameters
    ----------
    weekly_active
        Weekly active users, oldest first, at least 3 weeks.
    horizon
        Weeks ahead (at least 1).
    seed
        The bootstrap's seed (the same series gives the same band).

    Returns
    -------
    WeeklyForecast
        The chosen model's forecast, the pooled draws and the back-test errors.
    """
    y = np.asarray(weekly_active, dtype=float)
    horizon = max(int(horizon), 1)
    start = last_regime(y)
    window = y[start:]
    test = _backtest(window, y[:start], horizon)
    names = list(test.mae) or ["flat"]
    chosen = min(names, key=lambda m: test.mae.get(m, 0.0))
    fits = {m: fit_model(m, window, y) for m in names}
    central = float(fits[chosen].forecast(horizon)[-1])
    rng = np.random.default_rng(seed)
    # a back-test of few origins tells the scenarios apart little: each one's error is
    # shrunk toward their mean as if PRIOR_ORIGINS more origins had found them equal,
    # and each scenario's share of the futures is its likelihood relative to the best's
    mean = float(np.mean(list(test.mse.values()))) if test.mse else 1.0
    shrunk = {
        m: (test.origins * test.mse.get(m, mean) + PRIOR_ORIGINS * mean)
        / (test.origins + PRIOR_ORIGINS)
        for m in names
    }
    best = min(shrunk.values())
    weights = {
        m: (best / shrunk[m] if shrunk[m] > 0 else 1.0) ** (max(test.origins, 1.0) / 2)
        for m in names
    }  # a constant series fits every candidate perfectly: equal shares
    total = sum(weights.values())
    draws = []
    for name in names:
        count = max(round(REPETITIONS * weights[name] / total), 1)
        residuals = _residuals(fits[name], y[:start])
        draws.append(_simulate(fits[name], residuals, horizon, count, rng, test, name))
    return WeeklyForecast(
        central, np.concatenate(draws), chosen, test.mae, test.tested, start, fits[chosen].level
    )


def project_effective(
    weekly_active: pd.Series,
    effective_now: int,
    weeks_ahead: float,
    *,
    ratios: pd.Series | None = None,
    weeks: int = 104,
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
    ratios
        Recent weeks' effective users over weekly active users, oldest first; without
        them, effective now over the last week's actives, with no uncertainty of its own.
    weeks, min_weeks
        The most recent weeks the forecast reads, and the fewest it needs.
    cap
        The most effective users possible (the licensed users).

    Returns
    -------
    Projection
        Central value and 95% band, or ``None`` with the reason.
    """
    everything = pd.Series(weekly_active, dtype="float64").dropna()
    series = everything.iloc[-weeks:]
    n = len(series)
    if n < min_weeks:
        return Projection(
            None, None, None, n, f"only {n} weeks of usage data; the projection needs {min_weeks}"
        )
    if series.iloc[-4:].sum() <= 0:
        return Projection(None, None, None, n, "no weekly active users to project from")
    weekly = forecast_weekly(series.to_numpy(), round(max(weeks_ahead, 1)))
    recent = _ratios(ratios, effective_now, float(series.iloc[-1]))
    rng = np.random.default_rng(SEED + 1)
    ratio = rng.choice(recent, size=len(weekly.draws))
    draws = weekly.draws * ratio
    central = weekly.central * float(recent.mean())
    if cap is not None:
        draws, central = np.minimum(draws, cap), min(central, float(cap))
    draws, central = np.maximum(draws, 0.0), max(central, 0.0)
    low, high = np.percentile(draws, [2.5, 97.5])
    floor = _binomial_floor(central, cap)
    low, high = min(low, central - floor), max(high, central + floor)
    top = float(cap) if cap is not None else np.inf
    return Projection(
        round(central, 1),
        round(max(low, 0.0), 1),
        round(min(high, top), 1),
        n,
        model=weekly.model,
        backtest={m: round(e, 2) for m, e in weekly.backtest.items()},
        backtest_horizon=weekly.backtest_horizon,
        regime_start=len(everything) - n + weekly.regime_start,
    )


@dataclass
class _Backtest:
    #: each candidate's recency-weighted mean absolute error over horizons 1..tested
    mae: dict[str, float] = field(default_factory=dict)
    #: and its mean squared error at the longest horizon tested
    mse: dict[str, float] = field(default_factory=dict)
    tested: int = 0
    #: how many origins the recency weights are worth (Kish's effective sample size)
    origins: float = 0.0


def _backtest(window: np.ndarray, before: np.ndarray, horizon: int) -> _Backtest:
    """Each candidate's rolling-origin errors; empty when no origin leaves a week to check."""
    n = len(window)
    history = len(before) + n
    names = models_for(n - 1, history - 1)
    first = TREND_MIN_WEEKS if len(names) > 1 else MIN_TRAIN
    if n - first < 1:
        return _Backtest()
    tested = min(horizon, n - first)
    origins = range(max(first, n - tested - MAX_ORIGINS + 1), n - tested + 1)
    if "seasonal" in names:
        # the seasonal model is tested only where a year lies behind the origin; the
        # others on the same origins, unless that leaves too few to tell them apart
        seasonal = range(max(origins.start, SEASON + 4 - len(before)), origins.stop)
        if len(seasonal) >= MIN_SEASONAL_ORIGINS:
            origins = seasonal
        else:
            names.remove("seasonal")
    full = np.concatenate([before, window])
    absolute: dict[str, list[float]] = {m: [] for m in names}
    last: dict[str, list[float]] = {m: [] for m in names}
    for origin in origins:
        actual = window[origin : origin + tested]
        for name in names:
            try:
                model = fit_model(name, window[:origin], full[: len(before) + origin])
            except (DegenerateDataError, ValueError, np.linalg.LinAlgError):
                continue  # a model that cannot fit at this origin sits the back-test out
            error = actual - model.forecast(tested)
            absolute[name].append(float(np.abs(error).mean()))
            last[name].append(float(error[-1]))
    kept = [m for m in names if len(last[m]) == len(origins)]
    if not kept:
        return _Backtest()
    w = np.array([0.5 ** ((origins[-1] - o) / HALF_LIFE) for o in origins])
    return _Backtest(
        {m: float(np.average(absolute[m], weights=w)) for m in kept},
        {m: float(np.average(np.square(last[m]), weights=w)) for m in kept},
        tested,
        float(w.sum() ** 2 / (w**2).sum()),
    )


def _residuals(model: FittedModel, before: np.ndarray) -> np.ndarray:
    """The model's residuals, with an earlier regime's about its own line when the last
    regime is too short to say how much weeks vary."""
    residuals = model.residuals[1:] if len(model.residuals) > 2 else model.residuals
    if len(residuals) < TREND_MIN_WEEKS and len(before) >= 4:
        earlier = line_residuals(before)
        residuals = np.concatenate([earlier, residuals])
    return residuals - residuals.mean()


def _simulate(
    model: FittedModel,
    residuals: np.ndarray,
    horizon: int,
    count: int,
    rng: np.random.Generator,
    test: _Backtest,
    name: str,
) -> np.ndarray:
    """``count`` futures of ``model`` at ``horizon``, from a moving-block bootstrap of its
    residuals, their spread scaled to what the back-test saw.

    At the longest horizon the back-test checked, the simulations' mean squared spread is
    set to the back-test's, shrunk toward the simulations' own as if they were
    :data:`PRIOR_ORIGINS` origins more (a back-test of a few origins says little), and
    widened by Student's t; the same scale carries out to the renewal's horizon, and the
    spread there is at least the tested horizon's times the square root of the ratio of
    the horizons (a random walk's growth).
    """
    errors = _block_bootstrap(residuals, horizon, count, rng)
    paths = model.simulate(errors)
    point = model.forecast(horizon)
    spread = paths - point[:, None]
    own = float(np.mean(spread[test.tested - 1] ** 2)) if test.tested else 0.0
    if name in test.mse and own > 0:
        seen = (test.origins * test.mse[name] + PRIOR_ORIGINS * own) / (
            test.origins + PRIOR_ORIGINS
        )
        # the spread is estimated from few origins: widen it as Student's t would, with
        # the origins and 2 x PRIOR_ORIGINS degrees of freedom (the prior's weight was
        # set by the coverage test in tests/test_forecast.py, over 700 series)
        widen = stats.t.ppf(0.975, test.origins + 2 * PRIOR_ORIGINS) / stats.norm.ppf(0.975)
        spread *= np.sqrt(seen / own) * widen
        # beyond the horizons tested, errors grow at least as a random walk's would
        floor = float(np.sqrt(seen * horizon / test.tested))
        grown = float(np.sqrt(np.mean(spread[-1] ** 2)))
        if 0 < grown < floor:
            spread[-1] *= floor / grown
    return point[-1] + spread[-1]


def _block_bootstrap(
    residuals: np.ndarray, length: int, count: int, rng: np.random.Generator
) -> np.ndarray:
    """``count`` error paths of ``length`` weeks, each made of consecutive runs of
    :data:`BLOCK` residuals starting at random weeks (length x count)."""
    n = len(residuals)
    if n == 0:
        return np.zeros((length, count))
    block = min(BLOCK, n)
    blocks = -(-length // block)
    starts = rng.integers(0, n - block + 1, size=(count, blocks))
    index = (starts[:, :, None] + np.arange(block)).reshape(count, -1)[:, :length]
    return residuals[index].T


def _ratios(ratios: pd.Series | None, effective_now: int, active_last: float) -> np.ndarray:
    if ratios is not None:
        recent = pd.Series(ratios, dtype="float64").dropna().iloc[-RATIO_WEEKS:]
        recent = recent[np.isfinite(recent)]
        if len(recent):
            return recent.to_numpy()
    return np.array([effective_now / active_last if active_last > 0 else 0.0])


def _binomial_floor(central: float, cap: int | None) -> float:
    """1.96 binomial standard errors of ``central`` as a share of ``cap`` users, at least
    one user's worth of share either way."""
    if cap is None or cap <= 0:
        return 1.96 * float(np.sqrt(max(central, 1.0)))
    share = min(max(central / cap, 1 / cap), 1 - 1 / cap) if cap > 1 else 0.5
    return 1.96 * float(np.sqrt(cap * share * (1 - share)))
