"""What moved between two waves: every construct, the motivation mix, barriers, Keys, usage.

:func:`wave_sample` takes what a comparison needs from one summarised assessment (in
memory only: it is person-level); :func:`compare_waves` compares two samples overall
and in every group of the client dimensions, one row per figure and group:

* **construct means** (every construct): Welch's t-test for independent samples, or a
  paired t-test on the people answering in both waves when ``privacy.link_individuals``
  links respondents (through the engagement's stable HMAC pseudonym). Effect: Cohen's d
  (after minus before, average-SD denominator) with its 95% interval.
* **barrier unfavourable and Key favourable shares**: the shares pooled over answers (as
  the reports show them); the test and the 95% interval of the change use each
  respondent's own share, so a person answering several items counts once. The flag
  (barrier at or above ``barrier_flag_unfavourable``) and the Key status are given for
  both waves; a status that moved is called a change only when the share's change is
  significant, otherwise "within noise".
* **motivation mix** (share of respondents per type) and **usage shares** (active in the
  last 30 days, effective, dormant, never activated, of licensed users): difference in
  proportions with Newcombe's 95% interval and the score test. Dormant and never
  activated are compared for the organisation only, as the client cube releases them.
  These shares treat the waves as independent samples, which is conservative for the
  same people measured twice.
* **active days per week** and **feature breadth** (licensed users): a paired t-test on
  the users in both waves (pseudonyms are stable across waves) where they are at least
  :data:`~adoption_lib.remeasure.change_tests.PAIRED_MIN_SHARE` of the group in each wave; Welch's t-test where the group's
  members changed more. Cohen's d either way; ``test`` and ``n_pairs`` say which.

Benjamini-Hochberg q-values are computed within each dimension's family of tests (the
organisation's, the departments', the roles'), as a reader compares one breakdown at a
time. A group
is compared only if its client-cube cell was released in **both** waves; a share whose
people, or whose complement, number 1 to k-1 in either wave is withheld in both (no
figure, no test), as in the client cube.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from adoption_lib.assessment import cube_respondents
from adoption_lib.errors import InputError
from adoption_lib.labels import SHOWN_TYPES
from adoption_lib.pipeline import PipelineResult
from adoption_lib.privacy.cells import by_one_dimension, pick_cell
from adoption_lib.privacy.release import activation_of
from adoption_lib.privacy.suppression import ALL
from adoption_lib.remeasure.change_tests import (
    mean_change,
    proportion_change,
    recurring_users,
    share_change,
    with_q_values,
)

MOTIVES = SHOWN_TYPES
USAGE_SHARES = (("active_30d", "recent"), ("effective", "effective"))
#: the comparison's shares of people, and the client cube's column for each: a type's
#: share of respondents (``types``), a usage share of licensed users (``usage``)
TYPE_SHARES = {f"{t} (share of respondents)": t for t in MOTIVES}
USAGE_SHARE_COLUMNS = {f"{n} (share of licensed users)": f"{n}_share" for n, _ in USAGE_SHARES}
#: the organisation's activation counts the client cube releases (for it alone)
ACTIVATION_SHARES = {
    "dormant (share of licensed users)": "dormant",
    "never activated (share of licensed users)": "never_activated",
}


@dataclass
class WaveSample:
    """One wave's person-level inputs to a comparison (in memory only, never written)."""

    name: str
    k: int
    #: respondent -> client dimensions (cube labels) and ``identity`` (linkable pseudonym)
    respondents: pd.DataFrame
    #: respondent x construct scores
    scores: pd.DataFrame
    #: classified answers: respondent, construct, favourable, unfavourable, dont_know
    answers: pd.DataFrame
    types: pd.Series
    #: licensed users by pseudonym: client dimensions, recent, effective, per_week
    users: pd.DataFrame | None
    #: client dimension -> values whose one-dimension cube cell was released
    released: dict[str, set[str]]
    families: dict[str, str]
    thresholds: dict[str, Any]
    linked: bool = False
    #: (dimension, value) -> the comparison measures whose share the cube withholds there
    withheld: dict[tuple[str, str], set[str]] | None = None


