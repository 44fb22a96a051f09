"""Score a loaded survey: the figures the consultant defends, in one typed object.

:func:`score_survey` turns :class:`~adoption_lib.survey.load.SurveyData` into construct
scores, reliability, motivation types, barrier and Keys tables (overall and per group)
and the summary.json survey sections. Group tables go through
:func:`adoption_lib.privacy.suppression.apply_suppression`, so no group under ``min_group_size``
is ever shown, directly or by subtraction.

Groupings: ``department``, ``role`` and ``location`` (from the survey's demographics),
``team`` (the supervisor; consultant only) and ``tenure`` bands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.json_numbers import json_number
from adoption_lib.labels import MOTIVES, TYPES
from adoption_lib.privacy.cube import SurveyPart
from adoption_lib.privacy.suppression import apply_suppression, suppressed_count
from adoption_lib.survey.barriers import (
    barrier_ranking,
    barrier_table,
    family_table,
    key_scorecard,
    manager_gap,
)
from adoption_lib.survey.comments import load_lexicon, theme_comments, theme_counts
from adoption_lib.survey.items import answer_shares, construct_scores, item_matrix, mean_ci
from adoption_lib.survey.load import SurveyData
from adoption_lib.survey.motivation import (
    disattenuated_flags,
    group_means,
    motivation_types,
)
from adoption_lib.survey.motive_lead import (
    expected_mix,
    expected_shares,
    lead_probabilities,
    measurement_errors,
)
from adoption_lib.survey.reliability import ConstructReliability, instrument_reliability


@dataclass
class SurveyScores:
    """Everything scored from one survey."""

    scores: pd.DataFrame
    types: pd.Series
    #: per respondent, the probability each motive leads (and "mixed"): motive_lead
    lead: pd.DataFrame
    reliability: dict[str, ConstructReliability]
    constructs: pd.DataFrame
    barriers: pd.DataFrame
    keys: pd.DataFrame
    by_group: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    ranking: pd.DataFrame | None = None
    manager_gap: pd.DataFrame | None = None
    correlation_flags: list[dict[str, Any]] = field(default_factory=list)
    suppressed_groups: int = 0
    comment_themes: pd.DataFrame | None = None
    #: kept respondents and answers by client dimension, for the client cube
    cube_part: SurveyPart | None = None


def score_survey(data: SurveyData, engagement: Engagement) -> SurveyScores:
    """Score the kept respondents of a survey.

    Parameters
    ----------
    data
        From :func:`adoption_lib.survey.load.load_survey`.
    engagement
        For thresholds and the privacy settings.

    Returns
    -------
    SurveyScores
        Person-level scores (stay inside the engagement) and suppressed group tables.
    """
    t, k = engagement.thresholds, engagement.privacy.min_group_size
    instrument = data.instrument
    kept = data.kept().set_index("respondent")
    answers = data.kept_answers()
    # Categorical respondents: grouping millions of answers by arrow strings is slow.
    answers = answers.assign(
        respondent=pd.Categorical(answers["respondent"], categories=kept.index)
    )
    items = item_matrix(answers, instrument, kept.index)
    scores = construct_scores(items, instrument, t.min_items_answered)
    reliability = instrument_reliability(items, instrument, t.alpha_flag_below)
    alphas = {c: r.alpha for c, r in reliability.items()}
    types = pd.Series("unclassified", index=kept.index, name="motivation_type")
    lead = pd.DataFrame(index=kept.index, columns=[*MOTIVES, "mixed"], dtype=float)
    if set(MOTIVES) <= set(scores.columns):
        midpoints = {
            m: instrument.scales[instrument.items_of(m)[0].scale].midpoint for m in MOTIVES
        }
        errors = measurement_errors(scores, alphas, t.mixed_margin_default)
        lead = lead_probabilities(scores, errors, t.motive_lead)
        types = motivation_types(
            scores, midpoints, alphas, min_probability=t.type_min_probability,
            probabilities=lead,
        )  # fmt: skip
    groups = _groupings(kept, engagement)
    # Categorical keys: grouping 3 million answers by arrow strings is several times slower.
    answers = answers.assign(
        respondent=pd.Categorical(answers["respondent"], categories=kept.index)
    )
    classified = answer_shares(answers, instrument)
    rows = classified["respondent"].cat.codes.to_numpy()
    for column in groups.columns:
        categories = pd.Categorical(groups[column])
        classified[column] = pd.Categorical.from_codes(
            categories.codes[rows], categories.categories
        )
    with_groups = scores.join(groups.astype("category"))
    overall = {
        family: family_table(classified, with_groups, instrument, family)
        for family in ("motivation", "barrier", "key", "behaviour", "custom")
    }
    result = SurveyScores(
        scores=scores,
        types=types,
        lead=lead,
        reliability=reliability,
        constructs=pd.concat(overall.values(), ignore_index=True),
        barriers=barrier_table(overall["barrier"], t),
        keys=key_scorecard(overall["key"], t),
        correlation_flags=disattenuated_flags(scores, alphas, t.disattenuated_r_flag)
        if set(MOTIVES) <= set(scores.columns)
        else [],
    )
    hidden = 0
    for by in groups.columns:
        tables = {
            "barriers": barrier_table(
                family_table(classified, with_groups, instrument, "barrier", by), t
            ),
            "keys": key_scorecard(family_table(classified, with_groups, instrument, "key", by), t),
            "motivation": group_means(scores, groups[by].astype("category")).rename(
                columns={"group": by}
            ),
            # expected shares: each person by how likely each motive leads them
            "types": expected_mix(types, lead, groups[by])
            .reset_index()
            .rename(columns={"group": by}),
        }
        sizes = groups[by].value_counts()
        for name, table in tables.items():
            table = table.assign(**{by: table[by].astype(str)})
            table = table.assign(group_size=table[by].map(sizes).astype("float64"))
            tables[name] = apply_suppression(table, by, "group_size", k, keep=("construct",))
        hidden += suppressed_count(tables["types"], by)
        result.by_group[by] = tables
    if "department" in result.by_group:
        shown = result.by_group["department"]["barriers"]
        result.ranking = barrier_ranking(result.barriers, shown[~shown["suppressed"]], t)
    if "audience" in kept:
        audience = classified.assign(audience=kept["audience"].to_numpy()[rows])
        by_audience = family_table(
            audience, with_groups.assign(audience=kept["audience"]), instrument, "key", "audience"
        )
        sizes = kept["audience"].value_counts()
        safe = apply_suppression(
            by_audience.assign(audience=by_audience["audience"].astype(str)).assign(
                group_size=lambda t: t["audience"].map(sizes)
            ),
            "audience",
            "group_size",
            k,
            keep=("construct",),
        )
        result.manager_gap = manager_gap(safe)
    themed = theme_comments(
        data.comments[data.comments["respondent"].isin(kept.index)], load_lexicon()
    )
    everyone = pd.Series("all", index=kept.index)
    result.comment_themes = theme_counts(themed, everyone, "organisation", k)
    for by in groups.columns:
        result.by_group[by]["themes"] = theme_counts(themed, groups[by], by, k)
    result.suppressed_groups = hidden
    cube_people = groups.rename(columns={"tenure": "tenure_band"})
    result.cube_part = SurveyPart(cube_people, classified, scores, types)
    return result


def _groupings(kept: pd.DataFrame, engagement: Engagement) -> pd.DataFrame:
    out = pd.DataFrame(index=kept.index)
    for column in ("department", "role", "team", "location"):
        if column in kept:
            values = kept[column].fillna("").astype(str).str.strip()
            out[column] = values.where(values != "", "(not answered)")
    if "tenure" in kept:
        out["tenure"] = kept["tenure"].fillna("").replace("", "(not answered)")
    return out


def summary_sections(
    data: SurveyData, result: SurveyScores, engagement: Engagement
) -> dict[str, Any]:
    """The survey sections of summary.json (DESIGN §4): survey, constructs, motivation, barriers, keys, privacy.

    Parameters
    ----------
    data
        The loaded survey.
    result
        Its scores.
    engagement
        For the privacy block.

    Returns
    -------
    dict
        JSON-ready sections with exactly the fixed keys (and a few additions).
    """
    q = data.quality
    constructs = {}
    for row in result.constructs.itertuples():
        mean, low, high, n = mean_ci(result.scores[row.construct])
        rel = result.reliability.get(row.construct)
        constructs[row.construct] = {
            "mean": json_number(mean, as_float=True),
            "ci95": [json_number(low, as_float=True), json_number(high, as_float=True)],
            "favourable_pct": json_number(row.favourable_pct, as_float=True),
            "unfavourable_pct": json_number(row.unfavourable_pct, as_float=True),
            "dont_know_pct": json_number(row.dont_know_pct, as_float=True),
            "alpha": json_number(rel.alpha, as_float=True) if rel else None,
            "n": n,
        }
    # A construct no kept respondent answered (its items not in the export) still has
    # its entry, with nothing to report: the same keys whatever the export held.
    for construct in data.instrument.constructs:
        constructs.setdefault(
            construct.id,
            {
                "mean": None,
                "ci95": [None, None],
                "favourable_pct": None,
                "unfavourable_pct": None,
                "dont_know_pct": None,
                "alpha": None,
                "n": 0,
            },
        )
    labelled = result.types.value_counts(normalize=True)
    expected = expected_shares(result.types, result.lead)
    return {
        "survey": {
            "rows_received": q.rows_received,
            "respondents_kept": q.respondents_kept,
            "excluded": {k: v for k, v in q.excluded.items()},
            "response_rate": q.response_rate,
            "notes": [n for f in data.files for n in f.notes],
        },
        "constructs": constructs,
        "motivation": {
            # expected shares: each person counted by how likely each motive leads them
            "mix": {t: round(float(expected.get(t, 0.0)), 4) for t in TYPES},
            "mix_basis": "expected shares",
            # the hard labels' shares, which misplace people near a tie
            "labelled_mix": {t: round(float(labelled.get(t, 0.0)), 4) for t in TYPES},
            "correlation_flags": result.correlation_flags,
        },
        "barriers": [
            {
                "id": r.construct,
                "unfavourable_pct": json_number(r.unfavourable_pct, as_float=True),
                "flagged": bool(r.flagged),
                "ci95": [
                    json_number(r.unfavourable_low, as_float=True),
                    json_number(r.unfavourable_high, as_float=True),
                ],
                "certainty": r.certainty,
            }
            for r in result.barriers.itertuples()
        ],
        "keys": [
            {
                "id": r.construct,
                "favourable_pct": json_number(r.favourable_pct, as_float=True),
                "neutral_pct": json_number(r.neutral_pct, as_float=True),
                "unfavourable_pct": json_number(r.unfavourable_pct, as_float=True),
                "net_pct": json_number(r.net_pct, as_float=True),
                "status": r.status,
                "basis": engagement.thresholds.keys.basis,
                # the interval of the value the status is judged on (net_pct by default)
                "ci95": [
                    json_number(r.status_low, as_float=True),
                    json_number(r.status_high, as_float=True),
                ],
                "certainty": r.certainty,
                "dont_know_pct": json_number(r.dont_know_pct, as_float=True),
            }
            for r in result.keys.itertuples()
        ],
        "comment_themes": _theme_summary(result),
        "privacy": {
            "min_group_size": engagement.privacy.min_group_size,
            "suppressed_groups": result.suppressed_groups,
            "client_dimensions": list(engagement.privacy.client_dimensions),
        },
    }


def _theme_summary(result: SurveyScores) -> dict[str, float | None]:
    """Respondents mentioning each theme, organisation-wide (null when fewer than k)."""
    if result.comment_themes is None:
        return {}
    return {
        r.theme: json_number(r.respondents, as_float=True)
        for r in result.comment_themes.itertuples()
    }
