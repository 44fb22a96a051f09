"""Ten concurrent dashboard sessions on one ``adoption serve``; culled kernels free memory.

One server on 127.0.0.1 with a short idle timeout. Ten browser pages open at once, each
renders the whole board and answers a filter change; once they are closed, every
visitor's kernel is culled and the server's memory (the process and its kernels) comes
back within 20% of what it used idle, before the first visitor.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from tests.test_serve import _start, _stop

SESSIONS = 10
IDLE_TIMEOUT = 6


def _kernels(server) -> list:
    """The server's live kernel processes (an exited one not yet reaped is not live)."""
    import psutil

    live = []
    for p in server.children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and any("ipykernel" in a for a in p.cmdline()):
                live.append(p)
        except psutil.Error:  # gone between the listing and the look
            pass
    return live


def _settled_rss(server, seconds: float = 120) -> int:
    """The server's and its kernels' resident memory once they have stopped working."""
    import psutil

    seen: dict[int, psutil.Process] = {}  # cpu_percent needs the same object twice
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline:
        tree = [seen.setdefault(p.pid, p) for p in [server, *server.children(recursive=True)]]
        busy = 0.0
        for p in tree:
            with contextlib.suppress(psutil.Error):
                busy += p.cpu_percent(interval=None)
        quiet = quiet + 1 if busy < 5 else 0
        if quiet >= 3:
            return _rss(tree)
        time.sleep(1)
    pytest.fail("the server never went quiet")


def _rss(processes: list) -> int:
    import psutil

    total = 0
    for p in processes:
        with contextlib.suppress(psutil.Error):  # exited meanwhile: it holds no memory
            total += p.memory_info().rss
    return total


@pytest.mark.browser
def test_ten_concurrent_sessions_then_culling(demo_dir: Path, browser) -> None:
    import psutil

    process, port, token = _start(demo_dir, "--idle-timeout", str(IDLE_TIMEOUT))
    server = psutil.Process(process.pid)
    try:
        # idle: the server and the one kernel it keeps ready (pre-run dashboard)
        deadline = time.monotonic() + 120
        while len(_kernels(server)) < 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        idle = _settled_rss(server)
        pool = len(_kernels(server))
        assert pool == 1

        context = browser.new_context(viewport={"width": 1200, "height": 900})
        pages = [context.new_page() for _ in range(SESSIONS)]
        url = f"http://127.0.0.1:{port}/?token={token}"
        for page in pages:  # all ten requests in flight before any is waited on
            page.evaluate("url => { window.location.href = url }", url)
        for page in pages:
            page.wait_for_selector(".kpis[data-selection='(all)|(all)']", timeout=240_000)
            assert page.locator(".panel h2").count() == 7  # six panels and the wave trend
        assert len(_kernels(server)) >= SESSIONS  # one kernel per visitor
        for i, page in enumerate(pages):
            department = ("Service", "Marketing")[i % 2]
            page.locator("select").first.select_option(department)
            page.wait_for_selector(f".kpis[data-selection='{department}|(all)']", timeout=30_000)
        busy = _rss([server, *server.children(recursive=True)])
        context.close()

        deadline = time.monotonic() + 180
        while len(_kernels(server)) > pool and time.monotonic() < deadline:
            time.sleep(1)
        assert len(_kernels(server)) == pool, "visitors' kernels were not culled"
        after = _settled_rss(server)
        print(
            f"memory MB: idle {idle / 1e6:.0f}, ten sessions {busy / 1e6:.0f}, after {after / 1e6:.0f}"
        )
        assert busy > idle * 2  # ten kernels were really running
        assert after <= 1.2 * idle, (idle, busy, after)
    finally:
        _stop(process)
