"""summary.json: the assessment's headline figures (DESIGN §4), built from every stage.

Today it holds ``engagement`` and the survey sections (``survey``, ``constructs``,
``motivation``, ``barriers``, ``keys``, ``privacy``); the usage, segments, renewal,
adoption score and actions sections are added by their stages. Only aggregates over
the whole organisation appear here; nothing person-level.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adoption_lib.engagement_schema import Engagement


def build_summary(engagement: Engagement, *, lenient: bool = False) -> dict[str, Any]:
    """Compute summary.json for an engagement.

    Parameters
    ----------
    engagement
        A validated engagement.
    lenient
        Quarantine rows with unreadable survey answers instead of stopping.

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
        data = load_survey(engagement, lenient=lenient)
        summary.update(summary_sections(data, score_survey(data, engagement), engagement))
    else:
        summary["privacy"] = {
            "min_group_size": engagement.privacy.min_group_size,
            "suppressed_groups": 0,
        }
    return summary


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
    lines.append(
        f"Privacy: groups under {summary['privacy']['min_group_size']} suppressed ({summary['privacy']['suppressed_groups']})"
    )
    return "\n".join(lines)
