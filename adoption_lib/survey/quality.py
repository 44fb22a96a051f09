"""Survey data quality: one primary exclusion reason per row, in the DESIGN §5 order.

1. ``preview_or_test``: the platform marks the response as a preview or test;
2. ``duplicate``: the same person (normalised email or external reference) answered
   more than once, or, without either, the same response id appears twice (overlapping
   exports); the latest complete response is kept;
3. ``incomplete``: fewer than ``thresholds.incomplete_below`` of the items the
   respondent's audience saw were answered ("Don't know" counts as an answer);
4. ``speeder``: faster than ``thresholds.speeder_ratio`` x the median duration of the
   responses still kept; not applicable when the export has no durations;
5. ``straight_line``: at least ``thresholds.straightline_min_items`` items answered on
   one scale, all with the same code.

A row already excluded upstream (``unreadable_answer`` under ``--lenient``) keeps that
reason. Every rule runs only on the rows earlier rules kept, so each row has exactly
one primary reason, and ``received == kept + sum(excluded)`` is checked here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from adoption_lib.cell_text import csv_value
from adoption_lib.config.instrument import Instrument
from adoption_lib.config.schema import Engagement
from adoption_lib.errors import ResponseRateError, RunError
from adoption_lib.inputs.roster import load_roster
from adoption_lib.survey.quality_report import QualityReport

REASONS = (
    "unreadable_answer",
    "preview_or_test",
    "duplicate",
    "incomplete",
    "speeder",
    "straight_line",
)
_TEST_STATUS = {"survey preview", "survey test", "1", "2", "17"}


def apply_quality(
    respondents: pd.DataFrame, answers: pd.DataFrame, instrument: Instrument, engagement: Engagement
) -> tuple[pd.DataFrame, QualityReport]:
    """Set each respondent's primary exclusion reason and count the result.

    Parameters
    ----------
    respondents
        From :func:`adoption_lib.survey.load.code_responses` (``excluded`` may already hold
        ``unreadable_answer``).
    answers
        The long answers table.
    instrument
        The instrument (which items each audience saw).
    engagement
        For the thresholds, the survey window and the roster headcounts.

    Returns
    -------
    respondents, report
        A copy with ``excluded`` and ``exclusion_detail`` filled, and the counts.

    Raises
    ------
    RunError
        If the counts do not add up (a bug, never expected).
    """
    t = engagement.thresholds
    out = respondents.copy()
    if out.empty:
        return out, QualityReport(0, 0, dict.fromkeys(REASONS, 0), "not_applicable", None, 0, None)

    def mark(mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        target = mask & out["excluded"].isna()
        out.loc[target, "excluded"] = reason
        out.loc[target, "exclusion_detail"] = detail if isinstance(detail, str) else detail[target]

    status = (
        out.get("status", pd.Series("", index=out.index))
        .fillna("")
        .astype(str)
        .str.strip()
        .str.lower()
    )
    mark(
        status.isin(_TEST_STATUS), "preview_or_test", "status: " + out.get("status", "").astype(str)
    )
    _mark_duplicates(out, mark)
    answered = answers.groupby("respondent").size()
    seen = {
        "all": sum(1 for i in instrument.items if i.audience == "all"),
        "managers": len(instrument.items),
    }
    expected = out["audience"].map(seen)
    share = out["respondent"].map(answered).fillna(0) / expected
    mark(
        share < t.incomplete_below,
        "incomplete",
        share.map(lambda s: f"answered {s:.0%} of the items shown"),
    )
    speeder_rule, median = "not_applicable", None
    durations = (
        pd.to_numeric(out.get("duration_seconds"), errors="coerce")
        if "duration_seconds" in out
        else None
    )
    if durations is not None and durations[out["excluded"].isna()].notna().any():
        median = float(durations[out["excluded"].isna()].median())
        speeder_rule = "applied"
        limit = t.speeder_ratio * median
        mark(
            durations < limit,
            "speeder",
            durations.map(lambda d: f"{d:.0f}s against a {limit:.0f}s limit"),
        )
    _mark_straight_lines(out, answers, instrument, t.straightline_min_items, mark)
    counts = {reason: int((out["excluded"] == reason).sum()) for reason in REASONS}
    kept = int(out["excluded"].isna().sum())
    if kept + sum(counts.values()) != len(out):
        raise RunError(
            f"survey quality: {len(out)} received but {kept} kept + {sum(counts.values())} excluded"
        )
    outside = _outside_window(out, engagement)
    rate, by = _response_rates(out[out["excluded"].isna()], engagement)
    report = QualityReport(len(out), kept, counts, speeder_rule, median, outside, rate, by)
    return out, report


def _mark_duplicates(out: pd.DataFrame, mark) -> None:
    # The same person (email or reference); in an anonymous survey, the same response
    # id twice, which means the same response was downloaded in two overlapping exports.
    responses = out["response_id"] if "response_id" in out else [None] * len(out)
    key = pd.Series(
        [
            i if isinstance(i, str) else (f"response:{r}" if isinstance(r, str) and r else None)
            for i, r in zip(out["identity"], responses, strict=True)
        ],
        index=out.index,
        dtype=object,
    )
    # (assign before filtering: an empty frame would take the whole key's index)
    live = out.assign(_key=key)[out["excluded"].isna() & key.notna()]
    if live.empty:
        return
    order = live.assign(
        _complete=live["finished"].fillna(False).astype(bool),
        _when=pd.to_datetime(
            live["ended"].where(live["ended"].notna(), live.get("recorded")), utc=True
        ),
    ).sort_values(["_key", "_complete", "_when"], ascending=[True, False, False])
    losers = order[order.duplicated("_key", keep="first")]
    winner = order.drop_duplicates("_key", keep="first").set_index("_key")

    descriptions = []
    for key_value, source in zip(losers["_key"], losers["source"], strict=True):
        kind = "response" if key_value.startswith("response:") else "person"
        first_source, row = winner.at[key_value, "source"], winner.at[key_value, "row"]
        where = f"row {row}" if first_source == source else f"{first_source} row {row}"
        descriptions.append(f"same {kind} as {where}")
    detail = pd.Series(descriptions, index=losers.index, dtype=object)
    mask = out.index.isin(losers.index)
    mark(pd.Series(mask, index=out.index), "duplicate", detail.reindex(out.index).fillna(""))


def _mark_straight_lines(
    out: pd.DataFrame, answers: pd.DataFrame, instrument: Instrument, minimum: int, mark
) -> None:
    scored = answers[~answers["na"]]
    items = pd.Categorical(scored["item"])
    names = np.asarray([instrument.items_by_id[i].scale for i in items.categories], dtype=object)
    scale = names[items.codes]
    stats = (
        scored.assign(scale=scale)
        .groupby(["respondent", "scale"])["value"]
        .agg(["count", "nunique", "first"])
    )
    flat = stats[(stats["count"] >= minimum) & (stats["nunique"] == 1)].reset_index()
    if flat.empty:
        return
    detail = flat.drop_duplicates("respondent").set_index("respondent")
    text = detail.apply(
        lambda r: f"{int(r['count'])} items on {r['scale']} all answered {r['first']:g}", axis=1
    )
    mask = out["respondent"].isin(detail.index)
    mark(mask, "straight_line", out["respondent"].map(text).fillna(""))


def _outside_window(out: pd.DataFrame, engagement: Engagement) -> int:
    if engagement.survey_opened is None or engagement.survey_closed is None or "ended" not in out:
        return 0
    # Compared as UTC timestamps, never through ``.dt.date``: with no end time at all
    # (an export without EndDate) that column is typed datetime64, not date.
    ended = pd.to_datetime(out["ended"], utc=True)
    opened = pd.Timestamp(engagement.survey_opened, tz="UTC")
    after = pd.Timestamp(engagement.survey_closed, tz="UTC") + pd.Timedelta(days=1)
    return int(((ended < opened) | (ended >= after)).sum())


def _response_rates(kept: pd.DataFrame, engagement: Engagement) -> tuple[float | None, dict]:
    roster = load_roster(engagement)
    licensed = roster[roster["licensed"]]
    if licensed.empty:
        return None, {}
    by: dict[str, dict[str, dict[str, float | int]]] = {}
    for column in ("department", "role"):
        if column not in kept or column not in licensed:
            continue
        answered = kept[column].fillna("").str.strip().str.casefold().value_counts()
        heads = licensed[column].value_counts()
        by[column] = {
            str(group): {
                "invited": int(n),
                "responded": int(answered.get(str(group).casefold(), 0)),
                "rate": round(float(answered.get(str(group).casefold(), 0)) / int(n), 4),
            }
            for group, n in heads.items()
        }
    if len(kept) > len(licensed):
        sources = ", ".join(sorted(kept["source"].astype(str).unique()))
        raise ResponseRateError(
            f"{engagement.relative(engagement.roster)}: {len(kept)} responses kept from "
            f"{sources}, but the roster lists only {len(licensed)} licensed people (a response "
            f"rate of {len(kept) / len(licensed):.0%}); is the roster complete, with licensed "
            "set right, and is every export this engagement's survey?"
        )
    return round(len(kept) / len(licensed), 4), by


def write_quarantine(respondents: pd.DataFrame, path: Path) -> Path:
    """Write every excluded row, with its file, row, reason and detail, to ``path``.

    The file is person-level (it carries platform response ids), so it belongs in the
    engagement's ``private/`` folder.

    Returns
    -------
    Path
        The file written (with a header even when nothing was excluded).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    excluded = (
        respondents[respondents["excluded"].notna()]
        if "excluded" in respondents
        else respondents.iloc[0:0]
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "row", "response_id", "reason", "detail"])
        fields = ("source", "row", "response_id", "excluded", "exclusion_detail")
        for _, r in excluded.iterrows():
            writer.writerow([csv_value(r.get(f, "")) for f in fields])
    path.chmod(0o600)  # person-level: only the consultant reads it
    return path


def format_quality(report: QualityReport) -> str:
    """Render the survey data-quality counts for the terminal.

    Parameters
    ----------
    report
        From :func:`apply_quality`.

    Returns
    -------
    str
        Received, kept, each exclusion reason, the speeder rule and the response rate.
    """
    lines = [f"Survey: {report.rows_received} rows received, {report.respondents_kept} kept"]
    for reason, count in report.excluded.items():
        if count:
            lines.append(f"  excluded {reason}: {count}")
    if report.speeder_rule == "applied" and report.median_duration_seconds is not None:
        lines.append(
            f"  speeder rule applied (median duration {report.median_duration_seconds:.0f}s)"
        )
    else:
        lines.append("  speeder rule not applicable: the export has no durations")
    if report.outside_window:
        lines.append(f"  {report.outside_window} responses fall outside the survey window")
    if report.response_rate is not None:
        lines.append(f"  response rate: {report.response_rate:.0%} of licensed users")
    return "\n".join(lines)
