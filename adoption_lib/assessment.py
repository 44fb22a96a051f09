"""Run every stage built so far on one engagement and keep the results together.

:func:`assess` is what ``adoption summary``, ``adoption demo`` and (later) the notebooks
call: it reads and scores the survey, reads the usage exports, computes trends, builds
the pseudonymised person-level usage table and the one client cube over both
populations. Person-level tables stay in the returned object and in ``private/``;
:func:`write_private` puts them there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from adoption_lib.engagement_schema import Engagement
from adoption_lib.errors import RunError
from adoption_lib.log import LOGGER

if TYPE_CHECKING:  # the survey stack imports scipy: only when a survey is read
    from adoption_lib.client_cube import ClientCube
    from adoption_lib.diagnosis import Diagnosis
    from adoption_lib.ingest import SurveyData
    from adoption_lib.survey_scores import SurveyScores
    from adoption_lib.usage_metrics import UsageResult
    from adoption_lib.usage_trends import UsageTrends


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
    cube: ClientCube | None = None
    #: set by :func:`adoption_lib.pipeline.run` (it needs the summary's baselines)
    diagnosis: Diagnosis | None = None


def assess(
    engagement: Engagement,
    *,
    lenient: bool = False,
    survey: SurveyData | None = None,
    as_of: date | None = None,
) -> Assessment:
    """Run the survey and usage stages and build the client cube.

    Parameters
    ----------
    engagement
        A validated engagement.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.
    survey
        An already loaded survey, so that a caller who read it does not read it twice.
    as_of
        The end of every usage window; the assessment date by default.

    Returns
    -------
    Assessment
        Survey data and scores, usage metrics and trends, the pseudonymised people
        table and the suppressed client cube.
    """
    from adoption_lib.client_cube import build_client_cube
    from adoption_lib.pseudonymise import engagement_key
    from adoption_lib.roster import load_roster
    from adoption_lib.usage_metrics import load_usage
    from adoption_lib.usage_people import usage_people
    from adoption_lib.usage_trends import usage_trends

    result = Assessment(engagement)
    if engagement.survey_exports:
        from adoption_lib.ingest import load_survey
        from adoption_lib.survey_scores import score_survey

        result.survey = survey if survey is not None else load_survey(engagement, lenient=lenient)
        result.scores = score_survey(result.survey, engagement)
    if engagement.usage_exports:
        LOGGER.info("Reading the usage exports...")
        roster = load_roster(engagement)
        result.roster = roster
        result.usage = load_usage(engagement, roster, as_of)
        go_live = datetime.combine(engagement.go_live, time(0))
        licensed = list(roster.loc[roster["licensed"], "email"])
        result.trends = usage_trends(result.usage, licensed, go_live, list(engagement.key_features))
        key = engagement_key(engagement.private_dir, create=True)
        result.people, result.people_weeks = usage_people(roster, result.usage, result.trends, key)
    survey_part = result.scores.cube_part if result.scores else None
    if survey_part is not None:
        survey_part = replace(survey_part, people=cube_respondents(result))
    if survey_part is not None or result.people is not None:
        result.cube = build_client_cube(
            list(engagement.privacy.client_dimensions),
            engagement.privacy.min_group_size,
            survey=survey_part,
            users=result.people,
            user_weeks=result.people_weeks,
        )
    return result


def write_private(assessment: Assessment) -> list[Path]:
    """Write the person-level tables into the engagement's ``private/`` folder.

    ``usage_people.parquet`` (pseudonymised usage per licensed user) and, once the
    summary has run the diagnosis, ``segments.parquet`` (each respondent's segment).

    Returns
    -------
    list of Path
        The files written.
    """
    from adoption_lib.usage_people import write_private_table, write_usage_people

    private = assessment.engagement.private_dir
    written = []
    if assessment.people is not None:
        written.append(write_usage_people(assessment.people, private))
    diagnosis = assessment.diagnosis
    if diagnosis is not None and diagnosis.segments is not None:
        frame = diagnosis.segments.to_frame().rename_axis("respondent")
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
