"""What a report notebook or the dashboard may read, per audience: read from a cache.

``consultant`` reports get the whole summary and the group tables (departments, roles,
supervisor teams, says versus does, registers). ``client`` reports get only the
suppressed client cube (DESIGN §5) and organisation-wide figures: no group table that
did not pass the cube's suppression, no supervisor team, no comment verbatim, no
identifier.

This module is light (pandas and the engagement's schema): a notebook kernel or a
dashboard visitor's kernel reads its data from a cache and never loads the pipeline.
``adoption run`` leaves both bundles in a cache folder the notebooks read
(``$ADOPTION_REPORT_CACHE``); otherwise the engagement's own cache is read, and a miss
is filled by :mod:`adoption_lib.reports.prepare` in a child process (the pipeline,
DuckDB and scipy load there, once, and leave with it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.thresholds import KeyThresholds
from adoption_lib.errors import InputError, RunError, SelectionError
from adoption_lib.inputs.cache import cache_dir, owned_folder
from adoption_lib.log import LOGGER
from adoption_lib.privacy.cells import by_one_dimension
from adoption_lib.reports.stored import load, register, store

AUDIENCES = ("consultant", "client")


CACHE_ENV = "ADOPTION_REPORT_CACHE"


@register
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


def write_bundles(bundles: dict[str, Any], folder: Path, prefix: str = "") -> Path:
    """Cache both audiences' data for the notebooks (a folder of mode 0700).

    Each audience's data goes to ``<prefix><audience>/`` (``progress-`` for the progress
    data) as JSON and Parquet (:mod:`adoption_lib.reports.stored`): data a kernel can
    read without running anything, moved into place whole so that a kernel reading
    while another process fills the same cache never sees half of it.
    """
    owned_folder(folder)
    for audience, data in bundles.items():
        store(data, folder / f"{prefix}{audience}")
    return folder


def cached(
    engagement: str | Path,
    audience: str,
    key: str,
    job: Sequence[str],
    prefix: str = "",
) -> Any:
    """One audience's data: from the run's cache, else the engagement's cache, filled on a miss.

    Parameters
    ----------
    engagement
        The engagement folder or its yml.
    audience
        ``consultant`` or ``client``.
    key
        What else the data depends on (``as_of``, the wave), for the engagement's cache.
    job
        The arguments of :mod:`adoption_lib.reports.prepare` that fill the cache for
        ``key`` when it misses.
    prefix
        The cache files' prefix (see :func:`write_bundles`).

    Raises
    ------
    InputError
        For an unknown audience.
    """
    if audience not in AUDIENCES:
        raise InputError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    name = f"{prefix}{audience}"
    run = os.environ.get(CACHE_ENV)
    if run and (Path(run) / name / "data.json").is_file():
        return load(Path(run) / name)  # written by this run's own process
    folder = session_cache(engagement, key)
    if not (folder / name / "data.json").is_file():
        fill_cache(job)
    return load(folder / name)


def session_cache(engagement: str | Path, key: str) -> Path:
    """The engagement's cache folder for its current inputs, so that the notebooks of one
    session (nbval re-running the goldens, a consultant opening several) assess once.

    See :mod:`adoption_lib.inputs.cache`: ``<engagement>/private/cache/``, keyed by every
    input's content (inside the folder or not), the workbook's code and ``key``.
    """
    return cache_dir(load_engagement(engagement), key)


def parse_as_of(as_of: str | date | None) -> date | None:
    """``as_of`` as a date (``YYYY-MM-DD`` text or a date), None when empty.

    Raises
    ------
    InputError
        For text that is not a date.
    """
    if not as_of:
        return None
    try:
        return as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError(f"as_of must be YYYY-MM-DD, not {as_of!r}") from None


def report_key(as_of: date | None, wave: str | None) -> str:
    """What the report data depends on besides the inputs, for the engagement's cache."""
    return f"{as_of}|{wave or ''}"


def progress_key(wave: str | None) -> str:
    """What the progress data depends on besides the inputs, for the engagement's cache."""
    return f"progress|{wave or ''}"


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
        the engagement's cache keyed by the inputs (filled on first use).

    Raises
    ------
    InputError
        For an unknown audience, a malformed ``as_of`` or a bad engagement.
    """
    when = parse_as_of(as_of)
    args = ["report", str(engagement), "--as-of", str(when or ""), "--wave", wave or ""]
    return cached(engagement, audience, report_key(when, wave), args)


def fill_cache(args: Sequence[str]) -> None:
    """Fill the engagement's cache in a child process (:mod:`adoption_lib.reports.prepare`).

    Raises
    ------
    InputError
        When the child stops on bad input (exit 2), with its one-line message.
    RunError
        When it fails otherwise (exit 1).
    """
    LOGGER.info("Computing the report data (once for these inputs)...")
    done = subprocess.run(
        [sys.executable, "-m", "adoption_lib.reports.prepare", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    message = lines[-1].removeprefix("adoption: error: ") if lines else "no message"
    raise (InputError if done.returncode == 2 else RunError)(message)


def key_rule(data: ReportData) -> KeyThresholds:
    """The engagement's Keys rule (basis and lines) from a report bundle."""
    return KeyThresholds(**data.engagement["thresholds"]["keys"])
