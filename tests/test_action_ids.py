"""Action ids are stable across waves; plans edited under the older ids still count.

An action's id is its play's place in the playbook, so the same finding (through its
play) keeps its id from baseline to day 90; an action whose finding is gone stays in the
follow-through, closed; and a plan edited when ids followed priority is read through a
mapping by action text, then measure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adoption_lib.config.playbook import load_playbook
from adoption_lib.remeasure.follow_through import ActionStatus, follow_through, map_edited_ids
from adoption_lib.synthetic import DEMO_SEED
from tests.behaviour import FIXTURES, SEEDS

ROOT = Path(__file__).resolve().parents[1]


def _actions(seed: int, wave: str) -> list[dict]:
    return json.loads((FIXTURES / f"summary_seed{seed}_{wave}.json").read_text())["actions"]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_play_keeps_its_id_in_every_wave(seed: int) -> None:
    order = [p.id for p in load_playbook(ROOT / "surveys" / "playbook.yml").plays]
    ids = {
        wave: {a["play"]: a["id"] for a in _actions(seed, wave)} for wave in ("baseline", "day90")
    }
    both = ids["baseline"].keys() & ids["day90"].keys()
    assert len(both) >= 5
    for play in both:
        assert ids["baseline"][play] == ids["day90"][play] == f"A{order.index(play) + 1}"
    for wave in ids.values():  # one action per id
        assert len(set(wave.values())) == len(wave)


def test_an_action_whose_finding_is_gone_is_listed_closed() -> None:
    before = _actions(DEMO_SEED, "baseline")
    later = json.loads((FIXTURES / f"summary_seed{DEMO_SEED}_day90.json").read_text())
    table = follow_through(before, ActionStatus(Path("action_plan.xlsx")), later)
    gone = {a["id"] for a in before} - {a["id"] for a in later["actions"]}
    assert gone  # the demo's access barrier is fixed by day 90
    closed = set(table.loc[table["closed"], "id"])
    assert closed == gone
    assert len(table) == len(before)  # nothing is dropped


def test_a_plan_edited_under_priority_ids_is_read_through_a_mapping() -> None:
    actions = [
        {"id": "A6", "action": "Supervisor coaching", "measure": "usage.dau_mau"},
        {
            "id": "A3",
            "action": "Name an adoption owner",
            "measure": "constructs.key3_owner.net_pct",
        },
        {"id": "A8", "action": "A data-use statement", "measure": "constructs.data_trust.mean"},
        {"id": "A12", "action": "Align the process", "measure": "usage.dau_mau"},
    ]
    status = ActionStatus(
        Path("action_plan.xlsx"),
        rows=[
            # ids by priority, as plans written before the playbook's ids numbered them
            {"id": "A1", "action": "Supervisor coaching", "status": "done", "row": 2},
            {
                "id": "A2",
                "action": "edited text",
                "measure": "constructs.key3_owner.net_pct",
                "status": "in progress",
                "row": 3,
            },
            {"id": "A3", "action": "A data-use statement", "status": "planned", "row": 4},
            # two actions share this measure: no guess is made
            {"id": "A9", "action": "other", "measure": "usage.dau_mau", "status": "done", "row": 5},
        ],
    )
    notes = map_edited_ids(actions, status)
    # by text (A1 -> A6, A3 -> A8), by measure (A2 -> A3), and no guess for A9
    assert [r["id"] for r in status.rows] == ["A6", "A3", "A8", "A9"]
    assert notes == [
        "A1 in the edited plan is A6 now: the same action.",
        "A2 in the edited plan is A3 now: the same action.",
        "A3 in the edited plan is A8 now: the same action.",
    ]
    later = {"actions": actions, "usage": {"dau_mau": 0.3}}
    table = follow_through(actions, status, later).set_index("id")
    assert table.loc["A6", "status"] == "done" and table.loc["A3", "status"] == "in progress"
    assert (
        table.loc["A8", "status"] == "planned" and table.loc["A9", "verdict"] == "not in the plan"
    )


def test_a_plan_under_the_current_ids_is_left_alone() -> None:
    actions = [{"id": "A6", "action": "Coaching"}, {"id": "A8", "action": "Statement"}]
    status = ActionStatus(
        Path("p.xlsx"),
        rows=[
            {"id": "A6", "action": "Coaching, edited", "status": "done", "row": 2},
            {"id": "A8", "action": "Statement", "status": "planned", "row": 3},
        ],
    )
    assert map_edited_ids(actions, status) == []
    assert [r["id"] for r in status.rows] == ["A6", "A8"]
