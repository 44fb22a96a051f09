"""Do the motivation types differ in what people actually do?

A type is only worth acting on if it goes with a difference in use. Two checks, by what
the engagement allows:

* **person** (``privacy.link_individuals``): each linked respondent's own active days a
  week by type, compared across the types with at least ``k`` linked people by a
  Kruskal-Wallis test (use is skewed: many people near 0, a few daily).
* **team** (no linking): across supervisor teams with at least ``k`` respondents and
  ``k`` licensed users, the Spearman correlation between the team's expected share of
  each motive (:func:`adoption_lib.survey.motive_lead.expected_shares`) and its measured
  active days a week.

Either way the result says plainly when the types do not differ in use, so that a
report does not build a plan on a label that says nothing about behaviour. Only
aggregates leave: means by type for types of at least ``k`` people, test statistics.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats

from adoption_lib.labels import MOTIVES, TYPES
from adoption_lib.privacy.suppression import enough

#: below this p-value a difference in use is called one
ALPHA = 0.05


def person_types_vs_use(types: pd.Series, own_days: pd.Series, k: int) -> dict[str, Any]:
    """Linked respondents' own active days a week by motivation type.

    Parameters
    ----------
    types
        Motivation type per respondent.
    own_days
        The respondent's own active days a week (NaN where not linked).
    k
        ``privacy.min_group_size``: a type's mean is shown, and tested, only with k people.

    Returns
    -------
    dict
        ``level`` ("person"), ``test``, ``statistic``, ``p``, ``n``, ``differs``,
        ``mean_days`` (type -> mean or None) and ``says`` (a sentence).
    """
    frame = pd.DataFrame({"type": types, "days": own_days.reindex(types.index)}).dropna()
    counts = frame["type"].value_counts()
    tested = [t for t in TYPES if t in counts and enough(int(counts[t]), k)]
    means = frame.groupby("type")["days"].mean()
    out: dict[str, Any] = {
        "level": "person",
        "test": "Kruskal-Wallis",
        "n": int(frame["type"].isin(tested).sum()),
        "mean_days": {t: round(float(means[t]), 3) if t in tested else None for t in TYPES},
    }
    if len(tested) < 2:
        return {**out, "statistic": None, "p": None, "differs": None,
                "says": "Too few linked respondents of two or more types to compare their use."}  # fmt: skip
    groups = [frame.loc[frame["type"] == t, "days"].to_numpy() for t in tested]
    result = stats.kruskal(*groups)
    p = float(result.pvalue)
    differs = p < ALPHA
    return {
        **out,
        "statistic": round(float(result.statistic), 4),
        "p": round(p, 4),
        "differs": differs,
        "says": _sentence(differs, f"H = {result.statistic:.1f}, {_p(p)}", "people"),
    }


def team_types_vs_use(
    lead: pd.DataFrame, teams: pd.Series, team_usage: pd.DataFrame, k: int
) -> dict[str, Any]:
    """Across teams: each motive's expected share against the team's active days a week.

    Parameters
    ----------
    lead
        Per respondent, the probability each motive leads
        (:func:`adoption_lib.survey.motive_lead.lead_probabilities`).
    teams
        Supervisor team per respondent (same index).
    team_usage
        Usage by team (index: team) with ``active_days_per_week``, ``licensed`` and
        ``suppressed``.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    dict
        ``level`` ("team"), ``test`` ("Spearman"), ``n`` (teams), ``differs``,
        ``by_motive`` (motive -> ``r`` and ``p``) and ``says``.
    """
    usable = team_usage[~team_usage["suppressed"].astype(bool) & enough(team_usage["licensed"], k)]
    frame = lead[list(MOTIVES)].assign(_team=teams.reindex(lead.index)).dropna()
    sizes = frame["_team"].value_counts()
    eligible = sorted(set(sizes[enough(sizes, k)].index) & set(usable.index))
    shares = frame[frame["_team"].isin(eligible)].groupby("_team")[list(MOTIVES)].mean()
    days = usable.loc[shares.index, "active_days_per_week"].astype(float)
    out: dict[str, Any] = {"level": "team", "test": "Spearman", "n": len(shares)}
    if len(shares) < 5:
        return {**out, "differs": None, "by_motive": {},
                "says": "Too few teams to relate the motivation mix to use."}  # fmt: skip
    by_motive = {}
    for motive in MOTIVES:
        result = stats.spearmanr(shares[motive], days)
        by_motive[motive] = {
            "r": round(float(result.statistic), 4),
            "p": round(float(result.pvalue), 4),
        }
    differs = any(v["p"] < ALPHA for v in by_motive.values())
    detail = "; ".join(f"{m} r = {v['r']:+.2f}, {_p(v['p'])}" for m, v in by_motive.items())
    return {**out, "differs": differs, "by_motive": by_motive,
            "says": _sentence(differs, detail, f"{len(shares)} teams")}  # fmt: skip


def _sentence(differs: bool, detail: str, across: str) -> str:
    if differs:
        return f"The motivation types go with different use across {across} ({detail})."
    return (
        f"The motivation types do not differ in measured use across {across} ({detail}): "
        "treat the mix as what people say moves them, not as a predictor of use."
    )


def _p(p: float) -> str:
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)
