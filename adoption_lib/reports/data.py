"""What a report notebook may read, per audience, computed once per run.

``consultant`` reports get the whole summary and the group tables (departments, roles,
supervisor teams, says versus does, registers). ``client`` reports get only the
suppressed client cube (DESIGN §5) and organisation-wide figures: no group table that
did not pass the cube's suppression, no supervisor team, no comment verbatim, no
identifier. :func:`report_data` is what a notebook calls; ``adoption run`` computes the
assessment once and leaves both bundles in a cache folder the notebooks read
(``$ADOPTION_REPORT_CACHE``), outside the report folder.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import BASELINE, for_wave
from adoption_lib.errors import InputError, SelectionError
from adoption_lib.inputs.cache import cache_dir
from adoption_lib.pipeline import PipelineResult, run
from adoption_lib.privacy.cells import by_one_dimension
from adoption_lib.survey.comments import verbatims
from adoption_lib.usage.trends import cohort_retention

AUDIENCES = ("consultant", "client")
#: summary.json sections a client report may show (organisation-wide figures only).
CLIENT_SECTIONS = (
    "engagement",
    "survey",
    "constructs",
    "motivation",
    "barriers",
    "keys",
    "comment_themes",
    "usage",
    "segments",
    "renewal",
    "adoption_score",
    "actions",
    "privacy",
)
CACHE_ENV = "ADOPTION_REPORT_CACHE"


@dataclass
class ReportData:
    """One audience's view of an assessment."""

    audience: str
    engagement: dict[str, Any]
    summary: dict[str, Any]
    cube: dict[str, pd.DataFrame]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)
    #: scrubbed comments by department; for a client only with ``privacy.show_verbatims``
    verbatims: pd.DataFrame | None = None


def cube_slice(data: ReportData, table: str, by: str) -> pd.DataFrame:
    """The cube's rows for one client dimension alone (the others at "(all)").

    Parameters
    ----------
    data
        A report bundle.
    table
        A cube table: ``constructs``, ``types``, ``usage``, ``weekly`` or ``segments``.
    by
        One of the client dimensions.

    Returns
    -------
    pandas.DataFrame
        One row per value of ``by`` (and per construct or week where the table has them).
    """

    if by not in data.engagement["client_dimensions"]:
        raise SelectionError(f"{by} is not a client dimension")
    dims = list(data.engagement["client_dimensions"])
    rows = by_one_dimension(data.cube[table], dims, by)
    return rows.drop(columns=[d for d in dims if d != by])