def wave_sample(result: PipelineResult, name: str) -> WaveSample:
    """The comparison inputs of one wave run through :func:`adoption_lib.pipeline.run`.

    Parameters
    ----------
    result
        The wave's result; its survey is optional, as is its usage.
    name
        The wave's name.

    Returns
    -------
    WaveSample
        Person-level, in memory: keep it inside the engagement.
    """
    assessment, cube = result.assessment, result.cube
    engagement = assessment.engagement
    if cube is None:
        raise InputError(f"wave '{name}': nothing to compare (no survey or usage export)")
    dims = list(cube.dimensions)
    linked = bool(engagement.privacy.link_individuals)
    scores = assessment.scores
    if scores is None:  # a wave with usage only: its survey figures are not compared
        return WaveSample(
            name=name,
            k=engagement.privacy.min_group_size,
            respondents=pd.DataFrame(columns=dims),
            scores=pd.DataFrame(),
            answers=pd.DataFrame(
                columns=["respondent", "construct", "favourable", "unfavourable", "dont_know"]
            ),
            types=pd.Series(dtype=object),
            users=_users(assessment.people, dims),
            released=_released(cube.cells, dims),
            families={},
            thresholds=_limits(engagement),
            linked=False,
            withheld=_withheld_shares(cube, dims),
        )
    respondents = cube_respondents(assessment)[dims].astype(str)
    if linked:
        identity = assessment.survey.kept().set_index("respondent")["identity"]
        respondents["identity"] = identity.reindex(respondents.index)
    return WaveSample(
        name=name,
        k=engagement.privacy.min_group_size,
        respondents=respondents,
        scores=scores.scores,
        answers=scores.cube_part.classified[
            ["respondent", "construct", "favourable", "unfavourable", "dont_know"]
        ],
        types=scores.types,
        users=_users(assessment.people, dims),
        released=_released(cube.cells, dims),
        families=assessment.survey.instrument.families,
        thresholds=_limits(engagement),
        linked=linked,
        withheld=_withheld_shares(cube, dims),
    )


def _withheld_shares(cube: Any, dims: list[str]) -> dict[tuple[str, str], set[str]]:
    """Per organisation and one-dimension cell: the shares of people the cube withholds.

    A comparison shows a share only where the cube of each wave releases it, so that
    the progress report says nothing the cubes keep back (a complement, a small group):
    a share is withheld in a cell unless some cube table gives it a value there.
    """
    sources = (
        (cube.types, TYPE_SHARES),
        (cube.usage, USAGE_SHARE_COLUMNS),
        (cube.organisation, ACTIVATION_SHARES),
    )
    measures = {m for _, columns in sources for m in columns}
    released: dict[tuple[str, str], set[str]] = {}
    for table, columns in sources:
        if table is None or table.empty:
            continue
        scopes = [("organisation", ALL, pick_cell(table, dims, {}))]
        for d in dims:
            one = by_one_dimension(table, dims, d)
            scopes += [(d, str(v), one[one[d].astype(str) == str(v)]) for v in one[d].unique()]
        for dim, value, rows in scopes:
            shown = released.setdefault((dim, value), set())
            shown.update(m for m, c in columns.items() if c in rows and rows[c].notna().any())
    return {scope: measures - shown for scope, shown in released.items()}


def _released(cells: pd.DataFrame, dims: list[str]) -> dict[str, set[str]]:
    """Per client dimension, the values whose one-dimension cube cell was released."""
    released = {}
    for d in dims:
        one = by_one_dimension(cells, dims, d)
        released[d] = set(one.loc[~one["suppressed"], d].astype(str))
    return released


def _users(people: pd.DataFrame | None, dims: list[str]) -> pd.DataFrame | None:
    if people is None:
        return None
    return people.assign(**{d: people[d].astype(str) for d in dims if d in people})


def _limits(engagement: Any) -> dict[str, Any]:
    t = engagement.thresholds
    return {"flag": t.barrier_flag_unfavourable, "keys": t.keys}


def compare_waves(before: WaveSample, after: WaveSample) -> pd.DataFrame:
    """Compare two waves overall and in every group released in both.

    Parameters
    ----------
    before, after
        From :func:`wave_sample`; ``after`` is the later wave.

    Returns
    -------
    pandas.DataFrame
        One row per figure and group: ``dimension`` and ``group`` (``(all)`` for the
        organisation), ``family``, ``measure``, ``before``, ``after``, ``change``,
        ``effect`` (``cohen_d`` or ``difference``), ``effect_size``, ``ci_low``,
        ``ci_high`` (of the effect), ``test``, ``p``, ``q`` (Benjamini-Hochberg within
        each dimension), ``significant`` (q < 0.05), ``n_before``, ``n_after``, ``n_pairs``,
        ``status_before``, ``status_after``, ``status_change`` (:func:`status_changes`),
        ``direction`` ("better", "worse", or empty where a rise is neither, as for
        compliance); withheld rows have no figure.
    """
    dims = [d for d in before.respondents.columns if d != "identity"]
    scopes = [("organisation", ALL)]
    for d in dims:
        both = before.released.get(d, set()) & after.released.get(d, set())
        scopes += [(d, v) for v in sorted(both)]
    rows = []
    for dim, value in scopes:
        a, b = _subset(before, dim, value), _subset(after, dim, value)
        held = (before.withheld or {}).get((dim, value), set()) | (after.withheld or {}).get(
            (dim, value), set()
        )
        for row in _survey_rows(before, a, b) + _usage_rows(before.k, a, b):
            if row["measure"] in held:  # a share a wave's cube withholds: no figure, no test
                row = {**row, **withheld_figures(row)}
            rows.append({"dimension": dim, "group": value, **row})
    first = ["dimension", "group", "family", "measure"]
    table = status_changes(with_q_values(pd.DataFrame(rows)))
    return table[first + [c for c in table.columns if c not in first]]


