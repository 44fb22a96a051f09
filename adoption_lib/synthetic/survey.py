"""Simulate the stakeholder survey and write it as a Qualtrics CSV export.

Answers come from the same latent traits that drive usage: motivation items from
commitment, compliance and WIIFM; process-related barrier items from the process
barrier; access items from the access barrier; the supervisor key and managers'
coaching items from the supervisor's coaching; plus organisation-wide barrier and key
levels (evaluations that ignore the system, no named owner, a plan nobody knows) that
every department shares, and item noise. Managers see the managers module and rate the
Keys more favourably than end users do (a gap the method treats as a finding).

Planted data-quality cases, each clean so that its exclusion reason is unambiguous:
previews and a test, partial responses, retakes (duplicates), speeders and
straight-liners. Comments include commas, quotes, line breaks and emoji.

The export is what Qualtrics writes for a survey imported from
``adoption survey export --format qualtrics``: item ids as export tags, three header
rows, choice text, UTF-8 with a BOM and CRLF line ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from adoption_lib.config.instrument import Instrument, Item
from adoption_lib.synthetic.population import Person
from adoption_lib.synthetic.qualtrics_file import ZONE, header_rows

STREAM_SURVEY = 6
SURVEY_OPENED = date(2026, 10, 5)
SURVEY_CLOSED = date(2026, 10, 23)
#: Organisation-wide levels (z) of each barrier and key: what every department shares.
ORG_LEVEL = {
    "process_fit": 0.1,
    "roles": -0.1,
    "routines": 0.0,
    "performance": -0.9,
    "tools_access": 0.4,
    "data_trust": 0.1,
    "training_support": -0.1,
    "behaviour_clarity": -0.8,
    "key1_people": -0.2,
    "key2_plan": -0.6,
    "key3_owner": -0.9,
    "key4_leadership": -0.1,
}
#: A negative control among the barriers: its answers vary by supervisor team, drawn on
#: a random stream of its own, and follow no trait that drives use, so a key-driver
#: analysis must rank it below every barrier that does (and the other answers and files
#: are the same draws as without it).
NO_EFFECT_BARRIER = "data_trust"
STREAM_NO_EFFECT = 99
#: How much each barrier item follows the person's process and access barriers.
LOADINGS = {
    "process_fit": (1.0, 0.0),
    "roles": (0.5, 0.0),
    "routines": (0.6, 0.0),
    "performance": (0.2, 0.0),
    "tools_access": (0.1, 0.9),
    "data_trust": (0.0, 0.0),  # the negative control: see NO_EFFECT_BARRIER
    "training_support": (0.2, 0.4),
    "behaviour_clarity": (0.3, 0.0),
}
DONT_KNOW = {
    "key2_plan": 0.22,
    "key3_owner": 0.30,
    "key1_people": 0.08,
    "key4_leadership": 0.08,
    "key5_supervisor": 0.04,
}
COMMENTS = {
    "process_fit": [
        "We log every job twice, once in the CRM and once in the dispatch sheet, because the process never changed.",
        'The "approved" step needs a manager who is never at a desk; the system can\'t match how we actually work.',
        "Half my day is workarounds.\nThe other half is re-keying them.",
    ],
    "behaviour_clarity": [
        "Nobody has told us what 'good' looks like, just \"use it more\".",
        "Which fields actually matter? We get a different answer from every manager.",
    ],
    "performance": [
        "My bonus is on revenue, not on what I type in, so guess what comes first 🤷",
        "Time in the system counts against my call numbers, so I do it on Friday afternoons.",
    ],
    "tools_access": [
        "Still can't log in on my tablet, raised a ticket in March, nothing yet.",
        "Lost my access twice after password resets; gave up for a while 😞",
    ],
    "commitment": [
        "When everyone updates the pipeline, our Monday meeting takes 20 minutes instead of an hour 👍",
        "I like that I can pick up a colleague's account, see the history, and just carry on.",
    ],
    "key3_owner": ["Who actually owns this? IT says the business, the business says IT."],
}


@dataclass(frozen=True)
class SurveyTruth:
    """What the simulated survey planted, for PLANTED.md."""

    received: int
    kept: int
    excluded: dict[str, int]
    respondents_by_department: dict[str, int]


def simulate_survey(
    people: list[Person],
    instrument: Instrument,
    system: str,
    seed: int,
    window: tuple[date, date] = (SURVEY_OPENED, SURVEY_CLOSED),
    stream: int = 0,
) -> tuple[list[list[str]], list[dict], SurveyTruth]:
    """Simulate the survey responses, kept and planted, in Qualtrics column order.

    Parameters
    ----------
    people
        The population (licensed people are invited).
    instrument
        The instrument fielded.
    system
        Fills ``{system}``.
    seed
        The generator seed.
    window
        The days the survey was open (a re-measure wave has its own).
    stream
        0 for the baseline; a wave's own number, so its answers are drawn afresh.

    Returns
    -------
    header_rows, responses, truth
        The three Qualtrics header rows, one dict per response row (column name to
        text), and the planted counts.
    """
    rng = np.random.default_rng([seed, STREAM_SURVEY, stream] if stream else [seed, STREAM_SURVEY])
    by_idx = {p.idx: p for p in people}
    views = team_views(people, seed)
    invited = [p for p in people if p.licensed]
    responses: list[dict] = []
    excluded = {
        "preview_or_test": 0,
        "duplicate": 0,
        "incomplete": 0,
        "speeder": 0,
        "straight_line": 0,
    }
    kept_by_dept: dict[str, int] = {}
    plan = []
    for person in invited:
        # A sponsored survey with reminders: most people answer, engaged ones a little
        # more often, people who never activated the system much less.
        drive = 1.3 + 0.2 * person.commitment - (1.2 if person.never_activated else 0.0)
        p_respond = 1 / (1 + np.exp(-drive))
        if rng.random() < p_respond:
            plan.append(person)
    special = rng.permutation(len(plan))
    kinds = ["partial"] * 12 + ["speeder"] * 7 + ["straight"] * 5 + ["retake"] * 5
    role_of = {idx: kinds[i] for i, idx in enumerate(special[: len(kinds)])}
    for order, person in enumerate(plan):
        kind = role_of.get(order, "normal")
        supervisor = by_idx.get(person.supervisor) if person.supervisor is not None else None
        answers = _answers(person, supervisor, instrument, rng, views[person.supervisor])
        row = _row(person, supervisor, answers, instrument, system, rng, kind, window)
        if kind == "retake":  # an earlier, abandoned attempt from the same personal link
            first = _row(person, supervisor, answers, instrument, system, rng, "partial", window)
            first["__when"] = row["__when"] - timedelta(days=int(rng.integers(1, 5)))
            responses.append(first)
            excluded["duplicate"] += 1
        responses.append(row)
        if kind == "partial":
            excluded["incomplete"] += 1
        elif kind == "speeder":
            excluded["speeder"] += 1
        elif kind == "straight":
            excluded["straight_line"] += 1
        else:
            kept_by_dept[person.department] = kept_by_dept.get(person.department, 0) + 1
    for status in ("Survey Preview", "Survey Preview", "Survey Test", "Survey Preview"):
        preview = _row(
            invited[0],
            None,
            _answers(invited[0], None, instrument, rng),
            instrument,
            system,
            rng,
            "preview",
            window,
        )
        preview.update(
            Status=status,
            RecipientEmail="",
            RecipientFirstName="",
            RecipientLastName="",
            ExternalReference="",
        )
        preview["__when"] = datetime.combine(
            window[0] - timedelta(days=3), time(10), tzinfo=ZoneInfo(ZONE)
        ) + timedelta(minutes=int(rng.integers(0, 300)))
        responses.append(preview)
        excluded["preview_or_test"] += 1
    responses.sort(key=lambda r: r["__when"])
    for index, response in enumerate(responses):
        response["ResponseId"] = "R_" + "".join(
            rng.choice(list("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 15)
        )
        del response["__when"]
        response["__order"] = index
    kept = sum(kept_by_dept.values())
    truth = SurveyTruth(len(responses), kept, excluded, dict(sorted(kept_by_dept.items())))
    return header_rows(instrument, system), responses, truth


def team_views(people: list[Person], seed: int) -> dict[int | None, float]:
    """Each supervisor team's shared view of the no-effect barrier (z), on its own stream."""
    rng = np.random.default_rng([seed, STREAM_SURVEY, STREAM_NO_EFFECT])
    teams = sorted({p.supervisor for p in people if p.supervisor is not None})
    views: dict[int | None, float] = {
        t: float(v) for t, v in zip(teams, rng.normal(0, 0.9, len(teams)), strict=True)
    }
    views[None] = 0.0
    return views


