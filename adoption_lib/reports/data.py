"""Each audience's data built from a wave's pipeline result (the heavy half of the reports).

``consultant`` reports get the whole summary and the group tables (departments, roles,
supervisor teams, says versus does, registers). ``client`` reports get only the
suppressed client cube (DESIGN §5) and organisation-wide figures: no group table that
did not pass the cube's suppression, no supervisor team, no comment verbatim, no
identifier. :func:`report_data` is what a notebook calls; ``adoption run`` computes the
assessment once and leaves both bundles in a cache folder the notebooks read
(``$ADOPTION_REPORT_CACHE``), outside the report folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import BASELINE, for_wave
from adoption_lib.pipeline import PipelineResult, run
from adoption_lib.privacy.client_summary import client_summary
from adoption_lib.reports.bundle import ReportData
from adoption_lib.survey.comments import verbatims
from adoption_lib.usage.trends import cohort_retention


def build_bundles(
    engagement_path: str | Path,
    as_of: date | None = None,
    *,
    keep_private: bool = False,
    wave: str | None = None,
) -> dict[str, ReportData]:
    """Run the assessment once and split it into the two audiences' data.

    Parameters
    ----------
    engagement_path
        The engagement folder or its yml.
    as_of
        The end of every usage window; the assessment date by default.
    keep_private
        Also write the person-level tables into the engagement's ``private/``.
    wave
        The wave to assess (:mod:`adoption_lib.config.waves`); the baseline when None.

    Returns
    -------
    dict
        ``consultant`` and ``client`` :class:`ReportData`.
    """
    result = assess_wave(engagement_path, as_of, wave, keep_private=keep_private)
    return bundles_of(result, as_of, wave)


def assess_wave(
    engagement_path: str | Path,
    as_of: date | None = None,
    wave: str | None = None,
    *,
    keep_private: bool = False,
) -> PipelineResult:
    """Run one wave of the engagement at ``engagement_path`` through the pipeline.

    Returns
    -------
    PipelineResult
        Person-level: keep it in memory.
    """
    engagement = for_wave(load_engagement(engagement_path), wave or BASELINE)
    return run(engagement, as_of=as_of, keep_private=keep_private)


def bundles_of(
    result: PipelineResult, as_of: date | None = None, wave: str | None = None
) -> dict[str, ReportData]:
    """The two audiences' data of a wave run through the pipeline.

    Returns
    -------
    dict
        ``consultant`` and ``client`` :class:`ReportData`.
    """
    assessment, cube, summary = result.assessment, result.cube, result.summary
    engagement = assessment.engagement
    about = {
        "client": engagement.client,
        "system": engagement.system,
        "assessment_date": engagement.assessment_date.isoformat(),
        "as_of": (as_of or engagement.assessment_date).isoformat(),
        "go_live": engagement.go_live.isoformat(),
        "renewal_date": engagement.renewal_date.isoformat(),
        "licenses": engagement.licenses,
        "min_group_size": engagement.privacy.min_group_size,
        # the dimensions the cube could really be built on: a roster or survey without
        # role leaves role out, whatever engagement.yml asks for
        "client_dimensions": list(
            cube.dimensions if cube is not None else engagement.privacy.client_dimensions
        ),
        "consent_basis": engagement.privacy.consent_basis,
        "key_features": list(engagement.key_features),
        "wave": wave or BASELINE,
        "thresholds": {
            "barrier_flag_unfavourable": engagement.thresholds.barrier_flag_unfavourable,
            "keys": engagement.thresholds.keys.model_dump(),
        },
    }
    released = cube.tables() if cube is not None else {}
    tables: dict[str, pd.DataFrame] = {}
    if assessment.scores is not None:
        for by, group in assessment.scores.by_group.items():
            for name, table in group.items():
                tables[f"{name}_by_{by}"] = table
        tables["reliability"] = pd.DataFrame(
            [
                {
                    "construct": c,
                    "alpha": r.alpha,
                    "omega": r.omega,
                    "n": r.n,
                    "flags": ", ".join(r.flags),
                }
                for c, r in assessment.scores.reliability.items()
            ]
        )
    diagnosis = result.diagnosis
    if diagnosis is not None:
        for by, table in diagnosis.segments_by_group.items():
            tables[f"segments_by_{by}"] = table
        for by, table in diagnosis.says_does.items():
            tables[f"says_does_by_{by}"] = table
        tables["register"] = diagnosis.register.rows
        tables["plan"] = diagnosis.plan
        for department, table in diagnosis.register.by_department.items():
            tables[f"register_{department}"] = table
        if diagnosis.usage_by_department is not None:
            tables["usage_by_department"] = diagnosis.usage_by_department.reset_index()
    if assessment.usage is not None and assessment.usage.days is not None:
        roster = assessment.roster
        licensed = list(roster.loc[roster["licensed"], "email"]) if roster is not None else []
        tables["cohorts"] = cohort_retention(
            assessment.usage, licensed, engagement.privacy.min_group_size
        )
    quality: dict[str, Any] = {}
    if assessment.survey is not None:
        quality = {"report": assessment.survey.quality}
    consultant = ReportData("consultant", about, summary, released, tables, quality)
    dims = about["client_dimensions"]
    k = engagement.privacy.min_group_size
    client = ReportData("client", about, client_summary(summary, released, dims, k), released)
    if assessment.survey is not None and assessment.scores is not None:
        consultant.verbatims, client.verbatims = _verbatims(assessment)
    return {"consultant": consultant, "client": client}


def _verbatims(assessment: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scrubbed verbatims by department for the consultant, and for the client view."""

    engagement = assessment.engagement
    survey = assessment.survey
    kept = survey.kept().set_index("respondent")
    comments = survey.comments[survey.comments["respondent"].isin(kept.index)]
    groups = assessment.scores.cube_part.people.get("department")
    if groups is None:
        groups = pd.Series("all", index=kept.index)
    roster = assessment.roster
    names = list(roster["name"].dropna()) if roster is not None and "name" in roster else []
    privacy = engagement.privacy
    return (
        verbatims(comments, groups, names, privacy.min_comment_group, audience="consultant"),
        verbatims(
            comments,
            groups,
            names,
            privacy.min_comment_group,
            audience="client",
            show_verbatims=privacy.show_verbatims,
        ),
    )
