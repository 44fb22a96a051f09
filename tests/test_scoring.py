"""Scoring functions on hand-computed small cases, and properties over random data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.config.instrument import load_instrument
from adoption_lib.config.thresholds import KeyThresholds, Thresholds
from adoption_lib.survey.barriers import key_status
from adoption_lib.survey.items import (
    answer_shares,
    construct_scores,
    item_matrix,
    mean_ci,
    shares_by,
)
from adoption_lib.survey.motivation import (
    disattenuated_flags,
    motivation_types,
    type_mix,
)

PULSE = load_instrument(Path(__file__).parent / "fixtures" / "surveys" / "pulse.yml")


def _answers(rows: list[tuple[str, str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent", "item", "value", "na"]).astype(
        {"value": "float64", "na": "bool"}
    )


def test_reverse_keying_and_dont_know_in_the_item_matrix() -> None:
    answers = _answers(
        [("a", "q_trust", 4, False), ("a", "q_help", 1, False), ("a", "q_plan", None, True)]
    )
    items = item_matrix(answers, PULSE)
    assert items.loc["a", "q_trust"] == 4
    assert items.loc["a", "q_help"] == 5  # reverse-keyed on a 1..5 scale
    assert math.isnan(items.loc["a", "q_plan"])  # don't know is never scored


def test_minimum_answered_rule() -> None:
    # trust has two items: one answered is half, which is enough; none is not.
    answers = _answers(
        [
            ("a", "q_trust", 4, False),
            ("b", "q_help", 2, False),
            ("b", "q_trust", 5, False),
            ("c", "q_plan", None, True),
        ]
    )
    scores = construct_scores(item_matrix(answers, PULSE, pd.Index(["a", "b", "c"])), PULSE)
    assert scores.loc["a", "trust"] == 4.0
    assert scores.loc["b", "trust"] == (4 + 5) / 2  # q_help 2 reversed is 4
    assert math.isnan(scores.loc["c", "trust"]) and math.isnan(scores.loc["c", "plan"])
    strict = construct_scores(
        item_matrix(answers, PULSE, pd.Index(["a", "b"])), PULSE, min_share=1.0
    )
    assert math.isnan(strict.loc["a", "trust"]) and strict.loc["b", "trust"] == 4.5


def test_shares_judge_reverse_items_on_the_keyed_code() -> None:
    answers = _answers(
        [
            ("a", "q_help", 1, False),
            ("b", "q_help", 5, False),
            ("c", "q_help", 3, False),
            ("d", "q_plan", None, True),
        ]
    )
    classified = answer_shares(answers, PULSE)
    assert classified.set_index("respondent")["favourable"].to_dict() == {
        "a": True,
        "b": False,
        "c": False,
        "d": False,
    }
    shares = shares_by(classified, ["construct"]).loc["trust"]
    assert (shares["favourable_pct"], shares["unfavourable_pct"], shares["dont_know_pct"]) == (
        1 / 3,
        1 / 3,
        0.0,
    )
    plan = shares_by(classified, ["construct"]).loc["plan"]
    assert plan["dont_know_pct"] == 1.0 and math.isnan(plan["favourable_pct"])


def test_mean_ci_hand_computed() -> None:
    mean, _, high, n = mean_ci(pd.Series([2.0, 4.0, 6.0]))
    # sd = 2, se = 2/sqrt(3), t(0.975, 2) = 4.3027
    assert (mean, n) == (4.0, 3)
    assert high - mean == pytest.approx(4.302653 * 2 / math.sqrt(3), abs=1e-5)
    assert mean_ci(pd.Series([3.0]))[1] != mean_ci(pd.Series([3.0]))[1]  # NaN bound for one value


MID = {"commitment": 3.0, "compliance": 3.0, "wiifm": 3.0}


def _types(
    rows: dict[str, tuple[float, float, float]], alphas: dict | None = None
) -> dict[str, str]:
    scores = pd.DataFrame(rows, index=["commitment", "compliance", "wiifm"]).T
    return motivation_types(scores, MID, alphas or {}, 0.25).to_dict()


def test_motivation_type_rules_in_order() -> None:
    types = _types(
        {
            "low": (2.9, 2.0, 1.0),  # all below the midpoint
            "at_mid": (3.0, 2.0, 1.0),  # 3.0 is not below 3.0: highest wins
            "commit": (4.5, 3.0, 2.0),
            "comply": (2.0, 4.0, 3.5),
            "mixed": (4.0, 3.8, 2.0),  # top two 0.2 apart < 0.25
            "edge": (4.0, 3.75, 2.0),  # exactly 0.25 apart is not mixed
            "missing": (4.0, float("nan"), 2.0),
        }
    )
    assert types == {
        "low": "low",
        "at_mid": "commitment",
        "commit": "commitment",
        "comply": "compliance",
        "mixed": "mixed",
        "edge": "commitment",
        "missing": "unclassified",
    }


def test_a_type_needs_an_even_chance_of_leading_by_the_margin() -> None:
    scores = pd.DataFrame(
        {"commitment": [1.0, 3.0, 5.0], "compliance": [1.0, 3.0, 5.0], "wiifm": [1.0, 1.0, 1.0]}
    )
    # SD 2 each, alphas .8 and .7: SEMs 0.894 and 1.095, the difference's SE 1.414;
    # wiifm has no spread (SD 0), so its SEM is 0 and it never leads these people
    alphas = {"commitment": 0.8, "compliance": 0.7, "wiifm": 0.9}
    one = pd.DataFrame({"commitment": [4.5, 1, 5], "compliance": [3.2, 1, 5], "wiifm": [1.0, 1, 1]})
    one = pd.concat([one, scores]).reset_index(drop=True)
    typed = motivation_types(one, MID, alphas, 0.25)
    # 1.3 ahead with SE 1.414: P(lead >= 0.25) = Phi((1.3 - 0.25) / 1.414) = .77
    assert typed.iloc[0] == "commitment"
    # 0.3 ahead: P = Phi(0.05 / 1.414) = .51, just an even chance
    close = pd.DataFrame({"commitment": [4.0], "compliance": [3.7], "wiifm": [1.0]})
    assert motivation_types(pd.concat([close, scores]), MID, alphas, 0.25).iloc[0] == "commitment"
    assert (
        motivation_types(pd.concat([close, scores]), MID, alphas, 0.25, min_probability=0.6).iloc[0]
        == "mixed"
    )


def test_a_margin_of_exactly_zero_types_the_leader() -> None:
    # perfectly reliable scales: no measurement error, so any lead of the margin counts
    scores = pd.DataFrame(
        {"commitment": [4.3, 1.0, 5.0], "compliance": [4.0, 1.0, 5.0], "wiifm": [1.0, 1.0, 1.0]}
    )
    alphas = {"commitment": 1.0, "compliance": 1.0, "wiifm": 1.0}
    assert list(motivation_types(scores, MID, alphas, 0.25)) == ["commitment", "low", "mixed"]
    # a lead under the margin is no lead; with no margin, any lead is one
    assert motivation_types(scores, MID, alphas, 0.25, lead=0.5).iloc[0] == "mixed"
    assert motivation_types(scores, MID, alphas, 0.25, lead=0.0).iloc[0] == "commitment"


def test_type_mix_shares_sum_to_one() -> None:
    types = pd.Series(["low", "mixed", "mixed", "commitment"], index=list("abcd"))
    mix = type_mix(types, pd.Series(["x", "x", "y", "y"], index=list("abcd")))
    assert mix.loc["x", "low"] == 0.5 and mix.loc["y", "commitment"] == 0.5
    assert mix.loc["x", "n"] == 2 and mix.drop(columns="n").sum(axis=1).tolist() == [1.0, 1.0]


def test_disattenuated_correlation_flag() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=500)
    scores = pd.DataFrame(
        {
            "commitment": base + rng.normal(0, 0.3, 500),
            "compliance": base + rng.normal(0, 0.3, 500),
            "wiifm": rng.normal(size=500),
        }
    )
    flags = disattenuated_flags(scores, {"commitment": 0.9, "compliance": 0.9, "wiifm": 0.9})
    assert [f["scales"] for f in flags] == [["commitment", "compliance"]]
    assert flags[0]["r_disattenuated"] > flags[0]["r"]


@pytest.mark.parametrize(
    ("share", "status"),
    [(0.4999, "red"), (0.5, "amber"), (0.6999, "amber"), (0.7, "green"), (float("nan"), "unknown")],
)
def test_key_status_boundaries_on_the_favourable_basis(share: float, status: str) -> None:
    earlier = Thresholds(key_red_below=0.5, key_green_from=0.7)  # the flat keys of old files
    assert earlier.keys == KeyThresholds(basis="favourable", red_below=50, green_from=70)
    assert key_status(share, earlier) == status


@pytest.mark.parametrize(
    ("net", "status"),
    [(-0.01, "red"), (0.0, "amber"), (0.2999, "amber"), (0.3, "green"), (-1.0, "red")],
)
def test_key_status_boundaries_on_the_net_basis(net: float, status: str) -> None:
    assert Thresholds().keys.basis == "net"
    assert key_status(net, Thresholds()) == status


def test_key_lines_are_checked() -> None:
    with pytest.raises(ValueError, match="must not exceed green_from"):
        KeyThresholds(red_below=40, green_from=30)
    with pytest.raises(ValueError, match="runs from 0 to 100"):
        KeyThresholds(basis="favourable", red_below=-5, green_from=30)
    with pytest.raises(ValueError, match="not both"):
        Thresholds(keys=KeyThresholds(), key_red_below=0.5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["q_trust", "q_help", "q_plan", "q_seven", "q_freq"]),
            st.integers(0, 7),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_scores_stay_within_the_scale(rows: list[tuple[str, int, bool]]) -> None:
    answers = []
    for n, (item, raw, na) in enumerate(rows):
        scale = PULSE.scale_of(item)
        code = scale.values[raw % len(scale.values)]
        answers.append(
            (
                f"r{n % 5}",
                item,
                None if na and scale.na_labels else code,
                bool(na and scale.na_labels),
            )
        )
    frame = _answers(answers).drop_duplicates(["respondent", "item"])
    scores = construct_scores(item_matrix(frame, PULSE), PULSE)
    for construct in PULSE.constructs:
        scale = PULSE.scale_of(PULSE.items_of(construct.id)[0].id)
        values = scores[construct.id].dropna()
        assert ((values >= scale.values[0]) & (values <= scale.values[-1])).all()
