"""Each audience's notebook holds its own cells: no consultant section in a client copy."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from adoption_lib.reports.audience_cells import CLIENT_ONLY, CONSULTANT_ONLY, for_audience
from adoption_lib.reports.run import NOTEBOOKS, notebooks_dir


def _tagged(cell, tag: str):
    cell.metadata["tags"] = [tag]
    return cell


def test_each_audience_loses_the_other_ones_cells(tmp_path: Path) -> None:
    book = new_notebook(
        cells=[
            new_markdown_cell("# Both"),
            _tagged(new_markdown_cell("## Cohorts"), CONSULTANT_ONLY),
            _tagged(new_code_cell("views.cohorts(data)"), CONSULTANT_ONLY),
            _tagged(new_markdown_cell("## What moved, in plain words"), CLIENT_ONLY),
            new_code_cell("views.changes(data)"),
        ]
    )
    path = tmp_path / "book.ipynb"
    nbformat.write(book, path)
    client = [c.source for c in for_audience(path, "client").cells]
    consultant = [c.source for c in for_audience(path, "consultant").cells]
    assert client == ["# Both", "## What moved, in plain words", "views.changes(data)"]
    assert consultant == ["# Both", "## Cohorts", "views.cohorts(data)", "views.changes(data)"]
    assert len(nbformat.read(path, as_version=4).cells) == 5  # the source is untouched


def test_no_client_notebook_points_at_the_consultants_copy() -> None:
    for name in (*NOTEBOOKS, "progress"):
        cells = for_audience(notebooks_dir() / f"{name}.ipynb", "client").cells
        text = "\n".join(c.source for c in cells)
        assert "Consultant view" not in text, name
        assert "consultant's report" not in text, name
        assert "if consultant else" not in text, name  # a section is left out, not stubbed
