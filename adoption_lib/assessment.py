"""The measuring stages of one wave: the survey read and scored, usage read and trended.

:func:`assess` reads and scores the survey, reads the usage exports, computes trends
and builds the pseudonymised person-level usage table. :func:`build_cube` builds the
one client cube over both populations, once the diagnosis has assigned segments
(:func:`adoption_lib.pipeline.run` chains them). Person-level tables stay in the
returned object and in ``private/``; :func:`write_private` puts them there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.errors import RunError
from adoption_lib.inputs.roster import load_roster
from adoption_lib.log import LOGGER
from adoption_lib.privacy.pseudonyms import engagement_key
from adoption_lib.privacy.release import ORGANISATION_FIGURES, people_by_population
from adoption_lib.timings import step
from adoption_lib.usage.load import UsageResult, load_usage
from adoption_lib.usage.people import usage_people, write_private_table, write_usage_people
from adoption_lib.usage.trends import UsageTrends, usage_trends

if TYPE_CHECKING:
    from adoption_lib.privacy.cube import ClientCube
    from adoption_lib.survey.load import SurveyData
    from adoption_lib.survey.scores import SurveyScores


@dataclass
class Assessment:
    """The results of every stage for one engagement."""

    engagement: Engagement
    roster: pd.DataFrame | None = None
    survey: SurveyData | None = None
    scores: SurveyScores | None = None
    usage: UsageResult | None = None
    trends: UsageTrends | None = None
    #: person-level usage keyed by pseudonym (private: never in a client view)
    people: pd.DataFrame | None = None
    #: active weeks per pseudonymised person (private)
    people_weeks: pd.DataFrame | None = None
    #: the engagement's HMAC key, read (or created) once per run: every pseudonym uses it
    key: bytes = field(default=b"", repr=False)


def assess(
    engagement: Engagement,
    *,
    lenient: bool = False,
    as_of: date | None = None,
) -> Assessment:
    """Run the survey and usage stages.

    Parameters
    ----------
    engagement
        A validated engagement.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.
    as_of
        The end of every usage window; the assessment date by default.

    Returns
    -------
    Assessment
        Survey data and scores, usage metrics and trends, and the pseudonymised
        people table.
    """
    result = Assessment(engagement, key=engagement_key(engagement.private_dir, create=True))
    # Usage first, and the survey's and later stages' modules imported only after it:
    # scipy, statsmodels and their kin hold about 150 MB, which would otherwise be
    # resident beside DuckDB's scan of a large event log (the 1 GB peak of benchmarks/).
    if engagement.usage_exports:
        LOGGER.info("Reading the usage exports...")
        with step("usage: roster"):
            roster = load_roster(engagement)
        result.roster = roster
        result.usage = load_usage(engagement, roster, as_of)
        go_live = datetime.combine(engagement.go_live, time(0))
        licensed = list(roster.loc[roster["licensed"], "email"])
        with step("usage: trends, bands and segments"):
            keys = list(engagement.key_features)
            result.trends = usage_trends(result.usage, licensed, go_live, keys)
        with step("usage: person-level table"):
            result.people, result.people_weeks = usage_people(
                roster, result.usage, result.trends, result.key
            )
    if engagement.survey_exports:
        from adoption_lib.survey.load import load_survey  # heavy: scipy, after the scan
        from adoption_lib.survey.scores import score_survey  # heavy: scipy, after the scan

        with step("survey: read and check the exports"):
            result.survey = load_survey(engagement, lenient=lenient, key=result.key)
        with step("survey: scores"):
            result.scores = score_survey(result.survey, engagement)
    return result


def build_cube(assessment: Assessment, segments: pd.Series | None = None) -> ClientCube | None:
    """The suppressed client cube over the wave's respondents and licensed users.

    Parameters
    ----------
    assessment
        From :func:`assess`.
    segments
        Each kept respondent's adoption segment, from the diagnosis.

    Returns
    -------
    ClientCube or None
        None when the wave has neither a scored survey nor usage.
    """
    engagement = assessment.engagement
    survey_part = assessment.scores.cube_part if assessment.scores else None
    if survey_part is not None:
        survey_part = replace(survey_part, people=cube_respondents(assessment))
    if survey_part is None and assessment.people is None:
        return None
    from adoption_lib.privacy.cube import build_client_cube  # heavy: after the scan (see assess)

    return build_client_cube(
        list(engagement.privacy.client_dimensions),
        engagement.privacy.min_group_size,
        survey=survey_part,
        users=assessment.people,
        user_weeks=assessment.people_weeks,
        segments=segments if survey_part is not None else None,
        breakdown_size=engagement.privacy.min_breakdown_size,
        protection=engagement.privacy.protection_level,
        organisation_figures=organisation_figures(assessment),
    )


def organisation_figures(assessment: Assessment) -> dict[str, float | None]:
    """The usage stage's organisation-wide medians and DAU/MAU, for the client cube.

    Parameters
    ----------
    assessment
        From :func:`assess`.

    Returns
    -------
    dict
        Each of :data:`~adoption_lib.privacy.release.ORGANISATION_FIGURES` the usage
        metrics or trends hold (None where not measured); empty without usage.
    """
    measured = {
        **(assessment.usage.metrics if assessment.usage else {}),
        **(assessment.trends.figures if assessment.trends else {}),
    }
    return {name: measured[name] for name in ORGANISATION_FIGURES if name in measured}


def audit_truth(
    assessment: Assessment, segments: pd.Series | None = None
) -> dict[str, pd.DataFrame]:
    """The person-level truth the disclosure audit checks a released cube against.

    Parameters
    ----------
    assessment
        From :func:`assess`.
    segments
        Each kept respondent's adoption segment, from the diagnosis.

    Returns
    -------
    dict of str to pandas.DataFrame
        :func:`adoption_lib.privacy.release.people_by_population` of the wave's
        respondents and licensed users.
    """
    dims = list(assessment.engagement.privacy.client_dimensions)
    part = assessment.scores.cube_part if assessment.scores else None
    respondents = cube_respondents(assessment) if part is not None else None
    frames = [f for f in (respondents, assessment.people) if f is not None]
    dims = [d for d in dims if all(d in f for f in frames)]
    return people_by_population(
        dims,
        respondents,
        part.types if part is not None else None,
        segments if part is not None else None,
        assessment.people,
        assessment.people_weeks,
    )


def write_private(assessment: Assessment, segments: pd.Series | None = None) -> list[Path]:
    """Write the person-level tables into the engagement's ``private/`` folder.

    ``usage_people.parquet`` (pseudonymised usage per licensed user) and, when the
    diagnosis assigned segments, ``segments.parquet`` (each respondent's segment).

    Returns
    -------
    list of Path
        The files written.
    """
    private = assessment.engagement.private_dir
    written = []
    if assessment.people is not None:
        written.append(write_usage_people(assessment.people, private))
    if segments is not None:
        frame = segments.to_frame().rename_axis("respondent")
        written.append(write_private_table(frame, private, "segments.parquet"))
    return written


def cube_respondents(assessment: Assessment) -> pd.DataFrame:
    """Kept respondents' group columns as the client cube counts them.

    Labels are spelled as in the roster (:func:`align_labels`) when there is one, so
    respondents and licensed users share cells.

    Raises
    ------
    ValueError
        For an assessment without a scored survey.
    """
    if assessment.scores is None or assessment.scores.cube_part is None:
        raise RunError("cube_respondents needs an assessment with a scored survey")
    people = assessment.scores.cube_part.people
    return people if assessment.roster is None else align_labels(people, assessment.roster)


def align_labels(people: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Spell respondents' group answers as the roster does, so both populations share cells.

    Survey answers and the roster often differ only in letter case or spacing ("End
    user" and "end user"); such answers take the roster's spelling. Answers that match
    no roster value (for example "(not answered)") are left as they are.

    Parameters
    ----------
    people
        Respondents with group columns.
    roster
        The roster.

    Returns
    -------
    pandas.DataFrame
        A copy with aligned labels.
    """
    out = people.copy()
    for column in out.columns.intersection(roster.columns):
        spelled = {_label_key(v): v for v in roster[column].dropna().astype(str).unique()}
        keys = out[column].map(_label_key)
        out[column] = keys.map(spelled).fillna(out[column])
    return out


def _label_key(value: object) -> str:
    return " ".join(str(value).split()).casefold()
