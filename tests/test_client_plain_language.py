"""Every client page reads as plain language, fits a 1280 px screen, and prints whole.

A browser opens each client HTML page of the demo's two waves and of a second,
generated engagement, as a client would, at 1280 px wide. Its visible text must hold no
code (snake_case), no True/False, no number in scientific notation, no NaN, no "…"
where a text was cut, and no "Consultant view" placeholder; no element may reach past
the page's width. The printed executive summary (pdftotext) passes the same reading.
A screenshot of each page goes to the test artifacts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SECOND_SEED

#: what a client must never read, and why
PROBLEMS = {
    "a code": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a boolean": re.compile(r"\b(?:True|False)\b"),
    "scientific notation": re.compile(r"\d(?:\.\d+)?[eE][+-]?\d"),
    "NaN": re.compile(r"\b(?:NaN|nan)\b"),
    "a cut text": re.compile(r"…|\.\.\.(?!\w)"),
    "a placeholder": re.compile(r"Consultant view|in the consultant's report", re.I),
}
WIDTH = 1280


def plain_language_problems(text: str) -> list[str]:
    """Each problem in a page's visible text, with the words around it."""
    found = []
    for what, pattern in PROBLEMS.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
            found.append(f"{what}: …{around}…")
    return found


def test_the_reading_catches_each_problem() -> None:
    planted = {
        "Track it in constructs.key3_owner.favourable_pct": "a code",
        "flagged True": "a boolean",
        "q = 0.00e+00 and 1.05e+05": "scientific notation",
        "share NaN": "NaN",
        "Supervisor coaching and 1…": "a cut text",
        "(Consultant view.)": "a placeholder",
    }
    for text, what in planted.items():
        assert [p.split(":")[0] for p in plain_language_problems(text)][:1] == [what], text
    clean = "Effective use (of licences): 61%, −4 points since the baseline; USD 326,916."
    assert plain_language_problems(clean) == []


def _too_wide(page) -> list[str]:
    """The first elements that reach past the page's width."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > width + 1)
             .map(e => e.tagName + '.' + e.className).slice(0, 5)""",
        WIDTH,
    )


@pytest.mark.browser
def test_the_width_check_finds_a_wide_table(browser, tmp_path: Path) -> None:
    planted = tmp_path / "wide.html"
    planted.write_text(
        "<html><body><p>fits</p><table class='plan'><tr><td style='white-space:nowrap'>"
        + "an action that never wraps " * 12
        + "</td></tr></table></body></html>"
    )
    page = browser.new_page(viewport={"width": WIDTH, "height": 600})
    page.goto(planted.as_uri())
    assert "TABLE.plan" in _too_wide(page)
    page.close()


@pytest.fixture(scope="module")
def other_reports(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second engagement (not the demo) reported on its latest wave."""
    from adoption_lib.reports.run import run_reports

    folder = tmp_path_factory.mktemp("plain") / "other"
    shutil.copytree(generated[SECOND_SEED], folder)
    return run_reports(folder, progress=False)


def _pages(demo_reports, other_reports: Path) -> list[tuple[str, Path]]:
    _, waves = demo_reports
    folders = {"demo-baseline": waves["baseline"], "demo-day90": waves["day90"]}
    folders["other-latest"] = other_reports
    return [
        (name, page)
        for name, folder in folders.items()
        for page in sorted((folder / "client").glob("*.html"))
    ]


@pytest.mark.slow
@pytest.mark.browser
def test_every_client_page_reads_plainly_and_fits(
    demo_reports, other_reports: Path, browser, artifacts: Path
) -> None:
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    problems: list[str] = []
    pages = _pages(demo_reports, other_reports)
    assert len(pages) >= 18  # six pages a wave, and progress on a later wave
    for name, path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("networkidle")
        where = f"{name}/{path.name}"
        problems += [f"{where}: {p}" for p in plain_language_problems(page.inner_text("body"))]
        wide = _too_wide(page)
        if wide:
            problems.append(f"{where}: wider than {WIDTH} px: {wide}")
        page.screenshot(path=str(artifacts / f"client_{name}_{path.stem}.png"), full_page=True)
    page.close()
    assert problems == []


@pytest.mark.slow
def test_the_printed_summary_reads_plainly(demo_reports, other_reports: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed (apt-get install poppler-utils)")
    _, waves = demo_reports
    for folder in (waves["day90"], other_reports):
        pdf = folder / "client" / "executive_summary.pdf"
        assert pdf.is_file(), f"no PDF in {folder}: is Debian chromium installed?"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert plain_language_problems(" ".join(text.split())) == [], pdf
