"""The roster: the licensed users, by email, department, role and supervisor.

A CSV (any of UTF-8 with or without a BOM, or Windows-1252) or the first sheet of an
XLSX, with the columns ``email`` and ``department``; ``role`` and ``supervisor`` are
expected but optional (without them the role dimension and supervisor teams are left
out of every grouping); optionally ``name``, ``location``, ``hire_date`` and
``licensed``. Column names match
case-insensitively. Emails are normalised for joining (trimmed, lower-cased, no
plus-addressing); ``licensed`` reads TRUE/FALSE, yes/no or 1/0 and defaults to true.
"""

from __future__ import annotations

import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.survey_readers.rows import read_rows
from adoption_lib.privacy.pseudonyms import normalise_email

REQUIRED = ("email", "department")
#: Expected, but a roster without them is valid: groupings by them are left out.
EXPECTED = ("role", "supervisor")
OPTIONAL = ("name", "location", "hire_date", "licensed")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def load_roster(engagement: Engagement) -> pd.DataFrame:
    """Read and normalise the engagement's roster.

    Parameters
    ----------
    engagement
        A validated engagement.

    Returns
    -------
    pandas.DataFrame
        One row per person: the required columns, the optional ones present, and
        ``licensed`` (bool). ``email`` and ``supervisor`` are normalised.

    Raises
    ------
    InputFileError
        For a missing column, a duplicated email or an unreadable ``licensed`` value,
        naming the file, row and column.
    """
    path = engagement.roster
    rows, lines, _ = read_rows(path, engagement.limits)
    if not rows:
        raise InputFileError(f"{path}: the roster is empty")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputFileError(f"{path.name}:row {lines[0]}: missing column(s) {', '.join(missing)}")
    wanted = [c for c in (*REQUIRED, *EXPECTED, *OPTIONAL) if c in header]
    records = []
    for values, line in zip(rows[1:], lines[1:], strict=True):
        record = {
            c: (values[header.index(c)].strip() if header.index(c) < len(values) else "")
            for c in wanted
        }
        record["email"] = normalise_email(record["email"])
        if "supervisor" in record and "@" in record["supervisor"]:
            record["supervisor"] = normalise_email(record["supervisor"])
        flag = record.get("licensed", "").lower()
        if flag and flag not in _TRUE | _FALSE:
            raise InputFileError(
                f"{path.name}:row {line}, column 'licensed': expected TRUE or FALSE, got {flag!r}"
            )
        record["licensed"] = flag not in _FALSE
        record["_line"] = line
        records.append(record)
    roster = pd.DataFrame(records)
    duplicated = roster[roster["email"].duplicated(keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[1]
        raise InputFileError(
            f"{path.name}:row {first['_line']}, column 'email': {first['email']} appears twice"
        )
    return roster.drop(columns="_line")


def roster_choices(roster: pd.DataFrame) -> dict[str, list[str]]:
    """Distinct roster values that fill choice questions when a survey is exported.

    Parameters
    ----------
    roster
        From :func:`load_roster`.

    Returns
    -------
    dict
        ``department`` and ``location`` values, and ``supervisor`` as display names
        (the supervisor's ``name`` on the roster when there is one), each sorted.
    """
    licensed = roster[roster["licensed"]]
    names = dict(zip(roster["email"], roster.get("name", roster["email"]), strict=True))
    supervisors = {names.get(s, s) for s in licensed.get("supervisor", []) if s}
    out = {"supervisor": sorted(supervisors)}
    for column in ("department", "location"):
        if column in licensed:
            out[column] = sorted({v for v in licensed[column] if v})
    return out
