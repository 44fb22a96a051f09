"""Johnson's relative weights against a published worked example, OLS and known cases.

The worked example is the ``rwa`` R package's (mtcars; see tests/fixtures/mtcars). R²
is checked against statsmodels' OLS on shapes hypothesis draws, and weights against
the closed form for uncorrelated predictors (each weight is the squared correlation).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.diagnosis.relative_weights import (
    bootstrap_relative_weights,
    relative_weights,
)
from adoption_lib.errors import DegenerateDataError

MTCARS = Path(__file__).parent / "fixtures" / "mtcars" / "mtcars.csv"


def test_the_published_mtcars_example_is_reproduced() -> None:
    cars = pd.read_csv(MTCARS)
    assert len(cars) == 32
    rw = relative_weights(cars[["cyl", "disp", "hp", "gear"]], cars["mpg"])
    # rwa's README: Raw.RelWeight and Rescaled.RelWeight, R² 0.7791896
    assert rw.r2 == pytest.approx(0.7791896, abs=5e-4)
    published = {"cyl": 0.2284797, "disp": 0.2221469, "hp": 0.2321744, "gear": 0.0963886}
    rescaled = {"cyl": 29.32274, "disp": 28.50999, "hp": 29.79691, "gear": 12.37037}
    for name, value in published.items():
        assert round(rw.weights[name], 3) == round(value, 3)
        assert round(rw.shares[name] * 100, 3) == round(rescaled[name], 3)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=12, max_value=80),
    p=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    mix=st.floats(min_value=0.0, max_value=0.95),
)
def test_weights_add_up_to_the_ols_r2_on_any_shape(n: int, p: int, seed: int, mix: float) -> None:
    rng = np.random.default_rng(seed)
    common = rng.standard_normal((n, 1))
    x = mix * common + (1 - mix) * rng.standard_normal((n, p))  # correlated predictors
    y = x @ rng.normal(size=p) + rng.standard_normal(n)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(p)])
    rw = relative_weights(frame, pd.Series(y))
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    assert rw.r2 == pytest.approx(ols.rsquared, abs=1e-8)
    assert rw.weights.sum() == pytest.approx(ols.rsquared, abs=1e-8)
    assert (rw.weights >= -1e-12).all()
    # a weight does not depend on the predictors' units
    rescaled = relative_weights(frame * 7.5 - 3, pd.Series(y) * 0.2 + 1)
    np.testing.assert_allclose(rescaled.weights, rw.weights, atol=1e-9)


def test_uncorrelated_predictors_weigh_their_squared_correlation() -> None:
    # exactly orthogonal, centred columns (a Hadamard design)
    h = np.array([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]], float)
    x = np.repeat(h[:, 1:], 3, axis=0)
    y = x @ np.array([2.0, 1.0, 0.0]) + np.tile([0.5, -0.5, 0.0], 4)
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    rw = relative_weights(frame, pd.Series(y))
    r = frame.corrwith(pd.Series(y))
    np.testing.assert_allclose(rw.weights, r**2, atol=1e-12)


def test_a_constant_predictor_is_refused() -> None:
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [3.0, 3, 3, 3]})
    with pytest.raises(DegenerateDataError, match="constant"):
        relative_weights(frame, pd.Series([1.0, 3, 2, 4]))
    with pytest.raises(DegenerateDataError, match="4 rows of predictors, 3 outcomes"):
        relative_weights(frame, pd.Series([1.0, 3, 2]))


def test_the_bootstrap_separates_a_driver_from_noise_and_repeats_itself() -> None:
    rng = np.random.default_rng(3)
    n = 150
    driver, bystander = rng.standard_normal(n), rng.standard_normal(n)
    y = 0.8 * driver + rng.standard_normal(n)
    frame = pd.DataFrame({"driver": driver, "bystander": bystander})
    table = bootstrap_relative_weights(frame, pd.Series(y), n_boot=800, seed=5)
    assert table.loc["driver", "beats_noise"] and not table.loc["bystander", "beats_noise"]
    assert table.loc["driver", "ci_low"] < table.loc["driver", "weight"]
    assert table.loc["driver", "weight"] < table.loc["driver", "ci_high"]
    assert table.attrs["r2"] == pytest.approx(table["weight"].sum())
    assert table.attrs["resamples_used"] == 800 and table.attrs["n"] == n
    again = bootstrap_relative_weights(frame, pd.Series(y), n_boot=800, seed=5)
    pd.testing.assert_frame_equal(table, again)


def test_a_resample_with_a_constant_column_is_left_out() -> None:
    # one case differs from the rest: many resamples miss it and make the column constant
    frame = pd.DataFrame({"rare": [1.0] + [0.0] * 9, "x": np.arange(10.0)})
    y = pd.Series(np.arange(10.0) + np.array([3.0] + [0.0] * 9))
    table = bootstrap_relative_weights(frame, y, n_boot=400, seed=1)
    assert 0 < table.attrs["resamples_used"] < 400
    assert table[["ci_low", "ci_high"]].notna().all().all()
