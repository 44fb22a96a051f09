"""Do the motivation types differ in use? Checked against pingouin, and on the demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from adoption_lib.diagnosis.motivation_use import person_types_vs_use, team_types_vs_use


def _people(seed: int, effect: float) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    types = pd.Series(rng.choice(["commitment", "compliance", "wiifm", "mixed"], 200))
    days = pd.Series(rng.gamma(2.0, 0.8, 200)) + effect * (types == "commitment")
    days[types.index[:3]] = np.nan  # not linked
    return types, days


def test_person_level_matches_pingouins_kruskal() -> None:
    types, days = _people(1, 1.5)
    found = person_types_vs_use(types, days, k=5)
    frame = pd.DataFrame({"type": types, "days": days}).dropna()
    expected = pg.kruskal(frame, dv="days", between="type")
    assert found["statistic"] == pytest.approx(float(expected["H"].iloc[0]), abs=1e-4)
    assert found["p"] == pytest.approx(float(expected["p_unc"].iloc[0]), abs=1e-4)
    assert found["differs"] and found["n"] == 197
    assert found["mean_days"]["commitment"] == pytest.approx(
        frame.loc[frame["type"] == "commitment", "days"].mean(), abs=1e-3
    )
    assert found["mean_days"]["low"] is None  # nobody: nothing shown
    assert "go with different use" in found["says"]


def test_no_difference_is_said_plainly() -> None:
    types, days = _people(2, 0.0)
    found = person_types_vs_use(types, days, k=5)
    assert not found["differs"] and "do not differ in measured use" in found["says"]


def test_a_type_under_k_is_neither_shown_nor_tested() -> None:
    types = pd.Series(["commitment"] * 10 + ["wiifm"] * 4)
    days = pd.Series(np.linspace(0, 3, 14))
    found = person_types_vs_use(types, days, k=5)
    assert found["mean_days"]["wiifm"] is None and found["p"] is None
    assert found["n"] == 10


def test_team_level_matches_pingouins_spearman() -> None:
    rng = np.random.default_rng(3)
    teams = pd.Series(np.repeat([f"t{i}" for i in range(20)], 6))
    lead = pd.DataFrame(
        rng.dirichlet([1, 1, 1, 1], len(teams)),
        columns=["commitment", "compliance", "wiifm", "mixed"],
    )
    shares = lead.groupby(teams)["commitment"].mean()
    usage = pd.DataFrame(
        {
            "active_days_per_week": 1 + 3 * shares + rng.normal(0, 0.1, 20),
            "licensed": 8,
            "suppressed": False,
        },
        index=shares.index,
    )
    found = team_types_vs_use(lead, teams, usage, k=5)
    expected = pg.corr(shares, usage["active_days_per_week"], method="spearman")
    assert found["n"] == 20
    assert found["by_motive"]["commitment"]["r"] == pytest.approx(
        float(expected["r"].iloc[0]), abs=1e-4
    )
    assert found["by_motive"]["commitment"]["p"] == pytest.approx(
        float(expected["p_val"].iloc[0]), abs=1e-4
    )
    assert found["differs"]
    # a suppressed team's use is left out
    hidden = usage.assign(suppressed=[True] * 16 + [False] * 4)
    assert team_types_vs_use(lead, teams, hidden, k=5)["differs"] is None
