"""Bounds checked on an input file before a library opens it.

Text: a file with more than 1% control bytes (or 5% NUL bytes) in its first 64 KiB is
binary, whatever its name says (:func:`check_text`).

Gzip: DuckDB (1.5) reads a truncated ``.gz`` without an error, returning the rows before
the cut, and inflates a gzip bomb until the disk or the clock runs out.
:func:`check_gzip` streams the file through :mod:`zlib` once, in constant memory, and
stops at the first sign of either: past the end-of-stream marker it is whole.

A workbook is a zip archive of XML. openpyxl inflates every sheet it reads, so a
"zip bomb" (a few kilobytes that inflate to gigabytes) would hold a run for minutes
and exhaust memory. :func:`check_workbook` reads only the archive's directory, which
states each member's inflated size (and :mod:`zipfile` never inflates a member past the
size its directory states), and refuses an archive whose inflated size or compression
ratio is beyond the engagement's ``limits:``. openpyxl has no such bound of its own.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from adoption_lib.config.schema import Limits
from adoption_lib.errors import InputFileError

#: Defaults of ``limits:`` in engagement.yml.
XLSX_MAX_UNPACKED_MB = 1024
XLSX_MAX_RATIO = 200
GZ_MAX_UNPACKED_MB = 64 * 1024
_MAX_MEMBERS = 10_000
_CHUNK = 1 << 20
#: a bomb shows itself early: the ratio is judged once this much has been inflated
_RATIO_AFTER = 64 << 20
_TEXT_SAMPLE = 65536
_CONTROL_SHARE = 0.01
_NUL_SHARE = 0.05
#: gzip files found whole in this process, by path, size, mtime_ns, inode and limits
_WHOLE: set[tuple[object, ...]] = set()


def check_text(path: Path, sample: bytes | None = None) -> None:
    """Refuse a file that is binary rather than text, from its first 64 KiB.

    Parameters
    ----------
    path
        The file (read only when ``sample`` is not given).
    sample
        Its first bytes, when already read.

    Raises
    ------
    InputFileError
        Naming the file and how many control bytes were found.
    """
    if sample is None:
        with path.open("rb") as handle:
            sample = handle.read(_TEXT_SAMPLE)
    sample = sample[:_TEXT_SAMPLE]
    if not sample or sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # empty, or UTF-16 with its byte-order mark
    controls = sum(1 for b in sample if 0 < b < 32 and b not in (9, 10, 13))
    nuls = sample.count(0)
    if controls / len(sample) > _CONTROL_SHARE or nuls / len(sample) > _NUL_SHARE:
        raise InputFileError(
            f"{path}: a binary file, not a text export ({controls + nuls} control bytes in "
            f"the first {len(sample)}); export it again as CSV"
        )


def check_gzip(
    path: Path, max_unpacked_mb: int = GZ_MAX_UNPACKED_MB, max_ratio: int = XLSX_MAX_RATIO
) -> None:
    """Refuse a ``.gz`` that is damaged, truncated, or inflates beyond the limits.

    Parameters
    ----------
    path
        A gzip file (one member or several, as ``cat a.gz b.gz`` writes).
    max_unpacked_mb
        The largest inflated size, in MiB.
    max_ratio
        The largest ratio of inflated to stored size, judged past the first 64 MiB.

    Raises
    ------
    InputFileError
        Naming the file and what is wrong with it.
    """
    info = path.stat()
    stamp = (
        str(path.resolve()),
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
        max_unpacked_mb,
        max_ratio,
    )
    if stamp in _WHOLE:
        return  # `adoption run` lists the inputs, then reads them: inflate each file once
    inflated = packed = 0
    engine = zlib.decompressobj(wbits=31)
    first = True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            packed += len(chunk)
            while chunk:
                try:
                    out = engine.decompress(chunk, _CHUNK)
                except zlib.error as exc:
                    raise InputFileError(f"{path}: not a valid gzip file ({exc})") from None
                if first:
                    check_text(path, out)
                    first = False
                inflated += len(out)
                if inflated > max_unpacked_mb * 1024 * 1024:
                    raise InputFileError(
                        f"{path}: inflates past the limit of {max_unpacked_mb} MiB "
                        "(limits: gz_max_unpacked_mb in engagement.yml)"
                    )
                if inflated > _RATIO_AFTER and inflated / packed > max_ratio:
                    raise InputFileError(
                        f"{path}: compressed over {max_ratio} to 1 (limits: max_compression_ratio"
                        " in engagement.yml); a file this compressible is not a real export"
                    )
                if engine.eof:
                    chunk = engine.unused_data
                    engine = zlib.decompressobj(wbits=31) if chunk else engine
                else:
                    chunk = engine.unconsumed_tail
    if not engine.eof:
        raise InputFileError(
            f"{path}: the gzip stream ends early after {inflated:,} bytes: the file is "
            "truncated; download it again"
        )
    _WHOLE.add(stamp)


def check_workbook(
    path: Path, max_unpacked_mb: int = XLSX_MAX_UNPACKED_MB, max_ratio: int = XLSX_MAX_RATIO
) -> None:
    """Refuse a workbook that is not a zip archive or would inflate beyond the limits.

    Parameters
    ----------
    path
        An ``.xlsx`` or ``.xlsm`` file.
    max_unpacked_mb
        The largest total inflated size, in MiB.
    max_ratio
        The largest ratio of inflated to stored size.

    Raises
    ------
    InputFileError
        Naming the file, what was found and the limit (and the ``limits:`` key).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFileError(f"{path}: not an .xlsx workbook ({exc})") from None
    if len(members) > _MAX_MEMBERS:
        raise InputFileError(f"{path}: {len(members)} parts; a workbook has far fewer")
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > max_unpacked_mb * 1024 * 1024:
        raise InputFileError(
            f"{path}: would inflate to {unpacked / 2**20:,.0f} MiB, over the limit of "
            f"{max_unpacked_mb} MiB (limits: xlsx_max_unpacked_mb in engagement.yml); "
            "export it as CSV instead"
        )
    if unpacked / packed > max_ratio:
        raise InputFileError(
            f"{path}: compressed {unpacked / packed:,.0f} to 1, over the limit of "
            f"{max_ratio} to 1 (limits: max_compression_ratio in engagement.yml); a workbook "
            "this compressible is not a real export"
        )


def export_files(path: Path) -> list[Path]:
    """The files a usage export names: itself, a folder's ``*.csv``, or a glob's matches."""
    if path.is_dir():
        return sorted(path.glob("*.csv"))
    if any(c in path.name for c in "*?["):
        return sorted(p for p in path.parent.glob(path.name) if p.is_file())
    return [path]


def check_usage_files(path: Path, limits: Limits) -> None:
    """Check every file of one usage export: text, or a whole gzip within the limits.

    Raises
    ------
    InputFileError
        For the first file that is binary, damaged, truncated or a bomb.
    """
    for file in export_files(path):
        if file.suffix.lower() == ".gz":
            check_gzip(file, limits.gz_max_unpacked_mb, limits.max_compression_ratio)
        elif file.suffix.lower() in (".csv", ".txt", ".tsv"):
            check_text(file)


def one_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of a library's error, shortened: DuckDB's run to 25 lines."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."
