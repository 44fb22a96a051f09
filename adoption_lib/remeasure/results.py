"""What re-measure hands the reports: the progress data of one audience.

Light (pandas only), so that the progress notebook's kernel can read it from a cache
without loading the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: The cache files' prefix of the progress data (beside the report data's).
PREFIX = "progress-"


@dataclass
class ProgressData:
    """What the progress notebook shows to one audience."""

    audience: str
    about: dict[str, Any]
    comparison: pd.DataFrame
    deltas: dict[str, dict[str, float | None]]
    follow_through: pd.DataFrame | None = None
    #: where the statuses came from, and any problem reading them
    plan_notes: list[str] = field(default_factory=list)
