"""The engagement's one cache, in ``<engagement>/private/cache/``, keyed by its inputs.

The key covers every input ``engagement.yml`` names, wherever it lies (an export may sit
outside the engagement folder), by content: each file's BLAKE3 digest (a cryptographic
hash, five times faster than SHA-256 on a large export), plus the workbook's own
code and instruments and what else the data depends on (``as_of``, the wave). Hashing
every export on every call would cost as much as reading it, so each file's hash is kept
in ``fingerprints.json`` beside the cache with the file's size, ``mtime_ns`` and inode,
and recomputed only when one of those changes. A touched but unchanged file therefore
keeps its cache; any edited, replaced or moved input computes afresh.

The cache holds person-level data, so it lives in ``private/`` (mode 0700), never in the
shared temp folder, and only the newest :data:`KEEP` entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from blake3 import blake3

from adoption_lib.config.schema import Engagement, SurveyExport, UsageExport, surveys_dir
from adoption_lib.inputs.file_guards import export_files
from adoption_lib.locations import PACKAGE_DIR
from adoption_lib.log import LOGGER

#: how many cache entries are kept (each wave has its usage, summary and report entries,
#: the consultant a few input states); older ones are removed
KEEP = 16
FINGERPRINTS = "fingerprints.json"
_BLOCK = 1 << 20


def engagement_inputs(engagement: Engagement) -> list[Path]:
    """Every file an engagement reads: config, roster, instrument, playbook, every export.

    Parameters
    ----------
    engagement
        A validated engagement, with all its waves.

    Returns
    -------
    list of Path
        Sorted and distinct; a usage folder or glob contributes each file it matches.
    """
    found: set[Path] = {engagement.config_path, engagement.roster}
    for optional in (engagement.instrument, engagement.playbook):
        if optional is not None and optional.is_file():
            found.add(optional)
    for wave in [engagement, *engagement.waves]:
        found |= set(export_inputs(wave.survey_exports, wave.usage_exports))
    found |= {w.roster for w in engagement.waves if w.roster is not None}
    return sorted(p.resolve() for p in found)


def export_inputs(
    survey_exports: list[SurveyExport], usage_exports: list[UsageExport]
) -> list[Path]:
    """The files a list of exports reads, in order: each survey export, each usage
    export's files (a folder's or glob's matches) and its ``users:`` export.

    Parameters
    ----------
    survey_exports, usage_exports
        One wave's exports.

    Returns
    -------
    list of Path
        As written in ``engagement.yml`` (resolved against the engagement folder).
    """
    paths = [export.path for export in survey_exports]
    for export in usage_exports:
        paths += export_files(export.path)
        if export.users is not None:
            paths.append(export.users)
    return paths


def _code_parts() -> list[str]:
    code = [*PACKAGE_DIR.rglob("*.py"), *surveys_dir().glob("*.yml")]
    return [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(code)]


def content_hashes(paths: list[Path], state: Path) -> dict[str, str]:
    """Each file's BLAKE3 digest, reusing the one in ``state`` when size, mtime and inode match.

    Parameters
    ----------
    paths
        The files.
    state
        The fingerprints file (rewritten when any hash was recomputed).

    Returns
    -------
    dict
        Resolved path to hex digest.
    """
    try:
        known = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    hashes, changed = {}, False
    for path in paths:
        info = path.stat()
        stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
        entry = known.get(str(path))
        if entry and entry[:3] == stamp:
            hashes[str(path)] = entry[3]
            continue
        digest = blake3()
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
        hashes[str(path)] = digest.hexdigest()
        known[str(path)] = [*stamp, hashes[str(path)]]
        changed = True
    if changed:
        state.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(state, json.dumps(known, indent=0))  # it names the engagement's files
    return hashes


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by this user only (0600).

    Written beside it and moved into place: two processes at once never see half a file.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.chmod(0o600)
    scratch.replace(path)


def owned_folder(path: Path) -> Path:
    """A folder only this user can use: created 0700, or replaced when it is not safe.

    The cache holds person-level data and is read back, so a folder that another user
    owns, that others may write to, or that is a symbolic link is removed (with what
    is in it, unread) and made again; nothing in it is ever loaded.

    Returns
    -------
    Path
        The folder, owned by this user, mode 0700.
    """
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            LOGGER.warning(f"{path}: not this user's own folder (mode 0700); replacing it")
            shutil.rmtree(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def cache_dir(engagement: Engagement, key: str) -> Path:
    """The cache folder for the engagement's current inputs and ``key``.

    Parameters
    ----------
    engagement
        A validated engagement.
    key
        What else the cached data depends on (``as_of``, the wave, what was computed).

    Returns
    -------
    Path
        ``<engagement>/private/cache/<digest>`` (created, mode 0700). Entries beyond the
        newest :data:`KEEP` are removed.
    """
    root = cache_root(engagement)
    return cache_entry(
        root, key, content_hashes(engagement_inputs(engagement), root / FINGERPRINTS)
    )


def cache_root(engagement: Engagement) -> Path:
    """``<engagement>/private/cache/``, created as this user's own folder (mode 0700)."""
    return owned_folder(engagement.private_dir / "cache")


def current_hashes(paths: list[Path], state: Path) -> dict[str, str] | None:
    """Each file's digest when ``state`` knows every file as it is now, else None.

    Costs a ``stat`` per file and reads nothing: a caller that gets None can hash the
    files (:func:`content_hashes`) while it does the work the cache would have saved.
    """
    try:
        known = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    hashes = {}
    for path in paths:
        info = path.stat()
        entry = known.get(str(path))
        if not entry or entry[:3] != [info.st_size, info.st_mtime_ns, info.st_ino]:
            return None
        hashes[str(path)] = entry[3]
    return hashes


def known_hashes(paths: list[Path], state: Path) -> dict[str, str] | None:
    """Each file's digest without reading a new file: None when one was never hashed.

    Files known as they are now cost a ``stat``; files hashed before but touched since
    (a copy, a sync) are hashed again, much cheaper than redoing the work they key.
    A caller that gets None hashes while it works (:func:`content_hashes`).
    """
    hashes = current_hashes(paths, state)
    if hashes is None and known_before(paths, state):
        hashes = content_hashes(paths, state)
    return hashes


def known_before(paths: list[Path], state: Path) -> bool:
    """Whether ``state`` has hashed every file before, as it is now or not (touched)."""
    try:
        known = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(str(path) in known for path in paths)


def cache_entry(root: Path, key: str, hashes: dict[str, str]) -> Path:
    """The entry under ``root`` for ``key``, the workbook's code and the inputs' hashes.

    Returns
    -------
    Path
        ``<root>/<digest>`` (created, mode 0700), marked newest; entries beyond the
        newest :data:`KEEP` are removed.
    """
    parts = [key, *_code_parts(), *(f"{p}:{h}" for p, h in sorted(hashes.items()))]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
    folder = owned_folder(root / digest)
    os.utime(folder)  # newest first when pruning
    entries = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith("run-")),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return folder
