"""The progress notebook's data for one audience, cached like the report data.

:func:`progress_data` is what ``notebooks/progress.ipynb`` calls: it assesses both waves
once (:func:`adoption_lib.remeasure.progress.build_progress`) and keeps the result in
the run's or the engagement's cache (:func:`adoption_lib.reports.data.cached`).
"""

from __future__ import annotations

from pathlib import Path

from adoption_lib.config.engagement import load_engagement
from adoption_lib.remeasure.progress import PREFIX, ProgressData, build_progress
from adoption_lib.reports.data import cached


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

    return cached(
        engagement,
        audience,
        f"progress|{wave or ''}",
        lambda: build_progress(load_engagement(engagement), wave or None)[0],
        prefix=PREFIX,
    )
