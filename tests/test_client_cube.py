"""The client cube: hand case and the privacy properties over any population."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.privacy import ALL, cube_cells, suppress_cube


def _released(people: pd.DataFrame, dims: list[str], k: int) -> pd.DataFrame:
    cells = cube_cells(people, dims)
    cells["suppressed"] = suppress_cube(cells, dims, k)
    return cells


def test_hand_case() -> None:
    people = pd.DataFrame(
        {
            "department": ["Sales"] * 12 + ["Ops"] * 7 + ["Legal"] * 2,
            "role": ["user"] * 10 + ["manager"] * 2 + ["user"] * 7 + ["user", "manager"],
        }
    )
    cells = _released(people, ["department", "role"], 5).set_index(["department", "role"])
    assert not cells.loc[(ALL, ALL), "suppressed"] and cells.loc[(ALL, ALL), "n"] == 21
    assert cells.loc[("Legal", ALL), "suppressed"]  # 2 people
    assert cells.loc[("Sales", "manager"), "suppressed"]  # 2 people
    # Sales (12) minus Sales users (10) would reveal the 2 managers: Sales users withheld.
    assert cells.loc[("Sales", "user"), "suppressed"]
    # Legal alone withheld among departments would be total minus the rest: Ops withheld too.
    assert cells.loc[("Ops", ALL), "suppressed"]


DEPARTMENTS = st.sampled_from(["A", "B", "C", "D", "E"])
ROLES = st.sampled_from(["user", "manager", "exec"])
SITES = st.sampled_from(["north", "south"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(DEPARTMENTS, ROLES, SITES), min_size=1, max_size=120),
    st.integers(2, 8),
    st.sampled_from(
        [["department"], ["role"], ["department", "role"], ["department", "role", "site"]]
    ),
)
def test_no_small_cell_and_no_small_difference(
    rows: list[tuple[str, str, str]], k: int, dims: list[str]
) -> None:
    people = pd.DataFrame(rows, columns=["department", "role", "site"])
    cells = _released(people, dims, k)
    shown = cells[~cells["suppressed"] & (cells["n"] > 0)]
    # the whole-organisation cell is never withheld by these rules unless it is itself small
    total = cells[cells["level"] == 0].iloc[0]
    assert bool(total["suppressed"]) == (0 < total["n"] < k)
    # no released cell covers fewer than k people
    assert (shown["n"] >= k).all()
    # no two released cells whose populations are nested differ by 1 to k-1 people
    records = shown[[*dims, "n"]].to_dict("records")
    for outer in records:
        for inner in records:
            if outer is inner:
                continue
            nested = all(outer[d] == ALL or outer[d] == inner[d] for d in dims)
            if nested and any(outer[d] != inner[d] for d in dims):
                difference = outer["n"] - inner["n"]
                assert difference == 0 or difference >= k, (outer, inner)
