"""What a report shows in place of a figure or table the engagement cannot give.

An engagement may have no survey (usage only) or no usage exports (survey only). A
figure or table that needs the missing source is replaced by a one-line note naming
what is missing, so every notebook runs on every valid engagement and the reader sees
why a section is empty. A section whose source *is* present but whose data is missing
is still an error: the gap is only ever the absence of a whole source.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["SOURCES", "Missing", "missing", "requires", "sources_of_table"]

#: Source -> the summary.json key present exactly when the engagement has it.
SOURCES = {"survey": "survey", "usage": "usage"}
_WHY = {
    "survey": "no survey export in this engagement",
    "usage": "no usage export in this engagement",
}
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Missing:
    """A note shown where a figure or table would be."""

    reason: str

    def _repr_markdown_(self) -> str:
        return f"*Not available: {self.reason}.*"

    def __str__(self) -> str:
        return f"Not available: {self.reason}."


def missing(data: Any, *sources: str) -> Missing | None:
    """The note for the first of ``sources`` the report's engagement lacks, else None.

    Parameters
    ----------
    data
        A :class:`adoption_lib.reports.data.ReportData` (anything with ``summary``).
    sources
        ``survey`` and/or ``usage``.

    Returns
    -------
    Missing or None
    """
    lacking = [s for s in sources if SOURCES[s] not in data.summary]
    if not lacking:
        return None
    return Missing(
        " and ".join(_WHY[s] for s in lacking).replace(" in this engagement and", " and")
    )


def sources_of_table(name: str) -> tuple[str, ...]:
    """Which sources a group table (``types_by_department``, ``usage``...) is built from.

    Examples
    --------
    >>> sources_of_table("segments_by_department")
    ('survey', 'usage')
    >>> sources_of_table("usage")
    ('usage',)
    """
    stem = name.split("_by_")[0]
    if stem in ("segments", "says_does"):
        return ("survey", "usage")
    if stem in ("usage", "weekly", "cohorts", "latency"):
        return ("usage",)
    return ("survey",)


def requires(*sources: str) -> Callable[[F], F]:
    """Decorate a figure or view that needs ``sources``: without them it returns a note.

    Parameters
    ----------
    sources
        ``survey`` and/or ``usage``.
    """

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def inner(data: Any, *args: Any, **kwargs: Any) -> Any:
            gap = missing(data, *sources)
            return gap if gap is not None else function(data, *args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap
