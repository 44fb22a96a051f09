"""Key drivers at person level, only with ``privacy.link_individuals``.

The same models and outcomes as the team level (:mod:`adoption_lib.diagnosis.drivers`),
on each linked respondent's own scores and own use: active days a week, and effective
yes/no (a 0/1 outcome; relative weights then split the linear probability model's R²).
The person-level rows never leave the process: only the weights, their intervals and the
number of people (at least ``k``) reach summary.json, as ``level: person``. The action
plan keeps ranking on the team level, which every engagement has.
"""

from __future__ import annotations

import pandas as pd

from adoption_lib.diagnosis.drivers import MIN_TEAMS, DriverAnalysis, model_constructs, weigh
from adoption_lib.privacy.suppression import enough

#: person outcome -> column of the person-level usage table
PERSON_OUTCOMES = {"active_days_per_week": "per_week", "effective": "effective"}
#: people per predictor a person-level model needs
PEOPLE_PER_PREDICTOR = 10


def person_drivers(
    scores: pd.DataFrame,
    own_use: pd.DataFrame,
    families: dict[str, str],
    k: int,
    n_boot: int = 2000,
    seed: int = 0,
) -> DriverAnalysis:
    """Relative weights of the constructs for each linked respondent's own use.

    Parameters
    ----------
    scores
        Respondents x constructs.
    own_use
        Per respondent (same index), their own ``per_week`` and ``effective``; NaN
        where not linked.
    families
        Construct -> family.
    k
        ``privacy.min_group_size``: fewer linked people than this, nothing is run.
    n_boot, seed
        The bootstrap's resamples and seed.

    Returns
    -------
    DriverAnalysis
        Rows as :func:`~adoption_lib.diagnosis.drivers.team_drivers` gives, with
        ``level`` ``person`` and ``n`` the people in the model; ``teams`` is 0.
    """
    rows, unavailable = [], {}
    use = own_use.reindex(scores.index)
    for model, constructs in model_constructs(scores.columns, families):
        needed = max(MIN_TEAMS, PEOPLE_PER_PREDICTOR * len(constructs), k)
        for outcome, column in PERSON_OUTCOMES.items():
            if column not in use:
                continue
            data = scores[constructs].join(use[[column]].astype(float)).dropna()
            if len(data) < needed or not enough(len(data), k):
                unavailable[f"person.{model}.{outcome}"] = (
                    f"{len(data)} linked respondents; {len(constructs)} predictors need {needed}"
                )
                continue
            fitted = weigh(
                data, constructs, column, (model, outcome, "person"), families, n_boot, seed
            )
            if fitted is None:
                unavailable[f"person.{model}.{outcome}"] = (
                    "a construct or the outcome is the same for everyone"
                )
                continue
            rows += fitted
    return DriverAnalysis(pd.DataFrame(rows), 0, unavailable)
