"""The client cube: hand case and the privacy properties over any population."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.labels import SEGMENTS
from adoption_lib.privacy.cube import build_client_cube
from adoption_lib.privacy.cube_tables import segments_table
from adoption_lib.privacy.suppression import ALL, cube_cells, suppress_cube, suppress_populations


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


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(DEPARTMENTS, ROLES), min_size=1, max_size=80),
    st.lists(st.tuples(DEPARTMENTS, ROLES), min_size=1, max_size=120),
    st.integers(2, 6),
)
def test_two_populations_are_safe_together(
    respondents: list[tuple[str, str]], users: list[tuple[str, str]], k: int
) -> None:
    dims = ["department", "role"]
    survey = cube_cells(pd.DataFrame(respondents, columns=dims), dims)
    licensed = cube_cells(pd.DataFrame(users, columns=dims), dims).rename(columns={"n": "licensed"})
    cells = survey.merge(licensed, on=[*dims, "level"], how="outer").fillna(0)
    cells[["n", "licensed"]] = cells[["n", "licensed"]].astype(int)
    cells["suppressed"] = suppress_populations(cells, dims, k, ["n", "licensed"])
    shown = cells[~cells["suppressed"]]
    for count in ("n", "licensed"):
        live = shown[shown[count] > 0]
        assert (live[count] >= k).all(), count
        records = live[[*dims, count]].to_dict("records")
        for outer in records:
            for inner in records:
                nested = all(outer[d] in (ALL, inner[d]) for d in dims) and outer != inner
                if nested and any(outer[d] != inner[d] for d in dims):
                    assert not 0 < outer[count] - inner[count] < k, (count, outer, inner)


def _users(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["department", "role", "recent"])
    frame.index = [f"p{i}" for i in range(len(frame))]
    return frame


def test_usage_shares_hide_small_counts_inside_shown_cells() -> None:
    # Sales: 12 users, 10 active (2 inactive: withheld); Ops: 10 users, 5 active, withheld
    # too, or Sales's would be the organisation's 15 active minus Ops's 5
    rows = [("Sales", "user", i < 10) for i in range(12)] + [
        ("Ops", "user", i < 5) for i in range(10)
    ]
    cube = build_client_cube(["department", "role"], 5, users=_users(rows))
    usage = cube.usage.set_index(["department", "role"])
    assert not usage.loc[("Sales", ALL), "suppressed"]
    assert pd.isna(usage.loc[("Sales", ALL), "active_30d_share"])
    assert pd.isna(usage.loc[("Ops", ALL), "active_30d_share"])
    assert usage.loc[(ALL, ALL), "active_30d_share"] == round(15 / 22, 2)  # whole percent
    assert cube.cells.set_index(["department", "role"]).loc[(ALL, ALL), "licensed"] == 22
    assert cube.audit is not None and cube.audit.passed


def test_weekly_curve_per_cell_never_says_none_or_all() -> None:
    rows = [("Sales", "user", True)] * 12 + [("Ops", "user", True)] * 12
    users = _users(rows)
    everyone = [f"p{i}" for i in range(24)]
    some = [f"p{i}" for i in range(7)] + [f"p{i}" for i in range(12, 18)]  # 7 + 6
    weeks = pd.DataFrame(
        {
            "person": everyone + everyone[:12] + some,
            "week_start": ["2026-10-19"] * 24 + ["2026-10-26"] * 12 + ["2026-11-02"] * 13,
        }
    )
    cube = build_client_cube(["department"], 5, users=users, user_weeks=weeks)
    weekly = cube.weekly.set_index(["department", "week_start"])["share"]
    assert pd.isna(weekly[(ALL, "2026-10-19")])  # 100% of everyone: withheld
    assert weekly[(ALL, "2026-10-26")] == 0.5
    assert pd.isna(weekly[("Sales", "2026-10-26")]) and pd.isna(weekly[("Ops", "2026-10-26")])
    assert weekly[(ALL, "2026-11-02")] == round(13 / 24, 2)
    assert weekly[("Sales", "2026-11-02")] == round(7 / 12, 2)
    assert weekly[("Ops", "2026-11-02")] == 0.5
    assert cube.audit.passed


def test_segment_counts_per_cell_withhold_small_counts_and_complements() -> None:
    # Sales: 12 users answered, 9 blocked and 3 compliers (3 < k: both counts withheld);
    # Ops: 10 answered, 5 champions and 5 blocked: its blocked would give Sales's (the
    # organisation's 14 minus 5), and its champions would then be 10 minus the rest
    respondents = pd.DataFrame(
        {"department": ["Sales"] * 12 + ["Ops"] * 10, "role": ["user"] * 22},
        index=pd.Index([f"r{i}" for i in range(22)], name="respondent"),
    )
    segments = pd.Series(
        ["blocked"] * 9 + ["complier"] * 3 + ["champion"] * 5 + ["blocked"] * 5,
        index=respondents.index,
    )
    users = _users([(d, "user", True) for d in respondents["department"]])
    cube = build_client_cube(["department", "role"], 5, users=users)
    cube.cells["n"] = cube.cells["licensed"]  # the same people answered
    table = segments_table(respondents, segments, cube.dimensions, cube.cells, cube.k, {})
    table = table.set_index(["department", "role"])
    assert table.loc[("Ops", ALL), list(SEGMENTS)].isna().all()
    # and the organisation's champions and blocked would give its 3 compliers (22 - 5 - 14)
    assert table.loc[(ALL, ALL), list(SEGMENTS)].isna().all()
    assert pd.isna(table.loc[("Sales", ALL), "blocked"])  # its complement is 3 people
    assert pd.isna(table.loc[("Sales", ALL), "complier"])
    assert pd.isna(table.loc[(ALL, ALL), "complier"])  # 3 people across the organisation
    released = table[~table["suppressed"]]
    counts = released[["champion", "complier", "self_server", "blocked", "disengaged"]]
    assert not ((counts > 0) & (counts < 5)).any().any()


def test_organisation_activation_counts_withhold_small_ones_together() -> None:
    # active, dormant and never activated partition the licensed users: dormant and
    # never activated are released exactly when neither is small; a small one takes
    # the other with it (either alone would be the cell minus the rest)
    def cube_of(dormant: int, never: int):
        rows = [("Sales", "user", True)] * 30 + [("Sales", "user", False)] * (dormant + never)
        users = _users(rows)
        users["first"] = [pd.Timestamp("2026-01-05")] * (30 + dormant) + [pd.NaT] * never
        return build_client_cube(["department", "role"], 5, users=users).organisation.iloc[0]

    shown = cube_of(8, 9)
    assert (shown["active_30d"], shown["dormant"], shown["never_activated"]) == (30, 8, 9)
    small = cube_of(2, 15)
    assert small["active_30d"] == 30
    assert pd.isna(small["dormant"]) and pd.isna(small["never_activated"])
