"""``adoption run``: execute the report notebooks for both audiences into one folder.

The engagement is validated first (a bad one stops with exit 2 before any notebook
starts); the assessment is computed once and cached for the notebooks in a private
temporary folder; each notebook is executed with papermill (explicit kernel, execution
timeout, working directory, a progress bar) for the consultant and for the client, and
exported to self-contained HTML with the code hidden and nothing loaded from a network.
Then the executive summary is printed to PDF by Debian chromium (or a clear message
says why not), and ``summary.json``, ``action_plan.xlsx``/``.csv`` and
``manifest.json`` are written. Everything goes into a temporary folder beside the
target, renamed into place only when the whole run succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import BASELINE, report_folder, require_exports, wave_names
from adoption_lib.diagnosis.action_plan import write_engagement_plan
from adoption_lib.errors import DisclosureError, RunError
from adoption_lib.inputs.cache import export_inputs, owned_folder
from adoption_lib.inputs.inventory import take_inventory, write_inventory
from adoption_lib.locations import CHECKOUT_DIR, TEMPLATES_DIR
from adoption_lib.log import LOGGER
from adoption_lib.pipeline import run
from adoption_lib.remeasure.progress import compare_results
from adoption_lib.remeasure.results import PREFIX
from adoption_lib.reports.audience_cells import for_audience
from adoption_lib.reports.bundle import CACHE_ENV, parse_as_of, write_bundles
from adoption_lib.reports.data import assess_wave, bundles_of
from adoption_lib.reports.released import write_released_cube
from adoption_lib.summary import write_summary

NOTEBOOKS = (
    "executive_summary",
    "data_quality",
    "motivation",
    "barriers_keys",
    "usage",
    "diagnosis",
)
KERNEL = "python3"
CELL_TIMEOUT = 600
TEMPLATE_DIR = TEMPLATES_DIR / "nbconvert"
PACKAGES = (
    "adoption-rescue-workbook",
    "pandas",
    "duckdb",
    "ibis-framework",
    "papermill",
    "nbconvert",
    "matplotlib",
)


def notebooks_dir() -> Path:
    """The folder of the report notebooks: ``$ADOPTION_NOTEBOOKS_DIR``, else the checkout's."""
    override = os.environ.get("ADOPTION_NOTEBOOKS_DIR")
    return Path(override) if override else CHECKOUT_DIR / "notebooks"


