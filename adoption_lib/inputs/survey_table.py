"""A survey export as read from disk, before mapping: header metadata plus string cells.

Every platform reader (:mod:`adoption_lib.inputs.survey_readers`) returns a :class:`RawSurvey`:
one :class:`SurveyColumn` per column (its name, question text and import id, from
however many header rows the platform writes), the data rows as strings, and the
line of the file each row came from, so that every later error can name file, row and
column.

CSV text is decoded as UTF-8 (with or without a BOM), falling back to Windows-1252,
which Excel on Windows still writes; the :mod:`csv` module handles CRLF and quoted
cells that span lines.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from adoption_lib.errors import InputFileError
from adoption_lib.inputs.file_guards import check_text

#: Respondent metadata every reader maps its own columns to (missing ones stay unset).
META_FIELDS = (
    "response_id",
    "started",
    "ended",
    "recorded",
    "duration_seconds",
    "status",
    "finished",
    "progress",
    "email",
    "external_ref",
    "language",
)


@dataclass(frozen=True)
class SurveyColumn:
    """One column of an export: what its header rows say about it."""

    index: int
    name: str
    text: str = ""
    import_id: str | None = None


@dataclass
class RawSurvey:
    """A survey export read into strings, with where each row came from."""

    path: Path
    format: str
    columns: list[SurveyColumn]
    rows: list[list[str]]
    row_numbers: list[int]
    meta: dict[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"
    #: the zone of naive timestamps, when the export says (Qualtrics' ImportId row does)
    timezone: str | None = None
    #: the platform's variant of its layout, such as ``legacy`` (blank for the current one)
    layout: str = ""
    #: ``dmy`` or ``mdy`` for ``03/10/2026`` dates, settled once for the whole file
    date_order: str | None = None
    #: set when a naive time was read as UTC because no zone was known
    naive_as_utc: bool = False

    @property
    def described(self) -> str:
        """The format with its layout, such as ``surveymonkey (legacy layout)``."""
        current = not self.layout or self.layout == "current"
        return self.format if current else f"{self.format} ({self.layout} layout)"

    def cell(self, row: int, column: int) -> str:
        """The trimmed text of one cell ('' when the row is short)."""
        values = self.rows[row]
        return values[column].strip() if column < len(values) else ""

    def meta_value(self, row: int, name: str) -> str:
        """A metadata value of one row ('' when the export has no such column)."""
        index = self.meta.get(name)
        return "" if index is None else self.cell(row, index)

    def where(self, row: int, column: int | None = None) -> str:
        """``file:row N[, column 'X']`` for messages; N is the line in the file."""
        place = f"{self.path.name}:row {self.row_numbers[row]}"
        if column is not None:
            place += f", column '{self.columns[column].name}'"
        return place


_SQUASH = re.compile(r"[^0-9a-z]+")


def squash(name: str) -> str:
    """A header name lower-cased with everything but letters and digits removed.

    ``Respondent ID``, ``RespondentID`` and ``respondent_id`` all become
    ``respondentid``, which is how the readers recognise metadata columns.
    """
    return _SQUASH.sub("", name.strip().lower())


def decode(path: Path) -> tuple[str, str]:
    """Read a text file as UTF-8 (BOM or not), UTF-16 (with its BOM) or Windows-1252.

    NUL bytes, which legacy SurveyMonkey exports leave in some header cells, are
    dropped; a file with more than 1% control bytes is refused as binary.

    Returns
    -------
    text, encoding
        The decoded text and the encoding that worked.

    Raises
    ------
    InputFileError
        For a binary file, or text in none of these encodings.
    """
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(f"{path}: not valid UTF-16 text ({exc.reason})") from None
    check_text(path, data)
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252", errors="strict"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: neither UTF-8 nor Windows-1252 text (byte {exc.start}: {exc.reason})"
        ) from None


def read_csv_rows(path: Path) -> tuple[list[list[str]], list[int], str]:
    """Parse a CSV file into rows, with the line each row starts on.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    rows, lines, encoding
        Every record (header rows included), the 1-based line each starts on, and
        the encoding used.

    Raises
    ------
    InputFileError
        When the file ends inside a quoted cell (a truncated export), naming the line
        where that record began.
    """
    text, encoding = decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            rows.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(
            f"{path.name}:row {start}: the file ends or breaks inside a quoted cell"
            f" ({exc}); is the export truncated?"
        ) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
        lines.pop()
    return rows, lines, encoding


def check_widths(path: Path, rows: list[list[str]], lines: list[int], width: int) -> None:
    """Fail on a data row whose number of cells differs from the header's.

    Every platform writes full-width rows, so a short row (typically the last one of a
    truncated download) or a long one (an unquoted comma) means the file is damaged.

    Raises
    ------
    InputFileError
        Naming the file, the row and the counts.
    """
    for values, line in zip(rows, lines, strict=True):
        if len(values) != width:
            hint = "; is the export truncated?" if len(values) < width else ""
            raise InputFileError(
                f"{path.name}:row {line}: {len(values)} cells but the header has {width}{hint}"
            )
