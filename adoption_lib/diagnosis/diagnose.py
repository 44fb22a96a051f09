"""Diagnosis: segments, says versus does, the barrier register, renewal and the score.

:func:`diagnose` turns an assessment (survey and usage already scored) and the
summary's survey and usage sections into what the consultant recommends;
:func:`diagnosis_sections` gives its summary.json keys (``segments``, ``renewal``,
``adoption_score``, ``actions`` and more). Person-level segments stay in the returned
object (and the engagement's ``private/`` folder); only counts by group leave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adoption_lib.assessment import align_labels
from adoption_lib.config.playbook import Playbook, load_playbook
from adoption_lib.diagnosis.drivers import (
    DriverAnalysis,
    driver_records,
    plan_importance,
    team_drivers,
    with_person_level,
)
from adoption_lib.diagnosis.findings import Register, build_register
from adoption_lib.diagnosis.forecast import project_effective
from adoption_lib.diagnosis.motivation_use import person_types_vs_use, team_types_vs_use
from adoption_lib.diagnosis.person_drivers import person_drivers
from adoption_lib.diagnosis.plan_order import plan_table
from adoption_lib.diagnosis.renewal import (
    Renewal,
    adoption_score,
    renewal,
    weeks_between,
)
from adoption_lib.diagnosis.right_sizing import right_sizing
from adoption_lib.diagnosis.says_does import link_rate, says_versus_does
from adoption_lib.diagnosis.segments import (
    assign_segments,
    barrier_score,
    segment_counts,
    segments_by_group,
    usage_context,
)
from adoption_lib.json_numbers import json_number
from adoption_lib.privacy.pseudonyms import person_pseudonym
from adoption_lib.survey.items import reported_days
from adoption_lib.timings import step
from adoption_lib.usage.groups import group_usage
from adoption_lib.usage.trends import effective_by_week

if TYPE_CHECKING:
    from adoption_lib.assessment import Assessment

GROUPS = ("department", "role", "team")


@dataclass
class Diagnosis:
    """What the assessment finds and recommends."""

    register: Register
    plan: pd.DataFrame
    renewal: Renewal
    adoption_score: dict[str, Any]
    segments: pd.Series | None = None
    segment_counts: dict[str, int] = field(default_factory=dict)
    #: "person" (own use, link_individuals) or "group" (the group's use); None: no segments
    segments_basis: str | None = None
    #: whether the motivation types differ in measured use (motivation_use module)
    motivation_use: dict[str, Any] = field(default_factory=dict)
    segments_by_group: dict[str, pd.DataFrame] = field(default_factory=dict)
    says_does: dict[str, pd.DataFrame] = field(default_factory=dict)
    link: dict[str, Any] = field(default_factory=dict)
    usage_by_department: pd.DataFrame | None = None
    #: the constructs' relative weights for measured use, across supervisor teams
    drivers: DriverAnalysis | None = None
    unavailable: dict[str, str] = field(default_factory=dict)


def diagnose(
    assessment: Assessment, summary: dict[str, Any], playbook: Playbook | None = None
) -> Diagnosis:
    """Diagnose an assessment.

    Parameters
    ----------
    assessment
        From :func:`adoption_lib.assessment.assess`.
    summary
        Its summary.json survey and usage sections (baselines are read from them).
    playbook
        The plays; ``surveys/playbook.yml`` by default.

    Returns
    -------
    Diagnosis
        Register, plan, renewal, adoption score, segments and says-versus-does.
    """
    engagement = assessment.engagement
    t, k = engagement.thresholds, engagement.privacy.min_group_size
    playbook = playbook or load_playbook(engagement.playbook or "playbook")
    unavailable: dict[str, str] = {}
    usage_dept = _usage_by(assessment, "department")
    scores = assessment.scores
    respondents = None
    if scores is not None and scores.cube_part is not None and assessment.survey is not None:
        respondents = scores.cube_part.people.copy()
        if assessment.roster is not None:
            respondents = align_labels(respondents, assessment.roster)
        identity = assessment.survey.kept().set_index("respondent")["identity"]
        respondents["identity"] = identity.reindex(respondents.index)
    segments = None
    linked = None
    motivation_use: dict[str, Any] = {}
    drivers = None
    counts: dict[str, int] = {}
    by_group: dict[str, pd.DataFrame] = {}
    says: dict[str, pd.DataFrame] = {}
    link: dict[str, Any] = {}
    if respondents is not None and assessment.people is not None and scores is not None:
        key = assessment.key
        roster = assessment.roster
        names = (
            dict(zip(roster["name"], roster["email"], strict=True))
            if roster is not None and "name" in roster
            else {}
        )
        if "team" in respondents:
            respondents["team"] = respondents["team"].map(
                lambda n: person_pseudonym(names[n], key) if n in names else None
            )
        individuals = engagement.privacy.link_individuals
        link = link_rate(respondents, assessment.people, individuals=individuals)
        linked = respondents["identity"] if individuals else None
        use = usage_context(respondents, assessment.people, k, linked)
        placed = [by for by in GROUPS if by in respondents and respondents[by].notna().any()]
        usage_of = {
            by: usage_dept if by == "department" else _usage_by(assessment, by) for by in placed
        }
        if usage_of.get("team") is not None:
            drivers = _drivers(assessment, respondents["team"], usage_of["team"])
        # blocked rests on the barriers that relate to use, against the organisation
        weights = plan_importance(drivers)
        if linked is not None:
            drivers = with_person_level(drivers, _person_drivers(assessment, use, linked))
        held = barrier_score(scores.scores, assessment.survey.instrument, weights)
        segments = assign_segments(scores.types, held, use, t, len(engagement.key_features))
        counts = segment_counts(segments)
        if linked is not None:
            own = use["per_week"].where(use["level"] == "person")
            motivation_use = person_types_vs_use(scores.types, own, k)
        elif usage_of.get("team") is not None:
            motivation_use = team_types_vs_use(
                scores.lead, respondents["team"], usage_of["team"], k
            )
        reported = reported_days(scores.cube_part.classified, assessment.survey.instrument)
        # a grouping nobody could be placed in (no team question answered) is left out
        for by in placed:
            by_group[by] = segments_by_group(segments, respondents[by].rename(by), k)
            says[by] = says_versus_does(
                scores.cube_part.classified,
                respondents[by].rename(by),
                usage_of[by],
                k,
                t.low_use_days_per_week,
                reported,
            )
    else:
        unavailable["segments"] = "segments need both a survey and usage exports"
    if drivers is None:
        unavailable["drivers"] = "key drivers need a survey, usage exports and supervisor teams"
    else:
        unavailable.update({f"drivers.{m}": why for m, why in drivers.unavailable.items()})
    register = _register(assessment, summary, playbook, usage_dept, plan_importance(drivers))
    projection_renewal = _renewal(assessment)
    score = adoption_score(_score_components(summary, engagement))
    return Diagnosis(
        register=register,
        plan=plan_table(register.rows),
        renewal=projection_renewal,
        adoption_score=score,
        segments=segments,
        segment_counts=counts,
        segments_basis=None if segments is None else ("person" if linked is not None else "group"),
        motivation_use=motivation_use,
        segments_by_group=by_group,
        says_does=says,
        link=link,
        usage_by_department=usage_dept,
        drivers=drivers,
        unavailable=unavailable,
    )


def _drivers(assessment: Assessment, teams: pd.Series, team_usage: pd.DataFrame) -> DriverAnalysis:
    """Key drivers across supervisor teams (:mod:`adoption_lib.diagnosis.drivers`)."""
    scores = assessment.scores
    assert scores is not None and assessment.survey is not None
    families = assessment.survey.instrument.families
    k = assessment.engagement.privacy.min_group_size
    with step("diagnosis: key drivers across teams"):
        return team_drivers(scores.scores, teams, team_usage, families, k)


def _person_drivers(assessment: Assessment, use: pd.DataFrame, linked: pd.Series) -> DriverAnalysis:
    """Key drivers on each linked respondent's own use (only with link_individuals)."""
    scores, people = assessment.scores, assessment.people
    assert scores is not None and assessment.survey is not None and people is not None
    families = assessment.survey.instrument.families
    found = linked.where(use["level"] == "person")
    own = people.reindex(found.to_numpy())[["per_week", "effective"]].set_axis(found.index)
    k = assessment.engagement.privacy.min_group_size
    with step("diagnosis: key drivers across linked people"):
        return person_drivers(scores.scores, own, families, k)


