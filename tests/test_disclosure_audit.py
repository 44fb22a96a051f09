"""The disclosure audit: it passes on safe releases and fails on each kind of planted leak.

Every leak below is a release a suppression rule once let through (issue 17). The
documents are written by hand, in the layout of ``client/cube.json``, and the truth is a
person-level table, so the audit is tested without the suppression code.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from adoption_lib.errors import AuditError, DisclosureError
from adoption_lib.privacy.audit import AuditReport, Exposure, audit_release
from adoption_lib.privacy.breakdowns import suppress_breakdown
from adoption_lib.privacy.nesting import containment, member_matrix
from adoption_lib.reports.disclosure import audit_engagement
from adoption_lib.reports.run import refuse_unsafe_release

ALL = "(all)"
DIMS = ["department", "role"]


def people(
    groups: dict[tuple[str, str], int], **categories: dict[tuple[str, str], list]
) -> pd.DataFrame:
    """One row per person: ``groups`` gives head counts, ``categories`` each one's label."""
    rows = []
    for (department, role), count in groups.items():
        for i in range(count):
            row = {"department": department, "role": role}
            for name, labels in categories.items():
                row[name] = labels[(department, role)][i]
            rows.append(row)
    return pd.DataFrame(rows)


def count_row(department: str, role: str, value: float | None, population: str = "licensed_users"):
    return {
        "department": department,
        "role": role,
        "population": population,
        "table": "cells",
        "measure": "people",
        "partition": "people",
        "category": None,
        "base": value,
        "value": value,
        "withheld": value is None,
    }


def share_row(department: str, role: str, partition: str, category: str, base, value):
    return {
        "department": department,
        "role": role,
        "population": "licensed_users",
        "table": "usage",
        "measure": f"{partition}.{category}",
        "partition": partition,
        "category": category,
        "base": base,
        "value": value,
        "withheld": value is None,
    }


def document(figures: list[dict]) -> dict:
    return {
        "dimensions": DIMS,
        "all": ALL,
        "min_group_size": 5,
        "share_precision": 0.01,
        "figures": figures,
    }


# Service: 30 end users and 12 managers; Sales: 40 end users and 10 managers.
GROUPS = {
    ("Service", "end user"): 30,
    ("Service", "manager"): 12,
    ("Sales", "end user"): 40,
    ("Sales", "manager"): 10,
}


def active_labels(inactive: dict[tuple[str, str], int]) -> dict[tuple[str, str], list]:
    return {
        g: [None] * inactive.get(g, 0) + ["active"] * (n - inactive.get(g, 0))
        for g, n in GROUPS.items()
    }


def all_counts(shown: set[tuple[str, str]] | None = None) -> list[dict]:
    """Head counts of every cell of GROUPS; cells outside ``shown`` withheld (None: all shown)."""
    totals: dict[tuple[str, str], int] = {}
    for (department, role), n in GROUPS.items():
        for key in ((ALL, ALL), (department, ALL), (ALL, role), (department, role)):
            totals[key] = totals.get(key, 0) + n
    return [
        count_row(d, r, float(n) if shown is None or (d, r) in shown else None)
        for (d, r), n in sorted(totals.items())
    ]


def test_a_release_of_counts_at_least_2k_apart_passes() -> None:
    truth = {"licensed_users": people(GROUPS)}
    report = audit_release(document(all_counts()), truth)
    assert report.passed
    assert report.considered > 0 and report.checked == 0  # no group of 1..4 anywhere


def test_a_completed_partition_fails_and_names_the_cell() -> None:
    # Service managers: 1 inactive of 12. Every cell's active share is released except
    # Service managers'; Service (all) minus its end users gives the one inactive manager.
    inactive = {("Service", "manager"): 1, ("Service", "end user"): 6}
    truth = {"licensed_users": people(GROUPS, active_30d=active_labels(inactive))}
    figures = all_counts()
    figures += [
        share_row("Service", ALL, "active_30d", "active", 42.0, round(35 / 42, 2)),
        share_row("Service", "end user", "active_30d", "active", 30.0, round(24 / 30, 2)),
        share_row("Service", "manager", "active_30d", "active", 12.0, None),
    ]
    report = audit_release(document(figures), truth)
    assert not report.passed
    texts = [e.describe() for e in report.exposures]
    assert any("(rest) in (department=Service, role=manager) is 1" in t for t in texts), texts
    exposure = next(e for e in report.exposures if "Service, role=manager) is 1" in e.describe())
    assert (exposure.low, exposure.high) == (1, 1)


