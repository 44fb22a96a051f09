"""A seeded generator of synthetic engagements in real vendor export formats.

``generate_engagement(folder, seed)`` writes a complete engagement: ``engagement.yml``,
the HR roster, Salesforce LoginHistory and User exports (Data Loader layout), a generic
event log, and ``PLANTED.md`` with what was planted and the ground truth as generated.
Regenerating with the same seed gives byte-identical files.

Module map: :mod:`.scenario` (who and what), :mod:`.population` (people and traits),
:mod:`.behaviour` (daily use from traits), :mod:`.accounts` (non-roster accounts),
:mod:`.salesforce` and :mod:`.event_log` (writers), :mod:`.truth` and :mod:`.planted`
(ground truth and its report), :mod:`.wave` (re-measure waves with planted changes, on
random streams of their own so the baseline's files never change).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from adoption_lib.config.instrument import load_instrument
from adoption_lib.errors import EngagementExistsError
from adoption_lib.log import LOGGER
from adoption_lib.synthetic.accounts import other_accounts, simulate_accounts
from adoption_lib.synthetic.behaviour import simulate
from adoption_lib.synthetic.event_log import write_event_log, write_roster
from adoption_lib.synthetic.planted import write_engagement_yml, write_planted
from adoption_lib.synthetic.population import build_population
from adoption_lib.synthetic.qualtrics_file import write_qualtrics_csv
from adoption_lib.synthetic.salesforce import assign_user_ids, write_login_history, write_users
from adoption_lib.synthetic.scenario import DEMO_SEED, NORTHWIND, Scenario
from adoption_lib.synthetic.survey import (
    SURVEY_CLOSED,
    SURVEY_OPENED,
    simulate_survey,
)
from adoption_lib.synthetic.truth import compute_truth
from adoption_lib.synthetic.wave import Baseline, generate_wave

__all__ = ["DEMO_SEED", "NORTHWIND", "generate_engagement"]

GENERATED = (
    "engagement.yml",
    "PLANTED.md",
    "exports/roster.csv",
    "exports/usage/LoginHistory.csv",
    "exports/usage/User.csv",
    "exports/usage/crm_events.csv.gz",
    "exports/survey/northwind_adoption_survey.csv",
)


def _progress(message: str) -> None:
    LOGGER.info(f"  synth: {message}")


def generate_engagement(
    folder: Path, seed: int = DEMO_SEED, scenario: Scenario = NORTHWIND, overwrite: bool = False
) -> list[Path]:
    """Write a synthetic engagement into ``folder``.

    Parameters
    ----------
    folder
        Target engagement folder; created when missing.
    seed
        Generator seed; the demo uses :data:`DEMO_SEED`.
    scenario
        The scenario to simulate.
    overwrite
        Replace generated files that already exist.

    Returns
    -------
    list of Path
        The files written, in :data:`GENERATED` order, then each wave's exports.

    Raises
    ------
    EngagementExistsError
        When a generated file exists and ``overwrite`` is false.
    """
    folder = Path(folder)
    paths = [folder / name for name in GENERATED]
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        raise EngagementExistsError(
            f"{folder}: refusing to overwrite {existing[0].name} (use --force)"
        )
    (folder / "exports" / "usage").mkdir(parents=True, exist_ok=True)
    (folder / "exports" / "survey").mkdir(parents=True, exist_ok=True)
    _progress(f"population of {scenario.client} (seed {seed})")
    people = build_population(scenario, seed)
    accounts = other_accounts(scenario, seed)
    _progress(f"simulating {(scenario.assessment_date - scenario.go_live).days} days of use")
    logins, events, _ = simulate(people, scenario, seed)
    more_logins, more_events = simulate_accounts(accounts, people, scenario, seed)
    logins += more_logins
    events += more_events
    keys = [str(p.idx) for p in people if p.licensed] + [a.key for a in accounts]
    ids = assign_user_ids(keys, seed)
    last_login: dict[str, datetime] = {}
    for login in logins:
        if login.status == "Success" and login.at > last_login.get(
            login.user, login.at - timedelta(1)
        ):
            last_login[login.user] = login.at
    end = datetime.combine(scenario.assessment_date, time(7, 30), tzinfo=UTC)
    start = end - timedelta(days=scenario.login_history_days)
    emails = {str(p.idx): p.crm_email for p in people} | {a.key: a.email for a in accounts}
    _progress("writing exports")
    counts = {
        "roster": write_roster(paths[2], people, seed),
        "login_history": write_login_history(paths[3], logins, ids, start, end, seed),
        "users": write_users(paths[4], people, accounts, ids, last_login, scenario),
    }
    counts["events"], counts["duplicate_events"] = write_event_log(paths[5], events, emails, seed)
    _progress("simulating the survey")
    instrument = load_instrument(scenario.instrument)
    header, responses, survey_truth = simulate_survey(people, instrument, scenario.system, seed)
    counts["survey_rows"] = write_qualtrics_csv(paths[6], header, responses)
    truth = compute_truth(scenario, people, accounts, logins, events, start)
    truth["survey"] = {
        "rows_received": survey_truth.received,
        "respondents_kept": survey_truth.kept,
        "excluded": survey_truth.excluded,
        "kept_by_department": survey_truth.respondents_by_department,
    }
    truth["files"] = counts
    truth["login_history_window"] = [start.isoformat(), end.isoformat()]
    truth["seed"] = seed
    truth["survey_window"] = [SURVEY_OPENED.isoformat(), SURVEY_CLOSED.isoformat()]
    state = Baseline(people, accounts, list(logins), list(events), ids, scenario.assessment_date)
    truth["waves"] = {}
    for number, spec in enumerate(scenario.waves, start=1):
        days = (spec.assessment_date - state.previous_date).days
        _progress(f"wave {spec.name}: planted changes, {days} more days, the survey again")
        written, truth["waves"][spec.name] = generate_wave(
            folder, seed, scenario, spec, number, state
        )
        paths += written
    write_engagement_yml(paths[0], scenario)
    write_planted(paths[1], scenario, truth)
    _progress(f"done: {counts['login_history']} logins, {counts['events']} events")
    return paths
