"""Shared fixtures: the demo engagement, generated engagements, and the browser.

Browser tests are marked ``browser``, Spark tests ``spark``, LibreOffice tests
``libreoffice``. Locally, without Debian chromium (or pyspark and Java, or LibreOffice),
they skip; with ``REQUIRE_BROWSER=1``, ``REQUIRE_SPARK=1`` or ``REQUIRE_LIBREOFFICE=1``
(all set by .ci/run) a missing dependency is a failure, and the session fails if any
such test was skipped or none ran.
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
REQUIRE_SPARK = os.environ.get("REQUIRE_SPARK") == "1"
REQUIRE_LIBREOFFICE = os.environ.get("REQUIRE_LIBREOFFICE") == "1"
#: marker -> whether this run must execute every test carrying it
REQUIRED = {"browser": REQUIRE_BROWSER, "spark": REQUIRE_SPARK, "libreoffice": REQUIRE_LIBREOFFICE}


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


def missing(marker: str, message: str) -> None:
    """Skip a test whose tool is absent, or fail it when CI requires the tool."""
    if REQUIRED[marker]:
        pytest.fail(f"REQUIRE_{marker.upper()}=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def demo_reports(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    """The demo's two waves reported, as a consultant does: baseline, statuses, day 90.

    Returns the engagement folder and each wave's report folder. Between the waves the
    consultant records two actions' statuses in the baseline's ``action_plan.xlsx``.
    """
    from openpyxl import load_workbook

    from adoption_lib.reports.run import run_reports

    folder = tmp_path_factory.mktemp("two-waves") / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    baseline = run_reports(folder, progress=False, wave="baseline")
    book = load_workbook(baseline / "action_plan.xlsx")
    book["Plan"]["J2"] = "done"
    book["Plan"]["J3"] = "In progress"
    book.save(baseline / "action_plan.xlsx")
    day90 = run_reports(folder, progress=False)  # the latest wave by default
    return folder, {"baseline": baseline, "day90": day90}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian chromium's path; skips (or fails under REQUIRE_BROWSER=1) without it."""
    path = shutil.which("chromium")
    if path is None:
        missing("browser", "Debian chromium is not installed (apt-get install chromium)")
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


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """LibreOffice's ``soffice``; skips (or fails under REQUIRE_LIBREOFFICE=1) without it."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        missing(
            "libreoffice", "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
        )
    return path


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory):
    """A local pyspark session in UTC; skips (or fails under REQUIRE_SPARK=1) without it."""
    if shutil.which("java") is None:
        missing("spark", "Java is not installed (Spark needs Java 17)")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        missing("spark", "pyspark is not installed (pip install -e '.[spark]')")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("adoption-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


_outcomes: dict[str, dict[str, int]] = {
    marker: {"passed": 0, "skipped": 0, "failed": 0} for marker in REQUIRED
}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for marker, outcomes in _outcomes.items():
        if marker not in report.keywords:
            continue
        if report.skipped:
            outcomes["skipped"] += 1
        elif report.when == "call":
            outcomes["passed" if report.passed else "failed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under REQUIRE_<MARKER>=1, a skipped test of that kind, or none at all, fails the run."""
    if session.config.option.collectonly:
        return
    selected = session.config.option.markexpr or session.config.option.keyword
    for marker, required in REQUIRED.items():
        outcomes = _outcomes[marker]
        if not required or not (outcomes["skipped"] or (not outcomes["passed"] and not selected)):
            continue
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(
                f"REQUIRE_{marker.upper()}=1: {marker} tests passed {outcomes['passed']},"
                f" skipped {outcomes['skipped']}: in CI every {marker} test must run",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
