"""What a variant engagement is made of, and what the generator knows about it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

DEPARTMENTS = ("Sales", "Service", "Marketing", "Finance", "Operations")


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
