"""Shared fixtures: the demo engagement, generated engagements, and the browser.

Browser tests are marked ``browser``. Locally, without Debian chromium, they skip;
with ``REQUIRE_BROWSER=1`` (set by .ci/run) a missing browser is a failure, and the
session fails if any browser test was skipped or none ran.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from adoption_lib.synthetic import DEMO_SEED, generate_engagement

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "northwind"
ARTIFACTS = ROOT / "test-artifacts"
SECOND_SEED = 7
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The committed demo engagement."""
    return DEMO


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The demo seed and a second seed, each generated once into a temporary folder."""
    out = {}
    for seed in (DEMO_SEED, SECOND_SEED):
        folder = tmp_path_factory.mktemp(f"seed{seed}")
        generate_engagement(folder, seed=seed)
        out[seed] = folder
    return out


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian chromium's path; skips (or fails under REQUIRE_BROWSER=1) without it."""
    path = shutil.which("chromium")
    if path is None:
        message = "Debian chromium is not installed (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """A headless Playwright browser on Debian chromium (never a downloaded build)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other test artifacts (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


_browser_outcomes: dict[str, int] = {"passed": 0, "skipped": 0, "failed": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "browser" not in report.keywords:
        return
    if report.skipped:
        _browser_outcomes["skipped"] += 1
    elif report.when == "call":
        _browser_outcomes["passed" if report.passed else "failed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under REQUIRE_BROWSER=1, a skipped browser test or none at all fails the run."""
    if not REQUIRE_BROWSER or session.config.option.collectonly:
        return
    selected = session.config.option.markexpr or session.config.option.keyword
    if _browser_outcomes["skipped"] or (not _browser_outcomes["passed"] and not selected):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(
                f"REQUIRE_BROWSER=1: browser tests passed {_browser_outcomes['passed']},"
                f" skipped {_browser_outcomes['skipped']}: in CI every browser test must run",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
