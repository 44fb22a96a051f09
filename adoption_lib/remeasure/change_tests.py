"""The tests of change between two waves: means, answer shares and proportions.

Each function returns one row of :func:`adoption_lib.remeasure.compare.compare_waves`'s
table: both waves' figures, the change (after minus before), its effect size with a
95% interval, the test and its p-value. Means and respondents' shares use Welch's t
(or a paired t on linked people) with Cohen's d (pingouin); proportions use Newcombe's
interval and the score test (statsmodels). A figure about 1..k-1 people is not tested.
:func:`with_q_values` then gives a table its Benjamini-Hochberg q-values, within each
dimension's family of tests, and each row's direction (better, worse, or neither).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from scipy.stats import false_discovery_control
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from adoption_lib.privacy.suppression import enough, withhold_small_shares


@dataclass
class TTest:
    """One t-test of after against before: Welch's, or paired on linked people."""

    kind: str  # "Welch t" or "paired t"
    result: Any  # scipy's TtestResult (p-value, confidence_interval())
    d: float
    d_low: float
    d_high: float
    #: the mean difference the test's interval is centred on
    centre: float
    n_pairs: int = 0


def t_test(
    x: pd.Series, y: pd.Series, k: int, pairs: tuple[pd.Series, pd.Series] | None
) -> TTest | None:
    """Paired on the linked people when there are k of them, else Welch; None when too few."""

    x, y = x.astype(float), y.astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a constant sample: no test
        if pairs is not None:
            both = pd.DataFrame(
                {"x": x.reindex(pairs[0]).to_numpy(), "y": y.reindex(pairs[1]).to_numpy()}
            ).dropna()
            if enough(len(both), k):
                d = float(pg.compute_effsize(both["y"], both["x"], paired=True, eftype="cohen"))
                low, high = pg.compute_esci(
                    stat=d, nx=len(both), ny=len(both), paired=True, eftype="cohen", decimals=6
                )
                result = stats.ttest_rel(both["y"], both["x"])
                centre = float((both["y"] - both["x"]).mean())
                return TTest("paired t", result, d, low, high, centre, len(both))
        x, y = x.dropna(), y.dropna()
        if min(len(x), len(y)) < max(k, 2):
            return None
        d = float(pg.compute_effsize(y, x, paired=False, eftype="cohen"))
        low, high = (
            pg.compute_esci(stat=d, nx=len(y), ny=len(x), eftype="cohen", decimals=6)
            if np.isfinite(d)
            else (np.nan, np.nan)
        )
        result = stats.ttest_ind(y, x, equal_var=False)
    return TTest("Welch t", result, d, low, high, float(y.mean() - x.mean()))


def mean_change(
    x: pd.Series, y: pd.Series, k: int, pairs: tuple[pd.Series, pd.Series] | None
) -> dict[str, Any]:
    """Welch (or paired) t-test and Cohen's d with its 95% interval, after minus before."""
    test = t_test(x, y, k, pairs)
    if test is None:
        return change_row(np.nan, np.nan, x.count(), y.count(), "cohen_d", np.nan, np.nan, np.nan, "",
                    np.nan)  # fmt: skip
    return change_row(x.mean(), y.mean(), x.count(), y.count(), "cohen_d", test.d, test.d_low,
                test.d_high, test.kind, float(test.result.pvalue), n_pairs=test.n_pairs)  # fmt: skip


def share_change(
    a: pd.DataFrame,
    b: pd.DataFrame,
    construct: str,
    share: str,
    k: int,
    pairs: tuple[pd.Series, pd.Series] | None,
) -> dict[str, Any]:
    """Pooled shares, tested on each respondent's own share (Welch, or paired).

    ``share`` is ``favourable``, ``unfavourable`` or ``net`` (each answer +1 if
    favourable, -1 if unfavourable, 0 if neutral: the net share, -1 to 1).
    """

    def per_person(answers: pd.DataFrame) -> tuple[float, pd.Series]:
        mine = answers[(answers["construct"] == construct) & ~answers["dont_know"]]
        if share == "net":
            value = mine["favourable"].astype(int) - mine["unfavourable"].astype(int)
        else:
            value = mine[share]
        pooled = float(value.mean()) if len(mine) else np.nan
        return pooled, value.groupby(mine["respondent"]).mean()

    before, x = per_person(a)
    after, y = per_person(b)
    test = t_test(x, y, k, pairs)
    p = float(test.result.pvalue) if test is not None else np.nan
    if not np.isfinite(p):
        return change_row(np.nan, np.nan, len(x), len(y), "difference", np.nan, np.nan, np.nan, "",
                    np.nan)  # fmt: skip
    # the interval of the change from the same test, moved onto the pooled change
    low, high = test.result.confidence_interval()
    change = after - before
    return change_row(before, after, len(x), len(y), "difference", change,
                change + (low - test.centre), change + (high - test.centre), test.kind, p,
                n_pairs=test.n_pairs)  # fmt: skip


