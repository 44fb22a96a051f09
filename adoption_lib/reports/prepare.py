"""Fill the engagement's cache with a wave's report or progress data, in its own process.

:func:`adoption_lib.reports.bundle.cached` runs ``python -m adoption_lib.reports.prepare``
on a cache miss, so that a notebook's or a dashboard visitor's kernel never loads the
pipeline (DuckDB, ibis, scipy, statsmodels): the work and its memory leave with this
process. Exit codes are the command line's: 0, 2 for bad input, 1 for a failed run,
with the error as the last line of stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import AdoptionError
from adoption_lib.log import show_progress
from adoption_lib.remeasure.progress import build_progress
from adoption_lib.remeasure.results import PREFIX
from adoption_lib.reports.bundle import (
    parse_as_of,
    progress_key,
    report_key,
    session_cache,
    write_bundles,
)
from adoption_lib.reports.data import build_bundles


def prepare(kind: str, engagement: str, as_of: str = "", wave: str = "") -> None:
    """Compute both audiences' data and write them where :func:`cached` looks.

    Parameters
    ----------
    kind
        ``report`` (:func:`adoption_lib.reports.data.build_bundles`) or ``progress``
        (:func:`adoption_lib.remeasure.progress.build_progress`).
    engagement
        The engagement folder or its yml.
    as_of
        ``YYYY-MM-DD``, or empty for the assessment date (report data only).
    wave
        The wave, or empty for the default (the baseline; the latest for progress).
    """
    if kind == "progress":
        bundles, _ = build_progress(load_engagement(engagement), wave or None)
        write_bundles(bundles, session_cache(engagement, progress_key(wave or None)), PREFIX)
        return
    when = parse_as_of(as_of)
    bundles = build_bundles(engagement, when, wave=wave or None)
    write_bundles(bundles, session_cache(engagement, report_key(when, wave or None)))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m adoption_lib.reports.prepare KIND ENGAGEMENT [--as-of D] [--wave W]``."""
    parser = argparse.ArgumentParser(prog="adoption-prepare")
    parser.add_argument("kind", choices=("report", "progress"))
    parser.add_argument("engagement")
    parser.add_argument("--as-of", default="")
    parser.add_argument("--wave", default="")
    args = parser.parse_args(argv)
    show_progress()
    try:
        prepare(args.kind, args.engagement, args.as_of, args.wave)
    except AdoptionError as exc:
        sys.stderr.write(f"adoption: error: {exc}\n")
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
