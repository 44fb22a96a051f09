"""Google Forms response CSVs (Responses > Download responses (.csv)).

One header row: ``Timestamp``, then ``Email Address`` when the form collects it, then
each question's title. A multiple-choice grid becomes one column per row, named
``Question [Row]``. Timestamps are written in the form owner's locale with a zone
abbreviation, such as ``2026/10/12 9:41:05 AM GMT+1`` or ``2026/10/12 9:41:05 AM EST``.
Google records only the submission time, so no duration is available.
"""

from __future__ import annotations

import re
from pathlib import Path

from adoption_lib.inputs.survey_table import RawSurvey, SurveyColumn, check_widths

_GRID = re.compile(r"^(?P<question>.*\S)\s*\[(?P<row>[^\]]+)\]$")


def detect(header: list[list[str]], is_xlsx: bool) -> bool:
    """True when the first header cell is Google's ``Timestamp``."""
    return bool(header and header[0]) and header[0][0].strip() == "Timestamp"


def parse(path: Path, rows: list[list[str]], lines: list[int]) -> RawSurvey:
    """Build a RawSurvey; a grid column's text is 'question - row'."""
    columns, meta = [], {"ended": 0, "recorded": 0}
    for index, name in enumerate(rows[0]):
        name = name.strip()
        if name.lower() == "email address":
            meta["email"] = index
        grid = _GRID.match(name)
        text = f"{grid['question']} - {grid['row']}" if grid else name
        columns.append(SurveyColumn(index, name, text))
    check_widths(path, rows[1:], lines[1:], len(rows[0]))
    return RawSurvey(path, "google_forms", columns, rows[1:], lines[1:], meta)
