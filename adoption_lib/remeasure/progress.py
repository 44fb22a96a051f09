"""Progress since baseline: what moved between waves, and whether each action did its job.

:func:`build_progress` assesses the baseline and a later wave of one engagement, compares
them (:func:`adoption_lib.remeasure.compare.compare_waves`), works out the change in every
fixed summary.json figure (:func:`summary_deltas`), and reads the baseline's action plan
back (:mod:`adoption_lib.remeasure.follow_through`) to check each action's measure in the later
wave. :func:`waves_section` is the ``waves`` key of summary.json. The notebooks show a
:class:`ProgressData` per audience; both hold group figures only, each released in both
waves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.config.waves import BASELINE, for_wave, report_folder, require_exports, wave_names
from adoption_lib.diagnosis.findings import resolve
from adoption_lib.errors import InputError
from adoption_lib.json_numbers import json_number
from adoption_lib.log import LOGGER
from adoption_lib.pipeline import PipelineResult, run
from adoption_lib.privacy.client_summary import client_summary
from adoption_lib.remeasure.compare import compare_waves, wave_sample
from adoption_lib.remeasure.follow_through import (
    ActionStatus,
    follow_through,
    map_edited_ids,
    read_action_status,
)
from adoption_lib.remeasure.released_changes import released_changes
from adoption_lib.remeasure.results import ProgressData

#: summary.json figures whose change between waves summary.json reports (DESIGN §4 keys).
FIXED_PATHS = (
    "survey.response_rate",
    "usage.active_users_30d",
    "usage.license_utilisation",
    "usage.dau_mau",
    "usage.effective_users",
    "usage.dormant_users",
    "usage.never_activated",
    "usage.median_active_days_per_week",
    "usage.feature_breadth_median",
    "usage.unassigned_seats",
    "renewal.value_at_risk",
    "renewal.projected_utilisation_at_renewal",
    "adoption_score.value",
)
#: each Key's figures whose change is reported (the net share is what the status judges)
KEY_FIGURES = ("favourable_pct", "net_pct")


def summary_deltas(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The change in every fixed summary.json figure both waves have.

    Covers :data:`FIXED_PATHS`, every construct's mean and shares, the motivation mix,
    each barrier's unfavourable share and each Key's favourable share.

    Returns
    -------
    dict
        Path -> ``before``, ``after``, ``change`` (after minus before; None when either
        wave has no figure).
    """
    paths = list(FIXED_PATHS)
    for construct in before.get("constructs", {}):
        paths += [
            f"constructs.{construct}.{m}" for m in ("mean", "favourable_pct", "unfavourable_pct")
        ]
    paths += [f"motivation.mix.{m}" for m in before.get("motivation", {}).get("mix", {})]
    flat_before, flat_after = _flatten_lists(before), _flatten_lists(after)
    paths += [f"barriers.{b['id']}.unfavourable_pct" for b in before.get("barriers", [])]
    paths += [f"keys.{k['id']}.{m}" for k in before.get("keys", []) for m in KEY_FIGURES]
    out = {}
    for path in paths:
        a, b = resolve(flat_before, path), resolve(flat_after, path)
        if a is None and b is None:
            continue
        out[path] = {
            "before": a,
            "after": b,
            "change": None if a is None or b is None else round(b - a, 6),
        }
    return out


def _flatten_lists(summary: dict[str, Any]) -> dict[str, Any]:
    """``barriers`` and ``keys`` as dicts by id, so a dotted path reaches them."""
    out = dict(summary)
    for key in ("barriers", "keys"):
        if isinstance(summary.get(key), list):
            out[key] = {item["id"]: item for item in summary[key]}
    return out


