"""The executive summary as a story: what changed, where it stands, where to focus, what next.

Four parts, in the order a COO asks:

1. **What changed since the last wave** (a later wave only): value at risk and projected
   use at renewal, effective use, the adoption score, and the groups whose effective
   use changed beyond chance, the largest first. Shares change in percentage points.
2. **Where adoption stands and what it is worth**: effective use on both denominators,
   value at risk with its range and change, the risk level ("borderline" when the
   range crosses a risk line), what the adoption score averages, and the right-sizing
   recommendation.
3. **Where to focus**: three areas from the key driver ranking (those that relate to use
   more than a random predictor does, by importance), then the plan's priorities, each
   with its evidence and the action that answers it.
4. **Before renewal**: the actions due before the renewal, with owners and dates; how
   many follow after it.

Every sentence is built from the figures: nothing here names a department, a barrier or
an amount of its own. Both audiences get it; a client's figures are the released ones
(:mod:`adoption_lib.reports.bundle`, :mod:`adoption_lib.remeasure.released_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.config.waves import BASELINE
from adoption_lib.errors import SelectionError
from adoption_lib.labels import display_name, in_words
from adoption_lib.metrics import format_metric, metric_label
from adoption_lib.remeasure.results import ProgressData
from adoption_lib.reports.bundle import ReportData
from adoption_lib.reports.plan_text import action_title, html_table
from adoption_lib.reports.progress_data import progress_data
from adoption_lib.reports.story_changes import changed_since, money, wave_words

#: how many focus areas the summary names
FOCUS_AREAS = 3


@dataclass
class Story:
    """The executive summary's four parts, as plain sentences and one table."""

    changed: list[str] = field(default_factory=list)
    standing: list[str] = field(default_factory=list)
    focus: list[dict[str, str]] = field(default_factory=list)
    before_renewal: pd.DataFrame = field(default_factory=pd.DataFrame)
    after_renewal: int = 0
    #: the previous wave in words ("the baseline", "wave Day90"), None for a baseline
    compared_with_words: str | None = None


def build_story(data: ReportData, progress: ProgressData | None = None) -> Story:
    """The executive summary's story of one audience's figures.

    Parameters
    ----------
    data
        The audience's report data (:func:`adoption_lib.reports.bundle.report_data`).
    progress
        The comparison with the previous wave (:func:`adoption_lib.reports.progress_data
        .progress_data`), or None for a baseline.

    Returns
    -------
    Story
        Its four parts; :func:`story_markdown` writes it out.
    """
    story = Story()
    if progress is not None:
        story.compared_with_words = wave_words(progress.about.get("before"))
        story.changed = changed_since(data, progress)
    story.standing = _standing(data, progress)
    story.focus = _focus(data)
    story.before_renewal, story.after_renewal = _before_renewal(data)
    return story


def _standing(data: ReportData, progress: ProgressData | None) -> list[str]:
    s, e = data.summary, data.engagement
    renewal, usage = s.get("renewal", {}), s.get("usage", {})
    currency = renewal.get("currency")
    out = []
    effective = usage.get("effective_users")
    if effective is not None:
        licensed = usage.get("licensed_users")
        second = (
            f"; {format_metric('usage.effective_share_of_licensed', effective / licensed)} "
            f"of the {licensed:,} licensed users"
            if licensed
            else ""
        )
        out.append(
            f"**{metric_label('renewal.effective_utilisation')}: "
            f"{format_metric('renewal.effective_utilisation', renewal.get('effective_utilisation'))}** "
            f"({effective:,} of the {e['licenses']:,} licences in use in at least 3 of the "
            f"last 4 weeks{second})" + _active(usage) + "."
        )
    if renewal.get("value_at_risk") is not None:
        level = renewal.get("risk")
        if renewal.get("risk_certainty") == "borderline" and renewal.get("risk_line"):
            level = (
                f"{level}, borderline: the range crosses the {renewal['risk_line']:.0%} "
                "line of projected effective use"
            )
        out.append(
            f"**{metric_label('renewal.value_at_risk')}: "
            f"{money(renewal['value_at_risk'], currency)}** (range "
            f"{money(renewal.get('value_at_risk_low'), currency)} to "
            f"{money(renewal.get('value_at_risk_high'), currency)}; renewal on "
            f"{e['renewal_date']}); risk {level}."
        )
    elif renewal.get("unavailable", {}).get("value_at_risk"):
        out.append(f"Value at risk is not available: {renewal['unavailable']['value_at_risk']}.")
    score = s.get("adoption_score", {})
    if score.get("value") is not None:
        parts = [
            f"{in_words(k).replace('utilisation', 'use')} {v:.0%}"
            for k, v in score.get("components", {}).items()
            if v is not None
        ]
        out.append(
            f"**{metric_label('adoption_score.value')}: "
            f"{format_metric('adoption_score.value', score['value'])}**, the average of "
            + ", ".join(parts)
            + "; 100 would mean every licence in weekly use, every key feature in use, "
            "every respondent committed and no barrier reported."
        )
    sizing = renewal.get("right_sizing") or {}
    if sizing.get("recommendation"):
        out.append(f"**Right-sizing:** {sizing['recommendation']}")
    survey = s.get("survey", {})
    if survey.get("response_rate") is not None:
        kept = survey.get("respondents_kept")
        out.append(
            f"**{metric_label('survey.response_rate')}: "
            f"{format_metric('survey.response_rate', survey['response_rate'])}**"
            + (f" ({kept:,} usable answers)." if kept is not None else ".")
        )
    return out