def client_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The organisation-wide part of summary.json that a client view may show.

    Actions keep their first piece of evidence only (the survey share): the rest
    compares departments with figures that did not go through the client cube.
    """
    out = {k: summary[k] for k in CLIENT_SECTIONS if k in summary}
    if "usage" in out:
        out["usage"] = {k: v for k, v in out["usage"].items() if k != "sources"}
    out["actions"] = [
        {**a, "evidence": a["evidence"].split("; ")[0]} for a in summary.get("actions", [])
    ]
    return out


def build_bundles(
    engagement_path: str | Path,
    as_of: date | None = None,
    *,
    keep_private: bool = False,
    wave: str | None = None,
) -> dict[str, ReportData]:
    """Run the assessment once and split it into the two audiences' data.

    Parameters
    ----------
    engagement_path
        The engagement folder or its yml.
    as_of
        The end of every usage window; the assessment date by default.
    keep_private
        Also write the person-level tables into the engagement's ``private/``.
    wave
        The wave to assess (:mod:`adoption_lib.config.waves`); the baseline when None.

    Returns
    -------
    dict
        ``consultant`` and ``client`` :class:`ReportData`.
    """
    result = assess_wave(engagement_path, as_of, wave, keep_private=keep_private)
    return bundles_of(result, as_of, wave)


def assess_wave(
    engagement_path: str | Path,
    as_of: date | None = None,
    wave: str | None = None,
    *,
    keep_private: bool = False,
) -> PipelineResult:
    """Run one wave of the engagement at ``engagement_path`` through the pipeline.

    Returns
    -------
    PipelineResult
        Person-level: keep it in memory.
    """

    engagement = for_wave(load_engagement(engagement_path), wave or BASELINE)
    return run(engagement, as_of=as_of, keep_private=keep_private)


def bundles_of(
    result: PipelineResult, as_of: date | None = None, wave: str | None = None
) -> dict[str, ReportData]:
    """The two audiences' data of a wave run through the pipeline.

    Returns
    -------
    dict
        ``consultant`` and ``client`` :class:`ReportData`.
    """

    assessment, cube, summary = result.assessment, result.cube, result.summary
    engagement = assessment.engagement
    about = {
        "client": engagement.client,
        "system": engagement.system,
        "assessment_date": engagement.assessment_date.isoformat(),
        "as_of": (as_of or engagement.assessment_date).isoformat(),
        "go_live": engagement.go_live.isoformat(),
        "renewal_date": engagement.renewal_date.isoformat(),
        "licenses": engagement.licenses,
        "min_group_size": engagement.privacy.min_group_size,
        # the dimensions the cube could really be built on: a roster or survey without
        # role leaves role out, whatever engagement.yml asks for
        "client_dimensions": list(
            cube.dimensions if cube is not None else engagement.privacy.client_dimensions
        ),
        "consent_basis": engagement.privacy.consent_basis,
        "key_features": list(engagement.key_features),
        "wave": wave or BASELINE,
        "thresholds": {
            "barrier_flag_unfavourable": engagement.thresholds.barrier_flag_unfavourable,
            "key_red_below": engagement.thresholds.key_red_below,
            "key_green_from": engagement.thresholds.key_green_from,
        },
    }
    released = {}
    if cube is not None:
        released = {"cells": cube.cells, "constructs": cube.constructs, "types": cube.types}
        for name in ("usage", "weekly", "segments"):
            if getattr(cube, name) is not None:
                released[name] = getattr(cube, name)
    tables: dict[str, pd.DataFrame] = {}
    if assessment.scores is not None:
        for by, group in assessment.scores.by_group.items():
            for name, table in group.items():
                tables[f"{name}_by_{by}"] = table
        tables["reliability"] = pd.DataFrame(
            [
                {
                    "construct": c,
                    "alpha": r.alpha,
                    "omega": r.omega,
                    "n": r.n,
                    "flags": ", ".join(r.flags),
                }
                for c, r in assessment.scores.reliability.items()
            ]
        )
    diagnosis = result.diagnosis
    if diagnosis is not None:
        for by, table in diagnosis.segments_by_group.items():
            tables[f"segments_by_{by}"] = table
        for by, table in diagnosis.says_does.items():
            tables[f"says_does_by_{by}"] = table
        tables["register"] = diagnosis.register.rows
        tables["plan"] = diagnosis.plan
        for department, table in diagnosis.register.by_department.items():
            tables[f"register_{department}"] = table
        if diagnosis.usage_by_department is not None:
            tables["usage_by_department"] = diagnosis.usage_by_department.reset_index()
    if assessment.usage is not None and assessment.usage.activity is not None:
        roster = assessment.roster
        licensed = list(roster.loc[roster["licensed"], "email"]) if roster is not None else []
        tables["cohorts"] = cohort_retention(
            assessment.usage, licensed, engagement.privacy.min_group_size
        )
    quality: dict[str, Any] = {}
    if assessment.survey is not None:
        quality = {"report": assessment.survey.quality}
    consultant = ReportData("consultant", about, summary, released, tables, quality)
    client = ReportData("client", about, client_summary(summary), released)
    if assessment.survey is not None and assessment.scores is not None:
        consultant.verbatims, client.verbatims = _verbatims(assessment)
    return {"consultant": consultant, "client": client}


def _verbatims(assessment: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scrubbed verbatims by department for the consultant, and for the client view."""

    engagement = assessment.engagement
    survey = assessment.survey
    kept = survey.kept().set_index("respondent")
    comments = survey.comments[survey.comments["respondent"].isin(kept.index)]
    groups = assessment.scores.cube_part.people.get("department")
    if groups is None:
        groups = pd.Series("all", index=kept.index)
    roster = assessment.roster
    names = list(roster["name"].dropna()) if roster is not None and "name" in roster else []
    privacy = engagement.privacy
    return (
        verbatims(comments, groups, names, privacy.min_comment_group, audience="consultant"),
        verbatims(
            comments,
            groups,
            names,
            privacy.min_comment_group,
            audience="client",
            show_verbatims=privacy.show_verbatims,
        ),
    )


