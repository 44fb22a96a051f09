"""The executive summary's story, on the demo's day90 and on a two-wave engagement with
other planted changes (another department improves, another declines).

The expected changes come from the generator's planted wave (which department's traits
were moved, and which way), never from the demo's names; the amounts come from the
wave comparison the story must quote.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from adoption_lib.metrics import format_metric, points
from adoption_lib.reports.bundle import report_data
from adoption_lib.reports.progress_data import progress_data
from adoption_lib.reports.story import build_story, story_section
from adoption_lib.reports.story_changes import EFFECTIVE_ROW
from adoption_lib.synthetic import generate_engagement
from adoption_lib.synthetic.scenario import DEMO_SEED, NORTHWIND, WaveChange, WaveSpec

#: another story: Field Sales turns around, Customer Success loses its shared goal
OTHER_WAVE = replace(
    NORTHWIND.waves[0],
    changes=(
        WaveChange(
            "Field Sales",
            "a new sales director makes the system the forecast's only source",
            commitment=1.4,
            process_barrier=-1.0,
            habit=0.8,
            coaching=1.2,
        ),
        WaveChange(
            "Customer Success",
            "the coaching supervisor leaves and the team loses its shared goal",
            commitment=-1.8,
            coaching=-1.0,
            direction="deterioration",
        ),
    ),
    control="Operations",
)


def _told(folder: Path, audience: str, spec: WaveSpec):
    data = report_data(folder, audience, None, spec.name)
    progress = progress_data(folder, audience, spec.name)
    return data, progress, build_story(data, progress)


def _check_story(folder: Path, spec: WaveSpec) -> None:
    for audience in ("consultant", "client"):
        data, progress, told = _told(folder, audience, spec)
        changed = story_section(told, "changed")
        currency = data.summary["renewal"]["currency"]
        # 1. what changed: value at risk with its amount, and each planted department
        risk = progress.deltas["renewal.value_at_risk"]
        verb = "rose" if risk["change"] > 0 else "fell"
        amount = format_metric("renewal.value_at_risk", abs(risk["change"]), currency)
        assert f"Value at risk at renewal {verb} by {amount} since the baseline" in changed
        rows = progress.comparison
        rows = rows[(rows["dimension"] == "department") & (rows["measure"] == EFFECTIVE_ROW)]
        planted = {c.department: c.direction for c in spec.changes}
        for department, direction in planted.items():
            row = rows[rows["group"] == department].iloc[0]
            change = float(row["after"]) - float(row["before"])
            word = "improved" if direction == "improvement" else "declined"
            assert (change > 0) == (direction == "improvement"), (audience, department)
            assert (
                f"{department}'s effective use {word}: {row['before']:.0%} to "
                f"{row['after']:.0%} of its licensed users ({points(change)})"
            ) in changed, (audience, changed)
        # the control and every department not planted are not named as changed
        for department in set(rows["group"]) - set(planted):
            assert f"{department}'s effective use" not in changed, (audience, department)
        # 2. where it stands: the right-sizing recommendation with its value
        standing = story_section(told, "standing")
        sizing = data.summary["renewal"]["right_sizing"]
        assert sizing["reclaim_value"] > 0
        assert format_metric("renewal.value_at_risk", sizing["reclaim_value"], currency) in standing
        assert f"Renew up to {sizing['reclaimable_seats']} fewer seats" in standing
        # 3. three focus areas, the first the strongest driver that beats noise
        assert len(told.focus) == 3
        drivers = [d for d in data.summary["drivers"] if d["beats_noise"]]
        first = max(drivers, key=lambda d: d["importance"])
        assert f"explains {first['importance']:.0%} of the differences" in told.focus[0]["evidence"]
        # 4. before renewal: only actions due before it, the rest counted
        renewal_on = data.engagement["renewal_date"]
        assert all(due < renewal_on for due in told.before_renewal["Due"])
        after = [a for a in data.summary["actions"] if a["phase"] == "after renewal"]
        assert told.after_renewal == len(after)
        assert all(a["due"] > renewal_on for a in after)


@pytest.mark.slow
def test_the_demo_day90_story_names_its_changes(generated: dict[int, Path], tmp_path: Path) -> None:
    folder = tmp_path / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    _check_story(folder, NORTHWIND.waves[0])


@pytest.mark.slow
def test_another_engagement_s_story_names_its_own_changes(tmp_path: Path) -> None:
    scenario = replace(NORTHWIND, client="Fabrikam Logistics", waves=(OTHER_WAVE,))
    folder = tmp_path / "fabrikam"
    generate_engagement(folder, seed=DEMO_SEED + 1, scenario=scenario)
    _check_story(folder, OTHER_WAVE)
    data, _, told = _told(folder, "client", OTHER_WAVE)
    changed = story_section(told, "changed")
    assert "Marketing" not in changed and "Service's" not in changed
    assert data.engagement["client"] == "Fabrikam Logistics"