def status_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``status_change``: a flag or Key status that moved, called a change only when
    the share's change is significant (q < 0.05), else ``within noise``; empty when the
    status held or is unknown."""
    if "status_before" not in table:
        return table.assign(status_change="")
    before, after = table["status_before"], table["status_after"]
    moved = before.notna() & after.notna() & (before != after)
    significant = table["significant"].fillna(False).astype(bool)
    verdict = np.where(moved, np.where(significant, "changed", "within noise"), "")
    return table.assign(status_change=verdict)


def withheld_figures(row: Mapping[str, Any]) -> dict[str, Any]:
    """A comparison row's figures and test, blanked: what a withheld row shows.

    Parameters
    ----------
    row
        One comparison row.

    Returns
    -------
    dict
        NaN for each figure the row has (before, after, change, effect size, interval,
        p) and an empty ``test``.
    """
    figures = ("before", "after", "change", "effect_size", "ci_low", "ci_high", "p")
    return {**dict.fromkeys([f for f in figures if f in row], np.nan), "test": ""}


@dataclass
class _Part:
    respondents: pd.DataFrame
    scores: pd.DataFrame
    answers: pd.DataFrame
    types: pd.Series
    users: pd.DataFrame | None


def _subset(sample: WaveSample, dim: str, value: str) -> _Part:
    people = sample.respondents
    if value != ALL:
        people = people[people[dim] == value]
    users = sample.users
    if users is not None and value != ALL:
        users = users[users[dim].astype(str) == value] if dim in users else users.iloc[0:0]
    answers = sample.answers[sample.answers["respondent"].isin(people.index)]
    return _Part(
        people,
        sample.scores.reindex(people.index),
        answers,
        sample.types.reindex(people.index),
        users,
    )


def _survey_rows(sample: WaveSample, a: _Part, b: _Part) -> list[dict[str, Any]]:
    rows = []
    pairs = None
    if sample.linked and "identity" in a.respondents and "identity" in b.respondents:
        left = a.respondents["identity"].dropna()
        right = b.respondents["identity"].dropna()
        common = sorted(set(left) & set(right))
        if len(common) >= sample.k:
            pairs = (
                pd.Series(left.index, index=left.to_numpy()).loc[common],
                pd.Series(right.index, index=right.to_numpy()).loc[common],
            )
    for construct in a.scores.columns.intersection(b.scores.columns):
        family = sample.families.get(construct, "other")
        x, y = a.scores[construct], b.scores[construct]
        rows.append(
            {
                "family": family,
                "measure": f"{construct} (mean)",
                **mean_change(x, y, sample.k, pairs),
            }
        )
        share = {"barrier": "unfavourable", "key": sample.thresholds["keys"].basis}.get(family)
        if share:
            row = share_change(a.answers, b.answers, construct, share, sample.k, pairs)
            row.update(_status(family, row, sample.thresholds))
            rows.append({"family": family, "measure": f"{construct} ({share} share)", **row})
    if a.types.empty or b.types.empty:  # a wave without a survey: no mix to compare
        return rows
    for motive in MOTIVES:
        rows.append(
            {
                "family": "motivation mix",
                "measure": f"{motive} (share of respondents)",
                **proportion_change(
                    int((a.types == motive).sum()),
                    int(a.types.notna().sum()),
                    int((b.types == motive).sum()),
                    int(b.types.notna().sum()),
                    sample.k,
                ),
            }
        )
    return rows


def _usage_rows(k: int, a: _Part, b: _Part) -> list[dict[str, Any]]:
    if a.users is None or b.users is None:
        return []
    rows = []
    for name, column in USAGE_SHARES:
        if column in a.users and column in b.users:
            x, y = a.users[column].astype(bool), b.users[column].astype(bool)
            rows.append(
                {
                    "family": "usage",
                    "measure": f"{name} (share of licensed users)",
                    **proportion_change(int(x.sum()), len(x), int(y.sum()), len(y), k),
                }
            )
    if "first" in a.users and "first" in b.users:  # activation as the client cube has it
        before, after = activation_of(a.users), activation_of(b.users)
        for name, category in (("dormant", "dormant"), ("never activated", "never_activated")):
            x, y = before == category, after == category
            rows.append(
                {
                    "family": "usage",
                    "measure": f"{name} (share of licensed users)",
                    **proportion_change(int(x.sum()), len(x), int(y.sum()), len(y), k),
                }
            )
    pairs = recurring_users(a.users.index, b.users.index, k)
    for column, name in (("per_week", "active days per week"), ("breadth", "feature breadth")):
        if column in a.users and column in b.users:
            rows.append(
                {
                    "family": "usage",
                    "measure": f"{name} (mean)",
                    **mean_change(a.users[column], b.users[column], k, pairs),
                }
            )
    return rows


def _status(family: str, row: dict[str, Any], limits: dict[str, Any]) -> dict[str, Any]:
    def one(value: float) -> str | None:
        if not np.isfinite(value):
            return None
        if family == "barrier":
            return "flagged" if value >= limits["flag"] else "not flagged"
        return str(limits["keys"].status(value))

    return {"status_before": one(row["before"]), "status_after": one(row["after"])}