def run_reports(
    engagement_path: str | Path,
    out: Path | None = None,
    *,
    as_of: str | None = None,
    timeout: int = CELL_TIMEOUT,
    progress: bool = True,
    wave: str | None = None,
    action_plan: Path | None = None,
) -> Path:
    """Run every report notebook for both audiences and write the report folder.

    For a wave after the baseline, the run adds the "progress since baseline" notebook
    (both audiences), and summary.json gains ``waves``.

    Parameters
    ----------
    engagement_path
        The engagement folder or its yml.
    out
        The report folder; ``<engagement>/reports/<assessment_date>/`` by default.
    as_of
        ``YYYY-MM-DD`` to end usage windows on another day than the assessment date.
    timeout
        Seconds a notebook cell may run.
    progress
        Show papermill's progress bar per notebook.
    wave
        The wave to report on (:mod:`adoption_lib.config.waves`); the latest by default.
    action_plan
        The baseline's edited ``action_plan.xlsx`` for the follow-through; by default
        the one in the baseline's report folder.

    Returns
    -------
    Path
        The report folder.

    Raises
    ------
    InputError
        When the engagement is invalid (before any notebook runs).
    RunError
        When a notebook fails, naming the notebook and the cell.
    """
    whole = load_engagement(engagement_path)
    wave = wave or wave_names(whole)[-1]
    engagement = require_exports(whole, wave)
    notebooks = NOTEBOOKS if wave == BASELINE else (*NOTEBOOKS, "progress")
    target = (out or report_folder(engagement)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    # The run's cache holds person-level data: inside private/, never the shared temp folder.
    owned_folder(engagement.private_dir / "cache")
    cache = Path(tempfile.mkdtemp(prefix="run-", dir=engagement.private_dir / "cache"))
    try:
        LOGGER.info(f"Assessing {engagement.client} ({engagement.config_path}), wave {wave}...")
        when = parse_as_of(as_of)
        result = assess_wave(engagement.config_path, when, wave, keep_private=True)
        refuse_unsafe_release(result.cube)
        summary = result.summary
        bundles = bundles_of(result, when, wave)
        write_bundles(bundles, cache)
        if wave != BASELINE:  # summary.json gains "waves" (the consultant's summary object)
            LOGGER.info(f"Assessing wave {BASELINE} to compare...")
            before = run(whole, wave=BASELINE)
            moved, summary = compare_results(whole, before, result, wave, action_plan=action_plan)
            write_bundles(moved, cache, PREFIX)
        files: dict[str, str] = {}
        for audience in ("consultant", "client"):
            folder = staging / audience
            folder.mkdir()
            for name in notebooks:
                executed = _execute(
                    name,
                    folder,
                    engagement.config_path,
                    {"as_of": as_of or "", "audience": audience, "wave": wave},
                    cache,
                    CACHE_ENV,
                    timeout,
                    progress,
                )
                files[str(executed.relative_to(staging))] = audience
                html = _to_html(executed, engagement.client, audience)
                files[str(html.relative_to(staging))] = audience
            for figure in sorted((staging / "figures" / audience).glob("*")):
                files[str(figure.relative_to(staging))] = audience
            pdf = _to_pdf(folder / "executive_summary.html")
            if pdf is not None:
                files[str(pdf.relative_to(staging))] = audience
        cube = write_released_cube(bundles["client"], staging / "client" / "cube.json")
        files[str(cube.relative_to(staging))] = "client"
        written = [write_summary(summary, staging / "summary.json")]
        written += write_inventory(take_inventory(engagement), engagement, staging)
        written += _action_plan(engagement, summary, bundles["consultant"], staging)
        for path in written:
            files[str(path.relative_to(staging))] = "consultant"
        _manifest(engagement, staging, files, time.perf_counter() - started, as_of, wave)
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    LOGGER.info(f"Reports written to {target}")
    return target


def refuse_unsafe_release(cube: Any) -> None:
    """Stop a run before any deliverable when the cube's disclosure audit failed.

    Raises
    ------
    DisclosureError
        Naming the first exposed quantities.
    """
    audit = getattr(cube, "audit", None)
    if audit is None or audit.passed:
        return
    named = "; ".join(e.describe() for e in audit.exposures[:5])
    more = len(audit.exposures) - 5
    raise DisclosureError(
        f"the disclosure audit failed, so no deliverable was written: {named}"
        + (f"; and {more} more (adoption audit lists them)" if more > 0 else "")
    )


def _execute(
    name: str,
    folder: Path,
    engagement: Path,
    options: dict[str, str],
    cache: Path,
    cache_env: str,
    timeout: int,
    progress: bool,
) -> Path:

    source = notebooks_dir() / f"{name}.ipynb"
    output = folder / f"{name}.ipynb"
    os.environ[cache_env] = str(cache)
    try:
        papermill.execute_notebook(
            for_audience(source, options.get("audience", "consultant")),
            str(output),
            parameters={
                "engagement": str(engagement.parent),
                "out_dir": str(folder.parent),
                **options,
            },
            kernel_name=KERNEL,
            cwd=str(folder),
            execution_timeout=timeout,
            progress_bar=progress,
            report_mode=False,
        )
    except PapermillExecutionError as error:
        raise RunError(
            f"{name}.ipynb ({options['audience']}) failed in cell {error.cell_index} "
            f"(execution {error.exec_count}): {error.ename}: {error.evalue}"
        ) from None
    finally:
        os.environ.pop(cache_env, None)
    strip_timings(output)
    return output


def strip_timings(path: Path) -> None:
    """Drop papermill's per-cell timing metadata (it changes on every run)."""

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    notebook.metadata.get("papermill", {}).pop("start_time", None)
    for key in ("end_time", "duration", "input_path", "output_path"):
        notebook.metadata.get("papermill", {}).pop(key, None)
    nbformat.write(notebook, path)


def _to_html(notebook: Path, client: str = "", audience: str = "") -> Path:
    """Export a notebook to self-contained HTML without code or network resources.

    The client's name and the audience go to the template's print footer (every
    printed page: the client, "Confidential", the page number of the total).
    """

    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    footer = f"{client} · Confidential" if client else "Confidential"
    if audience == "consultant":
        footer += " · consultant copy"
    resources = {"report": {"footer": css_string(footer)}}
    body, _ = exporter.from_notebook_node(
        nbformat.read(notebook, as_version=4), resources=resources
    )
    path = notebook.with_suffix(".html")
    path.write_text(body, encoding="utf-8")
    return path


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element.

    Examples
    --------
    >>> css_string('Smith & "Co" </style>') == '"Smith & \\\\22 Co\\\\22  \\\\3C /style>"'
    True
    """
    escaped = text.replace("\\", "\\5C ").replace('"', "\\22 ").replace("<", "\\3C ")
    return f'"{escaped}"'


def _to_pdf(html: Path) -> Path | None:
    """Print the HTML to PDF with Debian chromium, or say why not."""
    chromium = shutil.which("chromium")
    if chromium is None:
        LOGGER.warning(f"  no PDF of {html.name}: Debian chromium is not installed")
        return None
    pdf = html.with_suffix(".pdf")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0 or not pdf.is_file():
        LOGGER.warning(f"  no PDF of {html.name}: chromium failed ({done.stderr.strip()[-200:]})")
        return None
    return pdf


def _action_plan(engagement: Any, summary: dict[str, Any], data: Any, staging: Path) -> list[Path]:
    register = data.tables.get("register")
    if register is None:
        return []
    return write_engagement_plan(
        engagement, summary.get("actions", []), register.to_dict("records"), staging
    )


def _manifest(
    engagement: Any,
    staging: Path,
    files: dict[str, str],
    seconds: float,
    as_of: str | None,
    wave: str,
) -> Path:
    inputs = []
    for path in _inputs(engagement):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inputs.append(
            {"path": engagement.relative(path), "sha256": digest, "bytes": path.stat().st_size}
        )
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    manifest = {
        "engagement": {
            "client": engagement.client,
            "system": engagement.system,
            "assessment_date": engagement.assessment_date.isoformat(),
            "as_of": as_of or engagement.assessment_date.isoformat(),
            "wave": wave,
        },
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_seconds": round(seconds, 1),
        "python": sys.version.split()[0],
        "packages": versions,
        "inputs": inputs,
        "files": [{"path": p, "audience": a} for p, a in sorted(files.items())],
    }
    path = staging / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def _inputs(engagement: Any) -> list[Path]:
    paths = (
        [engagement.config_path, engagement.roster]
        if engagement.roster
        else [engagement.config_path]
    )
    paths += export_inputs(engagement.survey_exports, engagement.usage_exports)
    return [p for p in paths if p.is_file()]


def _replace(staging: Path, target: Path) -> None:
    """Move the finished folder into place; an older report is removed only afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
