"""Person-level usage, pseudonymised: the one usage table that names individuals.

Every licensed user gets one row keyed by ``person``, the HMAC pseudonym of the
normalised email under the engagement's key (DESIGN §5,
:func:`adoption_lib.privacy.pseudonyms.person_pseudonym`), the same as survey respondents'
``identity``, so it can be linked to them when ``privacy.link_individuals`` allows it and to
the next wave, but never read back to a name without the key. The supervisor is
pseudonymised the same way (``team``). The table is written only to the engagement's
``private/`` folder with owner-only permissions; client views never read it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from adoption_lib.privacy.pseudonyms import person_pseudonym
from adoption_lib.usage.load import UsageResult
from adoption_lib.usage.trends import UsageTrends

USAGE_PEOPLE = "usage_people.parquet"
#: Roster columns carried over as they are (group labels, not identifiers).
GROUP_COLUMNS = ("department", "role", "location")
USAGE_COLUMNS = (
    "recent",
    "effective",
    "per_week",
    "breadth",
    "first",
    "last",
    "band",
    "segment",
)


def usage_people(
    roster: pd.DataFrame, result: UsageResult, trends: UsageTrends | None, key: bytes
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Build the pseudonymised person-level usage table and active weeks.

    Parameters
    ----------
    roster
        From :func:`adoption_lib.inputs.roster.load_roster`.
    result
        From :func:`adoption_lib.usage.load.load_usage`.
    trends
        From :func:`adoption_lib.usage.trends.usage_trends` (``None`` without events).
    key
        The engagement's HMAC key.

    Returns
    -------
    people, weeks
        ``people``: index ``person``; ``team`` (supervisor pseudonym), the roster's group
        columns, and the usage columns where a source gives them (``recent`` always).
        ``weeks``: ``person`` and ``week_start`` per active week, or ``None``.
    """
    licensed = roster[roster["licensed"]].set_index("email")
    people = licensed[[c for c in GROUP_COLUMNS if c in licensed]].copy()
    if "supervisor" in licensed:
        people["team"] = licensed["supervisor"].map(lambda s: person_pseudonym(s, key) if s else "")
    if trends is not None and trends.people is not None:
        people = people.join(trends.people[[c for c in USAGE_COLUMNS if c in trends.people]])
    else:
        people["recent"] = people.index.isin(result.recent_users)
    names = {email: person_pseudonym(email, key) for email in people.index}
    people.index = people.index.map(names).rename("person")
    weeks = None
    if trends is not None and trends.user_weeks is not None:
        weeks = trends.user_weeks[trends.user_weeks["user_key"].isin(names)]
        keys = pd.Categorical(weeks["user_key"])  # pseudonymise each person once
        persons = keys.rename_categories([names[c] for c in keys.categories])
        weeks = pd.DataFrame(
            {"person": persons, "week_start": weeks["week_start"].to_numpy()}
        ).reset_index(drop=True)
    return people, weeks


def write_private_table(frame: pd.DataFrame, private_dir: Path, name: str) -> Path:
    """Write a person-level table into ``private/`` as Parquet, readable by its owner only.

    Parameters
    ----------
    frame
        The table (pseudonymised).
    private_dir
        The engagement's ``private/`` folder (created 0700 when missing).
    name
        The file name.

    Returns
    -------
    Path
        The file written.
    """
    private_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = private_dir / name
    frame.to_parquet(path)
    os.chmod(path, 0o600)
    return path


def write_usage_people(people: pd.DataFrame, private_dir: Path) -> Path:
    """Write the person-level usage table into ``private/`` (mode 0600).

    Returns
    -------
    Path
        The Parquet file written.
    """
    return write_private_table(people, private_dir, USAGE_PEOPLE)
