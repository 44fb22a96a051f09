"""The client dashboard in Debian chromium: first full render and filter round-trips.

Measured against baselines in the same run and the same browser:

* **server ready** (reported, no baseline): from ``adoption serve`` to its port
  opening, with an empty cache, so every wave of the demo is assessed first;
* **first render**: ``adoption serve`` on the demo, from navigation until the board
  (KPI header and every panel, one widget) is on screen; baseline: opening the client's
  static executive summary (the same figures, pre-rendered HTML) from disk;
* **filter round-trip**: selecting a department until the board names that selection
  (header and panels arrive in one widget update), averaged over every department
  twice; baseline: the same selections computed and rendered to HTML in this process
  (:func:`adoption_lib.dashboard.view.dashboard_view` plus :func:`~adoption_lib.dashboard.view.render`),
  so the ratio is what the browser, the websocket and the kernel's comm layer add.

Targets (issue 8): first render under 5 s, a filter round-trip under 300 ms.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "northwind"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run() -> dict[str, object]:
    """Serve the demo, measure in chromium, and return times and ratios."""
    from playwright.sync_api import sync_playwright

    from adoption_lib.dashboard.view import choices, dashboard_view, render
    from adoption_lib.reports.bundle import report_data
    from adoption_lib.reports.run import run_reports

    data = report_data(DEMO, "client")
    departments = [d for d in choices(data)["department"] if d != "(all)"] * 2
    start = time.perf_counter()
    for department in departments:
        render(data, dashboard_view(data, {"department": department}))
    baseline_filter = (time.perf_counter() - start) / len(departments)

    with tempfile.TemporaryDirectory() as tmp:
        report = run_reports(DEMO, Path(tmp) / "report", progress=False)
        port, token = _free_port(), "bench-" + os.urandom(6).hex()
        cold = Path(tmp) / "tmp"  # an empty per-user cache: the server assesses every wave
        cold.mkdir()
        started = time.perf_counter()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("adoption")),
                "serve",
                str(DEMO),
                "--port",
                str(port),
            ],
            env={**os.environ, "ADOPTION_TOKEN": token, "TMPDIR": str(cold)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                time.sleep(0.2)
            ready = time.perf_counter() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"]
                )
                page = browser.new_page()
                start = time.perf_counter()
                page.goto((report / "client" / "executive_summary.html").as_uri())
                page.wait_for_selector("img")
                baseline_render = time.perf_counter() - start
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/?token={token}")
                page.wait_for_selector(".kpis[data-selection] ~ .panels", timeout=120_000)
                render_s = time.perf_counter() - start
                select = page.locator("select").first

                def round_trips() -> list[float]:
                    out = []
                    for department in departments:
                        start = time.perf_counter()
                        select.select_option(department)
                        page.wait_for_function(
                            "d => document.querySelector('.kpis') && "
                            "document.querySelector('.kpis').dataset.selection === d",
                            arg=f"{department}|(all)",
                            timeout=10_000,
                        )
                        out.append(time.perf_counter() - start)
                    return out

                first = round_trips()  # at once, after the first render
                again = round_trips()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    filter_ms = 1000 * sum(first + again) / len(first + again)
    return {
        "benchmark": "dashboard",
        "server_ready_seconds_cold": round(ready, 2),
        "first_render_seconds": round(render_s, 2),
        "static_report_render_seconds": round(baseline_render, 2),
        "render_ratio": round(render_s / baseline_render, 2),
        "filter_round_trip_ms": round(filter_ms, 1),
        "filter_round_trip_slowest_ms": round(1000 * max(first + again), 1),
        "filter_in_process_ms": round(1000 * baseline_filter, 1),
        "filter_ratio": round(filter_ms / (1000 * baseline_filter), 2),
        "targets": {"first_render_seconds": 5, "filter_round_trip_ms": 300},
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
