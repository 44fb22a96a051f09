"""Small engagements of every valid shape, with the answer table they were built from.

The demo (:func:`adoption_lib.synthetic.generate_engagement`) is one realistic
engagement. This module writes the others a consultant meets: any survey platform,
with or without usage, usage only, no comments, an instrument of the consultant's own
(7-point or 0..4 scales, with or without open questions), a roster without ``role`` or
``supervisor``, one department, every group under the privacy threshold, and one or two
waves. :func:`generate_variant` returns, for every wave, the truth the tests check the
pipeline against: rows received, the rows that must be kept and why the rest are
excluded, and every kept respondent's coded answers.

Planted exclusions, one of each, each clean so its reason is unambiguous: an earlier
partial attempt by a respondent who answered again (``duplicate``), a partial response
by someone who did not come back (``incomplete``) and, where the platform records them,
a preview (``preview_or_test``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from adoption_lib.instrument import Instrument, load_instrument
from adoption_lib.synthetic.platforms import Response, write_export

__all__ = ["SCALES", "Variant", "VariantTruth", "custom_instrument", "generate_variant"]

DEPARTMENTS = ("Sales", "Service", "Marketing", "Finance", "Operations")
#: Scales for the consultant's own instrument: (labels, codes, favourable, unfavourable, na).
SCALES: dict[str, dict] = {
    "agree5": {
        "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
        "favourable": [4, 5],
        "unfavourable": [1, 2],
        "na_labels": ["Not applicable"],
    },
    "agree7": {
        "labels": [
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
        "favourable": [5, 6, 7],
        "unfavourable": [1, 2, 3],
    },
    "zero4": {
        "labels": ["Not at all", "Slightly", "Moderately", "Very", "Extremely"],
        "codes": [0, 1, 2, 3, 4],
        "favourable": [3, 4],
        "unfavourable": [0, 1],
        "na_labels": ["Don't know"],
    },
}


@dataclass(frozen=True)
class Variant:
    """The shape of one generated engagement.

    Attributes
    ----------
    platform
        A key of :data:`adoption_lib.synthetic.platforms.PLATFORMS`, or ``None`` for a
        usage-only engagement.
    usage
        Write a usage export (a generic event log).
    instrument
        ``ours`` (``adoption_rescue_v1``) or ``custom`` (:func:`custom_instrument`).
    scale
        The custom instrument's scale: a key of :data:`SCALES`.
    open_questions
        The custom instrument has an open question.
    comments
        Respondents write comments (when the instrument has open questions).
    roster_columns
        The roster's columns besides ``email`` and ``department``.
    departments
        How many departments.
    people
        Licensed people on the roster.
    response_rate
        Share of people who answer.
    waves
        1 (baseline only) or 2 (a re-measure wave too).
    seed
        Random seed.
    """

    platform: str | None = "qualtrics_text"
    usage: bool = True
    instrument: str = "ours"
    scale: str = "agree5"
    open_questions: bool = True
    comments: bool = True
    roster_columns: tuple[str, ...] = ("role", "supervisor", "name")
    departments: int = 3
    people: int = 60
    response_rate: float = 0.8
    waves: int = 1
    seed: int = 7

    def label(self) -> str:
        """A short readable name, for test ids."""
        parts = [self.platform or "usage-only", "usage" if self.usage else "no-usage"]
        if self.instrument != "ours":
            parts.append(f"custom-{self.scale}" + ("" if self.open_questions else "-no-open"))
        if not self.comments:
            parts.append("no-comments")
        if set(self.roster_columns) != {"role", "supervisor", "name"}:
            parts.append("roster-" + ("-".join(self.roster_columns) or "bare"))
        if self.departments != 3:
            parts.append(f"{self.departments}-dept")
        if self.people != 60:
            parts.append(f"{self.people}-people")
        if self.waves != 1:
            parts.append(f"{self.waves}-waves")
        return "_".join(parts)


@dataclass
class VariantTruth:
    """What a correct pipeline must find in one wave of a generated engagement.

    Attributes
    ----------
    rows_received
        Data rows in the survey export.
    kept
        Emails of the respondents that must be kept.
    excluded
        Rows that must be excluded, by primary reason.
    answers
        Kept respondents (index: email) x items: the code of each answer as the scale
        defines it, before reverse keying; NaN where skipped or "don't know".
    dont_know
        Same shape: True where the answer was a ``na_labels`` entry.
    departments
        Kept respondents' departments (index: email).
    event_days
        Roster people with events in the usage export: the days they have events on,
        as days before the assessment date (1 = the day before).
    """

    rows_received: int = 0
    kept: list[str] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)
    answers: pd.DataFrame = field(default_factory=pd.DataFrame)
    dont_know: pd.DataFrame = field(default_factory=pd.DataFrame)
    departments: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    event_days: dict[str, list[int]] = field(default_factory=dict)


def custom_instrument(scale: str = "agree5", open_questions: bool = True) -> dict:
    """A consultant's own instrument in the schema, unlike ours in every name.

    Parameters
    ----------
    scale
        A key of :data:`SCALES`, used by every item.
    open_questions
        Include one open question.

    Returns
    -------
    dict
        The instrument as YAML would load it.
    """
    spec = dict(SCALES[scale])
    items = [
        ("ease_1", "ease", "{system} is easy to use.", False, "all", "Using {system}"),
        ("ease_2", "ease", "I often get lost in {system}.", True, "all", "Using {system}"),
        ("ease_3", "ease", "I can find what I need quickly.", False, "all", "Using {system}"),
        ("help_1", "helpdesk", "The helpdesk answers quickly.", False, "all", None),
        ("help_2", "helpdesk", "I know who to ask about {system}.", False, "all", None),
        ("sponsor_1", "sponsor", "Our director talks about {system}.", False, "all", None),
        ("sponsor_2", "sponsor", "Leaders use {system} themselves.", False, "all", None),
        ("gain_1", "personal_gain", "{system} helps me hit my targets.", False, "all", None),
        ("gain_2", "personal_gain", "{system} saves me time.", False, "all", None),
        ("coach_1", "coaching", "I review {system} use with my team.", False, "managers", None),
        ("coach_2", "coaching", "I coach people on {system}.", False, "managers", None),
    ]
    return {
        "id": f"helpdesk_pulse_{scale}",
        "title": "{system} pulse",
        "audience_question": "position",
        "manager_answers": ["Team lead", "Director"],
        "scales": {scale: spec},
        "constructs": [
            {"id": "ease", "family": "custom", "label": "Ease", "description": "Easy to use."},
            {"id": "helpdesk", "family": "barrier", "label": "Help", "description": "Help."},
            {"id": "sponsor", "family": "key", "label": "Sponsor", "description": "Sponsor."},
            {
                "id": "personal_gain",
                "family": "motivation",
                "label": "Gain",
                "description": "Gain.",
            },
            {"id": "coaching", "family": "behaviour", "label": "Coaching", "description": "Coach."},
        ],
        "items": [
            {"id": i, "construct": c, "text": t, "scale": scale, "reverse": r, "audience": a}
            | ({"group": g} if g else {})
            for i, c, t, r, a, g in items
        ],
        "demographics": [
            {"id": "dept", "text": "Your department?", "roster_field": "department"},
            {
                "id": "position",
                "text": "Your position?",
                "options": ["Staff", "Team lead", "Director"],
            },
        ],
        "open_questions": [{"id": "anything", "text": "What would help most?"}]
        if open_questions
        else [],
    }


_COMMENTS = (
    "The training was too generic, we need role-based sessions.",
    "Nobody told us what good looks like in the system.",
    "Logging in from my phone never works, so I use a spreadsheet.",
    "Our team goal depends on shared data: I enter it the same day.",
)


def _people(variant: Variant, rng: np.random.Generator) -> pd.DataFrame:
    departments = DEPARTMENTS[: variant.departments]
    rows = []
    for i in range(variant.people):
        dept = departments[i % len(departments)]
        manager = i < len(departments) or rng.random() < 0.12
        first, last = f"Pat{i:03d}", ["Ng", "Okafor", "Silva", "Berg", "Kowalski"][i % 5]
        rows.append(
            {
                "email": f"{first.lower()}.{last.lower()}@variant.example",
                "name": f"{first} {last}",
                "department": dept,
                "role": "manager" if manager else "end user",
                "manager": manager,
            }
        )
    people = pd.DataFrame(rows)
    heads = people.groupby("department")["email"].first()
    people["supervisor"] = people["department"].map(heads)
    people.loc[people["email"].isin(heads), "supervisor"] = ""
    return people


def _write_roster(folder: Path, people: pd.DataFrame, columns: tuple[str, ...]) -> None:
    wanted = ["email", "department", *[c for c in ("role", "supervisor", "name") if c in columns]]
    people[wanted].to_csv(folder / "exports" / "roster.csv", index=False, lineterminator="\r\n")


def _labels_for(instrument: Instrument, item_id: str, z: float) -> str:
    scale = instrument.scale_of(item_id)
    n = len(scale.labels)
    position = int(np.clip(np.round((z + 2.0) / 4.0 * (n - 1)), 0, n - 1))
    return scale.labels[position]


def _answers(
    instrument: Instrument, manager: bool, rng: np.random.Generator, skip: float = 0.03
) -> dict[str, str | None]:
    mood = {c.id: rng.normal(0, 0.9) for c in instrument.constructs}
    out: dict[str, str | None] = {}
    for item in instrument.items:
        if item.audience == "managers" and not manager:
            continue
        scale = instrument.scales[item.scale]
        if rng.random() < skip:
            out[item.id] = None
        elif scale.na_labels and rng.random() < 0.04:
            out[item.id] = scale.na_labels[0]
        else:
            z = mood[item.construct_id] + rng.normal(0, 0.7)
            out[item.id] = _labels_for(instrument, item.id, -z if item.reverse else z)
    # Never incomplete by chance: at most a fifth of the questions seen are skipped.
    skipped = [i for i, v in out.items() if v is None]
    for item_id in skipped[: max(0, len(skipped) - len(out) // 5)]:
        out[item_id] = instrument.scale_of(item_id).labels[0]
    # Never a straight line by chance: the fixture plants none.
    by_scale: dict[str, set[str]] = {}
    for item_id, label in out.items():
        scale = instrument.scale_of(item_id)
        if label is not None and label not in scale.na_labels:
            by_scale.setdefault(instrument.items_by_id[item_id].scale, set()).add(label)
    for scale_id, labels in by_scale.items():
        if len(labels) == 1:
            first = next(
                i
                for i, v in out.items()
                if instrument.items_by_id[i].scale == scale_id and v in labels
            )
            options = [x for x in instrument.scales[scale_id].labels if x not in labels]
            out[first] = options[0]
    return out


def _demographics(instrument: Instrument, person: pd.Series) -> dict[str, str]:
    out = {}
    for question in instrument.demographics:
        if question.roster_field == "department" or question.id == "department":
            out[question.id] = person["department"]
        elif question.id in ("role", "position"):
            if question.options:
                title = {"manager": question.options[1], "end user": question.options[0]}
                out[question.id] = title[person["role"]]
        elif question.options:
            out[question.id] = question.options[0]
    return out


def _truth_table(instrument: Instrument, rows: list[Response]) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes, dont_know = {}, {}
    for r in rows:
        c, d = {}, {}
        for item in instrument.items:
            scale = instrument.scales[item.scale]
            label = r.answers.get(item.id)
            c[item.id] = (
                scale.values[scale.labels.index(label)] if label in scale.labels else math.nan
            )
            d[item.id] = label in scale.na_labels
        codes[r.email], dont_know[r.email] = c, d
    columns = [i.id for i in instrument.items]
    return (
        pd.DataFrame.from_dict(codes, orient="index", columns=columns),
        pd.DataFrame.from_dict(dont_know, orient="index", columns=columns),
    )


def _survey(
    variant: Variant,
    instrument: Instrument,
    people: pd.DataFrame,
    window: tuple[date, date],
    rng: np.random.Generator,
) -> tuple[list[Response], VariantTruth]:
    opened, closed = window
    order = rng.permutation(len(people))
    # at least two answer, and one person is always left to start and abandon the survey
    count = min(max(2, round(variant.response_rate * len(people))), len(people) - 1)
    answering, dropout = order[:count], order[count]
    base = datetime.combine(opened, time(9), tzinfo=UTC)
    span = (closed - opened).days * 86400 - 86400

    def when() -> tuple[datetime, datetime]:
        start = base + timedelta(seconds=int(rng.integers(0, span)))
        return start, start + timedelta(seconds=int(rng.integers(420, 900)))

    kept: list[Response] = []
    number = 1000
    for index in answering:
        person = people.iloc[index]
        number += 1
        start, end = when()
        answers = _answers(instrument, bool(person["manager"]), rng)
        comments = {}
        if variant.comments and instrument.open_questions and rng.random() < 0.5:
            comments = {instrument.open_questions[0].id: str(rng.choice(_COMMENTS))}
        kept.append(
            Response(
                str(number),
                person["email"],
                person["name"],
                start,
                end,
                answers,
                _demographics(instrument, person),
                comments,
            )
        )

    def partial(person: pd.Series, at: datetime, number: int) -> Response:
        full = _answers(instrument, bool(person["manager"]), rng, skip=0.0)
        keep = list(full)[: max(1, len(full) // 4)]
        return Response(
            str(number),
            person["email"],
            person["name"],
            at - timedelta(seconds=300),
            at,
            {k: full[k] for k in keep},
            finished=False,
        )

    retaker = kept[0]
    planted = [
        partial(people.iloc[answering[0]], retaker.started - timedelta(hours=5), 900),
        partial(people.iloc[dropout], base + timedelta(days=2), 901),
    ]
    excluded = {"duplicate": 1, "incomplete": 1}
    if variant.platform and variant.platform.startswith("qualtrics"):
        start, end = when()
        planted.append(
            Response("902", "", "", start, end, _answers(instrument, True, rng), preview=True)
        )
        excluded["preview_or_test"] = 1
    rows = sorted(kept + planted, key=lambda r: r.ended)
    answers, dont_know = _truth_table(instrument, kept)
    ids = [f"R_{int(r.response_id):06d}abcDEF" for r in rows]
    if variant.platform and variant.platform.startswith("qualtrics"):
        rows = [replace(r, response_id=i) for r, i in zip(rows, ids, strict=True)]
    departments = people.set_index("email")["department"]
    truth = VariantTruth(
        rows_received=len(rows),
        kept=sorted(r.email for r in kept),
        excluded=excluded,
        answers=answers.sort_index(),
        dont_know=dont_know.sort_index(),
        departments=departments.reindex(sorted(r.email for r in kept)),
    )
    return rows, truth


def _usage(
    path: Path, people: pd.DataFrame, end: date, rng: np.random.Generator
) -> dict[str, list[int]]:
    """A generic event log: some people daily, some weekly, some never.

    Returns each active person's days with events, as days before ``end``.
    """
    features = ["Account", "Contact", "Opportunity", "Case"]
    rows, active = [], {}
    for person in people.itertuples():
        habit = rng.choice([0.0, 0.15, 0.6], p=[0.2, 0.4, 0.4])
        if habit == 0.0:
            continue
        before = [d for d in range(1, 120) if rng.random() < habit]
        if not before:
            continue
        active[person.email] = before
        for day in (end - timedelta(days=d) for d in before):
            at = datetime.combine(day, time(9), tzinfo=UTC) + timedelta(
                minutes=int(rng.integers(0, 480))
            )
            rows.append(
                (
                    person.email.upper() if rng.random() < 0.1 else person.email,
                    at.isoformat(),
                    "view",
                    str(rng.choice(features)),
                )
            )
    rows.append(
        (
            "integration@variant.example",
            f"{end - timedelta(days=2)}T03:00:00+00:00",
            "sync",
            "Account",
        )
    )
    frame = pd.DataFrame(rows, columns=["actor", "occurred_at", "action", "object"])
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return dict(sorted(active.items()))


def _yml_block(survey: Path | None, events: str | None, folder: Path, indent: str = "") -> str:
    lines = []
    if survey is not None:
        lines += [f"{indent}survey_exports:", f"{indent}  - path: {survey.relative_to(folder)}"]
    if events:
        lines += [
            f"{indent}usage_exports:",
            f"{indent}  - path: {events}",
            f"{indent}    format: events",
            f"{indent}    columns: {{user_key: actor, ts: occurred_at, event: action, feature: object}}",
        ]
    return "\n".join(lines)


def generate_variant(folder: Path, variant: Variant) -> dict[str, VariantTruth]:
    """Write an engagement of the shape ``variant`` into ``folder``.

    Parameters
    ----------
    folder
        The engagement folder (created; it must not hold an engagement yet).
    variant
        The shape to write.

    Returns
    -------
    dict of str to VariantTruth
        ``baseline`` and, with two waves, ``wave2``: what the pipeline must find.
    """
    folder = Path(folder)
    (folder / "exports" / "usage").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(variant.seed)
    people = _people(variant, rng)
    _write_roster(folder, people, variant.roster_columns)
    if variant.instrument == "ours":
        instrument_ref = "adoption_rescue_v1"
        instrument = load_instrument(instrument_ref)
    else:
        spec = custom_instrument(variant.scale, variant.open_questions)
        (folder / "instrument.yml").write_text(yaml.safe_dump(spec, sort_keys=False))
        instrument_ref = "instrument.yml"
        instrument = load_instrument(folder / "instrument.yml")
    windows = {
        "baseline": (date(2026, 10, 5), date(2026, 10, 23), date(2026, 11, 2)),
        "wave2": (date(2027, 1, 4), date(2027, 1, 22), date(2027, 1, 31)),
    }
    truths: dict[str, VariantTruth] = {}
    blocks: dict[str, str] = {}
    for number, (wave, (opened, closed, assessed)) in enumerate(windows.items()):
        if number >= variant.waves:
            break
        sub = "" if wave == "baseline" else f"/{wave}"
        survey_path = None
        truth = VariantTruth()
        if variant.platform is not None:
            rows, truth = _survey(variant, instrument, people, (opened, closed), rng)
            survey_path = write_export(
                folder / f"exports/survey{sub}", variant.platform, instrument, "Helpdesk", rows
            )
        events = f"exports/usage{sub}/events.csv"
        if variant.usage:
            truth.event_days = _usage(folder / events, people, assessed, rng)
        truths[wave] = truth
        indent = "" if wave == "baseline" else "    "
        blocks[wave] = _yml_block(survey_path, events if variant.usage else None, folder, indent)
    dimensions = ["department", *(["role"] if "role" in variant.roster_columns else [])]
    text = f"""# Generated by adoption_lib.synthetic.variants ({variant.label()}, seed {variant.seed})
client: Variant Co
system: Helpdesk
go_live: 2026-05-04
assessment_date: 2026-11-02
renewal_date: 2027-05-03
licenses: {variant.people + 5}
annual_contract_value: {120 * (variant.people + 5)}
currency: EUR
instrument: {instrument_ref}
survey_opened: 2026-10-05
survey_closed: 2026-10-23
{blocks["baseline"]}
roster: exports/roster.csv
key_features: [Account, Contact, Opportunity, Case]
privacy:
  min_group_size: 5
  client_dimensions: [{", ".join(dimensions)}]
"""
    if "wave2" in blocks:
        text += f"""waves:
  - name: wave2
    assessment_date: 2027-01-31
    survey_opened: 2027-01-04
    survey_closed: 2027-01-22
{blocks["wave2"]}
"""
    (folder / "engagement.yml").write_text(text)
    return truths
