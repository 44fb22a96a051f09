"""A re-measure wave of the synthetic engagement: planted changes, then 90 more days.

After the baseline, some departments' latent traits change (the planted improvements
and deterioration of :class:`WaveSpec`); everyone else's stay as they were (the
negative control). The generator then simulates use from the previous wave's date to
the wave's, with draws independent of the baseline's, and fields the survey again.
The wave's exports are what a consultant would pull on its date: LoginHistory for the
last ~6 months, the User export, the whole event-log extract and the new survey.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from adoption_lib.config.instrument import load_instrument
from adoption_lib.synthetic.accounts import simulate_accounts
from adoption_lib.synthetic.behaviour import Event, Login, simulate
from adoption_lib.synthetic.event_log import write_event_log
from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.qualtrics_file import write_qualtrics_csv
from adoption_lib.synthetic.salesforce import write_login_history, write_users
from adoption_lib.synthetic.scenario import Scenario, WaveSpec
from adoption_lib.synthetic.survey import simulate_survey
from adoption_lib.synthetic.truth import compute_truth


def changed_people(people: list[Person], spec: WaveSpec) -> list[Person]:
    """The population after the wave's planted changes (the rest unchanged)."""
    changes = {c.department: c for c in spec.changes}
    out = []
    for person in people:
        change = changes.get(person.department)
        if change is None:
            out.append(person)
            continue
        manager = person.role != "end user"
        out.append(
            replace(
                person,
                commitment=person.commitment + change.commitment,
                process_barrier=person.process_barrier + change.process_barrier,
                habit=person.habit + change.habit,
                coaching=person.coaching + (change.coaching if manager else 0.0),
            )
        )
    return out


@dataclass
class Baseline:
    """What the baseline generation produced, which a wave continues."""

    people: list[Person]
    accounts: list[Any]
    logins: list[Login]
    events: list[Event]
    ids: dict[str, str]
    previous_date: date


def generate_wave(
    folder: Path, seed: int, scenario: Scenario, spec: WaveSpec, number: int, baseline: Baseline
) -> tuple[list[Path], dict[str, Any]]:
    """Write one wave's exports under ``exports/<wave>/`` and return its truth.

    Parameters
    ----------
    folder
        The engagement folder.
    seed
        The engagement's seed.
    scenario
        The engagement's scenario.
    spec
        The wave.
    number
        The wave's position (1 for the first re-measure): its random streams.
    baseline
        The previous wave's population and simulated activity; extended in place with
        this wave's, so a later wave continues from it.

    Returns
    -------
    paths, truth
        The files written, and the counts PLANTED.md reports.
    """
    people = changed_people(baseline.people, spec)
    window = replace(scenario, go_live=baseline.previous_date, assessment_date=spec.assessment_date)
    logins, events, _ = simulate(people, window, seed, stream=number)
    more_logins, more_events = simulate_accounts(
        baseline.accounts, people, window, seed, stream=number
    )
    baseline.logins += logins + more_logins
    baseline.events += events + more_events
    baseline.people, baseline.previous_date = people, spec.assessment_date
    usage = folder / "exports" / spec.name / "usage"
    survey = folder / "exports" / spec.name / "survey"
    usage.mkdir(parents=True, exist_ok=True)
    survey.mkdir(parents=True, exist_ok=True)
    paths = [
        usage / "LoginHistory.csv",
        usage / "User.csv",
        usage / "crm_events.csv.gz",
        survey / "northwind_adoption_survey.csv",
    ]
    last_login: dict[str, datetime] = {}
    for login in baseline.logins:
        if login.status == "Success" and login.at > last_login.get(
            login.user, login.at - timedelta(1)
        ):
            last_login[login.user] = login.at
    end = datetime.combine(spec.assessment_date, time(7, 30), tzinfo=UTC)
    start = end - timedelta(days=scenario.login_history_days)
    emails = {str(p.idx): p.crm_email for p in people} | {a.key: a.email for a in baseline.accounts}
    write_login_history(paths[0], baseline.logins, baseline.ids, start, end, seed + number)
    write_users(paths[1], people, baseline.accounts, baseline.ids, last_login, scenario)
    write_event_log(paths[2], baseline.events, emails, seed + number)
    instrument = load_instrument(scenario.instrument)
    header, responses, survey_truth = simulate_survey(
        people,
        instrument,
        scenario.system,
        seed,
        window=(spec.survey_opened, spec.survey_closed),
        stream=number,
    )
    write_qualtrics_csv(paths[3], header, responses)
    truth = compute_truth(
        window, people, baseline.accounts, baseline.logins, baseline.events, start
    )
    truth["survey"] = {
        "rows_received": survey_truth.received,
        "respondents_kept": survey_truth.kept,
        "kept_by_department": survey_truth.respondents_by_department,
    }
    return paths, truth
