"""A kernel the pool hands out after a quiet spell is not culled before its browser connects.

Voilà never culls a kernel waiting in its pool; without
:mod:`adoption_lib.dashboard.pool_handout`, the one handed to a visitor after the pool
had waited longer than the idle timeout was culled at the culler's next pass, before the
page's websocket connected, and the visitor saw the widgets' text. The page is fetched
here without a browser, so no websocket ever connects: the kernel must live for the idle
timeout from the hand-out, then be culled like any abandoned visitor's.
"""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

from tests.test_serve import _start, _stop
from tests.test_serve_load import _kernels

IDLE_TIMEOUT = 5  # the smallest allowed; the culler then passes every second
KERNEL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _alive(server, kernel_id: str) -> bool:
    """Whether a live kernel process runs on that kernel's connection file."""
    return any(kernel_id in " ".join(p.cmdline()) for p in _kernels(server))


def test_a_kernel_handed_out_after_a_quiet_spell_waits_for_its_visitor(demo_dir: Path) -> None:
    import psutil

    process, port, token = _start(demo_dir, "--idle-timeout", str(IDLE_TIMEOUT))
    server = psutil.Process(process.pid)
    try:
        deadline = time.monotonic() + 120
        while not _kernels(server) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(_kernels(server)) == 1, "the pool never filled"
        time.sleep(3 * IDLE_TIMEOUT)  # the pooled kernel has been idle for three timeouts
        url = f"http://127.0.0.1:{port}/?token={token}"
        with urllib.request.urlopen(url, timeout=120) as response:
            page = response.read().decode()
        handed = [k for k in set(KERNEL_ID.findall(page)) if _alive(server, k)]
        assert len(handed) == 1, "the page names no live kernel"
        time.sleep(IDLE_TIMEOUT / 2)  # two passes of the culler
        assert _alive(server, handed[0]), "the visitor's kernel was culled before it connected"
        deadline = time.monotonic() + 60
        while _alive(server, handed[0]) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _alive(server, handed[0]), "an abandoned visitor's kernel was never culled"
    finally:
        _stop(process)
