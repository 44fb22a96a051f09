"""The adoption playbook (``surveys/playbook.yml``): the plays an action plan draws on.

Consultants add and edit plays in YAML, without code. The file is validated like
``engagement.yml``: every problem at once, as ``playbook.yml:LINE: field: message``.
A play's ``measure`` is a summary.json path; ``{barrier}`` and ``{key}`` in it stand for
the finding the play is applied to (``constructs.{barrier}.unfavourable_pct``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from adoption_lib.config.schema import surveys_file
from adoption_lib.config.validation import load_validated
from adoption_lib.config.yaml_lines import Location

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
#: The summary.json sections a play's measure may point into.
MEASURE = re.compile(r"^(usage|constructs|renewal|adoption_score|survey)\.[a-z0-9_{}.]+$")
#: Effort, in the order the 30/60/90-day plan prefers.
EFFORTS = ("low", "medium", "high")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Play(_Strict):
    """One play: when to use it, its steps, its owner and how to see it worked."""

    id: Identifier
    title: Text
    when: Text
    addresses: list[Identifier] = Field(min_length=1)
    steps: list[Text] = Field(min_length=1)
    owner_role: Text
    measure: Annotated[str, StringConstraints(pattern=MEASURE.pattern)]
    direction: Literal["up", "down"]
    target: Annotated[float, Field(gt=0)]
    relative: bool = False
    duration_weeks: Annotated[int, Field(strict=True, ge=1, le=52)]
    effort: Literal[EFFORTS]  # type: ignore[valid-type]


#: Usage-by-group columns a finding's signal may name.
SIGNALS = (
    "active_share",
    "effective_share",
    "dormant_share",
    "never_activated_share",
    "active_days_per_week",
    "late_share",
    "latency_median_days",
    "breadth_median",
)


class Finding(_Strict):
    """What the diagnosis needs to know about one barrier family or Key."""

    control: Literal["inside", "partly", "outside"]
    owner_role: Text
    signal: Literal[SIGNALS] | None = None  # type: ignore[valid-type]
    signal_text: Text | None = None


class Playbook(_Strict):
    """The playbook file."""

    id: Identifier
    findings: dict[Identifier, Finding] = Field(default_factory=dict)
    plays: list[Play] = Field(min_length=1)

    def play(self, play_id: str) -> Play:
        """The play with this id."""
        return next(p for p in self.plays if p.id == play_id)

    def for_finding(self, finding: str) -> list[Play]:
        """Plays that address a barrier, key or segment id, in file order."""
        return [p for p in self.plays if finding in p.addresses]


def _cross_field(data: dict[str, Any]) -> Iterator[tuple[Location, str]]:
    findings = data.get("findings")
    if isinstance(findings, dict):
        for name, finding in findings.items():
            if (
                isinstance(finding, dict)
                and finding.get("signal")
                and not finding.get("signal_text")
            ):
                yield ("findings", name, "signal_text"), "a signal needs signal_text: what it shows"
    seen: set[str] = set()
    for index, play in enumerate(data.get("plays") or []):
        if not isinstance(play, dict):
            continue
        if play.get("id") in seen:
            yield ("plays", index, "id"), f"play id '{play['id']}' is used twice"
        seen.add(play.get("id"))
        target = play.get("target")
        if (
            play.get("relative") is True
            and isinstance(target, int | float)
            and target >= 1
            and play.get("direction") == "down"
        ):
            yield ("plays", index, "target"), "a relative target going down must be below 1"


def load_playbook(target: str | Path = "playbook") -> Playbook:
    """Load and validate a playbook by path, or by name from ``surveys/``.

    Parameters
    ----------
    target
        A ``.yml`` path, or a name in the surveys folder (default ``playbook``).

    Returns
    -------
    Playbook
        The validated plays.

    Raises
    ------
    InputError
        When the file does not exist.
    ConfigError
        With every problem in the file, each with its line.
    """
    return load_validated(surveys_file(target, "playbook"), Playbook, cross_field=_cross_field)
