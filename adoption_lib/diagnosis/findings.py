"""The barrier register, its SMART actions and the 30/60/90-day plan.

One register row per finding: a barrier flagged organisation-wide or in at least one
shown department, and a Key that is red. Each row carries its evidence (the survey's
unfavourable share, the usage signal :file:`surveys/playbook.yml` names for it, how many
respondents' comments raise it), the departments affected, whether it lies inside the
users' control, an owner role (management for anything outside it), a play and one
SMART action with a measure (a summary.json path), its baseline, a target and a due date.

A department's own register keeps the findings specific to it: flagged there and at
least ``plan_order.GROUP_LIFT`` (10 points) more unfavourable than in the rest of the organisation
(respondent-weighted), ordered by that lift. Organisation-wide barriers stay in the
organisation's register.

Plan: each finding's *prevalence* is its unfavourable share (for a Key, 1 - favourable)
times the share of licensed users in the affected departments. When the key driver
analysis ran (:mod:`adoption_lib.diagnosis.drivers`), ``priority = importance x
prevalence``: importance is the construct's organisation-wide relative weight for
active days a week across supervisor teams (0 when it is too uniform across teams to
show any), so a barrier many people report but that does not relate to use ranks below
one that does. Without it (no usage, no teams), ``priority = prevalence / effort``
(low 1, medium 2, high 3). An action's id is its play's place in the playbook
(:func:`adoption_lib.diagnosis.plan_actions.action_ids`), so the same finding keeps
its id in every wave. Two findings that fall to the same play share one action (the
action's evidence names the other too), so the plan never lists an action twice.
Due dates come from :mod:`adoption_lib.diagnosis.plan_calendar`: an action's effort
sets its time (30, 60 or 90 days), compressed to land before the renewal where it
can; the rest are phased after it.

A department's register orders its specific findings by importance times the
department's own unfavourable share, then by lift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from adoption_lib.config.playbook import EFFORTS, Play, Playbook
from adoption_lib.config.schema import Thresholds
from adoption_lib.diagnosis.plan_actions import action_ids, actions_of
from adoption_lib.diagnosis.plan_calendar import due_date
from adoption_lib.diagnosis.plan_order import department_registers

STATUSES = ("planned", "in progress", "done")


@dataclass
class Register:
    """The organisation's register, the department registers and the actions."""

    rows: pd.DataFrame
    by_department: dict[str, pd.DataFrame]
    actions: list[dict[str, Any]]


def resolve(summary: dict[str, Any], path: str) -> float | None:
    """The value at a dotted summary.json path (``usage.license_utilisation``), or None."""
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def _target(play: Play, baseline: float, path: str) -> float:
    change = baseline * play.target if play.relative else play.target
    value = baseline - change if play.direction == "down" else baseline + change
    bounded = path.endswith(("_pct", "_share", "utilisation"))
    value = max(value, 0.0)
    return round(min(value, 1.0) if bounded else value, 4)


def _lift(table: pd.DataFrame, value: str, overall: pd.Series) -> pd.Series:
    """Group value minus the rest of the organisation's (respondent-weighted)."""
    n_all = table.groupby("construct")["group_size"].sum()
    total = (
        overall.reindex(table["construct"]).to_numpy()
        * n_all.reindex(table["construct"]).to_numpy()
    )
    rest_n = n_all.reindex(table["construct"]).to_numpy() - table["group_size"].to_numpy()
    rest = (total - table[value].to_numpy() * table["group_size"].to_numpy()) / rest_n
    return pd.Series(table[value].to_numpy() - rest, index=table.index)


