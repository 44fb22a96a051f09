"""Rows of strings from a CSV or XLSX export, with the row number each came from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from adoption_lib.config.schema import Limits
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.file_guards import check_workbook
from adoption_lib.inputs.survey_table import read_csv_rows


def read_rows(path: Path, limits: Limits | None = None) -> tuple[list[list[str]], list[int], str]:
    """Read every row of a CSV (any of our encodings) or the first sheet of an XLSX.

    Parameters
    ----------
    path
        The file.
    limits
        The engagement's ``limits:``; a workbook is checked against them before it is
        opened (the defaults when ``None``).

    Returns
    -------
    rows, lines, encoding
        Rows as lists of strings, the 1-based line or sheet row of each, and the
        encoding (``xlsx`` for workbooks).
    """
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        limits = limits or Limits()
        check_workbook(path, limits.xlsx_max_unpacked_mb, limits.max_compression_ratio)
        return _xlsx_rows(path)
    return read_csv_rows(path)


def _xlsx_rows(path: Path) -> tuple[list[list[str]], list[int], str]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise InputFileError(
            f"{path}: cannot be read as XLSX ({type(exc).__name__}: {exc})"
        ) from None
    sheet = book.worksheets[0]
    rows, lines = [], []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            rows.append(cells)
            lines.append(number)
    book.close()
    width = max((len(r) for r in rows[:3]), default=0)
    return [r + [""] * (width - len(r)) if len(r) < width else r for r in rows], lines, "xlsx"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
