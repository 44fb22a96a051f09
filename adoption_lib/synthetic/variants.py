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

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from adoption_lib.config.instrument import load_instrument
from adoption_lib.synthetic.platforms import write_export
from adoption_lib.synthetic.variant_instrument import SCALES, custom_instrument
from adoption_lib.synthetic.variant_spec import DEPARTMENTS, Variant, VariantTruth
from adoption_lib.synthetic.variant_survey import write_variant_survey

__all__ = ["SCALES", "Variant", "VariantTruth", "custom_instrument", "generate_variant"]


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
            rows, truth = write_variant_survey(variant, instrument, people, (opened, closed), rng)
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
