"""The golden notebooks: the report notebooks run on the demo, for nbval to re-run in CI.

``make golden`` calls :func:`write_goldens` after a deliberate change to what the
reports show.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import papermill

from adoption_lib.locations import CHECKOUT_DIR
from adoption_lib.log import LOGGER
from adoption_lib.reports.audience_cells import for_audience
from adoption_lib.reports.run import CELL_TIMEOUT, KERNEL, NOTEBOOKS, notebooks_dir, strip_timings


def write_goldens(root: Path | None = None, dest: Path | None = None) -> list[Path]:
    """Execute every notebook on the demo for both audiences into ``tests/golden/``.

    The goldens are what ``pytest --nbval`` re-runs in ``make test``: their parameters
    are relative to the golden folder (so they run in any clone), papermill's timing
    metadata is stripped and the execution counts are kept. ``make golden`` calls this.

    Parameters
    ----------
    root
        The checkout; found from the package by default.
    dest
        The golden folder; ``tests/golden`` in the checkout by default.

    Returns
    -------
    list of Path
        The notebooks written.
    """
    root = root or CHECKOUT_DIR
    dest = dest or root / "tests" / "golden"
    written = []
    for audience in ("consultant", "client"):
        folder = dest / audience
        folder.mkdir(parents=True, exist_ok=True)
        figures = root / "test-artifacts" / "golden"
        for name in (*NOTEBOOKS, "progress"):  # the six on the baseline, progress to day90
            output = folder / f"{name}.ipynb"
            papermill.execute_notebook(
                for_audience(notebooks_dir() / f"{name}.ipynb", audience),
                str(output),
                parameters={
                    "engagement": os.path.relpath(root / "examples" / "northwind", folder),
                    "out_dir": os.path.relpath(figures, folder),
                    "as_of": "",
                    "audience": audience,
                },
                kernel_name=KERNEL,
                cwd=str(folder),
                execution_timeout=CELL_TIMEOUT,
                progress_bar=False,
            )
            strip_timings(output)
            _strip_run_metadata(output)
            written.append(output)
            LOGGER.info(f"  golden {audience}/{name}.ipynb")
    return written


def _strip_run_metadata(path: Path) -> None:
    """Drop papermill's notebook-level record (paths, environment) from a golden."""

    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("papermill", None)
    nbformat.write(notebook, path)