def waves_section(
    engagement: Engagement,
    current: str,
    deltas: dict[str, dict[str, Any]] | None = None,
    comparison: pd.DataFrame | None = None,
    follow: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The ``waves`` key of summary.json for the summary of wave ``current``.

    Returns
    -------
    dict
        ``list`` (every wave's name and dates), ``current``, ``compared_with`` (the
        baseline, or None for the baseline itself), ``deltas`` (fixed keys), and counts
        of significant changes and of the actions' verdicts.
    """
    listed = []
    for name in wave_names(engagement):
        wave = for_wave(engagement, name)
        listed.append(
            {
                "name": name,
                "assessment_date": wave.assessment_date.isoformat(),
                "survey_opened": wave.survey_opened.isoformat() if wave.survey_opened else None,
                "survey_closed": wave.survey_closed.isoformat() if wave.survey_closed else None,
            }
        )
    section: dict[str, Any] = {
        "list": listed,
        "current": current,
        "compared_with": None if current == BASELINE else BASELINE,
        "deltas": deltas or {},
    }
    if comparison is not None:
        significant = comparison[comparison["significant"]]
        section["significant_changes"] = {
            "improved_or_rose": int((significant["change"] > 0).sum()),
            "fell": int((significant["change"] < 0).sum()),
            "comparisons": int(comparison["p"].notna().sum()),
        }
        section["status_changes"] = _status_changes(comparison)
    if follow is not None:
        section["actions"] = {
            str(k): int(v) for k, v in follow["verdict"].value_counts().sort_index().items()
        }
    return section


def _status_changes(comparison: pd.DataFrame) -> list[dict[str, Any]]:
    """Organisation-wide flags and Key statuses that moved, each with its verdict."""
    if "status_change" not in comparison:
        return []
    rows = comparison[
        (comparison["dimension"] == "organisation") & (comparison["status_change"] != "")
    ]
    return [
        {
            "id": r["measure"].partition(" (")[0],
            "family": r["family"],
            "before": r["status_before"],
            "after": r["status_after"],
            "q": json_number(r["q"], as_float=True),
            "verdict": r["status_change"],
        }
        for r in rows.to_dict("records")
    ]


def build_progress(
    engagement: Engagement, wave: str | None = None, action_plan: Path | None = None
) -> tuple[dict[str, ProgressData], dict[str, Any]]:
    """Run the baseline and ``wave`` through the pipeline and compare them.

    Parameters
    ----------
    engagement
        An engagement with at least one wave after the baseline.
    wave
        The later wave; the latest by default.
    action_plan
        The edited ``action_plan.xlsx`` of the baseline; by default the one in the
        baseline's report folder, when it exists.

    Returns
    -------
    bundles, summary
        As :func:`compare_results`.

    Raises
    ------
    InputError
        For a single-wave engagement, an unknown wave or a wave without its exports.
    """
    wave = later_wave(engagement, wave)
    require_exports(engagement, wave)  # before the baseline is assessed for nothing
    results = []
    for name in (BASELINE, wave):
        LOGGER.info(f"Assessing wave {name}...")
        results.append(run(engagement, wave=name))
    return compare_results(engagement, *results, wave, action_plan=action_plan)


def later_wave(engagement: Engagement, wave: str | None = None) -> str:
    """The wave progress is measured at: ``wave``, else the latest.

    Raises
    ------
    InputError
        For a single-wave engagement, or when ``wave`` is the baseline.
    """
    names = wave_names(engagement)
    wave = wave or names[-1]
    for_wave(engagement, wave)  # an unknown wave is named as such, with the known ones
    if wave == BASELINE or len(names) < 2:
        raise InputError(
            f"{engagement.config_path}: progress needs a wave after the baseline "
            "(add one with: adoption init ENGAGEMENT --wave NAME)"
        )
    return wave


def compare_results(
    engagement: Engagement,
    before: PipelineResult,
    after: PipelineResult,
    wave: str,
    *,
    action_plan: Path | None = None,
) -> tuple[dict[str, ProgressData], dict[str, Any]]:
    """Compare the baseline's result with a later wave's, for both audiences.

    Parameters
    ----------
    engagement
        The whole engagement (every wave).
    before, after
        The baseline and the later wave, each from :func:`adoption_lib.pipeline.run`.
    wave
        The later wave's name.
    action_plan
        The edited ``action_plan.xlsx`` of the baseline; by default the one in the
        baseline's report folder, when it exists.

    Returns
    -------
    bundles, summary
        ``consultant`` and ``client`` :class:`ProgressData`, and the later wave's
        summary.json with its ``waves`` section (a new dict: ``after`` is unchanged).
    """
    comparison = compare_waves(wave_sample(before, BASELINE), wave_sample(after, wave))
    deltas = summary_deltas(before.summary, after.summary)
    baseline = for_wave(engagement, BASELINE)
    plan = action_plan or report_folder(baseline) / "action_plan.xlsx"
    follow, notes = _follow(before.summary.get("actions", []), plan, after.summary)
    summary = {
        **after.summary,
        "waves": waves_section(engagement, wave, deltas, comparison, follow),
    }
    about = {
        "client": engagement.client,
        "system": engagement.system,
        "before": BASELINE,
        "after": wave,
        "before_date": baseline.assessment_date.isoformat(),
        "after_date": for_wave(engagement, wave).assessment_date.isoformat(),
        "min_group_size": engagement.privacy.min_group_size,
        "paired": engagement.privacy.link_individuals,
    }
    # a client sees the change in the figures a client view shows: each wave's client
    # summary (from its released cube), never summary.json's exact counts
    client_deltas = summary_deltas(_seen_by_client(before), _seen_by_client(after))
    bundles = {
        "consultant": ProgressData("consultant", about, comparison, deltas, follow, notes),
        "client": ProgressData(
            "client",
            about,
            released_changes(
                comparison, before.cube, after.cube, engagement.privacy.min_group_size
            ),
            client_deltas,
            follow,
            notes,
        ),
    }
    return bundles, summary


def _seen_by_client(result: PipelineResult) -> dict[str, Any]:
    """A wave's summary as its client views show it (see :func:`client_summary`)."""
    if result.cube is None:
        return {}
    engagement = result.assessment.engagement
    return client_summary(
        result.summary,
        result.cube.tables(),
        list(result.cube.dimensions),
        engagement.privacy.min_group_size,
    )


def _follow(
    actions: list[dict[str, Any]], plan: Path, later: dict[str, Any]
) -> tuple[pd.DataFrame, list[str]]:

    if not plan.is_file():
        status = ActionStatus(plan)
        notes = [
            "The action plan workbook has not been edited since the plan was written: "
            "every action is shown as the plan left it (planned)."
        ]
    else:
        status = read_action_status(plan, strict=False)
        notes = [f"Statuses read from the action plan workbook ({len(status.rows)} actions)."]
        notes += status.problems + map_edited_ids(actions, status)
    return follow_through(actions, status, later), notes