def _active(usage: dict[str, Any]) -> str:
    share = usage.get("license_utilisation")
    if share is None:
        return ""
    people = usage.get("active_users_30d")
    who = f" ({people:,} people in the last 30 days)" if people is not None else ""
    return (
        f"; **{metric_label('usage.license_utilisation')}: "
        f"{format_metric('usage.license_utilisation', share)}**{who}"
    )


def _label(data: ReportData, code: str) -> str:
    for kind in ("barriers", "keys"):
        for row in data.summary.get(kind, []):
            if row.get("id") == code and row.get("label"):
                return str(row["label"])
    return display_name(code)


def _action_for(data: ReportData, code: str) -> dict[str, Any] | None:
    actions = data.summary.get("actions", [])
    mine = [a for a in actions if a.get("barrier") == code or code in a.get("also", [])]
    # else the first (by priority) whose play answers it too
    answering = [a for a in actions if code in a.get("answers", [])]
    return (mine or answering or [None])[0]


def _standing_of(data: ReportData, code: str) -> str:
    construct = data.summary.get("constructs", {}).get(code, {})
    favourable, unfavourable = construct.get("favourable_pct"), construct.get("unfavourable_pct")
    if favourable is None or unfavourable is None:
        return ""
    return f"{favourable:.0%} of respondents favourable, {unfavourable:.0%} unfavourable"


def _focus(data: ReportData) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    drivers = [
        d
        for d in data.summary.get("drivers", [])
        if d.get("beats_noise") and d.get("outcome") == "active_days_per_week"
    ]
    for driver in sorted(drivers, key=lambda d: -(d.get("importance") or 0)):
        code = str(driver["id"])
        if code in seen:
            continue
        seen.add(code)
        evidence = [
            f"explains {driver['importance']:.0%} of the differences in weekly use between "
            f"{'teams' if driver.get('level') == 'team' else 'people'}"
        ]
        if standing := _standing_of(data, code):
            evidence.append(standing)
        out.append(_area(data, code, evidence))
        if len(out) == FOCUS_AREAS:
            return out
    for action in data.summary.get("actions", []):
        code = str(action.get("barrier"))
        if code in seen:
            continue
        seen.add(code)
        out.append(_area(data, code, [_standing_of(data, code)]))
        if len(out) == FOCUS_AREAS:
            break
    return out


def _area(data: ReportData, code: str, evidence: list[str]) -> dict[str, str]:
    action = _action_for(data, code)
    return {
        "area": _label(data, code),
        "evidence": "; ".join(e for e in evidence if e),
        "action": f"{action['id']}: {action_title(action)}" if action else "",
    }


def _before_renewal(data: ReportData) -> tuple[pd.DataFrame, int]:
    actions = data.summary.get("actions", [])
    before = [a for a in actions if a.get("phase", "before renewal") == "before renewal"]
    rows = [
        {
            "Action": f"{a['id']}: {action_title(a)}",
            "Owner": a.get("owner_role", ""),
            "Due": a.get("due", ""),
        }
        for a in sorted(before, key=lambda a: str(a.get("due", "")))
    ]
    return pd.DataFrame(rows, columns=["Action", "Owner", "Due"]), len(actions) - len(before)


def story_section(story: Story, part: str) -> str:
    """One part of the story as Markdown with its heading; empty when it has nothing.

    Parameters
    ----------
    story
        From :func:`build_story`.
    part
        ``changed``, ``standing``, ``focus`` or ``renewal``.

    Returns
    -------
    str
        Markdown; empty for ``changed`` on a baseline, so the report shows no empty
        section.

    Raises
    ------
    SelectionError
        For another part.
    """
    if part == "changed":
        if not story.changed:
            return ""
        lines = "\n".join(f"- {line}" for line in story.changed)
        return f"## What changed since {story.compared_with_words}\n\n{lines}"
    if part == "standing":
        lines = "\n".join(f"- {line}" for line in story.standing)
        return f"## Where adoption stands, and what it is worth at renewal\n\n{lines}"
    if part == "focus":
        if not story.focus:
            return ""
        lines = "\n".join(
            f"{i}. **{f['area']}**: {f['evidence']}."
            + (
                f" Action {f['action']}."
                if f["action"]
                else " No action in the plan answers it yet."
            )
            for i, f in enumerate(story.focus, start=1)
        )
        return f"## Where to focus\n\n{lines}"
    if part == "renewal":
        if story.before_renewal.empty:
            text = "No action in the plan can land before the renewal."
        else:
            text = html_table(story.before_renewal, "soon")
        after = (
            "Every action in the plan lands before the renewal."
            if not story.after_renewal
            else f"{story.after_renewal} more actions need longer and land after the renewal; "
            "the full plan follows in the appendix."
        )
        return f"## What to do before renewal\n\n{text}\n\n{after}"
    raise SelectionError(f"unknown part of the story {part!r}: changed, standing, focus or renewal")


def story_of(data: ReportData, engagement: str | Path) -> Story:
    """The story of a report bundle, with the comparison when its wave is a later one.

    Parameters
    ----------
    data
        The audience's report data.
    engagement
        The engagement folder or its yml (the comparison is read from its cache).

    Returns
    -------
    Story
        From :func:`build_story`.
    """
    wave = data.engagement.get("wave")
    progress = None
    if wave and wave != BASELINE:
        progress = progress_data(engagement, data.audience, str(wave))
    return build_story(data, progress)


def title_line(data: ReportData) -> str:
    """Who, which system, as of when, and the renewal date, as one Markdown line."""
    e = data.engagement
    return (
        f"**{e['client']} · {e['system']}**, as of {e['as_of']}; the contract renews on "
        f"{e['renewal_date']}."
    )
