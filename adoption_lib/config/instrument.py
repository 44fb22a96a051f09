"""Survey instruments (``surveys/*.yml``): the schema of DESIGN §4, and loading.

Any instrument a consultant writes in this schema works, not just ours: scales of any
length (5- and 7-point agreement, frequency), declared numeric ``codes``, favourable
and unfavourable codes, "Don't know"-style ``na_labels`` that are counted but never
scored, reverse-keyed items, and a managers-only module (``audience: managers``).

Item ids double as the export tags the survey platforms carry, which is how a
platform's export maps back to items (see :mod:`adoption_lib.survey.mapping`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from adoption_lib.config.schema import surveys_file
from adoption_lib.config.validation import load_validated
from adoption_lib.config.yaml_lines import Location

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FAMILIES = ("motivation", "barrier", "key", "behaviour", "custom")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """An answer scale: labels in order, their numeric codes, and which codes are favourable."""

    labels: list[Text] = Field(min_length=2)
    codes: list[float] | None = None
    favourable: list[float] = Field(default_factory=list)
    unfavourable: list[float] = Field(default_factory=list)
    na_labels: list[Text] = Field(default_factory=list)
    #: a frequency scale's labels as active days a week (one per label), so that what
    #: people say can be set beside what the system records on one scale
    days_per_week: list[Annotated[float, Field(ge=0, le=7)]] | None = None

    @model_validator(mode="after")
    def _codes_fit(self) -> Scale:
        codes = self.codes or [float(i) for i in range(1, len(self.labels) + 1)]
        if len(codes) != len(self.labels):
            raise ValueError(f"{len(codes)} codes for {len(self.labels)} labels")
        if self.days_per_week is not None and len(self.days_per_week) != len(self.labels):
            raise ValueError(
                f"{len(self.days_per_week)} days_per_week for {len(self.labels)} labels"
            )
        if len(set(codes)) != len(codes) or list(codes) != sorted(codes):
            raise ValueError("codes must be distinct and increasing in label order")
        stray = [c for c in self.favourable + self.unfavourable if c not in codes]
        if stray:
            raise ValueError(
                f"favourable/unfavourable codes {stray} are not among the codes {codes}"
            )
        if set(self.favourable) & set(self.unfavourable):
            raise ValueError("a code cannot be both favourable and unfavourable")
        object.__setattr__(self, "codes", codes)
        return self

    @property
    def values(self) -> list[float]:
        """The numeric codes, one per label (defaults filled in)."""
        return list(self.codes or [])

    @property
    def midpoint(self) -> float:
        """The scale's midpoint, halfway between its lowest and highest code."""
        return (self.values[0] + self.values[-1]) / 2

    def reverse(self, code: float) -> float:
        """Reverse-key a code: the lowest becomes the highest and vice versa."""
        return self.values[0] + self.values[-1] - code


class Construct(_Strict):
    """What a set of items measures, in one of the method's families."""

    id: Identifier
    family: Literal[FAMILIES]  # type: ignore[valid-type]
    label: Text
    description: Text


class Item(_Strict):
    """One question; its id is also its export tag on every platform."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier
    # ``construct`` in the YAML; renamed here because BaseModel has a ``construct`` method.
    construct_id: Identifier = Field(alias="construct")
    text: Text
    scale: Identifier
    reverse: bool = False
    audience: Literal["all", "managers"] = "all"
    group: Text | None = None


class Demographic(_Strict):
    """A background question; ``roster_field`` names the roster column it corresponds to."""

    id: Identifier
    text: Text
    type: Literal["choice", "text", "number"] = "choice"
    options: list[Text] = Field(default_factory=list)
    roster_field: Identifier | None = None


class OpenQuestion(_Strict):
    """A free-text question; answers become comment themes."""

    id: Identifier
    text: Text


class Instrument(_Strict):
    """A survey instrument in the DESIGN §4 schema."""

    id: Identifier
    title: Text
    version: Text = "1"
    scales: dict[Identifier, Scale]
    constructs: list[Construct] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    demographics: list[Demographic] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    #: demographic id whose answer decides who saw the managers module, and its values
    audience_question: Identifier | None = None
    manager_answers: list[Text] = Field(default_factory=list)

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        """Items keyed by id."""
        return {item.id: item for item in self.items}

    @cached_property
    def constructs_by_id(self) -> dict[str, Construct]:
        """Constructs keyed by id."""
        return {c.id: c for c in self.constructs}

    @cached_property
    def families(self) -> dict[str, str]:
        """Construct id -> its family (motivation, barrier, key, behaviour, custom)."""
        return {c.id: c.family for c in self.constructs}

    def items_of(self, construct: str) -> list[Item]:
        """The items of one construct, in instrument order."""
        return [item for item in self.items if item.construct_id == construct]

    def scale_of(self, item: str) -> Scale:
        """The scale an item is answered on."""
        return self.scales[self.items_by_id[item].scale]

    def question_ids(self) -> list[str]:
        """Every question id: items, demographics and open questions."""
        return (
            [i.id for i in self.items]
            + [d.id for d in self.demographics]
            + [o.id for o in self.open_questions]
        )


def _cross_field(data: dict[str, Any]) -> Iterator[tuple[Location, str]]:
    """References and uniqueness, checked on the raw document so all are reported together."""
    scales = data.get("scales") if isinstance(data.get("scales"), dict) else {}
    constructs = [c for c in data.get("constructs") or [] if isinstance(c, dict)]
    construct_ids = {c.get("id") for c in constructs}
    ids: Counter[str] = Counter()
    for section in ("items", "demographics", "open_questions"):
        for index, entry in enumerate(data.get(section) or []):
            if not isinstance(entry, dict):
                continue
            ids[entry.get("id")] += 1
            if ids[entry.get("id")] == 2:
                yield (section, index, "id"), f"id '{entry.get('id')}' is used twice"
            if section != "items":
                continue
            if entry.get("construct") not in construct_ids:
                yield (section, index, "construct"), f"unknown construct '{entry.get('construct')}'"
            if entry.get("scale") not in scales:
                known = ", ".join(sorted(scales))
                yield (
                    (section, index, "scale"),
                    f"unknown scale '{entry.get('scale')}' (known: {known})",
                )
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    for index, construct in enumerate(constructs):
        if not any(i.get("construct") == construct.get("id") for i in items):
            yield ("constructs", index, "id"), f"construct '{construct.get('id')}' has no items"
    audience = data.get("audience_question")
    demographic_ids = {d.get("id") for d in data.get("demographics") or [] if isinstance(d, dict)}
    if audience is not None and audience not in demographic_ids:
        yield ("audience_question",), f"'{audience}' is not a demographic question"
    if any(i.get("audience") == "managers" for i in items) and audience is None:
        yield ("items",), "a managers module needs audience_question and manager_answers"


def load_instrument(target: str | Path) -> Instrument:
    """Load and validate an instrument by path, or by name from ``surveys/``.

    Parameters
    ----------
    target
        A ``.yml`` path, or the name of an instrument in the surveys folder
        (``adoption_rescue_v1``).

    Returns
    -------
    Instrument
        The validated instrument.

    Raises
    ------
    InputError
        When no such instrument exists.
    ConfigError
        With every problem in the file, each with its line.
    """
    return load_validated(surveys_file(target, "instrument"), Instrument, cross_field=_cross_field)
