"""Says versus does: what people report about their use against what the system records.

By default the two are linked by group (department, role, and supervisor team for the
consultant): the survey's self-reported frequency and timeliness of each group beside
its measured active days a week and on-time entry. Only with
``privacy.link_individuals: true`` (and a ``consent_basis``) are respondents linked to
their own pseudonymised usage, and even then only group aggregates leave ``private/``.

Gaps (documented rules):

* **frequency on one scale**: each answer to the frequency items becomes active days a
  week (the scale's ``days_per_week``: "every working day" 5, "a few times a week" 2.5,
  "a few times a month" 0.6 ...), a respondent's figure is the highest of their answers,
  and the group's mean is set beside its measured active days a week. The gap (says
  minus does) has a 95% interval from the respondents' spread (the measured figure is a
  census of the group's licensed users, so it carries no sampling error here);
  **frequency overstated** when the whole interval is above 0, **understated** when it
  is below. With an instrument whose frequency scale has no ``days_per_week``, the
  earlier rule: at least 60% favourable on frequency, yet fewer than
  ``low_use_days_per_week`` (1.5) active days a week;
* **timeliness overstated**: the favourable share on timely entry exceeds the measured
  on-time share (entries made within 2 days) by 20 points or more.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from adoption_lib.privacy.suppression import apply_suppression

SAYS_FREQUENT = 0.60
TIMELY_GAP = 0.20


def link_rate(
    respondents: pd.DataFrame,
    people: pd.DataFrame,
    *,
    individuals: bool,
    by: str = "department",
) -> dict[str, Any]:
    """How many respondents could be linked to usage, and how.

    Parameters
    ----------
    respondents
        Kept respondents with ``identity`` (pseudonym) and group columns.
    people
        Person-level usage (index: pseudonym) with the same group columns.
    individuals
        ``privacy.link_individuals``: link each respondent to their own usage.
    by
        The grouping used when not linking individuals.

    Returns
    -------
    dict
        ``mode`` (``individual`` or ``group``), ``linked``, ``respondents``, ``rate``.
    """
    if individuals and "identity" in respondents:
        linked = int(respondents["identity"].isin(people.index).sum())
        mode = "individual"
    else:
        groups = set(people[by].astype(str)) if by in people else set()
        linked = int(respondents[by].astype(str).isin(groups).sum()) if by in respondents else 0
        mode = "group"
    total = len(respondents)
    return {
        "mode": mode,
        "by": None if mode == "individual" else by,
        "linked": linked,
        "respondents": total,
        "rate": round(linked / total, 4) if total else None,
    }


def says_versus_does(
    classified: pd.DataFrame,
    groups: pd.Series,
    usage: pd.DataFrame | None,
    k: int,
    low_use_days: float = 1.5,
    reported: pd.Series | None = None,
) -> pd.DataFrame:
    """Self-reported against measured behaviour, by group, suppressed.

    Parameters
    ----------
    classified
        Classified answers (``respondent``, ``construct``, ``favourable``, ``dont_know``).
    groups
        The group of each kept respondent (index: respondent; its name is the grouping).
    usage
        Usage by the same grouping (index: group) with ``active_days_per_week`` and
        ``late_share`` where a source records them; None without usage.
    k
        ``privacy.min_group_size``.
    low_use_days
        ``thresholds.low_use_days_per_week``.
    reported
        Respondent -> reported active days a week
        (:func:`adoption_lib.survey.items.reported_days`); None or empty: the earlier
        frequency rule.

    Returns
    -------
    pandas.DataFrame
        Per group: ``respondents``, ``says_frequent``, ``says_days_per_week`` with
        ``says_days_low``/``says_days_high``, ``does_days_per_week``, ``days_gap`` with
        ``days_gap_low``/``days_gap_high``, ``says_timely``, ``does_on_time``,
        ``frequency_overstated``, ``frequency_understated``, ``timeliness_overstated`` and
        ``suppressed``.
    """
    by = groups.name or "group"
    answers = classified[classified["construct"].isin(["use_frequency", "entry_timeliness"])]
    answers = answers[~answers["dont_know"]].assign(
        _group=answers["respondent"].map(groups).astype(str)
    )
    shares = answers.groupby(["_group", "construct"], observed=True)["favourable"].mean().unstack()
    # Every column is reindexed to the groups: assigning a Series to an empty frame would
    # otherwise adopt the Series' own index, and the table's shape would depend on the data.
    counts = groups.dropna().astype(str).value_counts()
    table = pd.DataFrame({"respondents": counts.astype("int64")}, index=counts.index)
    table.index.name = by

    def aligned(frame: pd.DataFrame, column: str) -> pd.Series:
        values = frame[column] if column in frame else pd.Series(dtype="float64")
        return values.reindex(table.index).astype("float64")

    table["says_frequent"] = aligned(shares, "use_frequency")
    table["says_timely"] = aligned(shares, "entry_timeliness")
    if usage is not None:
        usage = usage.set_index(usage.index.astype(str))
        table["does_days_per_week"] = aligned(usage, "active_days_per_week")
        if "late_share" in usage:
            table["does_on_time"] = 1 - aligned(usage, "late_share")
        if "suppressed" in usage:
            hidden = usage["suppressed"].reindex(table.index).fillna(False).astype(bool)
            table.loc[hidden, ["does_days_per_week", "does_on_time"]] = float("nan")
    for column in ("does_days_per_week", "does_on_time"):
        if column not in table:
            table[column] = float("nan")
    one_scale = reported is not None and not reported.empty
    if one_scale:
        mine = reported.rename("days").to_frame().join(groups.astype(str).rename("_group"))
        grouped = mine.dropna().groupby("_group")["days"]
        n = grouped.count().reindex(table.index)
        mean = grouped.mean().reindex(table.index)
        half = stats.t.ppf(0.975, (n - 1).clip(lower=1)) * grouped.std().reindex(table.index)
        half = (half / np.sqrt(n)).where(n >= 2)
        table["says_days_per_week"] = mean
        table["says_days_low"], table["says_days_high"] = mean - half, mean + half
        gap = mean - table["does_days_per_week"]
        table["days_gap"] = gap
        table["days_gap_low"], table["days_gap_high"] = gap - half, gap + half
        table["frequency_overstated"] = table["days_gap_low"] > 0
        table["frequency_understated"] = table["days_gap_high"] < 0
    else:
        for column in (
            "says_days_per_week", "says_days_low", "says_days_high",
            "days_gap", "days_gap_low", "days_gap_high",
        ):  # fmt: skip
            table[column] = float("nan")
        table["frequency_overstated"] = (table["says_frequent"] >= SAYS_FREQUENT) & (
            table["does_days_per_week"] < low_use_days
        )
        table["frequency_understated"] = False
    table["timeliness_overstated"] = (table["says_timely"] - table["does_on_time"]) >= TIMELY_GAP
    table = table.reset_index()
    return apply_suppression(table.assign(group_size=table["respondents"]), by, "group_size", k)
