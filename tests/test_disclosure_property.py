"""Hypothesis engagements: whatever the shape, the released cube passes the audit.

Each example is an organisation of departments and roles with groups of every size,
small ones (1..k-1) at every level, and a role found in one department only (so that
nesting by key and nesting by people differ). Licensed users carry usage categories,
respondents a motivation type. The cube is built with the suppression, then checked
by the audit (independent code) against the people themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption_lib.labels import TYPES, USAGE_BANDS, USAGE_SEGMENTS
from adoption_lib.privacy.audit import audit_release
from adoption_lib.privacy.cube import SurveyPart, build_client_cube
from adoption_lib.privacy.release import people_by_population

K = 5
DIMS = ["department", "role"]


@st.composite
def organisations(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    departments = [f"D{i}" for i in range(draw(st.integers(2, 4)))]
    roles = ["user", "manager"]
    sizes = st.one_of(st.integers(1, K - 1), st.integers(K, 40), st.just(0))
    groups = {(d, r): draw(sizes) for d in departments for r in roles}
    groups[(departments[0], "auditor")] = draw(st.integers(1, 12))  # one department only
    if not any(groups.values()):
        groups[(departments[0], "user")] = 10
    return groups


def _people(groups: dict[tuple[str, str], int], seed: int) -> tuple[pd.DataFrame, SurveyPart]:
    rng = np.random.default_rng(seed)
    rows = [(d, r) for (d, r), n in groups.items() for _ in range(n)]
    users = pd.DataFrame(rows, columns=DIMS, index=[f"u{i}" for i in range(len(rows))])
    users.index.name = "person"
    users["recent"] = rng.random(len(users)) < 0.8
    users["effective"] = users["recent"] & (rng.random(len(users)) < 0.7)
    users["band"] = rng.choice(USAGE_BANDS, len(users), p=[0.2, 0.5, 0.15, 0.1, 0.05])
    users["segment"] = rng.choice(USAGE_SEGMENTS, len(users))
    users["per_week"] = rng.uniform(0, 5, len(users))
    answered = users[rng.random(len(users)) < 0.75]
    respondents = answered[DIMS].copy()
    respondents.index = pd.Index([f"r{i}" for i in range(len(respondents))], name="respondent")
    types = pd.Series(rng.choice(TYPES[:5], len(respondents)), index=respondents.index)
    scores = pd.DataFrame({"commitment": rng.uniform(1, 5, len(respondents))}, respondents.index)
    classified = pd.DataFrame(
        {
            "respondent": respondents.index,
            "construct": "commitment",
            "favourable": scores["commitment"].to_numpy() > 3.5,
            "unfavourable": scores["commitment"].to_numpy() < 2.5,
            "dont_know": False,
        }
    )
    return users, SurveyPart(respondents, classified, scores, types)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.integers(0, 10_000))
def test_every_generated_engagement_passes_the_audit(groups, seed: int) -> None:
    users, survey = _people(groups, seed)
    cube = build_client_cube(DIMS, K, survey=survey, users=users)
    assert cube.audit is not None
    assert cube.audit.passed, [e.describe() for e in cube.audit.exposures[:3]]
    # the same verdict from the audit alone, on the released rows and the people
    truth = people_by_population(DIMS, survey.people, survey.types, None, users)
    again = audit_release(cube.document(), truth)
    assert again.passed and again.checked == cube.audit.checked
    # nothing of 1..k-1 people is shown as a cell, in either population
    cells = cube.cells[~cube.cells["suppressed"]]
    for count in ("n", "licensed"):
        assert not ((cells[count] > 0) & (cells[count] < K)).any()


def test_a_large_even_organisation_keeps_its_figures() -> None:
    # with every group large, suppression has nothing to hide: the audit must not
    # make it withhold everything (a cube that shows nothing passes trivially)
    groups = {(d, r): 40 for d in ("D0", "D1", "D2") for r in ("user", "manager")}
    users, survey = _people(groups, 3)
    cube = build_client_cube(DIMS, K, survey=survey, users=users)
    assert cube.audit.passed
    assert not cube.cells["suppressed"].any()
    whole = cube.usage[(cube.usage[DIMS] == "(all)").all(axis=1)].iloc[0]
    assert whole["active_30d_share"] == round(users["recent"].mean(), 2)
