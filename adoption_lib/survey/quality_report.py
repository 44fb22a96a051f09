"""The data-quality counts a report shows (light: the notebooks read it from a cache)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QualityReport:
    """Counts a data-quality section reports."""

    rows_received: int
    respondents_kept: int
    excluded: dict[str, int]
    speeder_rule: str
    median_duration_seconds: float | None
    outside_window: int
    response_rate: float | None
    response_rate_by: dict[str, dict[str, dict[str, float | int]]] = field(default_factory=dict)