def _latent(
    person: Person, supervisor: Person | None, item: Item, manager: bool, team_view: float
) -> float:
    c = item.construct_id
    coaching = supervisor.coaching if supervisor is not None else 0.0
    if c in ("wiifm", "compliance", "commitment"):
        return getattr(person, c)
    if c == NO_EFFECT_BARRIER:  # no trait that drives use, no coaching: the team's view only
        return ORG_LEVEL[c] + team_view
    if c in LOADINGS:
        process, access = LOADINGS[c]
        return (
            ORG_LEVEL[c]
            - process * person.process_barrier
            - access * person.access_barrier
            + 0.4 * coaching
        )
    if c.startswith("key"):
        base = 1.2 * coaching + 0.2 * person.commitment if c == "key5_supervisor" else ORG_LEVEL[c]
        return base + (0.6 if manager else 0.0)
    if c == "use_frequency":
        return (
            0.8 * person.commitment
            + 0.4 * person.compliance
            - 0.6 * person.process_barrier
            + person.habit
        )
    if c == "entry_timeliness":
        return 0.8 * person.commitment - 0.7 * person.compliance
    if c == "completeness":
        return 0.7 * person.commitment - 0.5 * person.process_barrier
    if c == "business_rules":
        return 0.5 * person.commitment + 0.5 * person.compliance
    return 1.2 * person.coaching  # manager_enablement


