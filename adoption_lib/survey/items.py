"""Construct scores and answer shares, for any instrument in the schema.

All functions are pure: tables in, tables out.

* :func:`item_matrix`: respondents x items of codes after reverse keying, with
  "Don't know" answers removed (they are counted separately, never scored);
* :func:`construct_scores`: the mean of a construct's items, or NaN when fewer than
  ``min_share`` of its items were answered (DESIGN §5: at least half);
* :func:`answer_shares`: favourable, unfavourable and don't-know shares of a set of
  answers, judged on the reverse-keyed code, so that disagreeing with a negatively
  worded item counts as favourable.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.config.instrument import Instrument


def item_matrix(
    answers: pd.DataFrame, instrument: Instrument, respondents: pd.Index | None = None
) -> pd.DataFrame:
    """Pivot answers to respondents x items, reverse-keyed, don't-knows as NaN.

    Parameters
    ----------
    answers
        Long answers (``respondent``, ``item``, ``value``, ``na``).
    instrument
        The instrument (scales and reverse keys).
    respondents
        Rows to return, in this order; every respondent in ``answers`` by default.

    Returns
    -------
    pandas.DataFrame
        One column per instrument item (NaN where unanswered or don't know).
    """
    columns = [i.id for i in instrument.items]
    scored = answers[~answers["na"].astype(bool)]
    index = pd.Index(respondents if respondents is not None else pd.unique(answers["respondent"]))
    # Fill a matrix by integer position: far faster than pivot_table on millions of rows.
    respondent = scored["respondent"]
    if isinstance(respondent.dtype, pd.CategoricalDtype) and respondent.cat.categories.equals(
        index
    ):
        rows = respondent.cat.codes.to_numpy()
    else:
        rows = index.get_indexer(respondent)
    item_codes, item_names = pd.factorize(scored["item"])
    cols = pd.Index(columns).get_indexer(item_names)[item_codes]
    keep = (rows >= 0) & (cols >= 0)
    matrix = np.full((len(index), len(columns)), np.nan)
    matrix[rows[keep], cols[keep]] = scored["value"].to_numpy(dtype=float)[keep]
    wide = pd.DataFrame(matrix, index=index, columns=columns)
    for item in instrument.items:
        if item.reverse:
            scale = instrument.scales[item.scale]
            wide[item.id] = scale.values[0] + scale.values[-1] - wide[item.id]
    return wide


def construct_scores(
    items: pd.DataFrame, instrument: Instrument, min_share: float = 0.5
) -> pd.DataFrame:
    """Score every construct for every respondent.

    Parameters
    ----------
    items
        From :func:`item_matrix`.
    instrument
        The instrument.
    min_share
        The share of a construct's items that must be answered (don't-knows do not
        count as answered); ``thresholds.min_items_answered``.

    Returns
    -------
    pandas.DataFrame
        Respondents x constructs: the mean of the answered items, NaN below the rule.
    """
    out = {}
    for construct in instrument.constructs:
        columns = [i.id for i in instrument.items_of(construct.id)]
        block = items[columns]
        answered = block.notna().sum(axis=1)
        needed = math.ceil(len(columns) * min_share - 1e-9)
        out[construct.id] = block.mean(axis=1).where(answered >= max(needed, 1))
    return pd.DataFrame(out, index=items.index)


def answer_shares(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Classify each answer as favourable, unfavourable or don't know.

    Parameters
    ----------
    answers
        Long answers.
    instrument
        The instrument.

    Returns
    -------
    pandas.DataFrame
        ``answers`` with ``construct``, ``favourable``, ``unfavourable`` and ``dont_know``
        (booleans; a don't-know is neither favourable nor unfavourable).
    """
    out = answers.copy()
    codes, items = pd.factorize(out["item"])
    known = [instrument.items_by_id[i] for i in items]
    scales = [instrument.scales[item.scale] for item in known]
    constructs = pd.Categorical([item.construct_id for item in known])
    out["construct"] = pd.Categorical.from_codes(constructs.codes[codes], constructs.categories)
    low = np.asarray([s.values[0] for s in scales])[codes]
    high = np.asarray([s.values[-1] for s in scales])[codes]
    reverse = np.asarray([item.reverse for item in known], dtype=bool)[codes]
    value = out["value"].to_numpy(dtype=float)
    keyed = np.where(reverse, low + high - value, value)
    favourable = np.zeros(len(out), dtype=bool)
    unfavourable = np.zeros(len(out), dtype=bool)
    for n, scale in enumerate(scales):  # one pass per item, vectorised over answers
        rows = codes == n
        favourable[rows] = np.isin(keyed[rows], scale.favourable)
        unfavourable[rows] = np.isin(keyed[rows], scale.unfavourable)
    out["favourable"] = favourable
    out["unfavourable"] = unfavourable
    out["dont_know"] = out["na"].astype(bool)
    return out