def build_register(
    summary: dict[str, Any],
    barriers: pd.DataFrame,
    keys: pd.DataFrame,
    by_department: dict[str, pd.DataFrame],
    usage_by_department: pd.DataFrame | None,
    themes: dict[str, float | None],
    playbook: Playbook,
    labels: dict[str, str],
    assessment_date: date,
    thresholds: Thresholds,
    importance: pd.Series | None = None,
    renewal_date: date | None = None,
) -> Register:
    """Build the register, one SMART action per row, and the department registers.

    Parameters
    ----------
    summary
        summary.json so far (survey and usage sections): baselines are read from it.
    barriers, keys
        Organisation-wide barrier and Keys tables (:mod:`adoption_lib.survey.barriers`).
    by_department
        ``barriers`` and ``keys`` tables by department, suppressed.
    usage_by_department
        Usage by department (index: department) with the signal columns, or None.
    themes
        Respondents whose comments raise each theme (None when withheld).
    playbook
        Plays and what the diagnosis knows of each finding.
    labels
        Construct labels.
    assessment_date
        Due dates count from it.
    thresholds
        The engagement's thresholds: the barrier flag, and the Keys' red line the
        evidence text names.
    importance
        Each construct's importance for use (index: construct; 0 where it cannot be
        shown), from the key driver analysis; None when it did not run.
    renewal_date
        The renewal: actions are phased to land before it where they can.

    Returns
    -------
    Register
        Rows, department registers and actions (DESIGN §4 ``actions[]`` keys).
    """
    flag = thresholds.barrier_flag_unfavourable
    licensed = (
        usage_by_department["licensed"]
        if usage_by_department is not None and "licensed" in usage_by_department
        else None
    )
    rows: list[dict[str, Any]] = []
    dept_rows: list[pd.DataFrame] = []
    used: set[str] = set()  # a play already chosen is the last resort for another finding
    # Keys first: each has its own play; barriers then take the plays still free.
    for kind, overall, table, value in (
        ("key", keys, by_department.get("keys"), "favourable_pct"),
        ("barrier", barriers, by_department.get("barriers"), "unfavourable_pct"),
    ):
        org = overall.set_index("construct")[value]
        shown = table[~table["suppressed"]].copy() if table is not None else None
        if shown is not None and not shown.empty:
            shown["lift"] = _lift(shown, value, org)
            if kind == "key":
                shown["lift"] = -shown["lift"]  # a Key is a finding where it is low
            dept_rows.append(shown.assign(kind=kind))
        for construct, score in org.items():
            bad = (
                score >= flag
                if kind == "barrier"
                else overall.set_index("construct").loc[construct, "status"] == "red"
            )
            affected: list[str] = []
            if shown is not None and not shown.empty:
                mine = shown[shown["construct"] == construct]
                hit = mine[value] >= flag if kind == "barrier" else mine["status"] == "red"
                affected = sorted(mine.loc[hit, "department"].astype(str))
                everywhere = bool(hit.all()) and len(mine) > 0
            else:
                everywhere = bool(bad)
            if not bad and not affected:
                continue
            row = _row(
                kind,
                construct,
                float(score),
                affected,
                everywhere,
                summary,
                playbook,
                labels,
                usage_by_department,
                licensed,
                themes,
                (assessment_date, renewal_date),
                used,
                thresholds,
                importance,
            )
            used.add(row["play"])
            rows.append(row)
    register = pd.DataFrame(rows)
    if not register.empty:
        register = register.sort_values(
            ["priority", "impact", "finding"], ascending=[False, False, True], kind="stable"
        )
        register.insert(
            0,
            "id",
            action_ids(register["play"], register["finding"], [p.id for p in playbook.plays]),
        )
        register = register.reset_index(drop=True)
    departments = department_registers(dept_rows, register, flag, importance)
    return Register(register, departments, actions_of(register))


