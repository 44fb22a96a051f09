"""The variant engagements' survey: answers drawn around each person's level, written in any platform's layout."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from adoption_lib.config.instrument import Instrument
from adoption_lib.synthetic.platforms import Response
from adoption_lib.synthetic.variant_spec import Variant, VariantTruth

_COMMENTS = (
    "The training was too generic, we need role-based sessions.",
    "Nobody told us what good looks like in the system.",
    "Logging in from my phone never works, so I use a spreadsheet.",
    "Our team goal depends on shared data: I enter it the same day.",
)


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


def write_variant_survey(
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
