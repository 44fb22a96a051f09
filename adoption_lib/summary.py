"""summary.json: the assessment's headline figures (DESIGN §4), built from every stage.

Today it holds ``engagement``, the survey sections (``survey``, ``constructs``,
``motivation``, ``barriers``, ``keys``, ``privacy``) and the core of ``usage``; segments,
renewal, adoption score and actions are added by their stages. Only aggregates over
the whole organisation appear here; nothing person-level.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Any

from adoption_lib.engagement_schema import Engagement


def build_summary(
    engagement: Engagement, *, lenient: bool = False, survey: Any = None
) -> dict[str, Any]:
    """Compute summary.json for an engagement.

    Parameters
    ----------
    engagement
        A validated engagement.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.
    survey
        An already loaded :class:`~adoption_lib.ingest.SurveyData`, so that a caller who
        read the survey does not read it twice.

    Returns
    -------
    dict
        JSON-ready, with the fixed keys of the stages built so far.
    """
    from adoption_lib.ingest import load_survey
    from adoption_lib.survey_scores import score_survey, summary_sections

    summary: dict[str, Any] = {
        "engagement": {
            "client": engagement.client,
            "system": engagement.system,
            "assessment_date": engagement.assessment_date.isoformat(),
        }
    }
    if engagement.survey_exports:
        data = survey if survey is not None else load_survey(engagement, lenient=lenient)
        summary.update(summary_sections(data, score_survey(data, engagement), engagement))
    else:
        summary["privacy"] = {
            "min_group_size": engagement.privacy.min_group_size,
            "suppressed_groups": 0,
        }
    if engagement.usage_exports:
        summary["usage"] = usage_section(engagement)
    return summary


def usage_section(engagement: Engagement) -> dict[str, Any]:
    """The ``usage`` section: DESIGN §4 keys, ``unavailable`` reasons, accounts off the roster."""
    from adoption_lib.roster import load_roster
    from adoption_lib.usage_metrics import load_usage
    from adoption_lib.usage_trends import usage_trends

    roster = load_roster(engagement)
    result = load_usage(engagement, roster)
    keys = (
        "as_of",
        "licenses",
        "licensed_users",
        "active_users_1d",
        "active_users_7d",
        "active_users_30d",
        "license_utilisation",
        "dau_mau",
        "dormant_users",
        "never_activated",
        "median_active_days_per_week",
        "feature_breadth_median",
        "effective_users",
        "unassigned_seats",
    )
    section = {k: result.metrics.get(k) for k in keys}
    go_live = datetime.combine(engagement.go_live, time(0))
    licensed = list(roster.loc[roster["licensed"], "email"])
    trends = usage_trends(result, licensed, go_live, list(engagement.key_features))
    section.update(trends.figures)
    section["frequency_bands"] = trends.bands
    section["usage_segments"] = trends.segments
    section["weekly_active"] = trends.weekly.to_dict("records")
    section["unavailable"] = {**result.unavailable, **trends.unavailable}
    section["accounts_not_on_roster"] = result.not_on_roster
    return section


def write_summary(summary: dict[str, Any], out: Path) -> Path:
    """Write summary.json (indented, keys in a stable order).

    Returns
    -------
    Path
        The file written.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return out


def format_summary(summary: dict[str, Any]) -> str:
    """The headline figures as text for the terminal.

    Parameters
    ----------
    summary
        From :func:`build_summary`.

    Returns
    -------
    str
        Survey counts, the motivation mix, flagged barriers and the Keys scorecard.
    """
    e = summary["engagement"]
    lines = [f"{e['client']} · {e['system']} · as of {e['assessment_date']}"]
    if "survey" in summary:
        s = summary["survey"]
        rate = (
            f", response rate {s['response_rate']:.0%}"
            if s.get("response_rate") is not None
            else ""
        )
        lines.append(
            f"Survey: {s['respondents_kept']} of {s['rows_received']} responses kept{rate}"
        )
        mix = summary["motivation"]["mix"]
        lines.append("Motivation mix: " + ", ".join(f"{k} {v:.0%}" for k, v in mix.items()))
        flagged = [b for b in summary["barriers"] if b["flagged"]]
        flagged.sort(key=lambda b: -(b["unfavourable_pct"] or 0))
        lines.append(
            "Barriers flagged (unfavourable): "
            + (", ".join(f"{b['id']} {b['unfavourable_pct']:.0%}" for b in flagged) or "none")
        )
        lines.append("4+1 Keys: " + ", ".join(f"{k['id']} {k['status']}" for k in summary["keys"]))
    if "usage" in summary:
        u = summary["usage"]
        lines.append(
            f"Usage: {u['active_users_30d']} of {u['licenses']} licences active in 30 days"
            f" ({u['license_utilisation']:.0%}), {u['effective_users']} effective,"
            f" {u['dormant_users']} dormant, {u['never_activated']} never activated,"
            f" {u['unassigned_seats']} seats unassigned"
        )
    lines.append(
        f"Privacy: groups under {summary['privacy']['min_group_size']} suppressed ({summary['privacy']['suppressed_groups']})"
    )
    return "\n".join(lines)