def _row(
    kind: str,
    construct: str,
    score: float,
    affected: list[str],
    everywhere: bool,
    summary: dict[str, Any],
    playbook: Playbook,
    labels: dict[str, str],
    usage: pd.DataFrame | None,
    licensed: pd.Series | None,
    themes: dict[str, float | None],
    dates: tuple[date, date | None],
    used: set[str],
    thresholds: Thresholds,
    importance: pd.Series | None,
) -> dict[str, Any]:
    finding = playbook.findings.get(construct)
    plays = playbook.for_finding(construct)
    own = f"constructs.{construct}.{'unfavourable_pct' if kind == 'barrier' else 'favourable_pct'}"
    # prefer a play written for this finding (its measure names it), then one whose
    # measure fits any finding ({barrier}), then the first that addresses it
    literal = [p for p in plays if p.measure == own]
    generic = [p for p in plays if p.measure != own and "{" in p.measure]
    ranked = literal + generic + [p for p in plays if p not in literal and p not in generic]
    fresh = [p for p in ranked if p.id not in used]
    play = (fresh or ranked or [None])[0]
    measure = play.measure.format(barrier=construct, key=construct) if play else own
    if measure.startswith("constructs.") and measure != own:
        measure = own  # another construct's score would not show this finding moved
    baseline = resolve(summary, measure)
    if baseline is None:  # the play's measure is not in this engagement: use the finding's own
        measure, baseline = own, resolve(summary, own)
    target = (
        _target(play, baseline, measure)
        if play and baseline is not None and measure != own
        else None
    )
    if target is None and baseline is not None:
        step = 0.15
        target = round(
            max(baseline - step, 0.0) if kind == "barrier" else min(baseline + step, 1.0), 4
        )
    scope = "organisation-wide" if everywhere or not affected else ", ".join(affected)
    if licensed is not None and affected and not everywhere:
        reach = float(licensed.reindex(affected).sum() / licensed.sum())
    else:
        reach = 1.0
    impact = (score if kind == "barrier" else 1 - score) * reach  # the prevalence
    effort = play.effort if play else "medium"
    weight = None if importance is None else float(importance.get(construct, 0.0))
    priority = impact * weight if weight is not None else impact / (EFFORTS.index(effort) + 1)
    due, phase = due_date(dates[0], dates[1], effort)
    signal, signal_value, signal_rest = _signal(
        finding.signal if finding else None, usage, affected, everywhere
    )
    evidence = [
        f"{score:.0%} unfavourable in the survey (flag at {thresholds.barrier_flag_unfavourable:.0%})"
        if kind == "barrier"
        else _key_evidence(summary, construct, score, thresholds)
    ]
    if signal and signal_value is not None:
        text = finding.signal_text if finding else signal
        where = scope if affected and not everywhere else "the organisation"
        rest = f" vs {_fmt(signal, signal_rest)} elsewhere" if signal_rest is not None else ""
        evidence.append(f"{text}: {_fmt(signal, signal_value)} in {where}{rest}")
    elif finding is not None:
        evidence.append("no usage signal corresponds to it: the survey is the evidence")
    if weight is not None:
        evidence.append(
            f"relates to use across teams: {weight:.1%} of the variance in active days"
            if weight > 0
            else "its relation to use could not be shown across teams"
        )
    mentions = themes.get(construct)
    if mentions:
        evidence.append(f"{int(mentions)} respondents raise it in comments")
    owner = finding.owner_role if finding else (play.owner_role if play else "Management")
    control = finding.control if finding else "outside"
    behaviour = (
        f"{play.title} ({scope}): {play.steps[0][0].lower() + play.steps[0][1:]}"
        if play
        else f"Agree and carry out a remedy for {labels.get(construct, construct)} ({scope})"
    )
    return {
        "finding": construct,
        "kind": kind,
        "label": labels.get(construct, construct),
        "score": round(score, 4),
        "scope": scope,
        "affected_groups": affected,
        "control": control,
        "owner_role": owner,
        "play": play.id if play else None,
        "play_title": play.title if play else None,
        "answers": list(play.addresses) if play else [construct],
        "action": behaviour,
        "evidence": "; ".join(evidence),
        "signal": signal,
        "signal_value": signal_value,
        "comment_mentions": None if mentions is None else int(mentions),
        "measure": measure,
        "baseline": None if baseline is None else round(baseline, 4),
        "target": target,
        "due": due.isoformat(),
        "status": "planned",
        "effort": effort,
        "impact": round(impact, 4),
        "importance": None if weight is None else round(weight, 4),
        "priority": round(priority, 4),
        "phase_days": (due - dates[0]).days,
        "phase": phase,
    }


def _signal(
    name: str | None, usage: pd.DataFrame | None, affected: list[str], everywhere: bool
) -> tuple[str | None, float | None, float | None]:
    if name is None or usage is None or name not in usage:
        return name, None, None
    column = usage[name].astype(float)
    weights = (
        usage["licensed"].astype(float)
        if "licensed" in usage
        else pd.Series(1.0, index=usage.index)
    )

    def mean(index: pd.Index) -> float | None:
        values, w = column.reindex(index), weights.reindex(index)
        ok = values.notna() & w.notna()
        return round(float((values[ok] * w[ok]).sum() / w[ok].sum()), 4) if ok.any() else None

    if everywhere or not affected:
        return name, mean(usage.index), None
    inside = pd.Index(affected)
    return name, mean(inside), mean(usage.index.difference(inside))


def _fmt(signal: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0%}" if signal.endswith("share") else f"{value:.2f}"


def _key_evidence(summary: dict[str, Any], key: str, favourable: float, t: Thresholds) -> str:
    """A Key's survey evidence on the basis its status is judged on."""
    record = next((k for k in summary.get("keys", []) if k.get("id") == key), {})
    net, neutral = record.get("net_pct"), record.get("neutral_pct")
    if t.keys.basis == "net" and net is not None:
        return (
            f"net {t.keys.points(net * 100)} points in the survey ({favourable:.0%} "
            f"favourable, {neutral or 0:.0%} neutral; red below {t.keys.points(t.keys.red_below)})"
        )
    return f"{favourable:.0%} favourable in the survey (red below {t.keys.red_below:.0f}%)"
