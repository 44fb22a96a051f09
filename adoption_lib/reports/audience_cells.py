"""Which of a report notebook's cells each audience gets.

A cell tagged ``consultant-only`` (a section's heading and the code that fills it) is
left out of the client's notebook before it runs, so the client's notebook, HTML and
PDF hold no trace of it: no empty section and no "see the consultant's report"
placeholder. A cell tagged ``client-only`` (the plain-words version of a section's
introduction, where the consultant's names its statistics) is left out of the
consultant's. nbformat reads the notebook; this module only chooses its cells.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

#: the tag on a cell that only the consultant's copy holds
CONSULTANT_ONLY = "consultant-only"
#: the tag on a cell that only the client's copy holds (a plain-words version)
CLIENT_ONLY = "client-only"


def for_audience(source: Path, audience: str) -> nbformat.NotebookNode:
    """A report notebook with the cells its audience gets.

    Parameters
    ----------
    source
        The notebook in ``notebooks/``.
    audience
        ``consultant`` (no ``client-only`` cell) or ``client`` (no ``consultant-only`` cell).

    Returns
    -------
    nbformat.NotebookNode
        The notebook to execute, for papermill.
    """
    notebook = nbformat.read(source, as_version=4)
    left_out = CLIENT_ONLY if audience == "consultant" else CONSULTANT_ONLY
    notebook.cells = [c for c in notebook.cells if left_out not in c.metadata.get("tags", [])]
    return notebook
