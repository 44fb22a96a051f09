"""Organisational barriers and the 4+1 Keys scorecard (DESIGN §5).

* Barrier tables: per barrier construct and group, the mean score, favourable,
  unfavourable and don't-know shares, respondents, and a flag at
  ``barrier_flag_unfavourable`` (40%) unfavourable or more.
* A heat map (department x barrier, unfavourable share) and a ranking by breadth (the
  share of groups where the barrier is flagged) and then severity (overall
  unfavourable share).
* The Keys scorecard: favourable, neutral and unfavourable shares and red/amber/green
  per key, judged by default on the net share (favourable minus unfavourable: red below
  0, green from +30 points; ``thresholds.keys``), don't-know share (not knowing the plan or the owner is evidence for
  Keys 2 and 3), overall, by group, and managers beside end users with the gap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from adoption_lib.config.instrument import Instrument
from adoption_lib.config.schema import Thresholds
from adoption_lib.survey.items import share_intervals, shares_by


def family_table(
    classified: pd.DataFrame,
    scores: pd.DataFrame,
    instrument: Instrument,
    family: str,
    by: str | None = None,
) -> pd.DataFrame:
    """Shares and mean scores of one construct family, overall or per group.

    Parameters
    ----------
    classified
        Answers from :func:`adoption_lib.survey.items.answer_shares`, with the ``by`` column.
    scores
        Respondents x constructs (index: respondent), with the ``by`` column.
    instrument
        The instrument.
    family
        ``barrier``, ``key``, ``motivation``, ``behaviour`` or ``custom``.
    by
        A grouping column, or ``None`` for the whole sample.

    Returns
    -------
    pandas.DataFrame
        Rows (construct[, group]) with ``mean``, ``favourable_pct``, ``unfavourable_pct``
        and their 95% intervals (``favourable_low`` ... ``unfavourable_high``, from
        :func:`adoption_lib.survey.items.share_intervals`), ``dont_know_pct``,
        ``respondents`` (with a score on the construct), ``answers``.
    """
    ids = [c.id for c in instrument.constructs if c.family == family]
    answers = classified[classified["construct"].isin(ids)]
    keys = ["construct"] if by is None else ["construct", by]
    shares = shares_by(answers, keys)
    long = scores[ids + ([by] if by else [])].melt(
        id_vars=[by] if by else None, var_name="construct", value_name="score"
    )
    means = long.groupby(keys, observed=True)["score"].agg(mean="mean", respondents="count")
    return shares.join(share_intervals(answers, keys)).join(means).reset_index()


def certainty(low: pd.Series, high: pd.Series, cuts: list[float]) -> pd.Series:
    """``borderline`` where the 95% interval reaches a cut-off, else ``clear``.

    A status on the wrong side of a cut-off by less than the sampling noise is not news:
    reports say "borderline" rather than changing a colour on it. None where the
    interval is unknown.
    """
    near = pd.Series(False, index=low.index)
    for cut in cuts:
        near |= (low <= cut) & (cut <= high)
    known = low.notna() & high.notna()
    return pd.Series(
        np.where(known, np.where(near, "borderline", "clear"), None), index=low.index, dtype=object
    )


def barrier_table(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Add the barrier flag (unfavourable share at or above the threshold) and its
    ``certainty`` (:func:`certainty` against the flag)."""
    out = table.copy()
    flag = thresholds.barrier_flag_unfavourable
    out["flagged"] = out["unfavourable_pct"] >= flag
    out["certainty"] = certainty(out["unfavourable_low"], out["unfavourable_high"], [flag])
    return out


def heat_map(by_group: pd.DataFrame, by: str) -> pd.DataFrame:
    """Group x barrier table of unfavourable shares (rows: groups; columns: barriers)."""
    return by_group.pivot(index=by, columns="construct", values="unfavourable_pct")


def barrier_ranking(
    overall: pd.DataFrame, by_group: pd.DataFrame, thresholds: Thresholds
) -> pd.DataFrame:
    """Rank barriers by breadth (share of groups flagged), then severity.

    Parameters
    ----------
    overall
        :func:`family_table` for barriers without grouping.
    by_group
        The same per group (only groups that may be shown should be passed).
    thresholds
        For the flag.

    Returns
    -------
    pandas.DataFrame
        One row per barrier: ``severity`` (overall unfavourable share), ``breadth``
        (share of groups flagged), ``groups_flagged``, ``flagged``, ``rank``.
    """
    limit = thresholds.barrier_flag_unfavourable
    flagged_groups = by_group.assign(f=by_group["unfavourable_pct"] >= limit).groupby("construct")[
        "f"
    ]
    out = overall.set_index("construct")[["unfavourable_pct"]].rename(
        columns={"unfavourable_pct": "severity"}
    )
    out["groups_flagged"] = flagged_groups.sum().reindex(out.index).fillna(0).astype(int)
    out["breadth"] = flagged_groups.mean().reindex(out.index).fillna(0.0)
    out["flagged"] = out["severity"] >= limit
    out = out.sort_values(["breadth", "severity"], ascending=False)
    out["rank"] = range(1, len(out) + 1)
    return out.reset_index()


def key_status(value: float, thresholds: Thresholds) -> str:
    """Red, amber or green for a Key's value on the engagement's basis (net by default).

    ``value`` is the net share (favourable minus unfavourable, -1 to 1) on the ``net``
    basis and the favourable share on the ``favourable`` one; see
    :class:`adoption_lib.config.thresholds.KeyThresholds`.
    """
    return thresholds.keys.status(value)


def key_scorecard(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Add the red/amber/green status to a Keys table from :func:`family_table`.

    The status is judged on ``thresholds.keys.column`` (net share by default), copied to
    ``status_value`` with its 95% interval (``status_low``, ``status_high``), and
    ``certainty`` (:func:`certainty` against the red and green lines).
    """
    out = table.copy()
    basis = thresholds.keys.basis
    out["status_value"] = out[f"{basis}_pct"]
    out["status_low"], out["status_high"] = out[f"{basis}_low"], out[f"{basis}_high"]
    out["status"] = [key_status(v, thresholds) for v in out["status_value"]]
    out["certainty"] = certainty(out["status_low"], out["status_high"], list(thresholds.keys.cuts))
    return out


def manager_gap(by_audience: pd.DataFrame) -> pd.DataFrame:
    """Managers' favourable share beside end users', and the gap between them.

    Parameters
    ----------
    by_audience
        :func:`family_table` for keys grouped by ``audience`` (``managers``/``all``).

    Returns
    -------
    pandas.DataFrame
        Per key: ``managers``, ``end_users``, ``gap`` (managers minus end users) and the
        don't-know shares of both.
    """
    fav = by_audience.pivot(index="construct", columns="audience", values="favourable_pct")
    dk = by_audience.pivot(index="construct", columns="audience", values="dont_know_pct")
    out = pd.DataFrame(
        {
            "managers": fav.get("managers"),
            "end_users": fav.get("all"),
            "dont_know_managers": dk.get("managers"),
            "dont_know_end_users": dk.get("all"),
        }
    )
    out["gap"] = out["managers"] - out["end_users"]
    return out.reset_index()
