"""Adoption segments: who is committed, who merely complies, who is blocked.

Each kept respondent is placed in one segment from three things: their motivation type
(:mod:`adoption_lib.survey.motivation`), their **barrier score** and their **use**.

The barrier score is how much worse than the organisation a person rates the barriers
that relate to use: each barrier's score as a z-score against all respondents, averaged
with the barriers' key-driver weights for active days
(:func:`adoption_lib.diagnosis.drivers.plan_importance`), or equally when no driver
analysis ran. Negative is worse than the organisation. General negativity about barriers
that do not relate to use does not make anyone blocked.

With ``privacy.link_individuals`` (``segments_basis: person``), use is the person's own
(pseudonymised) usage, and a respondent not found in the usage has none: the rules that
need use cannot place them. Without linking (``segments_basis: group``), use is that of
the smallest group the respondent belongs to that holds at least ``min_group_size``
licensed users (their supervisor's team, then department x role, then department, then
the organisation): the counts then describe groups (a type mix against the group's
use), never a label on a person.
Person-level results never leave ``private/``: only counts by group are reported.

Rules, tested in this order (thresholds in ``engagement.yml``):

1. **blocked**: motivated from within (commitment-led, WIIFM-led or mixed), a barrier
   score at least ``blocked_barrier_z`` (0.5) standard deviations worse than the
   organisation's, and not habitual use (fewer than ``active_use_days_per_week``, 2,
   active days a week): "want to but can't";
2. **disengaged**: low on all three motives, and low use (fewer than
   ``low_use_days_per_week``, 1.5);
3. **champion**: commitment-led, habitual use (at least ``active_use_days_per_week``, 2)
   and broad use (at least half of the key features; any breadth when none are listed);
4. **complier**: compliance-led (uses the system because it is checked);
5. **self_server**: WIIFM-led (uses it while it pays them);
6. **growing**: commitment-led, not yet habitual or broad: the ones to coach;
7. **mixed_motives**: no single motive leads, and not blocked;
8. **passive**: low on all three motives, yet using the system (habit or routine);
9. **unplaced**: no motivation type (too few answers), or no use to judge by.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from adoption_lib.config.instrument import Instrument
from adoption_lib.config.schema import Thresholds
from adoption_lib.labels import SEGMENTS
from adoption_lib.privacy.suppression import apply_suppression, enough, withhold_small_counts

#: Usage context levels, finest first (see the module docstring).
LEVELS = ("person", "unlinked", "team", "department_role", "department", "organisation")


def usage_context(
    respondents: pd.DataFrame, people: pd.DataFrame, k: int, linked: pd.Series | None = None
) -> pd.DataFrame:
    """The use each respondent is judged on: their own when linked, else their group's.

    Parameters
    ----------
    respondents
        Kept respondents with ``department``, ``role`` and ``team`` (the supervisor's
        pseudonym, as in ``people``) where known.
    people
        Person-level usage (index: person pseudonym) with ``department``, ``role``,
        ``team``, ``per_week`` and ``breadth``.
    k
        ``privacy.min_group_size``: a group's usage stands for its members only when it
        has at least k licensed users.
    linked
        Respondent -> person pseudonym when ``link_individuals`` is on. Then each
        respondent is judged on their own use only: one not found in the usage has no
        use (level ``unlinked``), never their group's.

    Returns
    -------
    pandas.DataFrame
        Per respondent: ``per_week``, ``breadth`` and ``level`` (one of :data:`LEVELS`).
    """
    out = pd.DataFrame(index=respondents.index, columns=["per_week", "breadth", "level"])
    out["per_week"] = np.nan
    out["breadth"] = np.nan
    out["level"] = None
    if linked is not None:
        found = linked.dropna()
        found = found[found.isin(people.index)]
        out.loc[found.index, "per_week"] = people.loc[found, "per_week"].to_numpy()
        out.loc[found.index, "breadth"] = people.loc[found, "breadth"].to_numpy()
        out.loc[found.index, "level"] = "person"
        out.loc[out["level"].isna(), "level"] = "unlinked"
        return out.astype({"per_week": float, "breadth": float})
    groupings = [
        ("team", ["team"]),
        ("department_role", ["department", "role"]),
        ("department", ["department"]),
    ]
    for level, keys in groupings:
        if not all(c in people and c in respondents for c in keys):
            continue
        grouped = people.groupby(keys, observed=True)
        table = grouped.agg(per_week=("per_week", "mean"), breadth=("breadth", "median"))
        table = table[enough(grouped.size(), k)]
        todo = out["level"].isna()
        keyed = respondents.loc[todo, keys]
        index = pd.MultiIndex.from_frame(keyed) if len(keys) > 1 else pd.Index(keyed[keys[0]])
        hit = table.reindex(index)
        mask = hit["per_week"].notna().to_numpy()
        rows = keyed.index[mask]
        out.loc[rows, "per_week"] = hit["per_week"].to_numpy()[mask]
        out.loc[rows, "breadth"] = hit["breadth"].to_numpy()[mask]
        out.loc[rows, "level"] = level
    rest = out["level"].isna()
    out.loc[rest, "per_week"] = people["per_week"].mean()
    out.loc[rest, "breadth"] = people["breadth"].median()
    out.loc[rest, "level"] = "organisation"
    return out.astype({"per_week": float, "breadth": float})


def barrier_score(
    scores: pd.DataFrame, instrument: Instrument, weights: pd.Series | None = None
) -> pd.Series:
    """How much worse than the organisation each respondent rates the barriers that matter.

    Parameters
    ----------
    scores
        Construct scores (index: respondent).
    instrument
        For the barrier constructs.
    weights
        Construct -> importance for use (key-driver relative weights); barriers with no
        weight count 0. None, or no positive weight: every barrier counts equally.

    Returns
    -------
    pandas.Series
        The weighted mean of the respondent's barrier z-scores (against all
        respondents); negative is worse than the organisation. NaN without barrier
        scores.
    """
    barriers = [c.id for c in instrument.constructs if c.family == "barrier" and c.id in scores]
    if not barriers:
        return pd.Series(np.nan, index=scores.index, name="barrier_score")
    frame = scores[barriers]
    spread = frame.std(ddof=1).replace(0.0, np.nan)
    z = (frame - frame.mean()) / spread
    w = pd.Series(1.0, index=barriers)
    if weights is not None:
        given = weights.reindex(barriers).fillna(0.0).clip(lower=0.0)
        if given.sum() > 0:
            w = given
    present = z.notna() & w.gt(0).to_numpy()
    total = (z.fillna(0.0) * w).sum(axis=1)
    used = present.mul(w).sum(axis=1)
    return (total / used.where(used > 0)).rename("barrier_score")


def assign_segments(
    types: pd.Series,
    barriers: pd.Series,
    use: pd.DataFrame,
    thresholds: Thresholds,
    key_features: int,
) -> pd.Series:
    """Place each respondent in one adoption segment (rules in the module docstring).

    Parameters
    ----------
    types
        Motivation type per respondent.
    barriers
        Barrier score per respondent (:func:`barrier_score`; negative is worse).
    use
        From :func:`usage_context`.
    thresholds
        The engagement's thresholds.
    key_features
        How many key features the engagement lists (0: breadth is not required).

    Returns
    -------
    pandas.Series
        One of :data:`SEGMENTS` per respondent.
    """
    t = thresholds
    use = use.reindex(types.index)
    known = use["per_week"].notna()
    low_use = use["per_week"] < t.low_use_days_per_week
    habitual = use["per_week"] >= t.active_use_days_per_week
    broad = use["breadth"] >= math.ceil(key_features / 2) if key_features else True
    held_back = barriers.reindex(types.index) <= -t.blocked_barrier_z
    choice = np.select(
        [
            types.isin(["commitment", "wiifm", "mixed"]) & held_back & known & ~habitual,
            (types == "low") & low_use,
            (types == "commitment") & habitual & broad,
            types == "compliance",
            types == "wiifm",
            (types == "commitment") & known,
            (types == "mixed") & known,
            (types == "low") & known,
        ],
        [
            "blocked",
            "disengaged",
            "champion",
            "complier",
            "self_server",
            "growing",
            "mixed_motives",
            "passive",
        ],
        default="unplaced",
    )
    return pd.Series(choice, index=types.index, name="segment")


def segment_counts(segments: pd.Series) -> dict[str, int]:
    """Respondents per segment, every segment listed."""
    counts = segments.value_counts()
    return {s: int(counts.get(s, 0)) for s in SEGMENTS}


def segments_by_group(segments: pd.Series, groups: pd.Series, k: int) -> pd.DataFrame:
    """Segment counts and shares per group, suppressed through the privacy mechanism.

    Parameters
    ----------
    segments
        Per respondent.
    groups
        The group of each respondent (same index).
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``respondents``, a count and a ``<segment>_share`` per segment,
        ``dominant`` (the largest segment other than ``unplaced`` holding at least k
        people, else ``none``), ``suppressed``; counts of 1 to k-1 inside a
        shown group are withheld with their share.
    """
    by = groups.name or "group"
    table = pd.crosstab(groups.rename(by), segments).reindex(columns=list(SEGMENTS), fill_value=0)
    table.columns = list(SEGMENTS)
    table.insert(0, "respondents", table.sum(axis=1))
    # the group's most common segment other than "unplaced", if it holds k people
    named = table[[s for s in SEGMENTS if s != "unplaced"]]
    table["dominant"] = named.idxmax(axis=1).where(enough(named.max(axis=1), k), "none")
    for segment in SEGMENTS:
        table[f"{segment}_share"] = table[segment] / table["respondents"]
    table = table.reset_index()
    table[by] = table[by].astype(str)
    out = apply_suppression(table.assign(group_size=table["respondents"]), by, "group_size", k)
    for segment in SEGMENTS:
        out = withhold_small_counts(out, segment, (f"{segment}_share",), k).drop(
            columns="count_suppressed"
        )
    return out
