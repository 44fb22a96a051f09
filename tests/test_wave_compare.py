"""Comparing two waves: planted changes found with the right sign, nulls not, privacy kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adoption_lib.config.thresholds import KeyThresholds
from adoption_lib.privacy.suppression import ALL
from adoption_lib.remeasure.compare import WaveSample, compare_waves

K = 5
FAMILIES = {"commitment": "motivation", "process_fit": "barrier", "key5_supervisor": "key"}


def _sample(
    name: str,
    seed: int,
    groups: dict[str, int],
    shift: dict[str, float],
    *,
    identities: list[str] | None = None,
    latent: np.ndarray | None = None,
    released: dict[str, set[str]] | None = None,
    active: dict[str, float] | None = None,
) -> WaveSample:
    """Respondents per department; ``shift`` moves every score of a department."""
    rng = np.random.default_rng(seed)
    departments = [d for d, n in groups.items() for _ in range(n)]
    index = pd.Index([f"{name}-r{i}" for i in range(len(departments))], name="respondent")
    respondents = pd.DataFrame({"department": departments}, index=index)
    if identities is not None:
        respondents["identity"] = identities
    base = latent if latent is not None else rng.normal(3.0, 0.8, len(index))
    move = np.array([shift.get(d, 0.0) for d in departments])
    noise = rng.normal(0, 0.3 if latent is not None else 0.0, len(index))
    scores = pd.DataFrame(
        {c: np.clip(base + move + noise + rng.normal(0, 0.2, len(index)), 1, 5) for c in FAMILIES},
        index=index,
    )
    answers = []
    for respondent, row in scores.iterrows():
        for construct, value in row.items():
            for _item in range(3):  # three items per construct around the score
                v = round(float(np.clip(value + rng.normal(0, 0.5), 1, 5)))
                answers.append((respondent, construct, v >= 4, v <= 2, False))
    answers = pd.DataFrame(
        answers, columns=["respondent", "construct", "favourable", "unfavourable", "dont_know"]
    )
    types = pd.Series(np.where(scores["commitment"] > 3.2, "commitment", "low"), index=index)
    users = None
    if active is not None:
        people = [d for d, n in groups.items() for _ in range(2 * n)]
        users = pd.DataFrame(
            {
                "department": people,
                "recent": [rng.random() < active.get(d, 0.6) for d in people],
                "effective": [rng.random() < 0.4 for _ in people],
                "per_week": rng.normal(2, 0.5, len(people)),
            },
            index=[f"{name}-u{i}" for i in range(len(people))],
        )
    return WaveSample(
        name=name,
        k=K,
        respondents=respondents,
        scores=scores,
        answers=answers,
        types=types,
        users=users,
        released=released if released is not None else {"department": set(groups)},
        families=FAMILIES,
        # the earlier basis, so the Key's share here is its favourable share
        thresholds={
            "flag": 0.4,
            "keys": KeyThresholds(basis="favourable", red_below=50, green_from=70),
        },
        linked=identities is not None,
    )


def _row(table: pd.DataFrame, group: str, measure: str) -> pd.Series:
    hit = table[(table["group"] == group) & (table["measure"] == measure)]
    assert len(hit) == 1, (group, measure)
    return hit.iloc[0]


GROUPS = {"Sales": 60, "Service": 60, "Ops": 60}


def test_a_planted_change_is_found_with_its_sign_and_the_control_is_not() -> None:
    before = _sample("b", 1, GROUPS, {}, active={})
    after = _sample("a", 2, GROUPS, {"Service": 0.9, "Sales": -0.7}, active={"Service": 0.9})
    table = compare_waves(before, after)
    up = _row(table, "Service", "key5_supervisor (mean)")
    assert up["change"] > 0.6 and up["effect_size"] > 0.8 and up["significant"]
    assert up["ci_low"] < up["effect_size"] < up["ci_high"] and up["test"] == "Welch t"
    down = _row(table, "Sales", "commitment (mean)")
    assert down["change"] < -0.4 and down["effect_size"] < 0 and down["significant"]
    barrier = _row(table, "Service", "process_fit (unfavourable share)")
    assert barrier["change"] < 0 and barrier["ci_low"] < barrier["change"] < barrier["ci_high"]
    assert barrier["status_before"] in ("flagged", "not flagged")
    key = _row(table, "Service", "key5_supervisor (favourable share)")
    assert key["change"] > 0.15 and key["status_after"] in ("red", "amber", "green")
    active = _row(table, "Service", "active_30d (share of licensed users)")
    assert active["change"] > 0.15 and active["significant"] and active["test"] == "two proportions"
    control = table[table["group"] == "Ops"]
    assert len(control) > 10 and not control["significant"].any()
    # q-values are Benjamini-Hochberg within each dimension's tests
    from scipy.stats import false_discovery_control

    tested = table[table["p"].notna()]
    for _, rows in tested.groupby("dimension"):
        assert np.allclose(rows["q"], false_discovery_control(rows["p"], method="bh"))
    assert (tested["q"] >= tested["p"] - 1e-12).all()
    assert set(table["dimension"]) == {"organisation", "department"}
    assert (table.loc[table["dimension"] == "organisation", "group"] == ALL).all()


def test_linked_respondents_are_paired() -> None:
    rng = np.random.default_rng(7)
    latent = rng.normal(3.0, 0.9, 150)
    ids = [f"person{i}" for i in range(150)]
    groups = {"Sales": 150}
    before = _sample("b", 3, groups, {}, identities=ids, latent=latent)
    after = _sample("a", 4, groups, {"Sales": 0.15}, identities=ids, latent=latent)
    paired = _row(compare_waves(before, after), ALL, "commitment (mean)")
    assert paired["test"] == "paired t" and paired["n_pairs"] == 150
    before.linked = after.linked = False
    welch = _row(compare_waves(before, after), ALL, "commitment (mean)")
    assert welch["test"] == "Welch t" and welch["n_pairs"] == 0
    assert paired["p"] < welch["p"]  # the same people: the paired test sees the shift better
    assert paired["significant"] and paired["change"] > 0


def test_groups_and_shares_withheld_in_either_wave_are_withheld_in_both() -> None:
    before = _sample("b", 5, GROUPS, {}, released={"department": {"Sales", "Service"}})
    after = _sample("a", 6, GROUPS, {})
    table = compare_waves(before, after)
    assert set(table["group"]) == {ALL, "Sales", "Service"}  # Ops withheld at baseline
    # a type held by 1..k-1 people in a wave: no figure, no test, outside the BH family
    after.types.iloc[:] = "low"
    after.types.iloc[:3] = "commitment"
    table = compare_waves(before, after)
    row = _row(table, ALL, "commitment (share of respondents)")
    assert np.isnan(row["before"]) and np.isnan(row["p"]) and np.isnan(row["q"])
    assert not row["significant"]


def test_proportions_use_newcombe_and_the_score_test() -> None:
    from adoption_lib.remeasure.change_tests import proportion_change

    row = proportion_change(20, 100, 30, 100, 5)
    assert row["effect_size"] == pytest.approx(0.10)
    assert row["ci_low"] == pytest.approx(-0.0203, abs=1e-3)  # statsmodels' Newcombe
    assert row["ci_high"] == pytest.approx(0.2167, abs=1e-3)
    assert row["p"] == pytest.approx(0.1033, abs=1e-3)


def _usage_waves(
    correlation: float, recurring: float, seed: int = 3
) -> tuple[WaveSample, WaveSample]:
    """200 licensed users a wave, active days correlated ``correlation`` for those in
    both waves (a ``recurring`` share), and a rise of 0.2 days a week."""
    rng = np.random.default_rng(seed)
    n = 200
    ids = [f"p{i}" for i in range(n)]
    first = rng.normal(2.0, 0.8, n)
    second = 2.2 + correlation * (first - 2.0) + rng.normal(0, 0.8 * np.sqrt(1 - correlation**2), n)
    kept = int(recurring * n)
    later = ids[:kept] + [f"new{i}" for i in range(n - kept)]
    before, after = _sample("b", 1, {"Sales": 50}, {}), _sample("a", 2, {"Sales": 50}, {})
    for sample, names, days in ((before, ids, first), (after, later, second)):
        sample.users = pd.DataFrame(
            {"department": "Sales", "recent": True, "effective": False, "per_week": days},
            index=names,
        )
    return before, after


def test_usage_of_the_same_people_is_paired_and_of_changed_groups_welch() -> None:
    from scipy import stats

    before, after = _usage_waves(0.85, 1.0)
    paired = _row(compare_waves(before, after), ALL, "active days per week (mean)")
    x, y = before.users["per_week"], after.users["per_week"]
    assert paired["test"] == "paired t" and paired["n_pairs"] == 200
    assert paired["p"] == pytest.approx(stats.ttest_rel(y, x).pvalue, rel=1e-9)
    welch = stats.ttest_ind(y, x, equal_var=False).pvalue
    # correlation .85: the paired test's standard error is sqrt(1 - .85) = 0.39 of Welch's
    assert paired["p"] < welch / 1000
    # a third of the group is new: the members changed, Welch compares the waves
    before, after = _usage_waves(0.85, 0.66)
    changed = _row(compare_waves(before, after), ALL, "active days per week (mean)")
    assert changed["test"] == "Welch t" and changed["n_pairs"] == 0
    x, y = before.users["per_week"], after.users["per_week"]
    assert changed["p"] == pytest.approx(stats.ttest_ind(y, x, equal_var=False).pvalue, rel=1e-9)


def test_uncorrelated_usage_gains_nothing_from_pairing() -> None:
    from scipy import stats

    before, after = _usage_waves(0.0, 1.0, seed=8)
    paired = _row(compare_waves(before, after), ALL, "active days per week (mean)")
    x, y = before.users["per_week"], after.users["per_week"]
    welch = stats.ttest_ind(y, x, equal_var=False).pvalue
    assert paired["test"] == "paired t"
    # no correlation: both tests see the same noise, so their p-values are close
    assert 0.2 < np.log(paired["p"]) / np.log(welch) < 5
