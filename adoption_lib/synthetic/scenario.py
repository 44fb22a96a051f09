"""The Northwind Traders scenario: who works where, and what is planted.

Departments differ only in the *means of latent traits* (motivation, barriers) and
supervisors only in a coaching trait. Behaviour is then simulated from each person's
traits plus noise by :mod:`adoption_lib.synthetic.behaviour`; no department label is
ever copied into an output. The planted patterns are therefore things the analysis has
to *find*, and PLANTED.md records what the generator actually produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Department:
    """A department and the latent-trait means of its people (z scale, 0 = org average)."""

    name: str
    size: int
    commitment: float = 0.0
    compliance: float = 0.0
    wiifm: float = 0.0
    process_barrier: float = 0.0
    access_barrier: float = 0.0
    locations: dict[str, float] = field(default_factory=lambda: {"London": 1.0})
    planted: str = ""


@dataclass(frozen=True)
class Location:
    """An office and its time zone (logins and events carry local offsets)."""

    name: str
    tz: str
    holidays: tuple[date, ...]


@dataclass(frozen=True)
class WaveChange:
    """A planted change to one department's traits after the previous wave."""

    department: str
    planted: str
    commitment: float = 0.0
    process_barrier: float = 0.0
    #: added to every habit (coaching builds habit)
    habit: float = 0.0
    #: added to the coaching of the department's managers (their team rates Key 5)
    coaching: float = 0.0
    #: "improvement" or "deterioration"
    direction: str = "improvement"


@dataclass(frozen=True)
class WaveSpec:
    """A re-measure wave: its name, dates and planted changes."""

    name: str
    assessment_date: date
    survey_opened: date
    survey_closed: date
    changes: tuple[WaveChange, ...]
    control: str


@dataclass(frozen=True)
class Scenario:
    """Everything the generator needs besides the seed."""

    client: str
    system: str
    domain: str
    go_live: date
    assessment_date: date
    renewal_date: date
    licenses: int
    annual_contract_value: float
    currency: str
    login_history_days: int
    departments: tuple[Department, ...]
    locations: tuple[Location, ...]
    key_features: tuple[str, ...]
    strong_team_department: str
    team_size: int = 10
    instrument: str = "adoption_rescue_v1"
    #: re-measure waves after the baseline, in date order
    waves: tuple[WaveSpec, ...] = ()


_UK = (date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25), date(2026, 8, 31))
_IE = (date(2026, 4, 6), date(2026, 5, 4), date(2026, 6, 1), date(2026, 8, 3), date(2026, 10, 26))
_US = (date(2026, 5, 25), date(2026, 7, 3), date(2026, 9, 7), date(2026, 10, 12))

NORTHWIND = Scenario(
    client="Northwind Traders",
    system="Salesforce Sales Cloud",
    domain="northwind-traders.com",
    go_live=date(2026, 2, 2),
    assessment_date=date(2026, 11, 2),
    renewal_date=date(2027, 3, 1),
    licenses=650,
    annual_contract_value=1_053_000.0,
    currency="USD",
    login_history_days=180,
    departments=(
        Department(
            "Inside Sales",
            110,
            commitment=1.0,
            wiifm=0.3,
            locations={"London": 0.6, "Manchester": 0.4},
            planted="highly active: commitment-led, broad and timely use",
        ),
        Department(
            "Field Sales",
            140,
            commitment=-1.3,
            compliance=1.1,
            wiifm=0.4,
            process_barrier=0.3,
            locations={"London": 0.3, "Manchester": 0.3, "Dublin": 0.15, "Boston": 0.25},
            planted="minimal use and late data entry: compliance-led, narrow, batched entry",
        ),
        Department(
            "Customer Success",
            120,
            locations={"London": 0.5, "Dublin": 0.5},
            planted="one supervisor team with markedly higher use (a coaching supervisor)",
        ),
        Department(
            "Service",
            100,
            commitment=0.5,
            process_barrier=1.4,
            access_barrier=0.3,
            locations={"Manchester": 0.7, "Dublin": 0.3},
            planted="low use by motivated people: a process barrier (survey side: survey issue)",
        ),
        Department("Marketing", 60, wiifm=0.2, locations={"London": 0.8, "Boston": 0.2}),
        Department(
            "Operations",
            70,
            locations={"Manchester": 1.0},
            planted="negative control: no planted effect",
        ),
    ),
    locations=(
        Location("London", "Europe/London", _UK),
        Location("Manchester", "Europe/London", _UK),
        Location("Dublin", "Europe/Dublin", _IE),
        Location("Boston", "America/New_York", _US),
    ),
    key_features=(
        "Opportunity",
        "Account",
        "Contact",
        "Activity",
        "Forecast",
        "Quote",
        "Case",
        "Dashboard",
    ),
    strong_team_department="Customer Success",
    waves=(
        WaveSpec(
            "day90",
            assessment_date=date(2027, 1, 31),
            survey_opened=date(2027, 1, 4),
            survey_closed=date(2027, 1, 22),
            changes=(
                WaveChange(
                    "Service",
                    "supervisors coached to review the system with their "
                    "teams, and the case process aligned with the system",
                    process_barrier=-1.0,
                    habit=0.6,
                    coaching=1.4,
                ),
                WaveChange(
                    "Marketing",
                    "a reorganisation took away the shared goal (commitment falls)",
                    commitment=-1.6,
                    direction="deterioration",
                ),
            ),
            control="Operations",
        ),
    ),
)

#: The demo's seed: `make demo-data` and `adoption synth` default to it.
DEMO_SEED = 20261102
