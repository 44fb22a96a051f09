"""The repository stands alone: no tracked file refers to a path outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Built from parts so that this file does not match itself.
FORBIDDEN = [
    "../" + "shared",
    "..\\" + "shared",
    "/work" + "/",
    "." + "library/",
    "reference" + "-data/",
]
RELATIVE = re.compile(r"(?:\.\./)+[A-Za-z0-9_][\w./-]*")
TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".ipynb", ".cfg", ".toml", ".txt", ".sh", ""}


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("git ls-files failed: the test needs the repository's git checkout")
    return [ROOT / name for name in out.split("\0") if name]


def _text(path: Path) -> str | None:
    if path.suffix not in TEXT_SUFFIXES or not path.is_file():
        return None
    data = path.read_bytes()
    if b"\0" in data[:4096]:
        return None
    return data.decode("utf-8", errors="replace")


def test_no_tracked_file_names_a_path_outside_the_repository() -> None:
    offenders = []
    for path in _tracked():
        text = _text(path)
        if text is None:
            continue
        for token in FORBIDDEN:
            if token in text:
                offenders.append(f"{path.relative_to(ROOT)}: {token!r}")
    assert offenders == []


def test_relative_paths_in_docs_and_notebooks_stay_inside() -> None:
    """A ``../`` path in a doc or notebook, read from the file's own folder, stays inside."""
    outside = []
    for path in _tracked():
        if path.suffix not in {".md", ".ipynb"} or "golden" in path.parts:
            continue
        for match in RELATIVE.finditer(_text(path) or ""):
            target = (path.parent / match.group(0)).resolve()
            if not target.is_relative_to(ROOT):
                outside.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert outside == []


def test_the_checker_catches_a_reference(tmp_path: Path) -> None:
    """The same rules flag a planted reference (so the tests above can fail)."""
    planted = "see " + FORBIDDEN[0] + "/METHOD.md"
    assert any(token in planted for token in FORBIDDEN)
    doc = ROOT / "docs" / "method.md"
    escaping = RELATIVE.search("[x](" + "../" * 3 + "elsewhere/notes.md)").group(0)
    assert not (doc.parent / escaping).resolve().is_relative_to(ROOT)


def test_docs_the_readme_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert {"docs/method.md", "docs/architecture.md"} <= set(links)
    assert all((ROOT / link).is_file() for link in links)
