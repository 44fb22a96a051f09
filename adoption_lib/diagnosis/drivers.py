"""Key drivers: which survey constructs relate to measured use, across supervisor teams.

A barrier that most people report is not necessarily the one holding use back. Here
each construct is related to what teams actually do, with Johnson's relative weights
(:mod:`adoption_lib.diagnosis.relative_weights`):

* **level**: supervisor teams with at least ``k`` respondents and at least ``k``
  licensed users (so that no figure rests on fewer people than the privacy threshold);
  a team's score on a construct is its respondents' mean, its use is its licensed
  users' (from the usage group table, never a person's own);
* **outcomes**: active days a week (``active_days_per_week``, the team's mean, zeros
  included) and effective use (``effective``: the team's share of effective users);
* **models**: the three motives and the eight barrier families together (about eleven
  predictors, which some fifty teams can carry), and the 4+1 Keys on their own;
* **importance**: each construct's raw relative weight (its part of R²), with a
  bootstrap 95% interval over teams, and whether it beats a predictor of pure noise
  (the interval of the difference lies above zero);
* **too uniform**: a construct whose team means differ no more than their sampling
  noise (one-way ANOVA across the teams' respondents, p ≥ .05) cannot show importance,
  however it is weighted; it is marked so, and its weight is not read as "does not
  matter".

A model needs at least :data:`TEAMS_PER_PREDICTOR` teams per predictor (and never
fewer than :data:`MIN_TEAMS`); with fewer, the drivers are unavailable, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy import stats

from adoption_lib.diagnosis.relative_weights import bootstrap_relative_weights
from adoption_lib.json_numbers import json_number
from adoption_lib.privacy.suppression import enough

#: the models: name -> construct families of the instrument
MODELS = {"motives_and_barriers": ("motivation", "barrier"), "keys": ("key",)}
#: the outcomes: summary name -> column of the team usage table
OUTCOMES = {"active_days_per_week": "active_days_per_week", "effective": "effective_share"}
TEAMS_PER_PREDICTOR = 3
MIN_TEAMS = 10
#: the ANOVA p-value from which a construct's team means are taken as uniform
UNIFORM_P = 0.05
UNIFORM_NOTE = "too uniform across teams to show importance"


@dataclass
class DriverAnalysis:
    """Relative weights of the constructs for each outcome, and what could not be run."""

    #: one row per model, outcome and construct (see :func:`team_drivers`)
    table: pd.DataFrame
    #: teams that met both thresholds
    teams: int = 0
    unavailable: dict[str, str] = field(default_factory=dict)


def team_drivers(
    scores: pd.DataFrame,
    teams: pd.Series,
    team_usage: pd.DataFrame,
    families: dict[str, str],
    k: int,
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> DriverAnalysis:
    """Relate the constructs to measured use across supervisor teams.

    Parameters
    ----------
    scores
        Construct scores, one row per kept respondent (index: respondent).
    teams
        Each respondent's team (pseudonymised supervisor), aligned with ``scores``.
    team_usage
        The usage group table by team (index: the same pseudonyms): ``licensed``,
        ``suppressed`` and the outcome columns.
    families
        Construct id -> its family in the instrument.
    k
        ``privacy.min_group_size``.
    n_boot, seed
        Bootstrap resamples and the generator's seed (fixed: same data, same figures).

    Returns
    -------
    DriverAnalysis
        ``table`` columns: ``model``, ``outcome``, ``construct``, ``family``, ``weight``,
        ``share``, ``ci_low``, ``ci_high``, ``vs_noise_low``, ``vs_noise_high``,
        ``beats_noise``, ``uniform``, ``anova_p``, ``n`` (teams), ``r2``.
    """
    teams = teams.reindex(scores.index)
    sizes = teams.value_counts()
    usable = team_usage[~team_usage["suppressed"] & enough(team_usage["licensed"], k)]
    eligible = sorted(set(sizes[enough(sizes, k)].index) & set(usable.index))
    people = scores[teams.isin(eligible)]
    people_teams = teams[teams.isin(eligible)]
    means = people.groupby(people_teams).mean()
    rows, unavailable = [], {}
    for model, constructs in model_constructs(scores.columns, families):
        needed = max(MIN_TEAMS, TEAMS_PER_PREDICTOR * len(constructs))
        for outcome, column in OUTCOMES.items():
            data = means[constructs].join(usable[[column]], how="inner").dropna()
            if len(data) < needed:
                unavailable[f"{model}.{outcome}"] = (
                    f"{len(data)} supervisor teams have at least {k} respondents and "
                    f"{k} licensed users; {len(constructs)} predictors need {needed}"
                )
                continue
            kept = data.index
            fitted = weigh(
                data, constructs, column, (model, outcome, "team"), families, n_boot, seed,
                lambda c, kept=kept: _anova_p(people[c], people_teams, kept),
            )  # fmt: skip
            if fitted is None:
                unavailable[f"{model}.{outcome}"] = (
                    "a construct or the outcome is the same in every team"
                )
                continue
            rows += fitted
    return DriverAnalysis(pd.DataFrame(rows), len(eligible), unavailable)


def model_constructs(
    columns: Iterable[str], families: dict[str, str]
) -> Iterator[tuple[str, list[str]]]:
    """Each model of :data:`MODELS` with the constructs of its families the scores hold."""
    for model, wanted in MODELS.items():
        constructs = [c for c in columns if families.get(c) in wanted]
        if constructs:
            yield model, constructs


def weigh(
    data: pd.DataFrame,
    constructs: list[str],
    column: str,
    where: tuple[str, str, str],
    families: dict[str, str],
    n_boot: int,
    seed: int,
    anova: Callable[[str], float] | None = None,
) -> list[dict[str, Any]] | None:
    """One model's relative weights as driver rows; None when a column is constant.

    Parameters
    ----------
    data
        One row per case (team or person): the ``constructs`` and the outcome ``column``.
    constructs, column
        The predictors and the outcome.
    where
        ``(model, outcome, level)`` written into every row.
    families
        Construct -> family.
    n_boot, seed
        The bootstrap's resamples and seed.
    anova
        Construct -> the ANOVA p-value across the cases' groups (team level), from which
        a construct is too uniform to show importance; None: never uniform.

    Returns
    -------
    list of dict or None
        One row per construct (``weight``, intervals, ``uniform``, ``anova_p``, ``n``,
        ``r2``, ``level`` ...).
    """
    if data[column].std() == 0 or (data[constructs].std() == 0).any():
        return None
    # in an order of the data's own, not of the pseudonyms (keyed per engagement), so
    # that the same figures give the same resamples and intervals
    data = data.sort_values([column, *constructs], kind="stable")
    table = bootstrap_relative_weights(data[constructs], data[column], n_boot=n_boot, seed=seed)
    model, outcome, level = where
    rows = []
    for construct in constructs:
        p = anova(construct) if anova is not None else float("nan")
        rows.append(
            {
                "model": model,
                "outcome": outcome,
                "construct": construct,
                "family": families[construct],
                **table.loc[construct].to_dict(),
                "uniform": bool(p >= UNIFORM_P),
                "anova_p": p,
                "n": len(data),
                "r2": table.attrs["r2"],
                "level": level,
            }
        )
    return rows


def _anova_p(values: pd.Series, teams: pd.Series, kept: pd.Index) -> float:
    """The one-way ANOVA p-value of a construct across the kept teams' respondents."""
    groups = [v.dropna().to_numpy() for _, v in values[teams.isin(kept)].groupby(teams)]
    groups = [g for g in groups if len(g)]
    if len(groups) < 2:
        return float("nan")
    return float(stats.f_oneway(*groups).pvalue)


