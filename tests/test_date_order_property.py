"""Date order is never guessed wrong: for any dates, settled right or refused, never swapped."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.errors import DateOrderError
from adoption_lib.inputs.survey_times import parse_timestamp, settle_date_order

WINDOW_START = date(2026, 9, 1)


@st.composite
def dated_file(draw: st.DrawFn) -> tuple[list[datetime], str, tuple[date, date] | None]:
    length = draw(st.integers(min_value=1, max_value=120))
    first = WINDOW_START + timedelta(days=draw(st.integers(0, 300)))
    days = draw(st.lists(st.integers(0, length), min_size=1, max_size=30))
    times = [
        datetime.combine(first + timedelta(days=d), datetime.min.time())
        + timedelta(minutes=draw(st.integers(0, 1439)))
        for d in days
    ]
    order = draw(st.sampled_from(["dmy", "mdy"]))
    window = draw(st.sampled_from([None, (first, first + timedelta(days=length))]))
    return times, order, window


@settings(max_examples=300, deadline=None)
@given(dated_file())
def test_settled_order_reads_back_the_true_dates(case) -> None:
    times, order, window = case
    fmt = "%d/%m/%Y %H:%M" if order == "dmy" else "%m/%d/%Y %H:%M"
    texts = sorted({t.strftime(fmt) for t in times})
    try:
        settled = settle_date_order(texts, None, window)
    except DateOrderError:
        return  # refused: the consultant is asked for date_order, nothing is misread
    parsed = [parse_timestamp(t.strftime(fmt), "UTC", settled) for t in times]
    assert [p.replace(tzinfo=None) for p in parsed] == times


def test_a_declared_order_is_taken_as_given() -> None:
    assert settle_date_order(["13/10/2026 10:00"], "mdy") == "mdy"
    with pytest.raises(ValueError, match="not a timestamp as mdy"):
        parse_timestamp("13/10/2026 10:00", None, "mdy")


def test_year_first_dates_need_no_order() -> None:
    assert settle_date_order(["2026/10/03 09:00:00", "2026-10-04T10:00:00"]) is None
