"""The library's one logger, ``adoption``: the library reports progress, the command line
decides what is printed.

The library never prints. Its progress lines (``Reading the usage exports...``) are
``INFO`` records on :data:`LOGGER`; with no handler (a notebook kernel, a caller's own
script) they go nowhere. The command line calls :func:`show_progress` once, which
writes them to whatever ``sys.stderr`` is when each line is emitted (so that pytest's
capture and ``contextlib.redirect_stderr`` see them).
"""

from __future__ import annotations

import logging
import sys

LOGGER = logging.getLogger("adoption")


class _CurrentStderr(logging.Handler):
    """Writes each record to the ``sys.stderr`` of the moment it is emitted."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # a closed stream must never break a run
            self.handleError(record)


def show_progress(level: int = logging.INFO) -> None:
    """Print the library's progress lines on stderr (idempotent).

    Parameters
    ----------
    level
        The least severe record printed.
    """
    if not any(isinstance(h, _CurrentStderr) for h in LOGGER.handlers):
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
    LOGGER.propagate = False
