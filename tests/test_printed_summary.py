"""The printed executive summary: one page of story, the plan, then the methods appendix.

Read back with pdftotext (poppler-utils), page by page: every page carries the client's
name, "Confidential" and its page number of the total; the story's four parts are on
page 1; the appendix starts on a page of its own and shows every column of the action
table and every action.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from adoption_lib.reports.plan_text import PLAN_COLUMNS
from tests.conftest import missing

HEADINGS = (
    "What changed since the baseline",
    "Where adoption stands, and what it is worth at renewal",
    "Where to focus",
    "What to do before renewal",
)


def _pages(pdf: Path) -> list[str]:
    tool = shutil.which("pdftotext")
    if tool is None:
        missing("browser", "pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return [page for page in done.stdout.split("\f") if page.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["client", "consultant"])
def test_the_printed_summary_is_one_page_then_the_plan(
    demo_reports, chromium_path: str, audience: str
) -> None:
    _, reports = demo_reports
    out = reports["day90"]
    summary = json.loads((out / "summary.json").read_text())
    pages = _pages(out / audience / "executive_summary.pdf")
    client = summary["engagement"]["client"]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page, number
        assert f"{client} · Confidential" in page, number
    flat = [" ".join(page.split()) for page in pages]
    for heading in HEADINGS:  # the story, in order, on the first page
        assert heading in flat[0], heading
    assert [flat[0].index(h) for h in HEADINGS] == sorted(flat[0].index(h) for h in HEADINGS)
    assert "Appendix" not in flat[0] and flat[1].startswith("Appendix: the full plan")
    appendix = " ".join(flat[1:])
    for header, _ in PLAN_COLUMNS:
        assert header in flat[1], header  # every column prints, on the appendix's first page
    for action in summary["actions"]:
        assert f" {action['id']} " in f" {appendix} ", action["id"]
    # the methods appendix and glossary close it, on portrait pages of their own
    methods = next(i for i, page in enumerate(flat) if "Appendix: how the figures are made" in page)
    assert methods > 1 and flat[methods].startswith("Appendix: how the figures are made")
    assert "Glossary" in " ".join(flat[methods:])
    assert "Appendix: the full plan" not in " ".join(flat[methods:])
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(out / audience / "executive_summary.pdf")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    widths = [
        float(line.split(":")[1].split("x")[0])
        for line in sizes.splitlines()
        if line.startswith("Page ") and " size:" in line
    ]
    assert widths[0] < 600 and widths[1] > 800  # the story portrait, the plan landscape
    assert all(w < 600 for w in widths[methods:])  # the methods portrait again
