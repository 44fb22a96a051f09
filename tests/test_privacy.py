"""Small-group suppression: hand cases and properties over any group sizes."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.privacy.suppression import apply_suppression, suppress_partition, suppressed_count


def _hidden(sizes: list[int], k: int = 5) -> list[bool]:
    return suppress_partition(
        pd.Series(sizes, index=[f"g{i}" for i in range(len(sizes))]), k
    ).tolist()


def test_small_group_and_its_complement() -> None:
    # g2 (3 people) is small; it alone would be total minus the rest, so the
    # smallest released group (g1, 8) is withheld too.
    assert _hidden([20, 8, 3]) == [False, True, True]
    # Two small groups that together reach k need no complement.
    assert _hidden([20, 3, 2]) == [False, True, True]
    # Two small groups under k together: a third group is withheld.
    assert _hidden([20, 9, 2, 2]) == [False, True, True, True]
    # Nothing small: nothing withheld.
    assert _hidden([20, 9, 6]) == [False, False, False]
    # A big group whose complement is small reveals the complement: withheld.
    assert _hidden([30, 2, 2]) == [True, True, True]
    # Empty groups are neither shown as figures nor counted as people.
    assert _hidden([20, 0, 9]) == [False, False, False]


def test_apply_suppression_blanks_and_counts() -> None:
    table = pd.DataFrame(
        {
            "department": ["A", "A", "B", "B", "C", "C"],
            "construct": ["x", "y", "x", "y", "x", "y"],
            "mean": [3.0, 4.0, 2.0, 2.5, 4.5, 1.0],
            "n": [20, 20, 3, 3, 8, 8],
        }
    )
    out = apply_suppression(table, "department", "n", 5, keep=("construct",))
    assert out["suppressed"].tolist() == [False, False, True, True, True, True]
    assert (
        out.loc[out["suppressed"], "mean"].isna().all()
        and out.loc[out["suppressed"], "n"].isna().all()
    )
    assert out["construct"].tolist() == table["construct"].tolist()  # kept, never dropped
    assert suppressed_count(out, "department") == 2
    assert len(out) == len(table)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=12), st.integers(2, 10))
def test_no_released_group_or_difference_is_small(sizes: list[int], k: int) -> None:
    hidden = _hidden(sizes, k)
    total = sum(sizes)
    released = [s for s, h in zip(sizes, hidden, strict=True) if not h and s > 0]
    withheld = [s for s, h in zip(sizes, hidden, strict=True) if h and s > 0]
    # no released cell covers fewer than k people
    assert all(s >= k for s in released)
    # total minus any released group is 0 or at least k (nested cells never differ by 1..k-1)
    assert all(total - s == 0 or total - s >= k for s in released)
    # what subtraction reveals (all withheld together) is 0 or at least k people, and
    # never a single withheld group while anything is released
    if released:
        assert sum(withheld) == 0 or sum(withheld) >= k
        assert len(withheld) != 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=2, max_size=8), st.integers(2, 8))
def test_suppressed_rows_keep_their_place(sizes: list[int], k: int) -> None:
    table = pd.DataFrame(
        {"g": [f"g{i}" for i in range(len(sizes))], "n": sizes, "v": [1.5] * len(sizes)}
    )
    out = apply_suppression(table, "g", "n", k)
    assert out["g"].tolist() == table["g"].tolist()
    assert all(math.isnan(v) for v in out.loc[out["suppressed"], "v"])
    assert all(v == 1.5 for v in out.loc[~out["suppressed"], "v"])
