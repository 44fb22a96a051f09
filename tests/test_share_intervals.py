"""Intervals of favourable, unfavourable and net shares, clustered by respondent, and certainty.

The interval's standard error is checked against statsmodels' cluster-robust OLS of the
answer-level indicator on a constant (the same estimator, computed independently), on
shapes hypothesis draws: respondents answering different numbers of items, don't-knows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from adoption_lib.config.thresholds import KeyThresholds, Thresholds
from adoption_lib.survey.barriers import barrier_table, certainty, key_scorecard
from adoption_lib.survey.items import share_intervals


def _answers(seed: int, people: int, most: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(people):
        lean = rng.uniform(0.1, 0.9)  # one person's answers move together
        for _ in range(int(rng.integers(1, most + 1))):
            dont_know = rng.random() < 0.1
            bad = not dont_know and rng.random() < lean
            good = not dont_know and not bad and rng.random() < 0.5
            rows.append((f"r{person}", "roles", bad, good, dont_know))
    columns = ["respondent", "construct", "unfavourable", "favourable", "dont_know"]
    return pd.DataFrame(rows, columns=columns)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), people=st.integers(3, 40), most=st.integers(1, 8))
def test_the_interval_is_the_cluster_robust_one(seed: int, people: int, most: int) -> None:
    answers = _answers(seed, people, most)
    substantive = answers[~answers["dont_know"]]
    if substantive["respondent"].nunique() < 2:
        return
    found = share_intervals(answers, ["construct"]).loc["roles"]
    z = stats.norm.ppf(0.975)
    net = substantive["favourable"].astype(float) - substantive["unfavourable"].astype(float)
    for kind in ("unfavourable", "favourable", "net"):
        y = (net if kind == "net" else substantive[kind].astype(float)).to_numpy()
        fit = sm.OLS(y, np.ones_like(y)).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(substantive["respondent"])[0]}
        )
        mean, se = fit.params[0], fit.bse[0]
        floor = -1.0 if kind == "net" else 0.0
        assert found[f"{kind}_low"] == pytest.approx(max(mean - z * se, floor), abs=1e-9)
        assert found[f"{kind}_high"] == pytest.approx(min(mean + z * se, 1.0), abs=1e-9)


def test_one_respondent_has_no_interval() -> None:
    answers = _answers(1, 1, 6)
    found = share_intervals(answers, ["construct"])
    assert found.isna().all().all()


def test_a_status_near_its_cut_off_is_borderline() -> None:
    table = pd.DataFrame(
        {
            "construct": ["a", "b", "c", "d"],
            "unfavourable_pct": [0.41, 0.62, 0.38, None],
            "unfavourable_low": [0.37, 0.58, 0.30, None],
            "unfavourable_high": [0.45, 0.66, 0.399, None],
        }
    )
    flagged = barrier_table(table, Thresholds())
    assert list(flagged["flagged"]) == [True, True, False, False]
    assert list(flagged["certainty"]) == ["borderline", "clear", "clear", None]
    table = pd.DataFrame(
        {
            "construct": ["k1", "k2", "k3"],
            "favourable_pct": [0.55, 0.72, 0.30],
            "favourable_low": [0.45, 0.69, 0.25],
            "favourable_high": [0.65, 0.75, 0.35],
            "net_pct": [0.25, 0.52, -0.05],
            "net_low": [0.12, 0.45, -0.15],
            "net_high": [0.38, 0.60, 0.03],
        }
    )
    earlier = Thresholds(keys=KeyThresholds(basis="favourable", red_below=50, green_from=70))
    keys = key_scorecard(table, earlier)
    assert list(keys["status"]) == ["amber", "green", "red"]
    assert list(keys["certainty"]) == ["borderline", "borderline", "clear"]
    # the default judges the net share: red below 0, green from +30 points
    keys = key_scorecard(table, Thresholds())
    assert list(keys["status"]) == ["amber", "green", "red"]
    assert list(keys["certainty"]) == ["borderline", "clear", "borderline"]
    assert list(keys["status_low"]) == [0.12, 0.45, -0.15]
    # a cut-off exactly on a bound counts as reached
    assert list(certainty(pd.Series([0.40]), pd.Series([0.5]), [0.40])) == ["borderline"]


def test_a_status_that_moved_is_a_change_only_when_significant() -> None:
    from adoption_lib.remeasure.compare import status_changes

    table = pd.DataFrame(
        {
            "status_before": ["flagged", "flagged", "red", None, "amber"],
            "status_after": ["not flagged", "not flagged", "red", "green", "green"],
            "significant": [True, False, False, False, None],
        }
    )
    found = status_changes(table)["status_change"]
    assert list(found) == ["changed", "within noise", "", "", "within noise"]
    assert list(status_changes(pd.DataFrame({"significant": [True]}))["status_change"]) == [""]


def test_the_demo_reports_each_flag_with_its_interval_and_certainty(demo_dir) -> None:
    from adoption_lib.config.engagement import load_engagement
    from adoption_lib.pipeline import run

    summary = run(load_engagement(demo_dir)).summary
    flag = 0.40
    for barrier in summary["barriers"]:
        low, high = barrier["ci95"]
        assert low < barrier["unfavourable_pct"] < high
        assert barrier["certainty"] == ("borderline" if low <= flag <= high else "clear")
    borderline = {b["id"] for b in summary["barriers"] if b["certainty"] == "borderline"}
    assert borderline and all(b["flagged"] for b in summary["barriers"] if b["id"] in borderline)
    for key in summary["keys"]:
        low, high = key["ci95"]  # on the net basis, the demo's default
        assert key["basis"] == "net" and low < key["net_pct"] < high
        near = low <= 0.0 <= high or low <= 0.30 <= high
        assert key["certainty"] == ("borderline" if near else "clear")
        shares = key["favourable_pct"] + key["neutral_pct"] + key["unfavourable_pct"]
        assert shares == pytest.approx(1.0, abs=3e-4)  # each rounded to 4 decimals
