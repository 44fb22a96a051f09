"""Usage by roster group (department, role, supervisor team), suppressed like every group table."""

from __future__ import annotations

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
    lags = pd.DataFrame(columns=["user_key", "lag"])
    if result.active_days_4w is not None:
        people["days"] = people["user_key"].map(result.active_days_4w).fillna(0) / 4
    else:  # last-activity reports only: no day-by-day activity
        people["days"] = float("nan")
    if result.activity is not None:
        activity = result.activity
        dated = activity.filter(activity.record_occurred_at.notnull()).distinct()
        lag = dated.mutate(
            lag=(dated.ts.epoch_seconds() - dated.record_occurred_at.epoch_seconds()) / 86400
        )
        lags = lag.select("user_key", "lag").execute()
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
        # whole days between the activity and its entry, as a person counts them
        joined["lag"] = joined["lag"].clip(lower=0).floordiv(1)
        grouped = joined.groupby(by)["lag"]
        table["latency_median_days"] = grouped.median()
        table["latency_p90_days"] = grouped.quantile(0.9)
        table["late_share"] = grouped.apply(lambda s: float((s > 2).mean()))
    table = table.reset_index()
    table = apply_suppression(table.assign(group_size=table["licensed"]), by, "group_size", k)
    for count in ("active_30d", "effective", "dormant", "never_activated"):
        share = "active_share" if count == "active_30d" else f"{count}_share"
        table = withhold_small_counts(table, count, (share,), k).rename(
            columns={"count_suppressed": f"{count}_withheld"}
        )
    return table
