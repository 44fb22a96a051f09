"""summary.json: the assessment's headline figures (DESIGN §4), built from every stage.

:func:`summarise` writes ``engagement``, the survey sections (``survey``, ``constructs``,
``motivation``, ``barriers``, ``keys``, ``privacy``) and ``usage``;
:func:`adoption_lib.pipeline.run` adds the client cube's figures
(:func:`cube_figures`) and the diagnosis (segments, renewal, adoption score, actions).
Only aggregates over the whole organisation appear here; nothing person-level.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adoption_lib.assessment import Assessment
from adoption_lib.errors import InputFileError, RunError, SummaryVersionError

if TYPE_CHECKING:
    from adoption_lib.privacy.cube import ClientCube

#: summary.json's layout version: raised when a key is renamed, moved or changes meaning
#: (a new key does not raise it). :func:`read_summary` refuses any other version.
SCHEMA_VERSION = 1


def summarise(assessment: Assessment) -> dict[str, Any]:
    """The survey and usage sections of summary.json, from an assessment already run.

    The diagnosis sections are added by :func:`adoption_lib.pipeline.run`, which alone
    chains the stages; this function changes nothing.

    Parameters
    ----------
    assessment
        From :func:`adoption_lib.assessment.assess`.

    Returns
    -------
    dict
        JSON-ready, organisation-wide figures only.
    """
    engagement = assessment.engagement
    summary: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "engagement": {
            "client": engagement.client,
            "system": engagement.system,
            "assessment_date": engagement.assessment_date.isoformat(),
        },
    }
    if assessment.survey is not None and assessment.scores is not None:
        # heavy: a usage-only run never loads the survey stage (see assess)
        from adoption_lib.survey.scores import summary_sections

        summary.update(summary_sections(assessment.survey, assessment.scores, engagement))
    else:
        summary["privacy"] = {
            "min_group_size": engagement.privacy.min_group_size,
            "suppressed_groups": 0,
            "client_dimensions": list(engagement.privacy.client_dimensions),
        }
    if assessment.usage is not None:
        summary["usage"] = usage_section(assessment)
    return summary


def cube_figures(cube: ClientCube | None) -> dict[str, Any]:
    """What summary.json's ``privacy`` section says about the client cube.

    Parameters
    ----------
    cube
        The wave's client cube, or None when nothing could be grouped.

    Returns
    -------
    dict
        ``suppressed_cube_cells``, ``client_dimensions`` as the cube was really
        built (a population without role leaves role out), and ``disclosure_audit``:
        whether it passed, how many small quantities it bounded, how many it found
        exposed.
    """
    if cube is None:
        return {"suppressed_cube_cells": 0}
    out: dict[str, Any] = {
        "client_dimensions": list(cube.dimensions),
        "suppressed_cube_cells": cube.suppressed_cells,
    }
    if cube.audit is not None:
        out["disclosure_audit"] = {
            "passed": cube.audit.passed,
            "quantities_bounded": cube.audit.checked,
            "exposures": len(cube.audit.exposures),
        }
    return out


def usage_section(assessment: Assessment) -> dict[str, Any]:
    """The ``usage`` section: DESIGN §4 keys, ``unavailable`` reasons, accounts off the roster.

    Parameters
    ----------
    assessment
        An assessment with usage.

    Returns
    -------
    dict
        The section, organisation-wide figures only.
    """
    result, trends = assessment.usage, assessment.trends
    if result is None or trends is None:
        raise RunError("usage_section needs an assessment of an engagement with usage exports")
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
    section.update(trends.figures)
    section["frequency_bands"] = trends.bands
    section["usage_segments"] = trends.segments
    section["weekly_active"] = trends.weekly.to_dict("records")
    section["unavailable"] = {**result.unavailable, **trends.unavailable}
    section["accounts_not_on_roster"] = result.not_on_roster
    section["sources"] = [
        {
            "format": s.format,
            "rows_read": s.rows_read,
            "rows_qualifying": s.rows_qualifying,
            "coverage": [_iso(s.coverage[0]), _iso(s.coverage[1])],
            "notes": s.notes,
        }
        for s in result.sources
    ]
    return section


def _iso(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


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


def read_summary(path: Path) -> dict[str, Any]:
    """Read a summary.json this version of the workbook wrote, or say what to do.

    Parameters
    ----------
    path
        A report folder's ``summary.json``.

    Returns
    -------
    dict
        The summary.

    Raises
    ------
    SummaryVersionError
        For a file without ``schema_version`` (written before it existed) or with
        another version, naming the file and the command that rewrites it.
    InputFileError
        For a file that is not JSON.
    """
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{path}: not a summary.json ({exc})") from None
    version = summary.get("schema_version") if isinstance(summary, dict) else None
    if version != SCHEMA_VERSION:
        written = "before schema_version existed" if version is None else f"as version {version}"
        raise SummaryVersionError(
            f"{path}: written {written}; this workbook reads version {SCHEMA_VERSION}. "
            "Run adoption run ENGAGEMENT again to rewrite the report folder"
        )
    return summary


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
        lines += [f"  note: {note}" for note in s.get("notes", [])]
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

        def shown(key: str) -> str:
            value = u.get(key)
            return (
                "n/a"
                if value is None
                else f"{value:.0%}"
                if isinstance(value, float)
                else str(value)
            )

        lines.append(
            f"Usage: {shown('active_users_30d')} of {u['licenses']} licences active in 30 days"
            f" ({shown('license_utilisation')}), {shown('effective_users')} effective,"
            f" {shown('dormant_users')} dormant, {shown('never_activated')} never activated,"
            f" {u['unassigned_seats']} seats unassigned"
        )
        if u.get("unavailable"):
            lines.append(f"  not available from these exports: {', '.join(u['unavailable'])}")
    lines += _diagnosis_lines(summary)
    lines += _wave_lines(summary.get("waves"))
    lines.append(
        f"Privacy: groups under {summary['privacy']['min_group_size']} suppressed ({summary['privacy']['suppressed_groups']})"
    )
    return "\n".join(lines)


def _wave_lines(waves: dict[str, Any] | None) -> list[str]:
    """Progress since the baseline, for the terminal (nothing for the baseline itself)."""
    if not waves or not waves.get("compared_with"):
        return []
    moved = waves.get("significant_changes", {})
    lines = [
        f"Since {waves['compared_with']}: {moved.get('improved_or_rose', 0)} figures rose and "
        f"{moved.get('fell', 0)} fell significantly, of {moved.get('comparisons', 0)} compared"
    ]
    for path in ("usage.license_utilisation", "usage.effective_users", "adoption_score.value"):
        d = waves.get("deltas", {}).get(path)
        if d and d["change"] is not None:
            lines.append(f"  {path}: {d['before']:g} -> {d['after']:g} ({d['change']:+g})")
    if waves.get("actions"):
        lines.append("  actions: " + ", ".join(f"{n} {v}" for v, n in waves["actions"].items()))
    return lines


def _diagnosis_lines(summary: dict[str, Any]) -> list[str]:
    """Segments, adoption score, renewal and the first actions, for the terminal."""
    lines = []
    if summary.get("segments"):
        total = sum(summary["segments"].values()) or 1
        lines.append(
            "Segments: "
            + ", ".join(
                f"{k.replace('_', '-')} {v / total:.0%}" for k, v in summary["segments"].items()
            )
        )
    score = summary.get("adoption_score", {})
    if score.get("value") is not None:
        parts = ", ".join(
            f"{k.replace('_', ' ')} {v:.0%}"
            for k, v in score["components"].items()
            if v is not None
        )
        lines.append(f"Adoption score: {score['value']:.0f}/100 ({parts})")
    renewal = summary.get("renewal", {})
    if renewal.get("projected_effective_users_at_renewal") is not None:
        money = (
            f"; value at risk {renewal['currency'] or ''} {renewal['value_at_risk']:,.0f}"
            f" ({renewal['value_at_risk_low']:,.0f} to {renewal['value_at_risk_high']:,.0f})"
            if renewal.get("value_at_risk") is not None
            else ""
        )
        lines.append(
            f"Renewal: {renewal['projected_effective_users_at_renewal']:.0f} effective users projected"
            f" ({renewal['projected_utilisation_at_renewal']:.0%} of licences), risk {renewal['risk']}{money}"
        )
        if renewal.get("model"):
            lines.append(
                f"  Forecast: {renewal['model']} (chosen by back-test), band "
                f"{renewal['projected_effective_users_low']:.0f} to "
                f"{renewal['projected_effective_users_high']:.0f} effective users"
            )
        if renewal.get("seat_contraction_exposure"):
            lines.append(
                f"  Seat-contraction exposure: {renewal['currency'] or ''} "
                f"{renewal['seat_contraction_exposure']:,.0f} ({renewal['unassigned_seats']} unassigned seats)"
            )
        if renewal.get("target_sentence"):
            lines.append(f"  {renewal['target_sentence']}")
    elif renewal.get("unavailable"):
        lines.append(f"Renewal: no projection ({next(iter(renewal['unavailable'].values()))})")
    actions = summary.get("actions", [])
    if actions:
        lines.append(f"Action plan ({len(actions)} actions; first due):")
        for action in actions[:5]:
            lines.append(
                f"  {action['id']} by {action['due']} · {action['owner_role']} · {action['action']}"
            )
    return lines
