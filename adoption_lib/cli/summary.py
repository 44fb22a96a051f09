"""``adoption summary``: the assessment's summary.json, from the cache when nothing changed.

The summary depends only on the engagement's inputs, the workbook's code, the wave and
``--lenient``, so it is kept in the engagement's one cache (``private/cache/``, keyed
by every input's content: :mod:`adoption_lib.inputs.cache`) and a second ``adoption
summary`` on unchanged inputs prints it without loading the pipeline. A first run
assesses the wave (:func:`adoption_lib.cli.measure.compute_summary`), keeping the
usage stage's activity table in the same cache for ``adoption run`` and ``serve``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import wave_names
from adoption_lib.inputs.cache import (
    FINGERPRINTS,
    cache_dir,
    cache_entry,
    cache_root,
    engagement_inputs,
    known_hashes,
    write_private,
)
from adoption_lib.log import LOGGER

STORED = "summary.json"


def summary_key(wave: str, lenient: bool) -> str:
    """What a summary depends on besides the inputs and the code."""
    return f"summary|{wave}|{'lenient' if lenient else 'strict'}"


def summary_command(args: argparse.Namespace) -> int:
    engagement = load_engagement(args.engagement)
    wave = args.wave or wave_names(engagement)[-1]
    key = summary_key(wave, args.lenient)
    root = cache_root(engagement)
    # Known inputs give the entry without reading a file; a new input is hashed after
    # the run, which has hashed the usage exports in a thread while scanning them.
    inputs = engagement_inputs(engagement)
    hashes = known_hashes(inputs, root / FINGERPRINTS)
    summary = _read(cache_entry(root, key, hashes) / STORED) if hashes is not None else None
    if summary is None:
        # dispatch: the pipeline (heavy) loads only when the cache misses
        from adoption_lib.cli.measure import compute_summary

        summary = compute_summary(engagement, wave, args.lenient)
        write_private(cache_dir(engagement, key) / STORED, json.dumps(summary))
    else:
        LOGGER.info("Summary: the inputs are unchanged; read from the cache")
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        # heavy: the text layout lives beside the summary's builder
        from adoption_lib.summary import format_summary

        print(format_summary(summary))
    return 0


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
