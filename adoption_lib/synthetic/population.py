"""Synthetic people: an org chart, identities and latent traits.

Each person gets latent traits on a z scale, drawn around their department's means
(:mod:`~adoption_lib.synthetic.scenario`) plus a team effect from their supervisor's
coaching. Whether someone ever activates, drops out or runs API jobs follows from those
traits plus noise; nothing is assigned by department label.

Random streams are split by purpose (``default_rng([seed, stream])``), so a later issue
that adds, say, survey answers draws from its own stream and leaves these files unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from adoption_lib.synthetic.names import FIRST_NAMES, LAST_NAMES
from adoption_lib.synthetic.scenario import Scenario

STREAM_PEOPLE = 1


@dataclass
class Person:
    """One member of staff on the roster, with latent traits the generator acts on."""

    idx: int
    first: str
    last: str
    email: str
    department: str
    role: str
    location: str
    hire_date: date
    licensed: bool = True
    supervisor: int | None = None
    commitment: float = 0.0
    compliance: float = 0.0
    wiifm: float = 0.0
    process_barrier: float = 0.0
    access_barrier: float = 0.0
    habit: float = 0.0
    coaching: float = 0.0
    noise: float = 0.0
    activation: date | None = None
    dropout: date | None = None
    api_jobs: bool = False
    crm_email: str = ""
    leave: list[tuple[date, date]] = field(default_factory=list)

    @property
    def never_activated(self) -> bool:
        """True when the person never logs in interactively."""
        return self.activation is None


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def build_population(scenario: Scenario, seed: int) -> list[Person]:
    """Build the roster of a scenario with latent traits, deterministically from ``seed``.

    Parameters
    ----------
    scenario
        The scenario to populate.
    seed
        The generator seed.

    Returns
    -------
    list of Person
        Licensed staff by department (head, then each manager and their team), then
        the unlicensed executive office.
    """
    rng = np.random.default_rng([seed, STREAM_PEOPLE])
    people: list[Person] = []
    used: set[str] = set()

    def new_person(dept: str, role: str, location: str, licensed: bool = True) -> Person:
        while True:
            first = str(rng.choice(FIRST_NAMES))
            last = str(rng.choice(LAST_NAMES))
            local = f"{_ascii(first)}.{_ascii(last)}"
            if local not in used:
                break
        used.add(local)
        tenure_years = float(rng.gamma(2.0, 2.2))
        hire = scenario.assessment_date - timedelta(days=int(tenure_years * 365) + 20)
        person = Person(
            idx=len(people),
            first=first,
            last=last,
            email=f"{local}@{scenario.domain}",
            department=dept,
            role=role,
            location=location,
            hire_date=hire,
            licensed=licensed,
        )
        people.append(person)
        return person

    for dept in scenario.departments:
        places, weights = zip(*dept.locations.items(), strict=True)
        probs = np.array(weights) / sum(weights)
        n_teams = max(1, round((dept.size - 1) / (scenario.team_size + 1)))
        head = new_person(dept.name, "executive", str(rng.choice(places, p=probs)))
        _traits(head, dept, rng, 0.0)
        remaining = dept.size - 1
        strong = dept.name == scenario.strong_team_department
        strong_team = int(rng.integers(n_teams)) if strong else -1
        for team in range(n_teams):
            members = remaining // (n_teams - team) - 1
            remaining -= members + 1
            team_place = str(rng.choice(places, p=probs))
            manager = new_person(dept.name, "manager", team_place)
            manager.supervisor = head.idx
            manager.coaching = 1.6 if team == strong_team else float(rng.normal(0, 0.15))
            _traits(manager, dept, rng, 0.0)
            for _ in range(members):
                place = team_place if rng.random() < 0.85 else str(rng.choice(places, p=probs))
                member = new_person(dept.name, "end user", place)
                member.supervisor = manager.idx
                _traits(member, dept, rng, manager.coaching)
        _center([p for p in people if p.department == dept.name], dept)
    _plan_lifecycle(people, scenario, rng)
    ceo = new_person("Executive Office", "executive", "London", licensed=False)
    for _ in range(2):
        new_person("Executive Office", "executive", "London", licensed=False).supervisor = ceo.idx
    for person in people:
        if person.role == "executive" and person.licensed:
            person.supervisor = ceo.idx
    return people


TRAITS = ("commitment", "compliance", "wiifm", "process_barrier", "access_barrier")


def _traits(person: Person, dept: object, rng: np.random.Generator, coaching: float) -> None:
    person.commitment = float(rng.normal(dept.commitment + 0.6 * coaching, 1.0))
    person.compliance = float(rng.normal(dept.compliance, 1.0))
    person.wiifm = float(rng.normal(dept.wiifm, 1.0))
    person.process_barrier = float(rng.normal(dept.process_barrier - 0.3 * coaching, 0.8))
    person.access_barrier = float(rng.normal(dept.access_barrier, 1.0))
    person.habit = float(0.8 * coaching + rng.normal(0, 0.3))
    person.noise = float(rng.normal(0, 0.35))


def _center(members: list[Person], dept: object) -> None:
    """Shift a department's draws so its trait means are exactly the planted ones.

    Individuals still vary around the mean; what is removed is the chance drift of a
    whole department (70 draws of N(0, 1) drift by about 0.12), which would otherwise
    plant effects nobody intended, for example in the negative control.
    """
    for trait in TRAITS:
        drift = float(
            np.mean([getattr(p, trait) - _expected(p, members, dept, trait) for p in members])
        )
        for person in members:
            setattr(person, trait, getattr(person, trait) - drift)


def _expected(person: Person, members: list[Person], dept: object, trait: str) -> float:
    coaching = next((m.coaching for m in members if m.idx == person.supervisor), 0.0)
    coaching = coaching if person.role == "end user" else 0.0
    shift = {"commitment": 0.6 * coaching, "process_barrier": -0.3 * coaching}.get(trait, 0.0)
    return getattr(dept, trait) + shift


def _plan_lifecycle(people: list[Person], scenario: Scenario, rng: np.random.Generator) -> None:
    """Decide activation, drop-out, leave and API jobs from each person's traits."""
    go_live, as_of = scenario.go_live, scenario.assessment_date
    for person in people:
        person.crm_email = person.email
        start = max(go_live, person.hire_date + timedelta(days=3))
        blocked = person.access_barrier - 0.4 * person.commitment + rng.normal(0, 0.3)
        if blocked > 1.75:
            person.activation = None
        else:
            person.activation = start + timedelta(days=int(rng.geometric(0.18)) - 1)
        motivation = max(person.commitment, person.compliance, person.wiifm)
        if person.activation and motivation + rng.normal(0, 0.4) < -0.35:
            first = (person.activation - go_live).days + 25
            last = (as_of - go_live).days - 40
            if first < last:
                person.dropout = go_live + timedelta(days=int(rng.integers(first, last)))
        for _ in range(int(rng.integers(1, 3))):
            begin = go_live + timedelta(days=int(rng.integers(60, 250)))
            person.leave.append((begin, begin + timedelta(days=int(rng.integers(5, 13)))))
        if rng.random() < 0.015:
            local, _, domain = person.email.partition("@")
            person.crm_email = f"{local}+crm@{domain}"
    # Marketing operations run weekly Data Loader imports; the three most
    # compliance-minded activated analysts do, and stopped using the UI themselves.
    marketing = [
        p
        for p in people
        if p.department == "Marketing"
        and p.role == "end user"
        and p.activation
        and p.activation < scenario.assessment_date - timedelta(days=120)
    ]
    for person in sorted(marketing, key=lambda p: -p.compliance)[:3]:
        person.api_jobs = True
        person.dropout = scenario.assessment_date - timedelta(days=int(rng.integers(60, 90)))