def _answers(
    person: Person,
    supervisor: Person | None,
    instrument: Instrument,
    rng: np.random.Generator,
    team_view: float = 0.0,
) -> dict[str, str]:
    manager = person.role != "end user"
    out: dict[str, str] = {}
    # Each person's own view of each barrier, key and behaviour, shared by that
    # construct's items (what makes a scale reliable); motivation already has traits.
    own_view = {
        c.id: float(rng.normal(0, 0.85)) for c in instrument.constructs if c.family != "motivation"
    }
    for item in instrument.items:
        if item.audience == "managers" and not manager:
            continue
        scale = instrument.scales[item.scale]
        dont_know = DONT_KNOW.get(item.construct_id, 0.0) * (0.35 if manager else 1.0)
        if scale.na_labels and rng.random() < dont_know:
            out[item.id] = scale.na_labels[0]
            continue
        if rng.random() < 0.015:
            continue  # skipped
        z = _latent(person, supervisor, item, manager, team_view)
        z += own_view.get(item.construct_id, 0.0)
        z += rng.normal(0, 0.8)
        z = -z if item.reverse else z
        position = int(np.searchsorted([-1.3, -0.45, 0.35, 1.3], z))
        out[item.id] = scale.labels[position * (len(scale.labels) - 1) // 4]
    return out


def _row(
    person: Person,
    supervisor: Person | None,
    answers: dict[str, str],
    instrument: Instrument,
    system: str,
    rng: np.random.Generator,
    kind: str,
    window: tuple[date, date],
) -> dict:
    opened, closed = window
    day = opened + timedelta(days=int(min(rng.exponential(4.0), (closed - opened).days)))
    start = datetime.combine(day, time(8), tzinfo=ZoneInfo(ZONE)) + timedelta(
        minutes=int(rng.integers(0, 600)), seconds=int(rng.integers(60))
    )
    duration = int(max(np.exp(rng.normal(np.log(660), 0.3)), 360))
    answers = dict(answers)
    finished, progress = True, 100
    if kind == "speeder":
        duration = int(rng.integers(70, 150))
    elif kind == "straight":
        answers = {
            k: ("Agree" if instrument.items_by_id[k].scale == "agree5" else v)
            for k, v in answers.items()
        }
    elif kind == "partial":
        keep = int(len(instrument.items) * rng.uniform(0.15, 0.55))
        answers = {i.id: answers[i.id] for i in instrument.items[:keep] if i.id in answers}
        finished, progress = False, int(100 * keep / len(instrument.items))
        duration = int(duration * progress / 100)
    end = start + timedelta(seconds=duration)
    row = {
        "StartDate": start.strftime("%Y-%m-%d %H:%M:%S"),
        "EndDate": end.strftime("%Y-%m-%d %H:%M:%S"),
        "Status": "IP Address",
        "IPAddress": f"203.0.113.{int(rng.integers(1, 255))}",
        "Progress": str(progress),
        "Duration (in seconds)": str(duration),
        "Finished": "True" if finished else "False",
        "RecordedDate": (end + timedelta(seconds=1 if finished else 7 * 86400)).strftime(
            "%Y-%m-%d %H:%M:%S.%f"
        )[:-3],
        "RecipientLastName": person.last,
        "RecipientFirstName": person.first,
        "RecipientEmail": person.email,
        "ExternalReference": "",
        "DistributionChannel": "email",
        "UserLanguage": "EN-GB",
        "__when": end,
    }
    row.update(answers)
    if finished or progress > 90:
        tenure = (closed - person.hire_date).days / 365
        row.update(
            department=person.department,
            role=person.role.capitalize(),
            team=f"{supervisor.first} {supervisor.last}" if supervisor else "",
            tenure=["Less than 1 year", "1 to 2 years", "3 to 5 years", "More than 5 years"][
                int(np.searchsorted([1, 3, 5], tenure, side="right"))
            ],
            location=person.location,
        )
        if rng.random() < 0.4:
            theme = _comment_theme(person)
            row["open_obstacles" if theme != "commitment" else "open_improve"] = str(
                rng.choice(COMMENTS[theme])
            )
    return row


def _comment_theme(person: Person) -> str:
    if person.commitment > 1.0:
        return "commitment"
    if person.access_barrier > 1.0:
        return "tools_access"
    if person.process_barrier > 0.8:
        return "process_fit"
    return ["behaviour_clarity", "performance", "key3_owner"][int(abs(person.noise) * 10) % 3]
