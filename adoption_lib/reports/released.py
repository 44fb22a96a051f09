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

from adoption_lib.privacy.release import release_document
from adoption_lib.reports.bundle import ReportData

#: the file's layout version (raised when a column is renamed or changes meaning)
CUBE_SCHEMA_VERSION = 2


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
        **release_document(
            data.cube, list(data.engagement["client_dimensions"]),
            data.engagement.get("min_group_size"),
        ),
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path