def proportion_change(c1: int, n1: int, c2: int, n2: int, k: int) -> dict[str, Any]:
    """Difference in proportions (after minus before): Newcombe's interval, score test."""

    # the cube's rule, for both waves at once: no share of 1..k-1 people, nor of all but them
    shares = withhold_small_shares(pd.DataFrame({"c": [c1, c2]}), k, pd.Series([n1, n2]))
    if shares["c"].isna().any() or not enough(min(n1, n2), k):
        return change_row(np.nan, np.nan, n1, n2, "difference", np.nan, np.nan, np.nan, "", np.nan)
    p1, p2 = c1 / n1, c2 / n2
    low, high = confint_proportions_2indep(c2, n2, c1, n1, method="newcomb", compare="diff")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0 or 100% in both waves
        p = test_proportions_2indep(c2, n2, c1, n1, method="score").pvalue
    p = float(p) if np.isfinite(p) else (1.0 if p1 == p2 else np.nan)
    return change_row(p1, p2, n1, n2, "difference", p2 - p1, low, high, "two proportions", p)


def change_row(
    before: float,
    after: float,
    n_before: int,
    n_after: int,
    effect: str,
    size: float,
    low: float,
    high: float,
    test: str,
    p: float,
    n_pairs: int = 0,
) -> dict[str, Any]:
    """One comparison row: both figures, the change, its effect size, interval and test."""
    return {
        "before": float(before),
        "after": float(after),
        "change": float(after - before),
        "effect": effect,
        "effect_size": float(size),
        "ci_low": float(low),
        "ci_high": float(high),
        "test": test,
        "p": float(p),
        "n_before": int(n_before),
        "n_after": int(n_after),
        "n_pairs": int(n_pairs),
    }


ALPHA = 0.05
#: Whether a rise is good news: +1, bad news: -1, neither (a mix of motives): 0.
GOOD_WHEN_UP = {"commitment (share of respondents)": 1, "low (share of respondents)": -1}
#: Usage shares that are bad news when they rise.
BAD_WHEN_UP = ("dormant", "never activated")


def _direction(family: str, measure: str, change: float) -> str:
    """ "better", "worse" or "" (no change, or no good direction, as for compliance)."""
    if not np.isfinite(change) or change == 0:
        return ""
    if family == "motivation mix":
        up = GOOD_WHEN_UP.get(measure, 0)
    elif family == "motivation":
        up = 1 if measure.startswith("commitment") else 0
    elif family == "custom":
        up = 0
    else:  # barriers, Keys, behaviours and usage are scored so that higher is better
        up = -1 if "unfavourable" in measure or measure.startswith(BAD_WHEN_UP) else 1
    return "" if up == 0 else ("better" if up * change > 0 else "worse")


def with_q_values(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with its q-values, significance and direction (re)computed.

    Parameters
    ----------
    table
        Comparison rows with ``family``, ``measure``, ``change`` and ``p``, and
        ``dimension`` where the table spans several.

    Returns
    -------
    pandas.DataFrame
        A copy with ``q`` (Benjamini-Hochberg within each dimension's family of tests:
        the organisation's, the departments', the roles'), ``significant`` (q < 0.05)
        and ``direction``.
    """
    table = table.copy()
    table["q"] = np.nan
    tested = table["p"].notna()
    families = table["dimension"] if "dimension" in table else pd.Series("", index=table.index)
    for _, rows in table[tested].groupby(families[tested], sort=False):
        table.loc[rows.index, "q"] = false_discovery_control(rows["p"], method="bh")
    table["significant"] = table["q"] < ALPHA
    table["direction"] = [_direction(f, m, c) for f, m, c in zip(
        table["family"], table["measure"], table["change"], strict=True)]  # fmt: skip
    return table


#: a group is compared as the same people when its recurring users are at least this
#: share of it in both waves; below, its members changed and Welch compares the waves
PAIRED_MIN_SHARE = 0.8


def recurring_users(
    before: pd.Index, after: pd.Index, k: int
) -> tuple[pd.Series, pd.Series] | None:
    """The users of a group in both waves, to pair on, or ``None`` where it changed.

    Pseudonyms are stable across waves, so a user in both is the same person. The group
    is paired when at least ``k`` users recur and they are at least
    :data:`PAIRED_MIN_SHARE` of the group in each wave.

    Parameters
    ----------
    before, after
        The group's licensed users (pseudonyms) in each wave.
    k
        The smallest group shown.

    Returns
    -------
    tuple of pandas.Series or None
        The recurring pseudonyms, as :func:`~adoption_lib.remeasure.change_tests.t_test`
        takes its pairs.
    """
    common = before.intersection(after).sort_values()
    if len(common) < max(k, 2) or not len(before) or not len(after):
        return None
    if min(len(common) / len(before), len(common) / len(after)) < PAIRED_MIN_SHARE:
        return None
    pairs = pd.Series(common, index=common)
    return pairs, pairs
