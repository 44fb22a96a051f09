"""Where a run's time goes: named steps, timed, written out when asked for.

Each long step of a run (reading an export, building the activity table, the trends,
the client cube ...) is wrapped in :func:`step`. The steps are recorded in the order
they end; when ``$ADOPTION_PROFILE`` names a file, the whole list is written there as
JSON when the process exits, for ``make bench`` to print beside its ratios, with the
process's peak memory as each step ended. Recording costs a clock read and a
``getrusage`` call per step, so it is always on; nothing is printed.

The standard library's profilers time every function call, which slows the run they
measure several times over and does not see inside DuckDB; a handful of named steps
costs nothing and says which stage to look at.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: (step, seconds, peak RSS in MB when it ended) in the order the steps ended
STEPS: list[tuple[str, float, float]] = []
#: the environment variable naming the file the steps are written to at exit
PROFILE_ENV = "ADOPTION_PROFILE"


@contextmanager
def step(name: str) -> Iterator[None]:
    """Time a named step of the run (nested steps are timed on their own too).

    Parameters
    ----------
    name
        What the step does, such as ``"usage: read usage_0_events"``.

    Examples
    --------
    >>> with step("doctest: nothing"):
    ...     pass
    >>> STEPS[-1][0]
    'doctest: nothing'
    """
    start = time.perf_counter()
    try:
        yield
    finally:
        # the process's peak so far (Linux reports kB): the step that raises it is the
        # first whose peak_mb is the run's highest
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        STEPS.append((name, time.perf_counter() - start, peak))


def profile() -> list[dict[str, float | str]]:
    """The steps timed so far in this process.

    Returns
    -------
    list of dict
        ``step``, ``seconds`` (three decimals) and ``peak_mb`` (the process's peak
        resident memory when the step ended), in the order the steps ended.
    """
    return [
        {"step": name, "seconds": round(seconds, 3), "peak_mb": round(peak)}
        for name, seconds, peak in STEPS
    ]


def _write_at_exit() -> None:
    target = os.environ.get(PROFILE_ENV)
    if target:
        Path(target).write_text(json.dumps(profile(), indent=1) + "\n", encoding="utf-8")


atexit.register(_write_at_exit)
