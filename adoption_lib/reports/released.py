"""The released client cube as a file: one row per figure a client may see.

``client/cube.json`` in every report folder holds the cube every client view reads,
long and flat, so that a client's analysts get their data and anyone can audit what
was released. Each row is one figure: the cell (a value or ``(all)`` per client
dimension), the population it counts (``respondents`` or ``licensed_users``), the
measure, the number of people the cell holds (its base) and the value; a withheld
figure, or every figure of a withheld cell, has ``value`` null and ``withheld`` true.
Nothing else is in it: no person, no group the cube did not release.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.json_numbers import json_number
from adoption_lib.reports.bundle import ReportData

#: the file's layout version (raised when a column is renamed or changes meaning)
CUBE_SCHEMA_VERSION = 1
#: the columns after the dimensions, in order
COLUMNS = ("population", "table", "measure", "base", "value", "withheld")
#: per cube table: its population, the column holding the cell's base, the columns that
#: are not figures, and how a figure's measure is named
_TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cells": ("respondents", "n", ("level", "suppressed", "licensed")),
    "constructs": ("respondents", "n", ("construct", "suppressed")),
    "types": ("respondents", "n", ("suppressed",)),
    "segments": ("respondents", "n", ("suppressed",)),
    "usage": ("licensed_users", "licensed", ("suppressed",)),
    "weekly": ("licensed_users", "licensed", ("week_start", "suppressed")),
}


def released_figures(data: ReportData) -> pd.DataFrame:
    """Every figure of a client bundle's cube, one row each, as a table.

    Parameters
    ----------
    data
        The client's :class:`~adoption_lib.reports.bundle.ReportData`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`figure_rows`.
    """
    dims = list(data.engagement["client_dimensions"])
    return pd.DataFrame(figure_rows(data), columns=[*dims, *COLUMNS])


def figure_rows(data: ReportData) -> list[dict[str, Any]]:
    """Every figure of a client bundle's cube, one JSON-ready record each.

    Parameters
    ----------
    data
        The client's :class:`~adoption_lib.reports.bundle.ReportData`.

    Returns
    -------
    list of dict
        A key per client dimension, then :data:`COLUMNS` (missing values None). Measures are
        ``people`` (cells), ``<construct>.<statistic>`` (constructs), ``type.<t>``,
        ``segment.<s>``, the usage column's name, and ``active_share.<week start>``.
    """
    dims = list(data.engagement["client_dimensions"])
    rows: list[dict[str, Any]] = []
    for table, (population, base_column, skip) in _TABLES.items():
        frame = data.cube.get(table)
        if frame is None or frame.empty:
            continue
        figures = [c for c in frame.columns if c not in (*dims, base_column, *skip)]
        for record in frame.to_dict("records"):
            cell = {d: str(record[d]) for d in dims}
            base = json_number(record.get(base_column))
            withheld_cell = bool(record.get("suppressed", False))
            for column in figures:
                rows.append(
                    _row(
                        cell,
                        population,
                        table,
                        _measure(table, column, record),
                        base,
                        record[column],
                        withheld_cell,
                    )
                )
            if table == "cells":  # the cell's own size: both populations
                rows.append(_row(cell, "respondents", table, "people", base, base, withheld_cell))
                licensed = json_number(record.get("licensed"))
                rows.append(
                    _row(cell, "licensed_users", table, "people", licensed, licensed, withheld_cell)
                )
    return rows


def _measure(table: str, column: str, record: dict[str, Any]) -> str:
    if table == "constructs":
        return f"{record['construct']}.{column}"
    if table == "weekly":
        week = record["week_start"]
        return f"active_share.{week.isoformat()[:10] if hasattr(week, 'isoformat') else week}"
    if table in ("types", "segments"):
        return f"{table[:-1]}.{column}"
    return column


def _row(
    cell: dict[str, str],
    population: str,
    table: str,
    measure: str,
    base: Any,
    value: Any,
    withheld_cell: bool,
) -> dict[str, Any]:
    value = None if withheld_cell else json_number(value)
    return {
        **cell,
        "population": population,
        "table": table,
        "measure": measure,
        "base": None if withheld_cell else base,
        "value": value,
        "withheld": withheld_cell or value is None,
    }


def write_released_cube(data: ReportData, path: Path) -> Path:
    """Write ``cube.json``: the dimensions, the threshold and every released figure.

    Parameters
    ----------
    data
        The client's bundle.
    path
        Where to write it (``<report folder>/client/cube.json``).

    Returns
    -------
    Path
        The file written.
    """
    document = {
        "schema_version": CUBE_SCHEMA_VERSION,
        "client": data.engagement.get("client"),
        "assessment_date": data.engagement.get("assessment_date"),
        "wave": data.engagement.get("wave"),
        "dimensions": list(data.engagement["client_dimensions"]),
        "all": "(all)",
        "min_group_size": data.engagement.get("min_group_size"),
        "figures": figure_rows(data),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path
