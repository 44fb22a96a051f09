"""Salesforce record ids: the 15-character (case-sensitive) and 18-character forms.

Reports and the UI show 15-character ids, which differ only by letter case from one
another; the API and Data Loader give 18-character ids whose last three characters
encode that case, so they are safe to compare case-insensitively. Joining a report
export to a Data Loader export therefore needs :func:`to_18`. Not in any library we
use, so written here (the algorithm is Salesforce's documented checksum).
"""

from __future__ import annotations

import re

from adoption_lib.errors import InputError

_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_ID = re.compile(r"^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$")


def to_18(record_id: str) -> str:
    """Convert a 15- or 18-character Salesforce id to its 18-character form.

    Parameters
    ----------
    record_id
        A 15-character (case-sensitive) or 18-character id.

    Returns
    -------
    str
        The 18-character id; an 18-character input has its suffix recomputed, so a
        lower-cased 18-character id is repaired.

    Raises
    ------
    InputError
        When the value is not a Salesforce id.
    """
    text = record_id.strip()
    if not _ID.match(text):
        raise InputError(f"not a Salesforce id: {record_id!r}")
    base = text[:15]
    if len(text) == 18:
        base = _restore_case(base, text[15:])
    suffix = ""
    for start in (0, 5, 10):
        chunk = base[start : start + 5]
        flags = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        suffix += _SUFFIX[flags]
    return base + suffix


def _restore_case(base: str, suffix: str) -> str:
    """Rebuild the case of ``base`` from an 18-character suffix (for lower-cased ids)."""
    chars = list(base)
    for chunk, code in enumerate(suffix.upper()):
        flags = _SUFFIX.index(code) if code in _SUFFIX else 0
        for i in range(5):
            pos = chunk * 5 + i
            chars[pos] = chars[pos].upper() if flags >> i & 1 else chars[pos].lower()
    return "".join(chars)
