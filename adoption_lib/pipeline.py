"""One wave through every stage, once, in order: the only place the stages are chained.

    engagement -> survey data -> survey scores  ┐
                  usage data  -> usage trends   ┴-> assessment -> summary sections
               -> diagnosis (reads the summary's baselines)
               -> client cube (built once, with the diagnosis's segments; frozen)
               -> summary.json (the cube's figures and the diagnosis added)

The command line (``adoption summary``), the reports (:mod:`adoption_lib.reports.data`,
:mod:`adoption_lib.reports.run`), the dashboard and re-measure
(:mod:`adoption_lib.remeasure.progress`) all call :func:`run`; re-measure compares two
results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from adoption_lib.assessment import Assessment, assess, build_cube, write_private
from adoption_lib.config.schema import Engagement
from adoption_lib.config.waves import require_exports
from adoption_lib.summary import cube_figures, summarise
from adoption_lib.timings import step

if TYPE_CHECKING:
    from adoption_lib.diagnosis.diagnose import Diagnosis
    from adoption_lib.privacy.cube import ClientCube


@dataclass(frozen=True)
class PipelineResult:
    """One wave run through every stage.

    Attributes
    ----------
    engagement
        The wave's engagement (its own dates and exports).
    assessment
        The measuring stages' output, person-level: keep it in memory or ``private/``.
    diagnosis
        Segments, register, plan and renewal; None for a wave with nothing measured.
    cube
        The client cube, the privacy boundary: every client view reads only this.
    summary
        The wave's summary.json, organisation-wide figures only.
    """

    engagement: Engagement
    assessment: Assessment
    diagnosis: Diagnosis | None
    cube: ClientCube | None
    summary: dict[str, Any]


def run(
    engagement: Engagement,
    *,
    wave: str | None = None,
    as_of: date | None = None,
    lenient: bool = False,
    keep_private: bool = False,
) -> PipelineResult:
    """Run one wave of an engagement through every stage once.

    Parameters
    ----------
    engagement
        A validated engagement.
    wave
        The wave to run (``baseline`` or a wave's name); when None, ``engagement`` is
        taken as it is: the baseline, or a wave already narrowed with
        :func:`adoption_lib.config.waves.for_wave`.
    as_of
        The end of every usage window; the assessment date by default.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.
    keep_private
        Also write the person-level tables into the engagement's ``private/``.

    Returns
    -------
    PipelineResult
        The assessment, its diagnosis, the client cube and the summary.

    Raises
    ------
    InputError
        For an unknown wave, or a wave that lists no export yet.
    """
    if wave is not None:
        engagement = require_exports(engagement, wave)
    assessment = assess(engagement, lenient=lenient, as_of=as_of)
    # imported once the usage scan is over, so that statsmodels and scipy are not resident
    # beside it (adoption_lib.assessment.assess says why): a heavy import
    from adoption_lib.diagnosis.diagnose import diagnose, diagnosis_sections

    with step("summary"):
        summary = summarise(assessment)
    diagnosis = None
    if assessment.scores is not None or assessment.usage is not None:
        # The diagnosis reads the summary's organisation-wide figures as its baselines.
        with step("diagnosis"):
            diagnosis = diagnose(assessment, summary)
    segments = diagnosis.segments if diagnosis is not None else None
    with step("client cube and disclosure audit"):
        cube = build_cube(assessment, segments)
    summary["privacy"].update(cube_figures(cube))
    if diagnosis is not None:
        summary.update(diagnosis_sections(diagnosis))
    if keep_private:
        with step("private tables"):
            write_private(assessment, segments)
    return PipelineResult(engagement, assessment, diagnosis, cube, summary)
