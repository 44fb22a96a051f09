"""engagement.yml's ``thresholds``: the method's cut-offs, each with its documented default."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from adoption_lib.config.strict import Fraction
from adoption_lib.config.strict import Strict as _Strict

KEY_BASES = ("net", "favourable")


class KeyThresholds(_Strict):
    """How a 4+1 Key is judged red, amber or green, in percentage points.

    ``net`` (the default) judges a Key on favourable minus unfavourable answers, so a
    neutral answer counts for neither side; red below 0 (more people unfavourable than
    favourable), green from +30. ``favourable`` is the earlier rule: the favourable share
    alone, red below 50, green from 70, so a neutral answer counts against.
    """

    basis: Literal[KEY_BASES] = "net"  # type: ignore[valid-type]
    red_below: Annotated[float, Field(ge=-100, le=100)] = 0.0
    green_from: Annotated[float, Field(ge=-100, le=100)] = 30.0

    @model_validator(mode="after")
    def _ordered(self) -> KeyThresholds:
        if self.red_below > self.green_from:
            raise ValueError(
                f"red_below ({self.red_below:g}) must not exceed green_from ({self.green_from:g})"
            )
        if self.basis == "favourable" and min(self.red_below, self.green_from) < 0:
            raise ValueError("a favourable share runs from 0 to 100 points")
        return self

    @property
    def column(self) -> str:
        """The Keys-table column the status is judged on: ``net_pct`` or ``favourable_pct``."""
        return f"{self.basis}_pct"

    @property
    def cuts(self) -> tuple[float, float]:
        """The red and green lines as fractions (the tables hold shares, not points)."""
        return self.red_below / 100, self.green_from / 100

    def status(self, value: float | None) -> str:
        """Red, amber or green for a Key's value on this basis (a fraction); unknown if none."""
        if value is None or value != value:  # NaN: nobody gave a substantive answer
            return "unknown"
        red, green = self.cuts
        # rounded, so a share of exactly 0.7 (7 of 10) is not amber by a float's error
        value = round(value, 9)
        return "red" if value < red else "green" if value >= green else "amber"

    @staticmethod
    def points(value: float) -> str:
        """Signed points as reports write them: ``+30``, ``-10``, ``0``."""
        return f"{value:+.0f}" if round(value) != 0 else "0"

    def rule(self) -> str:
        """The rule in words, for reports."""
        red, green = self.points(self.red_below), self.points(self.green_from)
        if self.basis == "net":
            return (
                "Net favourable (favourable minus unfavourable answers, neutral counted for "
                f"neither): red below {red} points, amber to {green}, green from {green}."
            )
        return (
            f"Favourable share: red below {self.red_below:.0f}%, amber to "
            f"{self.green_from:.0f}%, green from {self.green_from:.0f}%."
        )


class Thresholds(_Strict):
    """Method thresholds (DESIGN §5); every default is the documented one."""

    min_items_answered: Fraction = 0.5
    barrier_flag_unfavourable: Fraction = 0.40
    #: how the Keys are judged (net favourable by default)
    keys: KeyThresholds = Field(default_factory=KeyThresholds)
    #: the earlier flat Keys lines (favourable share, 0-1); either one selects
    #: ``keys: {basis: favourable}`` with these lines, for an engagement.yml written before
    key_red_below: Fraction | None = None
    key_green_from: Fraction | None = None
    mixed_margin_default: Annotated[float, Field(ge=0)] = 0.25
    #: motivation typing: the smallest lead (points) that makes a motive dominant, and
    #: how likely that lead must be to give a person a type (else "mixed")
    motive_lead: Annotated[float, Field(ge=0)] = 0.25
    type_min_probability: Annotated[float, Field(gt=0, le=1)] = 0.5
    disattenuated_r_flag: Fraction = 0.85
    alpha_flag_below: Fraction = 0.70
    incomplete_below: Fraction = 0.80
    speeder_ratio: Fraction = 0.33
    straightline_min_items: Annotated[int, Field(strict=True, ge=3)] = 8
    active_window_days: Annotated[int, Field(strict=True, ge=1)] = 30
    effective_weeks_active: Annotated[int, Field(strict=True, ge=1)] = 3
    effective_weeks_window: Annotated[int, Field(strict=True, ge=1)] = 4
    renewal_low_risk_from: Fraction = 0.80
    renewal_high_risk_below: Fraction = 0.60
    #: renewal forecast: the most recent weekly active counts it reads (its models learn
    #: from the last regime within them, and the back-test chooses among them)
    projection_weeks: Annotated[int, Field(strict=True, ge=3)] = 104
    projection_min_weeks: Annotated[int, Field(strict=True, ge=3)] = 6
    #: adoption segments (diagnosis): a motivated person is blocked when their barrier
    #: score, weighted by how much each barrier relates to use, is this many standard
    #: deviations worse than the organisation's
    blocked_barrier_z: Annotated[float, Field(ge=0)] = 0.5
    #: the earlier rule's barrier load; accepted so older engagement.yml files load, unused
    blocked_barrier_load: Fraction = 0.60
    #: active days a week below which use is low, and from which it is habitual
    low_use_days_per_week: Annotated[float, Field(ge=0)] = 1.5
    active_use_days_per_week: Annotated[float, Field(ge=0)] = 2.0

    @model_validator(mode="after")
    def _earlier_key_lines(self) -> Thresholds:
        if self.key_red_below is None and self.key_green_from is None:
            return self
        if "keys" in self.model_fields_set:
            raise ValueError(
                "give the Keys' lines either as thresholds.keys or as the earlier "
                "key_red_below/key_green_from, not both"
            )
        red = 0.50 if self.key_red_below is None else self.key_red_below
        green = 0.70 if self.key_green_from is None else self.key_green_from
        keys = KeyThresholds(basis="favourable", red_below=red * 100, green_from=green * 100)
        object.__setattr__(self, "keys", keys)  # frozen model: set once, while validating
        return self