def driver_records(analysis: DriverAnalysis) -> list[dict[str, Any]]:
    """summary.json's ``drivers[]``: one entry per construct and outcome.

    Each has ``id``, ``family``, ``outcome``, ``importance`` (the raw weight, a part of
    R²), ``share`` (of the model's R²), ``ci95``, ``vs_noise_ci95``, ``beats_noise``,
    ``uniform`` (with ``note``), ``level`` (``team``, or ``person`` with linking), ``n``
    (teams or people) and ``r2``; sorted by level, outcome, then importance, largest
    first.
    """
    table = analysis.table
    if table.empty:
        return []
    out = []
    ordered = table.sort_values(
        ["level", "outcome", "weight"], ascending=[False, True, False], kind="stable"
    )
    for row in ordered.to_dict("records"):
        record = {
            "id": row["construct"],
            "family": row["family"],
            "outcome": row["outcome"],
            "importance": _round(row["weight"]),
            "share": _round(row["share"]),
            "ci95": [_round(row["ci_low"]), _round(row["ci_high"])],
            "vs_noise_ci95": [_round(row["vs_noise_low"]), _round(row["vs_noise_high"])],
            "beats_noise": bool(row["beats_noise"]),
            "uniform": bool(row["uniform"]),
            "level": row.get("level", "team"),
            "n": int(row["n"]),
            "r2": _round(row["r2"]),
        }
        if record["uniform"]:
            record["note"] = UNIFORM_NOTE
        out.append(record)
    return out


def _round(value: float) -> float | None:
    number = json_number(value)
    return None if number is None else round(float(number), 4)


def plan_importance(analysis: DriverAnalysis | None) -> pd.Series | None:
    """Each construct's importance for the action plan: its weight for active days.

    The team-level relative weight (every engagement with teams has it) of each
    construct for active days a week (motives and barriers in one model, the Keys in
    theirs); 0 for a construct too
    uniform across teams to show importance. None when no model for active days ran,
    so that the plan falls back to prevalence and effort.
    """
    if analysis is None or analysis.table.empty:
        return None
    table = analysis.table
    rows = table[(table["outcome"] == "active_days_per_week") & (table["level"] == "team")]
    if rows.empty:
        return None
    weights = rows["weight"].where(~rows["uniform"].astype(bool), 0.0)
    return pd.Series(weights.to_numpy(float), index=rows["construct"].to_numpy())


def with_person_level(team: DriverAnalysis | None, person: DriverAnalysis) -> DriverAnalysis:
    """The team-level analysis with the person-level rows (linking) beside it."""
    if team is None:
        return person
    table = pd.concat([t for t in (team.table, person.table) if not t.empty], ignore_index=True)
    return DriverAnalysis(
        table if not table.empty else team.table,
        team.teams,
        {**team.unavailable, **person.unavailable},
    )