def _usage_by(assessment: Assessment, by: str) -> pd.DataFrame | None:
    """Usage by a roster grouping with the register's signal columns (index: group)."""

    if assessment.usage is None or assessment.roster is None or assessment.people is None:
        return None
    roster = assessment.roster
    column = "supervisor" if by == "team" else by
    if column not in roster:
        return None
    k = assessment.engagement.privacy.min_group_size
    with step(f"usage: group table by {column}"):
        table = group_usage(assessment.usage, roster, column, k).set_index(column)
    if by == "team":
        key = assessment.key
        table.index = [person_pseudonym(s, key) if s else "" for s in table.index]
        table.index.name = "team"
    people = assessment.people
    if "breadth" in people and by in people:
        breadth = people.groupby(by, observed=True)["breadth"].median()
        table["breadth_median"] = breadth.reindex(table.index)
        table.loc[table["suppressed"], "breadth_median"] = float("nan")
    return table


def _register(
    assessment: Assessment,
    summary: dict[str, Any],
    playbook: Playbook,
    usage_dept: pd.DataFrame | None,
    importance: pd.Series | None,
) -> Register:
    scores = assessment.scores
    engagement = assessment.engagement
    if scores is None or assessment.survey is None:
        return Register(pd.DataFrame(), {}, [])
    labels = {c.id: c.label for c in assessment.survey.instrument.constructs}
    dept = scores.by_group.get("department", {})
    themes = summary.get("comment_themes", {})
    return build_register(
        summary,
        scores.barriers,
        scores.keys,
        {"barriers": dept.get("barriers"), "keys": dept.get("keys")},
        usage_dept,
        themes,
        playbook,
        labels,
        engagement.assessment_date,
        engagement.thresholds,
        importance,
        renewal_date=engagement.renewal_date,
    )


