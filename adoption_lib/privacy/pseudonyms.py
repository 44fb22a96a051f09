"""Pseudonymise identifiers with a per-engagement HMAC key (DESIGN §5).

The key lives in ``<engagement>/private/hmac.key`` with file mode 0600 and is reused
across waves, so the same person gets the same pseudonym in every wave of an
engagement and a different one in every other engagement.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from adoption_lib.errors import InputFileError

KEY_NAME = "hmac.key"
_KEY_BYTES = 32


def create_key(path: Path) -> Path:
    """Write a fresh random HMAC key readable only by its owner.

    Parameters
    ----------
    path
        Where to write the key; the file must not exist yet.

    Returns
    -------
    Path
        The key file, created with mode 0600.

    Raises
    ------
    FileExistsError
        When a key is already there: an existing key is never replaced, because every
        pseudonym of the engagement depends on it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(_KEY_BYTES) + "\n")
    os.chmod(path, 0o600)  # the umask can only narrow the mode; state it anyway
    return path


def load_key(path: Path) -> bytes:
    """Read an engagement's HMAC key, refusing one that others can read.

    Parameters
    ----------
    path
        The key file.

    Returns
    -------
    bytes
        The key.

    Raises
    ------
    InputFileError
        When the key is missing, malformed, or readable by group or others.
    """
    if not path.is_file():
        raise InputFileError(
            f"{path}: HMAC key not found (run `adoption init` for a new engagement)"
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    # POSIX modes only: Windows reports 0o666 for every writable file, so the check
    # would refuse every key there; the folder's own access rights protect it instead.
    if os.name == "posix" and mode & 0o077:
        raise InputFileError(f"{path}: HMAC key has mode {mode:o}; run `chmod 600 {path}`")
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise InputFileError(f"{path}: HMAC key is not hexadecimal") from None
    if len(key) < 16:
        raise InputFileError(f"{path}: HMAC key is too short ({len(key)} bytes)")
    return key


def normalise_email(email: str) -> str:
    """Normalise an email address for joining: trimmed, lower-cased, no plus-addressing.

    Parameters
    ----------
    email
        An address as written in any export.

    Returns
    -------
    str
        ``Jane.Doe+crm@Example.com `` becomes ``jane.doe@example.com``.
    """
    local, at, domain = email.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}"


def pseudonym(identifier: str, key: bytes) -> str:
    """Return the stable pseudonym of one identifier under an engagement key.

    Parameters
    ----------
    identifier
        An already-normalised identifier, such as :func:`normalise_email`'s output.
    key
        The engagement's key, from :func:`load_key`.

    Returns
    -------
    str
        20 hexadecimal characters of HMAC-SHA256.
    """
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def person_pseudonym(email: str, key: bytes) -> str:
    """Return the pseudonym of a person known by email, the same in every stage.

    Survey identities and usage tables share it, so a respondent can be linked to their
    own usage when ``privacy.link_individuals`` allows it, and waves can be compared.

    Parameters
    ----------
    email
        The email address (normalised here).
    key
        The engagement's key.

    Returns
    -------
    str
        The pseudonym.
    """
    return pseudonym(f"email:{normalise_email(email)}", key)


def throwaway_key() -> bytes:
    """A fresh key kept nowhere: pseudonyms that must not link to anything.

    ``adoption reliability`` reads a bare response file outside any engagement; its
    respondents get pseudonyms under this key, which is gone when the command ends.
    """
    return secrets.token_bytes(_KEY_BYTES)


def engagement_key(private_dir: Path, *, create: bool = False) -> bytes:
    """Return the engagement's HMAC key from ``private/``, creating it when asked.

    Parameters
    ----------
    private_dir
        The engagement's ``private/`` folder.
    create
        Create the folder (mode 0700) and a fresh key when there is none yet, as
        ``adoption init`` would have.

    Returns
    -------
    bytes
        The key.

    Raises
    ------
    InputFileError
        When the key is missing (and ``create`` is false), malformed, or readable by
        others.
    """
    path = private_dir / KEY_NAME
    if create and not path.exists():
        private_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        create_key(path)
    return load_key(path)
