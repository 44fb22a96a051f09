"""The plan's actions from the barrier register: one action per play, ids from the playbook.

Two findings that fall to the same play share one action (the first's id; the action's
evidence names the other too), so the plan never lists an action twice. Split from
:mod:`adoption_lib.diagnosis.findings` to keep modules small.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def action_ids(plays: pd.Series, findings: pd.Series, play_order: list[str]) -> list[str]:
    """Each register row's action id: its play's place in the playbook, in every wave.

    The same play keeps the same id in every wave of an engagement (and in every
    engagement on the same playbook), so "A8" means the data-use statement at baseline
    and at day 90. A row with no play takes an id after the playbook's, from its
    finding's place among this register's play-less findings (sorted by name).

    Parameters
    ----------
    plays
        Each register row's play id (None for a row without one).
    findings
        Each row's finding (a barrier, Key or segment id).
    play_order
        The playbook's play ids in file order.

    Returns
    -------
    list of str
        ``A<n>``: rows sharing a play share its id.

    Examples
    --------
    >>> action_ids(
    ...     pd.Series(["coach", "sponsor", "coach", None]),
    ...     pd.Series(["routines", "key4_leadership", "roles", "tools"]),
    ...     ["sponsor", "plan", "coach"],
    ... )
    ['A3', 'A1', 'A3', 'A4']
    """
    place = {play: n for n, play in enumerate(play_order, start=1)}
    loose = sorted({f for p, f in zip(plays, findings, strict=True) if p not in place})
    after = {finding: len(play_order) + n for n, finding in enumerate(loose, start=1)}
    return [
        f"A{place[p]}" if p in place else f"A{after[f]}"
        for p, f in zip(plays, findings, strict=True)
    ]


def actions_of(register: pd.DataFrame) -> list[dict[str, Any]]:
    """One action per id: a finding sharing another's play joins that action.

    Parameters
    ----------
    register
        The barrier register, in priority order, with its ``id`` column.

    Returns
    -------
    list of dict
        summary.json's ``actions[]``: the first finding's action, whose evidence also
        names each later finding it answers (listed under ``also``).
    """
    actions: dict[str, dict[str, Any]] = {}
    for row in register.to_dict("records"):
        first = actions.get(row["id"])
        if first is None:
            actions[row["id"]] = _action(row)
            continue
        first["evidence"] += f"; it also answers {row['label']} ({row['scope']}): {row['evidence']}"
        first.setdefault("also", []).append(row["finding"])
    return list(actions.values())


def _action(row: dict[str, Any]) -> dict[str, Any]:
    """The DESIGN §4 ``actions[]`` entry of a register row."""
    return {
        "id": row["id"],
        "barrier": row["finding"],
        "action": row["action"],
        "owner_role": row["owner_role"],
        "due": row["due"],
        "phase": row["phase"],
        "play": row["play"],
        "answers": row["answers"],
        "evidence": row["evidence"],
        "measure": row["measure"],
        "baseline": row["baseline"],
        "target": row["target"],
        "status": row["status"],
        "scope": row["scope"],
        "control": row["control"],
    }
