"""The progress notebook's data for one audience, read from a cache like the report data.

:func:`progress_data` is what ``notebooks/progress.ipynb`` calls. ``adoption run`` leaves
it in the run's cache; otherwise both waves are assessed once, in a child process
(:mod:`adoption_lib.reports.prepare`), into the engagement's cache.
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.remeasure.results import PREFIX, ProgressData
from adoption_lib.reports.bundle import cached, progress_key


def progress_data(
    engagement: str | Path, audience: str = "consultant", wave: str | None = None
) -> ProgressData:
    """The data the progress notebook shows, for one audience.

    Parameters
    ----------
    engagement
        The engagement folder or its yml.
    audience
        ``consultant`` or ``client``.
    wave
        The later wave; the latest when empty.

    Returns
    -------
    ProgressData
        From the run's cache (``$ADOPTION_REPORT_CACHE``) when there is one, else from
        the engagement's cache keyed by the inputs (computed on first use).

    Raises
    ------
    InputError
        For an unknown audience, a single-wave engagement or an unknown wave.
    """
    args = ["progress", str(engagement), "--wave", wave or ""]
    return cached(engagement, audience, progress_key(wave or None), args, prefix=PREFIX)
