"""What the usage stage gives the rest of the workbook: :class:`UsageResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ibis
import pandas as pd

from adoption_lib.inputs.usage_readers import UsageSource


@dataclass
class UsageResult:
    """Usage metrics and what could not be computed."""

    metrics: dict[str, Any]
    unavailable: dict[str, str] = field(default_factory=dict)
    sources: list[UsageSource] = field(default_factory=list)
    not_on_roster: int = 0
    #: the compact activity table (per licensed user and day over 30 days; see
    #: :mod:`adoption_lib.usage.metrics`), when a source holds events
    days: ibis.Table | None = None
    #: per licensed user, records entered per whole day of data-entry lag
    latency: ibis.Table | None = None
    end: datetime | None = None
    #: distinct active days per licensed user over the last four weeks
    active_days_4w: pd.Series | None = None
    recent_users: set[str] = field(default_factory=set)
    #: licensed users active in 3 of the last 4 weeks (event sources only)
    effective: set[str] = field(default_factory=set)
    #: licensed users with any recorded use before ``as_of``
    ever: set[str] = field(default_factory=set)
    #: why day-by-day metrics are missing, when no source holds events
    no_events_reason: str = ""
