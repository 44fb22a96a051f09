"""The plan's calendar, the renewal's risk certainty and the right-sizing recommendation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adoption_lib.diagnosis.forecast import Projection
from adoption_lib.diagnosis.plan_calendar import (
    AFTER,
    BEFORE,
    RENEWAL_MARGIN_DAYS,
    SHORTEST_DAYS,
    USUAL_DAYS,
    due_date,
)
from adoption_lib.diagnosis.renewal import renewal
from adoption_lib.diagnosis.right_sizing import right_sizing

START = date(2027, 1, 31)


def test_the_demo_day90_calendar_lands_what_it_can_before_renewal() -> None:
    renewal_on = date(2027, 3, 1)  # 29 days on: the deadline is 22 days on
    assert due_date(START, renewal_on, "low") == (date(2027, 2, 22), BEFORE)
    assert due_date(START, renewal_on, "medium") == (date(2027, 4, 1), AFTER)
    assert due_date(START, renewal_on, "high") == (date(2027, 5, 1), AFTER)


def test_a_long_runway_keeps_each_effort_s_usual_time() -> None:
    renewal_on = date(2027, 12, 1)
    for effort, days in USUAL_DAYS.items():
        assert due_date(START, renewal_on, effort) == (START + timedelta(days=days), BEFORE)
    assert due_date(START, None, "high") == (START + timedelta(days=90), BEFORE)


def test_a_renewal_already_past_phases_everything_after_it() -> None:
    for effort in USUAL_DAYS:
        assert due_date(START, START - timedelta(days=3), effort)[1] == AFTER


@given(
    runway=st.integers(min_value=-30, max_value=400),
    effort=st.sampled_from(sorted(USUAL_DAYS)),
)
def test_any_runway_gives_a_due_date_the_phase_tells_the_truth_about(
    runway: int, effort: str
) -> None:
    renewal_on = START + timedelta(days=runway)
    due, phase = due_date(START, renewal_on, effort)
    deadline = renewal_on - timedelta(days=RENEWAL_MARGIN_DAYS)
    assert due > START
    # never longer than the effort usually takes; never shorter than it can take
    assert SHORTEST_DAYS[effort] <= (due - START).days <= USUAL_DAYS[effort]
    if phase == BEFORE:
        assert due <= deadline
    else:
        assert phase == AFTER and due > deadline and due == START + timedelta(USUAL_DAYS[effort])


def _renewal(low: float, central: float, high: float) -> dict:
    projection = Projection(central=central, low=low, high=high, weeks_used=20, model="flat")
    return renewal(
        licenses=650,
        effective_now=400,
        projection=projection,
        annual_contract_value=1_053_000,
        currency="USD",
        unassigned_seats=50,
    ).figures


def test_a_band_across_a_risk_line_is_borderline() -> None:
    # the demo day90: 398 of 650 (61%), its band 365-432 (56%-66%) crosses 60%
    figures = _renewal(365.0, 398.2, 432.1)
    assert figures["risk"] == "medium"
    assert (figures["risk_certainty"], figures["risk_line"]) == ("borderline", 0.6)
    # a band wholly inside 60-80% is clear
    figures = _renewal(420.0, 450.0, 500.0)
    assert (figures["risk"], figures["risk_certainty"], figures["risk_line"]) == (
        "medium",
        "clear",
        None,
    )
    # a band across both lines names the nearer one
    figures = _renewal(300.0, 510.0, 600.0)
    assert figures["risk_certainty"] == "borderline" and figures["risk_line"] == 0.8


def test_right_sizing_prices_each_kind_of_unused_seat() -> None:
    r = right_sizing(
        licenses=650,
        unassigned_seats=50,
        never_activated=51,
        dormant_users=44,
        annual_contract_value=1_053_000,
        currency="USD",
    )
    per_seat = 1_053_000 / 650  # USD 1,620
    assert r["reclaimable_seats"] == 101
    assert r["reclaim_value"] == pytest.approx(101 * per_seat)
    assert r["dormant_value"] == pytest.approx(44 * per_seat)
    assert r["recommendation"] == (
        "Renew up to 101 fewer seats (USD 163,620 a year): 50 unassigned seats and 51 "
        "licensed users who have never signed in, once their managers confirm they do not "
        "need access. Re-engage the 44 dormant users before renewal; seats still unused "
        "then can go too (USD 71,280 a year)."
    )


def test_right_sizing_without_a_contract_value_or_any_unused_seat() -> None:
    r = right_sizing(
        licenses=10,
        unassigned_seats=2,
        never_activated=None,
        dormant_users=0,
        annual_contract_value=None,
        currency=None,
    )
    assert (r["reclaimable_seats"], r["reclaim_value"], r["dormant_value"]) == (2, None, None)
    assert r["recommendation"] == "Renew up to 2 fewer seats: 2 unassigned seats."
    none = right_sizing(
        licenses=10,
        unassigned_seats=0,
        never_activated=0,
        dormant_users=0,
        annual_contract_value=5000.0,
        currency="EUR",
    )
    assert none["reclaim_value"] == 0.0 and none["recommendation"] is None