def shares_by(classified: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Favourable, unfavourable and don't-know shares per group.

    Parameters
    ----------
    classified
        From :func:`answer_shares`, joined with any grouping columns.
    by
        Grouping columns (for example ``["construct", "department"]``).

    Returns
    -------
    pandas.DataFrame
        ``favourable_pct``, ``unfavourable_pct`` and ``neutral_pct`` (of substantive
        answers), ``net_pct`` (favourable minus unfavourable, -1 to 1), ``dont_know_pct``
        (of all answers) and ``answers``.
    """
    grouped = classified.assign(substantive=~classified["dont_know"]).groupby(by, observed=True)
    out = pd.DataFrame(
        {
            "answers": grouped.size(),
            "substantive": grouped["substantive"].sum(),
            "favourable": grouped["favourable"].sum(),
            "unfavourable": grouped["unfavourable"].sum(),
            "dont_know": grouped["dont_know"].sum(),
        }
    )
    base = out["substantive"].where(out["substantive"] > 0)
    out["favourable_pct"] = out["favourable"] / base
    out["unfavourable_pct"] = out["unfavourable"] / base
    out["neutral_pct"] = 1 - out["favourable_pct"] - out["unfavourable_pct"]
    out["net_pct"] = out["favourable_pct"] - out["unfavourable_pct"]
    out["dont_know_pct"] = out["dont_know"] / out["answers"]
    return out.drop(columns=["substantive", "favourable", "unfavourable", "dont_know"])


def share_intervals(classified: pd.DataFrame, by: list[str], level: float = 0.95) -> pd.DataFrame:
    """95% intervals of the favourable and unfavourable shares, clustered by respondent.

    A share pools every answer to a construct's items, and one person's answers move
    together, so answers are not independent draws: the interval treats each
    respondent as one cluster. The share is a ratio estimator, ``R = sum(u) / sum(a)``
    over respondents (``u`` their answers of the kind, ``a`` their substantive
    answers), with the Taylor-linearised variance
    ``n / (n - 1) * sum((u - R a)^2) / sum(a)^2`` (the cluster-robust variance of the
    answer-level mean; statsmodels' clustered OLS gives the same). The bounds are
    ``R +/- z * se``, kept within 0 and 1.

    Parameters
    ----------
    classified
        From :func:`answer_shares`, with ``respondent`` and the ``by`` columns.
    by
        Grouping columns (for example ``["construct"]``).
    level
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index ``by``; ``favourable_low``, ``favourable_high``, ``unfavourable_low``,
        ``unfavourable_high``, ``net_low`` and ``net_high`` (the net share, favourable
        minus unfavourable, is the same ratio of each answer's +1, 0 or -1; NaN for a
        group of one respondent).
    """
    sub = classified.assign(
        substantive=~classified["dont_know"],
        net=classified["favourable"].astype(int) - classified["unfavourable"].astype(int),
    )
    columns = ["substantive", "favourable", "unfavourable", "net"]
    per = sub.groupby([*by, "respondent"], observed=True)[columns].sum()
    per = per[per["substantive"] > 0]
    groups = per.groupby(level=by, observed=True)
    total, n = groups["substantive"].sum(), groups.size()
    z = float(stats.norm.ppf(0.5 + level / 2))
    owner = per.index.droplevel("respondent")
    out = pd.DataFrame(index=total.index)
    for kind in ("favourable", "unfavourable", "net"):
        ratio = groups[kind].sum() / total
        residual = per[kind] - ratio.reindex(owner).to_numpy() * per["substantive"]
        spread = (residual**2).groupby(level=by, observed=True).sum()
        se = np.sqrt(n / (n - 1).where(n > 1) * spread) / total
        floor = -1.0 if kind == "net" else 0.0
        out[f"{kind}_low"] = (ratio - z * se).clip(floor, 1.0)
        out[f"{kind}_high"] = (ratio + z * se).clip(floor, 1.0)
    return out


def mean_ci(values: pd.Series, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and its t-based confidence interval.

    Parameters
    ----------
    values
        Scores (NaN ignored).
    level
        Confidence level.

    Returns
    -------
    mean, low, high, n
        NaN bounds when fewer than two values.
    """
    clean = values.dropna().to_numpy(dtype=float)
    n = len(clean)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(clean.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * clean.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def reported_days(classified: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """The active days a week each respondent reports, from the frequency items.

    Each answer on a scale with ``days_per_week`` becomes that many days; a respondent's
    figure is the highest of their answers (a day with any of the activities asked about
    is an active day, as the usage counts it). Don't-knows and skipped items are left
    out.

    Parameters
    ----------
    classified
        From :func:`answer_shares` (``respondent``, ``item``, ``value``, ``dont_know``).
    instrument
        For the scales' ``days_per_week``.

    Returns
    -------
    pandas.Series
        Respondent -> reported days a week; empty when no scale maps to days.
    """
    mapping = {}
    for item in instrument.items:
        scale = instrument.scales[item.scale]
        if scale.days_per_week is not None:
            mapping[item.id] = dict(zip(scale.values, scale.days_per_week, strict=True))
    if not mapping:
        return pd.Series(dtype="float64", name="reported_days")
    rows = classified[classified["item"].isin(list(mapping)) & ~classified["dont_know"]]
    days = [mapping[i].get(v, np.nan) for i, v in zip(rows["item"], rows["value"], strict=True)]
    frame = pd.DataFrame({"respondent": rows["respondent"].astype(str).to_numpy(), "days": days})
    return frame.groupby("respondent")["days"].max().rename("reported_days")
