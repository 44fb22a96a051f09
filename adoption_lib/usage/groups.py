"""Usage by roster group (department, role, supervisor team), suppressed like every group table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from adoption_lib.errors import RunError
from adoption_lib.privacy.suppression import apply_suppression, withhold_small_counts
from adoption_lib.usage.load import UsageResult


def group_usage(result: UsageResult, roster: pd.DataFrame, by: str, k: int) -> pd.DataFrame:
    """Usage per roster group, through the shared privacy mechanism.

    Parameters
    ----------
    result
        From :func:`load_usage` (its materialised activity).
    roster
        The roster; ``by`` is one of its columns (department, role, supervisor...).
    by
        The grouping.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        Per group: ``licensed``, ``active_30d``, ``active_share``, ``effective``,
        ``effective_share`` (event sources), ``dormant``, ``dormant_share``,
        ``never_activated``, ``never_activated_share``, ``active_days_per_week`` (mean
        over the group, last 4 weeks), and data-entry
        latency where a source records when the activity happened: ``latency_median_days``,
        ``latency_p90_days``, ``late_share`` (entered more than 2 days after). Groups
        under k, or revealing one by subtraction, are withheld (``suppressed``); inside a
        shown group a count of 1 to k-1 people and its share are blanked
        (``<count>_withheld``).
    """
    licensed = roster[roster["licensed"]]
    if by not in licensed.columns:
        raise RunError(f"group_usage: the roster has no column '{by}'")
    people = licensed[["email", by]].rename(columns={"email": "user_key"})
    people["active"] = people["user_key"].isin(result.recent_users)
    people["ever"] = people["user_key"].isin(result.ever)
    people["effective"] = people["user_key"].isin(result.effective)
    if result.active_days_4w is not None:
        people["days"] = people["user_key"].map(result.active_days_4w).fillna(0) / 4
    else:  # last-activity reports only: no day-by-day activity
        people["days"] = float("nan")
    lags = pd.DataFrame(columns=["user_key", "lag_days", "n"])
    if result.latency is not None:
        lags = result.latency.execute()  # one row per user and whole day of lag
    table = people.groupby(by).agg(
        licensed=("user_key", "size"),
        active_30d=("active", "sum"),
        effective=("effective", "sum"),
        ever=("ever", "sum"),
        active_days_per_week=("days", "mean"),
    )
    table["dormant"] = table["ever"] - table["active_30d"]
    table["never_activated"] = table["licensed"] - table.pop("ever")
    for count in ("active_30d", "effective", "dormant", "never_activated"):
        share = "active_share" if count == "active_30d" else f"{count}_share"
        table[share] = table[count] / table["licensed"]
    if result.active_days_4w is None:  # effective needs day-by-day activity
        table[["effective", "effective_share"]] = float("nan")
    if not lags.empty:
        joined = lags.merge(people[["user_key", by]], on="user_key")
        table[["latency_median_days", "latency_p90_days", "late_share"]] = float("nan")
        for group, rows in joined.groupby(by):
            lag, n = rows["lag_days"].to_numpy(), rows["n"].to_numpy()
            table.loc[group, "latency_median_days"] = weighted_quantile(lag, n, 0.5)
            table.loc[group, "latency_p90_days"] = weighted_quantile(lag, n, 0.9)
            table.loc[group, "late_share"] = float(n[lag > 2].sum() / n.sum())
    table = table.reset_index()
    table = apply_suppression(table.assign(group_size=table["licensed"]), by, "group_size", k)
    for count in ("active_30d", "effective", "dormant", "never_activated"):
        share = "active_share" if count == "active_30d" else f"{count}_share"
        table = withhold_small_counts(table, count, (share,), k).rename(
            columns={"count_suppressed": f"{count}_withheld"}
        )
    return table


def weighted_quantile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """The ``q`` quantile of values each repeated ``counts`` times, as pandas computes it.

    pandas' default (linear interpolation between the two order statistics around
    position ``q * (N - 1)``), without repeating any value: the lags of a large log
    arrive as counts per whole day, and repeating them would rebuild one row per record.

    Parameters
    ----------
    values, counts
        The distinct values and how often each occurs (counts positive).
    q
        The quantile, between 0 and 1.

    Returns
    -------
    float
        The quantile.

    Examples
    --------
    >>> weighted_quantile(np.array([0, 1, 5]), np.array([2, 1, 1]), 0.5)
    0.5
    """
    order = np.argsort(values, kind="stable")
    values, ends = np.asarray(values, dtype=float)[order], np.cumsum(np.asarray(counts)[order])
    position = q * (ends[-1] - 1)
    low, high = int(np.floor(position)), int(np.ceil(position))
    at_low = values[np.searchsorted(ends, low, side="right")]
    at_high = values[np.searchsorted(ends, high, side="right")]
    return float(at_low + (at_high - at_low) * (position - low))