def test_rounded_shares_still_pin_a_small_count() -> None:
    # 3 of 40 inactive: the share 0.93 (37/40 = 0.925) leaves 37..37 active in 40.
    inactive = {("Sales", "end user"): 3}
    truth = {"licensed_users": people(GROUPS, active_30d=active_labels(inactive))}
    figures = [*all_counts(), share_row("Sales", "end user", "active_30d", "active", 40.0, 0.93)]
    report = audit_release(document(figures), truth)
    pinned = [e for e in report.exposures if "(department=Sales, role=end user)" in e.quantity]
    assert [(e.true, e.low, e.high) for e in pinned] == [(3, 3, 3)]


def test_a_nested_attribute_difference_fails() -> None:
    # Sales (all) and Sales end users both show active shares: their difference is the
    # 10 managers, 2 of them inactive.
    inactive = {("Sales", "manager"): 2, ("Sales", "end user"): 10}
    truth = {"licensed_users": people(GROUPS, active_30d=active_labels(inactive))}
    figures = all_counts({(ALL, ALL), ("Sales", ALL), ("Sales", "end user"), ("Service", ALL)})
    figures += [
        share_row("Sales", ALL, "active_30d", "active", 50.0, 0.76),
        share_row("Sales", "end user", "active_30d", "active", 40.0, 0.75),
    ]
    report = audit_release(document(figures), truth)
    assert not report.passed
    assert any(e.true == 2 and "Sales" in e.quantity for e in report.exposures)


def test_an_alias_by_people_fails() -> None:
    # A role present in one department only: (all, auditor) and (Finance, auditor) are
    # one group; withholding one name while releasing the other gives it away.
    groups = {("Finance", "auditor"): 3, ("Finance", "clerk"): 20, ("Ops", "clerk"): 30}
    truth = {"licensed_users": people(groups)}
    figures = [
        count_row(ALL, ALL, 53.0),
        count_row("Finance", ALL, 23.0),
        count_row("Ops", ALL, 30.0),
        count_row(ALL, "auditor", 3.0),
        count_row(ALL, "clerk", 50.0),
        count_row("Finance", "auditor", None),
        count_row("Finance", "clerk", None),
        count_row("Ops", "clerk", 30.0),
    ]
    report = audit_release(document(figures), truth)
    assert any("auditor" in e.quantity and e.true == 3 for e in report.exposures)


def test_a_population_difference_fails() -> None:
    # 12 licensed Service managers, 11 of whom answered: one did not.
    respondents = people({**GROUPS, ("Service", "manager"): 11})
    truth = {"licensed_users": people(GROUPS), "respondents": respondents}
    figures = all_counts()
    totals = respondents.groupby(DIMS).size()
    for row in list(figures):
        d, r = row["department"], row["role"]
        mask = pd.Series(True, index=respondents.index)
        if d != ALL:
            mask &= respondents["department"] == d
        if r != ALL:
            mask &= respondents["role"] == r
        figures.append(count_row(d, r, float(mask.sum()), population="respondents"))
    assert totals.sum() == 91
    report = audit_release(document(figures), truth)
    assert any("did not answer" in e.quantity and e.true == 1 for e in report.exposures)


def test_homogeneity_fails_when_a_small_complement_is_shown() -> None:
    # 100% of 12 Service managers active: withheld or not, "not active" is 0 there, which
    # the audit does not protect; but 11 of 12 (0.92) pins the one inactive manager.
    inactive = {("Service", "manager"): 1}
    truth = {"licensed_users": people(GROUPS, active_30d=active_labels(inactive))}
    figures = [*all_counts(), share_row("Service", "manager", "active_30d", "active", 12.0, 0.92)]
    report = audit_release(document(figures), truth)
    assert [e.true for e in report.exposures if "Service, role=manager" in e.quantity] == [1]


