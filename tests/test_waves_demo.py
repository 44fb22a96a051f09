"""The demo's day90 wave: planted improvements and deterioration recovered, the control quiet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats import false_discovery_control

from adoption_lib import pipeline
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import for_wave
from adoption_lib.remeasure.compare import WaveSample, compare_waves, wave_sample
from adoption_lib.synthetic import DEMO_SEED
from adoption_lib.synthetic.scenario import NORTHWIND
from tests.conftest import SECOND_SEED

SPEC = NORTHWIND.waves[0]


@pytest.fixture(scope="module", params=[DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def samples(request, generated: dict[int, Path]) -> list[WaveSample]:
    engagement = load_engagement(generated[request.param])
    return [
        wave_sample(pipeline.run(for_wave(engagement, name)), name)
        for name in ("baseline", SPEC.name)
    ]


@pytest.fixture(scope="module")
def compared(samples: list[WaveSample]) -> pd.DataFrame:
    return compare_waves(*samples)


def _row(table: pd.DataFrame, group: str, measure: str) -> pd.Series:
    hit = table[(table["dimension"] == "department") & (table["group"] == group)]
    hit = hit[hit["measure"] == measure]
    assert len(hit) == 1, (group, measure)
    return hit.iloc[0]


@pytest.mark.parametrize(
    ("measure", "sign"),
    [
        ("key5_supervisor (mean)", 1),  # supervisors coached
        ("key5_supervisor (net share)", 1),  # the Keys' default basis
        ("process_fit (unfavourable share)", -1),  # the process aligned with the system
        ("active days per week (mean)", 1),
    ],
)
def test_planted_improvement_in_service(compared: pd.DataFrame, measure: str, sign: int) -> None:
    row = _row(compared, "Service", measure)
    assert sign * row["change"] > 0 and row["significant"] and row["q"] < 0.05, row.to_dict()
    assert (row["ci_low"] > 0) if sign > 0 else (row["ci_high"] < 0)  # the interval agrees
    assert row["direction"] == "better"  # a fall in an unfavourable share is good news


@pytest.mark.parametrize("measure", ["commitment (mean)", "active days per week (mean)"])
def test_planted_deterioration_in_marketing(compared: pd.DataFrame, measure: str) -> None:
    row = _row(compared, "Marketing", measure)
    assert row["change"] < 0 and row["significant"] and row["ci_high"] < 0, row.to_dict()
    assert row["direction"] == "worse"


def test_key_status_moves_with_the_coaching(compared: pd.DataFrame) -> None:
    row = _row(compared, "Service", "key5_supervisor (net share)")
    order = ["red", "amber", "green"]
    assert order.index(row["status_after"]) > order.index(row["status_before"])


def test_negative_control_finds_nothing(compared: pd.DataFrame) -> None:
    control = compared[
        (compared["dimension"] == "department") & (compared["group"] == SPEC.control)
    ]
    assert len(control) > 40  # every figure was compared, none moved
    assert not control["significant"].any(), control[control["significant"]]["measure"].tolist()
    assert control["q"].notna().sum() > 30


def test_linked_respondents_are_paired_through_the_stable_key(
    generated: dict[int, Path], tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "linked"
    shutil.copytree(generated[DEMO_SEED], folder)
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace(
            "  client_dimensions: [department, role]\n",
            "  client_dimensions: [department, role]\n  link_individuals: true\n"
            '  consent_basis: "Respondents agreed to be linked across waves (test)."\n',
        )
    )
    engagement = load_engagement(folder)
    samples = []
    for name in ("baseline", SPEC.name):
        samples.append(wave_sample(pipeline.run(for_wave(engagement, name)), name))
    table = compare_waves(*samples)
    means = table[table["measure"].str.endswith("(mean)") & (table["family"] != "usage")]
    organisation = means[means["dimension"] == "organisation"]
    assert (organisation["test"] == "paired t").all()
    pairs = organisation["n_pairs"].max()
    both = set(samples[0].respondents["identity"]) & set(samples[1].respondents["identity"])
    assert 300 < pairs <= len(both)  # most people answered both surveys
    row = _row(table, "Service", "key5_supervisor (mean)")
    assert row["test"] == "paired t" and row["significant"] and row["change"] > 0
    usage = table[table["family"] == "usage"]
    means = usage["measure"].str.endswith("(mean)")
    assert (usage.loc[~means, "test"].isin(["two proportions", ""])).all()


def test_every_usage_figure_is_compared_by_group(compared: pd.DataFrame) -> None:
    usage = compared[(compared["family"] == "usage") & (compared["group"] == "Service")]
    assert set(usage["measure"]) == {
        "active_30d (share of licensed users)",
        "effective (share of licensed users)",
        "dormant (share of licensed users)",
        "never activated (share of licensed users)",
        "active days per week (mean)",
        "feature breadth (mean)",
    }
    dormant = compared[compared["measure"] == "dormant (share of licensed users)"]
    moved = dormant[dormant["change"].abs() > 0]
    assert (
        moved["direction"] == moved["change"].map(lambda c: "worse" if c > 0 else "better")
    ).all()


def test_services_active_days_are_compared_as_the_same_people(
    samples: list[WaveSample], compared: pd.DataFrame
) -> None:
    before, after = (s.users for s in samples)
    service = [u[u["department"] == "Service"] for u in (before, after)]
    common = service[0].index.intersection(service[1].index)
    # pseudonyms are stable across waves: nearly all of Service is in both
    assert len(common) >= 0.8 * max(len(service[0]), len(service[1]))
    row = _row(compared, "Service", "active days per week (mean)")
    x, y = (s.loc[common, "per_week"].astype(float) for s in service)
    paired = stats.ttest_rel(y, x)
    welch = stats.ttest_ind(service[1]["per_week"], service[0]["per_week"], equal_var=False)
    assert row["test"] == "paired t" and row["n_pairs"] == len(common)
    assert row["p"] == pytest.approx(paired.pvalue, rel=1e-9)
    assert row["p"] < welch.pvalue  # the same user's days correlate across waves
    assert np.corrcoef(x, y)[0, 1] > 0.5


def test_q_values_are_benjamini_hochberg_within_each_dimension(compared: pd.DataFrame) -> None:
    for _, rows in compared[compared["p"].notna()].groupby("dimension"):
        assert np.allclose(rows["q"], false_discovery_control(rows["p"], method="bh"))
