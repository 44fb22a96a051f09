"""Key drivers across supervisor teams: planted structure found, thresholds kept, the demo.

A team-level data set is built with a known structure: one construct drives the teams'
use, one varies between teams without driving it, one is the same in every team but for
noise. The ANOVA behind "too uniform" is checked against statsmodels' own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.formula.api import ols

from adoption_lib.config.engagement import load_engagement
from adoption_lib.diagnosis.drivers import (
    UNIFORM_NOTE,
    driver_records,
    plan_importance,
    team_drivers,
)
from adoption_lib.pipeline import run

FAMILIES = {"driver": "barrier", "bystander": "barrier", "flat": "barrier", "motive": "motivation"}


def _teams(n_teams: int = 60, per_team: int = 8, seed: int = 4):
    rng = np.random.default_rng(seed)
    team_level = {
        "driver": rng.normal(0, 0.7, n_teams),
        "bystander": rng.normal(0, 0.7, n_teams),
        "flat": np.zeros(n_teams),
        "motive": rng.normal(0, 0.7, n_teams),
    }
    rows, teams = [], []
    for t in range(n_teams):
        for _ in range(per_team):
            rows.append({c: 3 + v[t] + rng.normal(0, 0.6) for c, v in team_level.items()})
            teams.append(f"team{t:02d}")
    scores = pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))])
    days = 2.5 - 0.9 * team_level["driver"] + 0.3 * team_level["motive"]
    days = days + rng.normal(0, 0.25, n_teams)
    usage = pd.DataFrame(
        {
            "licensed": per_team + 2,
            "suppressed": False,
            "active_days_per_week": days,
            "effective_share": np.clip(0.6 - 0.2 * team_level["driver"], 0, 1),
        },
        index=[f"team{t:02d}" for t in range(n_teams)],
    )
    return scores, pd.Series(teams, index=scores.index), usage


def test_the_planted_driver_beats_noise_and_a_flat_construct_is_too_uniform() -> None:
    scores, teams, usage = _teams()
    analysis = team_drivers(scores, teams, usage, FAMILIES, k=5, n_boot=1000)
    days = analysis.table[analysis.table["outcome"] == "active_days_per_week"]
    days = days.set_index("construct")
    assert analysis.teams == 60 and (days["n"] == 60).all()
    assert days.loc["driver", "beats_noise"] and not days.loc["bystander", "beats_noise"]
    assert days["weight"].idxmax() == "driver"
    assert days.loc["flat", "uniform"] and not days.loc["driver", "uniform"]
    assert days["weight"].sum() == pytest.approx(days["r2"].iloc[0])
    # the ANOVA p-value against statsmodels' one-way ANOVA
    frame = scores.assign(team=teams)
    table = sm.stats.anova_lm(ols("driver ~ C(team)", data=frame).fit())
    assert days.loc["driver", "anova_p"] == pytest.approx(table.loc["C(team)", "PR(>F)"])
    records = driver_records(analysis)
    flat = next(r for r in records if r["id"] == "flat" and r["outcome"] == "effective")
    assert flat["note"] == UNIFORM_NOTE and flat["level"] == "team" and flat["n"] == 60
    first = records[0]
    assert first["outcome"] == "active_days_per_week" and first["id"] == "driver"
    assert first["ci95"][0] < first["importance"] < first["ci95"][1]
    importance = plan_importance(analysis)
    assert importance["flat"] == 0.0 and importance["driver"] == days.loc["driver", "weight"]


def test_small_teams_and_withheld_usage_are_left_out() -> None:
    scores, teams, usage = _teams(n_teams=40)
    small = teams.isin(["team00", "team01"]) & (scores.index.str[-1] != "0")
    teams = teams.where(~small, "tiny")  # moved into a team of its own
    teams[teams == "team00"] = "team39"
    usage.loc["team02", "suppressed"] = True
    usage.loc["team03", "licensed"] = 4
    analysis = team_drivers(scores, teams, usage, FAMILIES, k=5, n_boot=200)
    # team00 lost its respondents, team01 kept 1, team02 and team03 fail on usage
    assert analysis.teams == 36
    assert set(analysis.table["n"]) == {36}


def test_too_few_teams_is_unavailable_with_the_reason() -> None:
    scores, teams, usage = _teams(n_teams=9)
    analysis = team_drivers(scores, teams, usage, FAMILIES, k=5, n_boot=100)
    assert analysis.table.empty and plan_importance(analysis) is None
    assert analysis.unavailable["motives_and_barriers.active_days_per_week"] == (
        "9 supervisor teams have at least 5 respondents and 5 licensed users; 4 predictors need 12"
    )
    assert driver_records(analysis) == []


def test_on_the_demo_process_fit_drives_use_and_leads_services_plan(demo_dir) -> None:
    result = run(load_engagement(demo_dir))
    days = [d for d in result.summary["drivers"] if d["outcome"] == "active_days_per_week"]
    barriers = [d for d in days if d["family"] == "barrier"]
    process = next(d for d in barriers if d["id"] == "process_fit")
    assert process["beats_noise"] and process["vs_noise_ci95"][0] > 0
    assert process["id"] in [d["id"] for d in barriers[:3]]  # sorted by importance
    assert {d["level"] for d in days} == {"team"} and process["n"] >= 50
    service = result.diagnosis.register.by_department["Service"]
    assert service.iloc[0]["finding"] == "process_fit"
    action = next(a for a in result.summary["actions"] if a["barrier"] == "process_fit")
    assert action["id"] == service.iloc[0]["action"]
    assert "of the variance in active days" in action["evidence"]


def test_the_intervals_do_not_depend_on_the_pseudonyms() -> None:
    scores, teams, usage = _teams(n_teams=30)
    first = team_drivers(scores, teams, usage, FAMILIES, k=5, n_boot=300)
    # another engagement key gives every team another pseudonym, in another order
    rename = {t: f"x{999 - i}" for i, t in enumerate(sorted(teams.unique()))}
    again = team_drivers(
        scores, teams.map(rename), usage.rename(index=rename), FAMILIES, k=5, n_boot=300
    )
    assert driver_records(first) == driver_records(again)


@pytest.mark.parametrize("seed", [20261102, 7, 3])
def test_the_no_effect_barrier_ranks_below_every_planted_one(
    seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from adoption_lib.synthetic import generate_engagement
    from adoption_lib.synthetic.survey import LOADINGS, NO_EFFECT_BARRIER

    folder = tmp_path_factory.mktemp(f"no-effect-{seed}")
    generate_engagement(folder, seed=seed)
    days = [d for d in run(load_engagement(folder)).summary["drivers"]]
    barriers = [
        d for d in days if d["outcome"] == "active_days_per_week" and d["family"] == "barrier"
    ]
    weights = {d["id"]: d["importance"] for d in barriers}
    planted = [b for b, loading in LOADINGS.items() if any(loading)]
    assert NO_EFFECT_BARRIER not in planted and set(planted) <= set(weights)
    assert weights[NO_EFFECT_BARRIER] < min(weights[b] for b in planted), weights
    control = next(d for d in barriers if d["id"] == NO_EFFECT_BARRIER)
    assert not control["beats_noise"] and not control["uniform"]  # it varies, but not with use


def test_the_no_effect_barrier_draws_nothing_from_the_other_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv

    from adoption_lib.synthetic import generate_engagement, survey
    from adoption_lib.synthetic.survey import NO_EFFECT_BARRIER

    def rows(folder: Path) -> list[dict[str, str]]:
        path = folder / "exports" / "survey" / "northwind_adoption_survey.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    generate_engagement(tmp_path / "with", seed=5)
    monkeypatch.setattr(
        survey,
        "team_views",
        lambda people, seed: dict.fromkeys([None, *{p.supervisor for p in people}], 0.0),
    )
    generate_engagement(tmp_path / "flat", seed=5)
    a, b = rows(tmp_path / "with"), rows(tmp_path / "flat")
    assert len(a) == len(b) > 100
    changed = {c for x, y in zip(a, b, strict=True) for c in x if x[c] != y[c]}
    assert changed and all(c.startswith(NO_EFFECT_BARRIER) for c in changed), changed
    # every other file (usage exports, roster, both waves) is byte for byte the same
    others = [
        f
        for f in sorted((tmp_path / "with" / "exports").rglob("*"))
        if f.is_file() and "survey" not in f.parts
    ]
    assert len(others) >= 5
    for left in others:
        right = tmp_path / "flat" / left.relative_to(tmp_path / "with")
        assert left.read_bytes() == right.read_bytes(), left.name
