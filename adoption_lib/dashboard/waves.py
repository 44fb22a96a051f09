"""The dashboard across re-measure waves: one client bundle per wave, and trend lines.

:func:`dashboard_data` loads the client bundle of every wave of an engagement (each
from its own suppressed client cube). :func:`wave_trend` gives, for one selection,
a few figures per wave. A cell withheld in any wave shows no trend at all, as in the
wave comparisons: a group too small in either wave is shown in neither.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import for_wave, wave_names
from adoption_lib.metrics import metric_label
from adoption_lib.privacy.cells import pick_cell
from adoption_lib.reports.bundle import ReportData, report_data

#: The trend lines: (label, cube table, column).
TREND_FIGURES = (
    (metric_label("usage.active_share_of_licensed"), "usage", "active_30d_share"),
    (metric_label("usage.effective_share_of_licensed"), "usage", "effective_share"),
    ("Commitment-led respondents", "types", "commitment"),
)


def dashboard_data(engagement: str | Path) -> dict[str, ReportData]:
    """The client bundle of every wave, in date order (the baseline first).

    Parameters
    ----------
    engagement
        The engagement folder or its yml.

    Returns
    -------
    dict
        Wave name -> client :class:`ReportData` for every wave that lists an export;
        one entry for a single-wave engagement.
    """
    loaded = load_engagement(engagement)
    names = [  # a wave just added, with no export yet, has nothing to show
        n
        for n in wave_names(loaded)
        if for_wave(loaded, n).survey_exports or for_wave(loaded, n).usage_exports
    ]
    return {name: report_data(engagement, "client", wave=name) for name in names}


def wave_trend(datas: dict[str, ReportData], selection: dict[str, str]) -> pd.DataFrame | None:
    """A few figures of one cube cell in every wave.

    Parameters
    ----------
    datas
        From :func:`dashboard_data`.
    selection
        One value (or "(all)") per client dimension.

    Returns
    -------
    pandas.DataFrame or None
        Index: the waves' assessment dates; a column per :data:`TREND_FIGURES` label
        (NaN where that share is withheld inside a released cell). None when the cell
        is withheld, or absent, in any wave.
    """
    rows = {}
    for data in datas.values():
        dims = list(data.engagement["client_dimensions"])
        cells = data.cube["cells"]
        cell = pick_cell(cells, dims, selection)
        if cell.empty or bool(cell["suppressed"].iloc[0]):
            return None
        figures = {}
        for label, table, column in TREND_FIGURES:
            frame = data.cube.get(table)
            value = float("nan")
            if frame is not None and column in frame:
                hit = pick_cell(frame, dims, selection)
                if len(hit):
                    value = float(hit[column].iloc[0])
            figures[label] = value
        rows[data.engagement["as_of"]] = figures
    return pd.DataFrame.from_dict(rows, orient="index")
