"""The weekly-active forecasting models the renewal forecast chooses among.

Each model is fitted on one window of weekly active users (oldest first) and gives a
point forecast for horizons 1..h and simulated paths whose errors the caller supplies
(the block bootstrap of :mod:`adoption_lib.diagnosis.forecast`):

``flat``
    Simple exponential smoothing: the level carries on (statsmodels, ETS(A,N,N)).
``trend``
    Holt's additive trend (ETS(A,A,N)): today's slope carries on.
``damped``
    Holt's additive trend, damped (ETS(A,Ad,N)): today's slope, fading, so that a
    decline decays toward a floor (and growth toward a ceiling).
``seasonal``
    With at least a year of weeks before the window's end: the ``flat`` level plus
    the change the series made over the same weeks a year earlier. statsmodels'
    Holt-Winters needs two whole cycles (104 weeks) to start its seasonal states, and
    renewal forecasts usually have one year at most, so this one is written here.

:func:`last_regime` finds where the series' last regime begins (a ramp after go-live
that flattened, a step from a new cohort), so that no model trends through a break.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from adoption_lib.errors import DegenerateDataError

#: weeks in a seasonal cycle
SEASON = 52
#: the models a window of this many weeks can fit (fewer: ``flat`` alone)
TREND_MIN_WEEKS = 8
#: a step: the two lines part by at least this share of the level (and 3 residual SDs)
MIN_STEP = 0.08
#: a ramp: a rise of at least this share of the level before the break, then a third
#: of the slope or less
MIN_RAMP = 0.2
MODELS = ("flat", "trend", "damped", "seasonal")


@dataclass
class FittedModel:
    """One model fitted on a window: its forecasts, residuals and simulator."""

    name: str
    #: one-step in-sample residuals (observed minus fitted)
    residuals: np.ndarray
    #: the fitted level at the window's end
    level: float
    _fit: object
    #: the seasonal shift for horizons 1..SEASON (``seasonal`` only)
    _shift: np.ndarray | None = None

    def forecast(self, horizon: int) -> np.ndarray:
        """Point forecasts for horizons 1..``horizon``."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels' criteria on a constant window
            out = np.asarray(self._fit.forecast(horizon), dtype=float)
        return out + self._shifts(horizon)

    def simulate(self, errors: np.ndarray) -> np.ndarray:
        """Paths driven by ``errors`` (horizon x repetitions): the values at each horizon."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            paths = self._fit.simulate(
                errors.shape[0], anchor="end", repetitions=errors.shape[1],
                random_errors=errors,
            )  # fmt: skip
        paths = np.asarray(paths, dtype=float).reshape(errors.shape)
        return paths + self._shifts(errors.shape[0])[:, None]

    def _shifts(self, horizon: int) -> np.ndarray:
        if self._shift is None:
            return np.zeros(horizon)
        return self._shift[np.minimum(np.arange(horizon), len(self._shift) - 1)]


def fit_model(name: str, window: np.ndarray, history: np.ndarray | None = None) -> FittedModel:
    """Fit one of :data:`MODELS` on ``window`` (weekly actives, oldest first).

    Parameters
    ----------
    name
        One of :data:`MODELS`.
    window
        The weeks the model learns from (the last regime).
    history
        Every week up to the window's end (``seasonal`` reads the year before).

    Returns
    -------
    FittedModel
        Fitted, with its residuals.

    Raises
    ------
    DegenerateDataError
        For an unknown model, or ``seasonal`` without a year of history.
    """
    y = np.asarray(window, dtype=float)
    shift = None
    if name in ("flat", "seasonal"):
        kwargs: dict[str, object] = {"trend": None}
        if name == "seasonal":
            shift = seasonal_shift(np.asarray(history if history is not None else y, dtype=float))
    elif name == "trend":
        kwargs = {"trend": "add"}
    elif name == "damped":
        kwargs = {"trend": "add", "damped_trend": True}
    else:
        raise DegenerateDataError(
            f"unknown forecasting model {name!r}; choose from {', '.join(MODELS)}"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short windows
        fit = ExponentialSmoothing(y, initialization_method="estimated", **kwargs).fit()
    residuals = y - np.asarray(fit.fittedvalues, dtype=float)
    return FittedModel(name, residuals, float(fit.level[-1]), fit, shift)


def seasonal_shift(history: np.ndarray) -> np.ndarray:
    """How the series moved over the next 1..52 weeks a year ago, from its level then.

    The level a year ago is the mean of the 4 weeks ending 52 weeks before the last
    week; the shift at horizon *h* is the mean of the 3 weeks centred on the week *h*
    after it, minus that level.

    Raises
    ------
    DegenerateDataError
        With fewer than 56 weeks (a year and the 4 weeks of the level a year ago).
    """
    y = np.asarray(history, dtype=float)
    n = len(y)
    if n < SEASON + 4:
        raise DegenerateDataError(f"seasonal needs {SEASON + 4} weeks of history; there are {n}")
    anchor = n - 1 - SEASON
    level = y[anchor - 3 : anchor + 1].mean()
    shifts = []
    for h in range(1, SEASON + 1):
        at = anchor + h
        shifts.append(y[max(at - 1, 0) : min(at + 2, n)].mean() - level)
    return np.asarray(shifts)


def models_for(window_weeks: int, history_weeks: int) -> list[str]:
    """The models a window (and the history behind it) is long enough to fit."""
    names = ["flat"]
    if window_weeks >= TREND_MIN_WEEKS:
        names += ["trend", "damped"]
    if history_weeks >= SEASON + 4 and window_weeks >= TREND_MIN_WEEKS:
        names.append("seasonal")
    return names


def last_regime(y: np.ndarray, *, min_segment: int = 4) -> int:
    """Where the series' last regime begins: the index after its latest break, or 0.

    A break is a step (a new cohort: the lines either side part by at least
    :data:`MIN_STEP` of the level and 3 residual SDs) or the end of a ramp (a rise of at
    least :data:`MIN_RAMP` of the level, then a third of its slope or less), where two
    lines fit the series better than one by more than the Bayesian information criterion
    allows, the sample size discounted for the residuals' lag-1 autocorrelation. A
    curve (a season, a decay, an accelerating decline) is left to the models. The
    search repeats on what follows each break.

    Parameters
    ----------
    y
        Weekly active users, oldest first.
    min_segment
        The fewest weeks on either side of a break.

    Returns
    -------
    int
        The first week of the last regime.
    """
    values = np.asarray(y, dtype=float)
    start = 0
    while len(values) - start >= 2 * min_segment:
        split = _best_split(values[start:], min_segment)
        if split is None:
            break
        start += split
    return start


def _sse_line(y: np.ndarray) -> float:
    return float((line_residuals(y) ** 2).sum())


def _best_split(y: np.ndarray, m: int) -> int | None:
    n = len(y)
    one = _sse_line(y)
    if one <= 1e-9:  # one line fits exactly: nothing to split
        return None
    best, where = np.inf, None
    for k in range(m, n - m + 1):
        sse = _sse_line(y[:k]) + _sse_line(y[k:])
        if sse < best:
            best, where = sse, k
    if where is None:
        return None
    t = np.arange(n, dtype=float)
    left, right = np.polyfit(t[:where], y[:where], 1), np.polyfit(t[where:], y[where:], 1)
    resid = np.concatenate(
        [y[:where] - np.polyval(left, t[:where]), y[where:] - np.polyval(right, t[where:])]
    )
    rho = np.corrcoef(resid[:-1], resid[1:])[0, 1] if resid.std() > 0 else 0.0
    rho = float(np.clip(rho, 0.0, 0.9)) if np.isfinite(rho) else 0.0
    n_eff = max(n * (1 - rho) / (1 + rho), 3.0)
    # one line has 3 parameters (intercept, slope, variance); two have 6 and the place
    significant = best <= 0 or n_eff * np.log(one / max(best, 1e-12)) > 4 * np.log(n_eff)
    level = max(abs(float(np.mean(y))), 1.0)
    middle = where - 0.5
    jump = abs(np.polyval(right, middle) - np.polyval(left, middle))
    sigma = float(np.sqrt(best / max(n - 4, 1)))
    step = jump >= max(3 * sigma, MIN_STEP * level)
    ramp = left[0] > 0 and left[0] * where >= MIN_RAMP * level and right[0] < left[0] / 3
    return where if significant and (step or ramp) else None


def line_residuals(y: np.ndarray) -> np.ndarray:
    """The series about its least-squares line."""
    t = np.arange(len(y), dtype=float)
    return y - np.polyval(np.polyfit(t, y, 1), t)
