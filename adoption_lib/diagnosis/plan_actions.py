"""The plan's actions from the barrier register: one action per play, ids by priority.

Two findings that fall to the same play share one action (the first's id; the action's
evidence names the other too), so the plan never lists an action twice. Split from
:mod:`adoption_lib.diagnosis.findings` to keep modules small.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def action_ids(plays: pd.Series) -> list[str]:
    """Action ids in priority order; a play already given an id keeps it.

    Parameters
    ----------
    plays
        Each register row's play, in priority order (None for a row without one).

    Returns
    -------
    list of str
        ``A1``, ``A2``...: a row whose play an earlier row has shares its id.

    Examples
    --------
    >>> action_ids(pd.Series(["coach", "sponsor", "coach", None]))
    ['A1', 'A2', 'A1', 'A3']
    """
    ids: list[str] = []
    seen: dict[str, str] = {}
    for play in plays:
        if isinstance(play, str) and play in seen:
            ids.append(seen[play])
            continue
        ids.append(f"A{len(set(ids)) + 1}")
        if isinstance(play, str):
            seen[play] = ids[-1]
    return ids


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
