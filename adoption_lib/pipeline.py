"""One wave through every stage, once, in order: the only place the stages are chained.

    engagement -> survey data -> survey scores  ┐
                  usage data  -> usage trends   ┴-> assessment -> diagnosis
               -> client cube (complete: segments added here, never changed after)
               -> summary.json

The command line (``adoption summary``), the reports (:mod:`adoption_lib.report_data`,
:mod:`adoption_lib.report_run`), the dashboard and re-measure
(:mod:`adoption_lib.progress`) all call :func:`run`; re-measure compares two results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from adoption_lib.assessment import Assessment, assess, cube_respondents, write_private
from adoption_lib.client_cube import add_segments
from adoption_lib.diagnosis import diagnose, diagnosis_sections
from adoption_lib.engagement_schema import Engagement
from adoption_lib.ingest import SurveyData
from adoption_lib.summary import summarise


@dataclass(frozen=True)
class PipelineResult:
    """One wave run through every stage.

    Attributes
    ----------
    engagement
        The wave's engagement (its own dates and exports).
    assessment
        Every stage's output, person-level: keep it in memory or ``private/``.
    summary
        The wave's summary.json, organisation-wide figures only.
    """

    engagement: Engagement
    assessment: Assessment
    summary: dict[str, Any]


def run(
    engagement: Engagement,
    *,
    as_of: date | None = None,
    lenient: bool = False,
    survey: SurveyData | None = None,
    keep_private: bool = False,
) -> PipelineResult:
    """Run one wave of an engagement through every stage once.

    Parameters
    ----------
    engagement
        A validated engagement, already narrowed to one wave
        (:func:`adoption_lib.waves.for_wave`).
    as_of
        The end of every usage window; the assessment date by default.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.
    survey
        An already loaded survey (``adoption survey check`` reads it first).
    keep_private
        Also write the person-level tables into the engagement's ``private/``.

    Returns
    -------
    PipelineResult
        The assessment, with its diagnosis and a complete client cube, and the summary.
    """
    assessment = assess(engagement, lenient=lenient, survey=survey, as_of=as_of)
    summary = summarise(assessment)
    if assessment.scores is not None or assessment.usage is not None:
        # The diagnosis reads the summary's organisation-wide figures as its baselines.
        assessment.diagnosis = diagnose(assessment, summary)
        summary.update(diagnosis_sections(assessment.diagnosis))
        if assessment.cube is not None and assessment.diagnosis.segments is not None:
            add_segments(
                assessment.cube, cube_respondents(assessment), assessment.diagnosis.segments
            )
    if keep_private:
        write_private(assessment)
    return PipelineResult(engagement, assessment, summary)
