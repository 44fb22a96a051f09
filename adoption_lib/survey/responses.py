"""A bare response file read without an engagement: what ``adoption reliability`` scores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from adoption_lib.config.instrument import Instrument
from adoption_lib.errors import DateOrderError
from adoption_lib.inputs.export_times import time_texts
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.inputs.survey_times import settle_date_order
from adoption_lib.privacy.pseudonyms import throwaway_key
from adoption_lib.survey.load import code_responses
from adoption_lib.survey.mapping import (
    ColumnMap,
    check_item_matches,
    map_columns,
)


def read_responses(
    path: Path, instrument: Instrument, system: str = "", fmt: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, ColumnMap]:
    """Read and code one response file outside any engagement (no quality rules).

    Used by ``adoption reliability`` on any instrument and any export. Respondent ids
    are pseudonymised with a throwaway key that is never stored.

    Parameters
    ----------
    path
        A survey export in any supported format, or a generic wide CSV/XLSX.
    instrument
        The instrument the columns belong to.
    system
        Fills ``{system}`` for matching question text.
    fmt
        The platform, or ``None`` to detect it.

    Returns
    -------
    respondents, answers, mapping
        As :func:`code_responses`, plus how the columns mapped.
    """
    raw = read_survey_export(path, fmt)
    try:
        raw.date_order = settle_date_order(time_texts(raw))
    except DateOrderError:
        raw.date_order = "mdy"  # reliability never reads the times; any order will do
    mapping = map_columns(raw, instrument, system)
    check_item_matches(mapping, instrument, raw.path.name)
    respondents, answers, _ = code_responses(raw, mapping, instrument, throwaway_key())
    return respondents, answers, mapping
