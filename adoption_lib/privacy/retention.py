"""Retention: person-level data removed from an engagement once it ends.

Everything person-level lives in ``<engagement>/private/``: the pseudonymised usage
and segment tables, the survey quarantine, the caches and the HMAC key. :func:`purge`
removes them; the key can be kept so that a later wave's pseudonyms still match. The
raw exports (``exports/``) and the deliverables (``reports/``) are the consultant's to
keep or delete under the engagement's contract; they are listed, never touched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from adoption_lib.privacy.pseudonyms import KEY_NAME


@dataclass
class Purged:
    """What :func:`purge` removed, and what it kept."""

    removed: list[Path] = field(default_factory=list)
    #: bytes removed
    size: int = 0
    kept: list[Path] = field(default_factory=list)


def purge(private_dir: Path, *, keep_key: bool = False) -> Purged:
    """Remove every person-level file from an engagement's ``private/`` folder.

    Parameters
    ----------
    private_dir
        The engagement's ``private/`` folder.
    keep_key
        Keep ``hmac.key``, so that the next wave's pseudonyms match this one's.

    Returns
    -------
    Purged
        The files and folders removed (with their total size), and what was kept.
    """
    result = Purged()
    if not private_dir.is_dir():
        return result
    for path in sorted(private_dir.iterdir()):
        if keep_key and path.name == KEY_NAME:
            result.kept.append(path)
            continue
        files = [path] if not path.is_dir() or path.is_symlink() else list(path.rglob("*"))
        result.size += sum(f.lstat().st_size for f in files if f.is_file() or f.is_symlink())
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        result.removed.append(path)
    return result
