"""Hostile or broken input files: each is exit 2 with one line, and nothing half-written.

Each case runs ``adoption summary`` in a subprocess on a generated engagement with one
file spoilt. The subprocess timeout is a hang guard (a zip bomb used to run for minutes),
not a speed assertion: the limits are measured in ``benchmarks/``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from adoption_lib.errors import InputFileError
from adoption_lib.inputs.file_guards import check_gzip, check_workbook
from adoption_lib.synthetic.variants import Variant, generate_variant

HANG_GUARD_SECONDS = 120


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "e"
    generate_variant(folder, Variant(platform="google_forms"))
    return folder


def _copy(base: Path, tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "e"
    shutil.copytree(base, folder)
    return folder


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and "private" not in p.parts
    }


def _run(folder: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "adoption_lib.cli", "summary", str(folder)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        stdin=subprocess.DEVNULL,
    )
    return result.returncode, result.stderr.strip()


def _alias_bomb(folder: Path) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    (folder / "engagement.yml").write_text("\n".join(lines) + "\n")
    return "expands to more than 50000 values"


def _binary_yml(folder: Path) -> str:
    (folder / "engagement.yml").write_bytes(bytes(range(256)) * 8)
    return "a binary file, not YAML text"


def _latin1_yml(folder: Path) -> str:
    config = folder / "engagement.yml"
    config.write_bytes(config.read_bytes().replace(b"client: ", b"client: Caf\xe9 ", 1))
    return "not UTF-8 text"


def _deep_yml(folder: Path) -> str:
    (folder / "engagement.yml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    return "nested too deeply"


def _huge_yml(folder: Path) -> str:
    config = folder / "engagement.yml"
    config.write_text(config.read_text() + "#" * (2 * 1024 * 1024) + "\n")
    return "a configuration file is at most 1 MiB"


def _usage_path(folder: Path, name: str) -> Path:
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace("exports/usage/events.csv", f"exports/usage/{name}")
    )
    return folder / "exports" / "usage" / name


def _truncated_gz(folder: Path) -> str:
    data = gzip.compress((folder / "exports" / "usage" / "events.csv").read_bytes())
    _usage_path(folder, "events.csv.gz").write_bytes(data[: len(data) // 2])
    return "the gzip stream ends early"


def _not_gzip(folder: Path) -> str:
    _usage_path(folder, "events.csv.gz").write_bytes(b"actor,occurred_at\nnot,gzip\n" * 10)
    return "not a valid gzip file"


def _gz_bomb(folder: Path) -> str:
    target = _usage_path(folder, "events.csv.gz")
    with gzip.open(target, "wb", compresslevel=9) as handle:
        handle.write(b"actor,occurred_at,action,object\n")
        chunk = b"a" * (1 << 20)
        for _ in range(96):
            handle.write(chunk)
    return "compressed over 200 to 1"


def _binary_usage(folder: Path) -> str:
    (folder / "exports" / "usage" / "events.csv").write_bytes(os.urandom(4096))
    return "a binary file, not a text export"


def _survey_export(folder: Path) -> Path:
    return next((folder / "exports" / "survey").glob("*.csv"))


def _binary_survey(folder: Path) -> str:
    _survey_export(folder).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4096))
    return "a binary file, not a text export"


def _xlsx_bomb(folder: Path) -> str:
    export = _survey_export(folder)
    bomb = export.with_suffix(".xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(64):
                sheet.write(b" " * (1 << 20))
    config = folder / "engagement.yml"
    config.write_text(config.read_text().replace(export.name, bomb.name))
    export.unlink()
    return "compressed"


def _over_full(folder: Path) -> str:
    roster = folder / "exports" / "roster.csv"
    lines = roster.read_text().splitlines()
    roster.write_text("\n".join(lines[:4]) + "\n")
    return "but the roster lists only 3 licensed people (a response rate of"


CASES: dict[str, Callable[[Path], str]] = {
    "yaml alias bomb": _alias_bomb,
    "binary engagement.yml": _binary_yml,
    "latin-1 engagement.yml": _latin1_yml,
    "deeply nested engagement.yml": _deep_yml,
    "2 MiB engagement.yml": _huge_yml,
    "truncated .gz usage": _truncated_gz,
    "not gzip at all": _not_gzip,
    "gzip bomb": _gz_bomb,
    "binary usage csv": _binary_usage,
    "binary survey csv": _binary_survey,
    "xlsx zip bomb": _xlsx_bomb,
    "response rate over 100%": _over_full,
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_is_exit_2_one_line_and_nothing_written(
    base: Path, tmp_path: Path, case: str
) -> None:
    folder = _copy(base, tmp_path)
    expected = CASES[case](folder)
    before = _files(folder)
    code, err = _run(folder)
    assert code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("adoption: error: ")]
    assert errors == [err.splitlines()[-1]], err  # one error line, the last (progress above)
    assert expected in errors[0]
    assert "Traceback" not in err
    assert _files(folder) == before  # nothing half-written, nothing lost


def test_the_unspoilt_engagement_runs(base: Path, tmp_path: Path) -> None:
    folder = _copy(base, tmp_path)
    before = _files(folder)
    code, err = _run(folder)
    assert code == 0, err
    assert "adoption: error" not in err
    assert _files(folder) == before  # summary prints; it writes only under private/


def test_limits_are_read_from_engagement_yml(base: Path, tmp_path: Path) -> None:
    folder = _copy(base, tmp_path)
    _gz_bomb(folder)
    config = folder / "engagement.yml"
    config.write_text(config.read_text() + "limits:\n  max_compression_ratio: 100000\n")
    code, err = _run(folder)
    # Past the ratio check, DuckDB reads the bomb: one 96 MiB line, which it refuses in
    # a 25-line error that reaches the consultant as one line.
    assert code == 2, err
    last = err.splitlines()[-1]
    assert last.startswith(
        "adoption: error: exports/usage/events.csv.gz: cannot be read as events:"
    )
    assert len(last) < 300 and sum(line.startswith("adoption:") for line in err.splitlines()) == 1


def test_check_gzip_reads_a_whole_multi_member_file(tmp_path: Path) -> None:
    path = tmp_path / "two.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n") + gzip.compress(b"3,4\n"))
    check_gzip(path)  # no error
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(InputFileError, match="ends early"):
        check_gzip(path)


def test_check_workbook_passes_a_real_workbook_and_names_the_limit(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in range(200):
        book.active.append([f"person {row}", "Agree", row])
    path = tmp_path / "real.xlsx"
    book.save(path)
    check_workbook(path)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(2 << 20))
    check_workbook(big)
    with pytest.raises(InputFileError, match=r"over the limit of 1 MiB \(limits: xlsx_max"):
        check_workbook(big, max_unpacked_mb=1)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError, match=r"not an \.xlsx workbook"):
        check_workbook(path)


def test_a_whole_gzip_is_inflated_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adoption_lib.inputs import file_guards

    path = tmp_path / "events.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    check_gzip(path)

    def inflate_again(*args, **kwargs):
        raise AssertionError("inflated a second time")

    monkeypatch.setattr(file_guards.zlib, "decompressobj", inflate_again)
    check_gzip(path)  # unchanged since it was found whole: not inflated again
    path.write_bytes(gzip.compress(b"a,b\n3,4\n"))
    os.utime(path, ns=(10**9, 10**9))  # a new export: it is checked afresh
    with pytest.raises(AssertionError, match="inflated a second time"):
        check_gzip(path)