def test_a_difference_of_two_released_cells_fails() -> None:
    # Service (all) 42 and Service end users 38 (of a 38/4 split) are 4 managers apart.
    groups = {("Service", "end user"): 38, ("Service", "manager"): 4, ("Sales", "end user"): 40}
    truth = {"licensed_users": people(groups)}
    figures = [
        count_row(ALL, ALL, 82.0),
        count_row("Service", ALL, 42.0),
        count_row("Sales", ALL, 40.0),
        count_row("Service", "end user", 38.0),
        count_row("Service", "manager", None),
        count_row("Sales", "end user", 40.0),
        count_row(ALL, "end user", None),
        count_row(ALL, "manager", None),
    ]
    report = audit_release(document(figures), truth)
    assert any("minus" in e.quantity or "manager" in e.quantity for e in report.exposures)
    assert all(e.true == 4 for e in report.exposures)


def test_the_audit_refuses_a_release_without_its_truth() -> None:
    figures = [*all_counts(), share_row("Sales", ALL, "active_30d", "active", 50.0, 0.8)]
    with pytest.raises(AuditError, match="breakdown active_30d"):
        audit_release(document(figures), {"licensed_users": people(GROUPS)})
    with pytest.raises(AuditError, match="no person-level truth for licensed_users"):
        audit_release(document(all_counts()), {})


def test_bounds_agree_with_a_brute_force_attacker() -> None:
    # Two departments of 6 and 14 with the first withheld: the attacker enumerates every
    # split of 20 consistent with the released total, the audit's bounds must match.
    groups = {("A", "x"): 6, ("B", "x"): 14}
    truth = {"licensed_users": people(groups)}
    figures = [
        count_row(ALL, ALL, 20.0),
        count_row("A", ALL, None),
        count_row("B", ALL, None),
        count_row(ALL, "x", 20.0),
        count_row("A", "x", None),
        count_row("B", "x", None),
    ]
    report = audit_release({**document(figures), "min_group_size": 7}, truth, protection=15)
    feasible = [a for a in range(21)]  # A can be anything 0..20, B = 20 - A
    exposed = {e.quantity: (e.low, e.high) for e in report.exposures}
    assert exposed["licensed_users in (department=A, role=(all))"] == (min(feasible), max(feasible))


def test_breakdown_rules_leave_no_single_withheld_category() -> None:
    keys = [(ALL,), ("a",), ("b",), ("c",)]
    counts = np.array([[60, 12, 8], [20, 2, 8], [20, 5, 0], [20, 5, 0]])
    hidden = suppress_breakdown(keys, counts, np.zeros(4, dtype=bool), 5)
    for row in range(4):
        assert hidden[row].sum() != 1
    assert hidden[1, 1] and hidden[2, 2] and hidden[3, 2]  # a small count, two zeros


def test_nesting_is_by_people_not_by_key() -> None:
    keys = [
        (ALL, ALL),
        ("F", ALL),
        ("O", ALL),
        (ALL, "aud"),
        (ALL, "clerk"),
        ("F", "aud"),
        ("F", "clerk"),
        ("O", "clerk"),
    ]
    sizes = np.array([13, 7, 6, 4, 9, 4, 3, 6])
    inside, alias = containment(member_matrix(keys, sizes))
    assert inside[1, 3]  # (all, aud) lies inside (F, all): the role is in F only
    assert alias[3, 5] and alias[5, 3]  # (all, aud) and (F, aud) are one group
    assert not inside[2, 3] and not inside[1, 4]
    assert inside[0].sum() == 7  # everything lies inside the organisation


@pytest.mark.parametrize("wave", ["baseline", "day90"])
def test_the_audit_passes_on_both_seeds_and_waves(generated: dict, wave: str) -> None:
    for folder in generated.values():
        done = audit_engagement(folder, wave)
        assert done.cube_file is None  # no run yet: the cube a run would release
        assert done.report.passed, [e.describe() for e in done.report.exposures[:5]]
        assert done.report.checked > 100  # small groups exist, and each was bounded


def test_a_run_refuses_a_release_the_audit_failed() -> None:
    exposure = Exposure("licensed_users", "band", "daily in (department=A, role=x)", 2, 2, 2)
    failed = SimpleNamespace(audit=AuditReport(5, 5, 1, 1, (exposure,)))
    with pytest.raises(DisclosureError, match=r"no deliverable was written: .*daily in .* is 2"):
        refuse_unsafe_release(failed)
    refuse_unsafe_release(SimpleNamespace(audit=AuditReport(5, 5, 1, 1)))
    refuse_unsafe_release(None)