def write_bundles(bundles: dict[str, Any], folder: Path, prefix: str = "") -> Path:
    """Cache both audiences' data for the notebooks of one run (mode 0700 folder).

    Each audience's data goes to ``<prefix><audience>.pkl`` (``progress-`` for the
    progress data).
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for audience, data in bundles.items():
        with (folder / f"{prefix}{audience}.pkl").open("wb") as handle:
            pickle.dump(data, handle)
    return folder


def cached(
    engagement: str | Path,
    audience: str,
    key: str,
    compute: Callable[[], dict[str, Any]],
    prefix: str = "",
) -> Any:
    """One audience's data: from the run's cache, else the engagement's cache, else ``compute``.

    Parameters
    ----------
    engagement
        The engagement folder or its yml.
    audience
        ``consultant`` or ``client``.
    key
        What else the data depends on (``as_of``, the wave), for the engagement's cache.
    compute
        Builds both audiences' data (called at most once per key and inputs).
    prefix
        The cache files' prefix (see :func:`write_bundles`).

    Raises
    ------
    InputError
        For an unknown audience.
    """
    if audience not in AUDIENCES:
        raise InputError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    name = f"{prefix}{audience}.pkl"
    run = os.environ.get(CACHE_ENV)
    if run and (Path(run) / name).is_file():
        with (Path(run) / name).open("rb") as handle:
            return pickle.load(handle)  # written by this run's own process
    folder = session_cache(engagement, key)
    if not (folder / name).is_file():
        write_bundles(compute(), folder, prefix)  # progress goes to the logger, not stderr
    with (folder / name).open("rb") as handle:
        return pickle.load(handle)  # written by this user's own process (folder 0700)


def report_data(
    engagement: str | Path,
    audience: str = "consultant",
    as_of: str | date | None = None,
    wave: str | None = None,
) -> ReportData:
    """The data a report notebook shows, for one audience.

    Parameters
    ----------
    engagement
        The engagement folder or its yml.
    audience
        ``consultant`` or ``client``.
    as_of
        ``YYYY-MM-DD`` or a date; the assessment date when empty.
    wave
        The wave; the baseline when empty.

    Returns
    -------
    ReportData
        From the run's cache (``$ADOPTION_REPORT_CACHE``) when there is one, else from
        the engagement's cache keyed by the inputs (computed on first use).

    Raises
    ------
    InputError
        For an unknown audience or a malformed ``as_of``.
    """
    when = None
    if as_of:
        try:
            when = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
        except ValueError:
            raise InputError(f"as_of must be YYYY-MM-DD, not {as_of!r}") from None
    return cached(
        engagement,
        audience,
        f"{when}|{wave or ''}",
        lambda: build_bundles(engagement, when, wave=wave or None),
    )


def session_cache(engagement: str | Path, key: str) -> Path:
    """The engagement's cache folder for its current inputs, so that the notebooks of one
    session (nbval re-running the goldens, a consultant opening several) assess once.

    See :mod:`adoption_lib.inputs.cache`: ``<engagement>/private/cache/``, keyed by every
    input's content (inside the folder or not), the workbook's code and ``key``.
    """

    return cache_dir(load_engagement(engagement), key)