def _renewal(assessment: Assessment) -> Renewal:
    engagement = assessment.engagement
    t = engagement.thresholds
    usage, trends = assessment.usage, assessment.trends
    effective = usage.metrics.get("effective_users") if usage is not None else None
    weekly = (
        trends.weekly.set_index("week_start")["active"]
        if trends is not None and len(trends.weekly)
        else pd.Series(dtype=float)
    )
    ratios = None
    if trends is not None and trends.user_weeks is not None and len(weekly):
        by_week = effective_by_week(
            trends.user_weeks, window=t.effective_weeks_window, active=t.effective_weeks_active
        )
        ratios = (by_week / weekly.reindex(by_week.index)).replace([np.inf, -np.inf], np.nan)
    as_of = usage.end.date() if usage is not None and usage.end else engagement.assessment_date
    cap = usage.metrics.get("licensed_users") if usage is not None else None
    projection = project_effective(
        weekly.reset_index(drop=True),
        effective if effective is not None else 0,
        weeks_between(as_of, engagement.renewal_date),
        ratios=ratios,
        weeks=t.projection_weeks,
        min_weeks=t.projection_min_weeks,
        cap=cap,
    )
    if effective is None:
        projection.central = projection.low = projection.high = None
        projection.reason = (
            usage.unavailable.get("effective_users", "no usage export")
            if usage is not None
            else "no usage export"
        )
    metrics = usage.metrics if usage is not None else {}
    result = renewal(
        licenses=engagement.licenses,
        effective_now=effective,
        projection=projection,
        annual_contract_value=engagement.annual_contract_value,
        currency=engagement.currency,
        unassigned_seats=metrics.get("unassigned_seats"),
        low_risk_from=t.renewal_low_risk_from,
        high_risk_below=t.renewal_high_risk_below,
        week_starts=list(weekly.index),
    )
    result.figures["right_sizing"] = right_sizing(
        licenses=engagement.licenses,
        unassigned_seats=metrics.get("unassigned_seats"),
        never_activated=metrics.get("never_activated"),
        dormant_users=metrics.get("dormant_users"),
        annual_contract_value=engagement.annual_contract_value,
        currency=engagement.currency,
    )
    return result


def _score_components(summary: dict[str, Any], engagement: Any) -> dict[str, float | None]:
    usage = summary.get("usage", {})
    effective = usage.get("effective_users")
    breadth = usage.get("feature_breadth_median")
    barriers = [
        b["unfavourable_pct"]
        for b in summary.get("barriers", [])
        if b["unfavourable_pct"] is not None
    ]
    mix = summary.get("motivation", {}).get("mix", {})
    return {
        "effective_utilisation": None if effective is None else effective / engagement.licenses,
        "feature_breadth": (
            None
            if breadth is None or not engagement.key_features
            else breadth / len(engagement.key_features)
        ),
        "commitment_share": mix.get("commitment") if mix else None,
        "barrier_freedom": 1 - sum(barriers) / len(barriers) if barriers else None,
    }


def diagnosis_sections(diagnosis: Diagnosis) -> dict[str, Any]:
    """The summary.json keys of a diagnosis (DESIGN §4 and the extra detail).

    Returns
    -------
    dict
        ``segments``, ``segments_by_department``, ``renewal``, ``adoption_score``,
        ``actions``, ``says_versus_does``, ``link``, ``drivers`` and
        ``diagnosis_unavailable``.
    """
    dept = diagnosis.segments_by_group.get("department")
    says = diagnosis.says_does.get("department")
    renewal_figures = dict(diagnosis.renewal.figures)
    renewal_figures["notes"] = diagnosis.renewal.notes
    return {
        "segments": diagnosis.segment_counts,
        # person: each respondent's own use; group: their group's (counts, not labels)
        "segments_basis": diagnosis.segments_basis,
        "motivation_vs_use": diagnosis.motivation_use,
        "segments_by_department": _records(dept, "department") if dept is not None else [],
        "renewal": renewal_figures,
        "adoption_score": diagnosis.adoption_score,
        "actions": diagnosis.register.actions,
        "says_versus_does": _records(says, "department") if says is not None else [],
        "link": diagnosis.link,
        "drivers": driver_records(diagnosis.drivers) if diagnosis.drivers is not None else [],
        "diagnosis_unavailable": diagnosis.unavailable,
    }


def _records(table: pd.DataFrame, by: str) -> list[dict[str, Any]]:
    """A suppressed group table as JSON rows (NaN as null; withheld rows stay, blank)."""
    out = []
    for row in table.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if key == "group_size":
                continue
            clean[key] = json_number(value)
        out.append(clean)
    return out
