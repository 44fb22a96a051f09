"""What comes first: each department's register and the plan.

The organisation's register (:mod:`adoption_lib.diagnosis.findings`) numbers the
actions by priority; here each department's own findings are put in order, and the
plan lists the actions by due date (before the renewal first) and, on one date, by
priority.
"""

from __future__ import annotations

import pandas as pd

#: how much worse (10 points) a finding must be in a department to be its own
GROUP_LIFT = 0.10


def department_registers(
    tables: list[pd.DataFrame],
    register: pd.DataFrame,
    flag: float,
    importance: pd.Series | None,
) -> dict[str, pd.DataFrame]:
    """Per department: its specific findings, by importance times the department's
    prevalence when the drivers ran, then by how much worse it is there.

    Parameters
    ----------
    tables
        The department tables of barriers and Keys (with ``kind`` and ``lift``).
    register
        The organisation's register (for the action ids).
    flag
        ``thresholds.barrier_flag_unfavourable``.
    importance
        Each construct's importance for use, or None.

    Returns
    -------
    dict
        Department -> ``finding``, ``kind``, ``value``, ``lift``, ``action``.
    """
    if not tables:
        return {}
    frame = pd.concat(tables, ignore_index=True)
    bad = (frame["kind"] == "barrier") & (frame["unfavourable_pct"] >= flag)
    if "status" in frame:
        bad |= (frame["kind"] == "key") & (frame["status"] == "red")
    specific = frame[bad & (frame["lift"] >= GROUP_LIFT)]
    ids = register.set_index("finding")["id"] if not register.empty else pd.Series(dtype=str)
    out = {}
    for department, rows in specific.groupby("department"):
        value = rows["unfavourable_pct"].where(
            rows["kind"] == "barrier", 1 - rows.get("favourable_pct", 0)
        )
        weight = rows["construct"].map(importance).fillna(0.0) if importance is not None else 1.0
        rows = rows.assign(_rank=value * weight)
        rows = rows.sort_values(["_rank", "lift"], ascending=False, kind="stable")
        out[str(department)] = pd.DataFrame(
            {
                "finding": rows["construct"].to_numpy(),
                "kind": rows["kind"].to_numpy(),
                "value": rows["unfavourable_pct"]
                .where(rows["kind"] == "barrier", rows.get("favourable_pct"))
                .to_numpy(),
                "lift": rows["lift"].round(4).to_numpy(),
                "action": rows["construct"].map(ids).to_numpy(),
            }
        )
    return out


def plan_table(register: pd.DataFrame) -> pd.DataFrame:
    """The plan: each action once, by due date (before renewal first), then priority."""
    if register.empty:
        return pd.DataFrame(columns=["phase", "id", "action", "owner_role", "due", "status"])
    first = register.drop_duplicates("id", keep="first")  # findings sharing one action
    ordered = first.sort_values(["due", "priority"], ascending=[True, False], kind="stable")
    columns = ["id", "action", "owner_role", "due", "measure", "baseline", "target", "status"]
    return ordered[["phase", *columns]].reset_index(drop=True)
