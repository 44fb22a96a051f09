"""The headline figures: one name, one definition, one denominator and one format each.

Every report, the dashboard and the XLSX show a headline figure through this registry,
so the same figure reads the same everywhere (the consistency test reads them all).
The keys are summary.json's paths (which never change), or a path-like name for a
figure derived from them; a figure with two useful denominators (licences bought and
licensed users on the roster) has one entry per denominator, each labelled with it.
Built on :mod:`adoption_lib.labels`, the words for the method's codes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from adoption_lib.labels import display_name, in_words


@dataclass(frozen=True)
class Metric:
    """One headline figure."""

    #: the words a reader sees
    name: str
    #: what it counts, in one plain sentence
    definition: str
    #: what it is a share of ("" for a count or an amount)
    denominator: str
    #: ``share`` (a whole percentage), ``count``, ``money`` or ``score`` (out of 100)
    kind: str


METRICS: dict[str, Metric] = {
    "renewal.effective_utilisation": Metric(
        "Effective use",
        "licences held by people who used the system in at least 3 of the last 4 weeks",
        "licences",
        "share",
    ),
    "usage.effective_share_of_licensed": Metric(
        "Effective use",
        "licensed users who used the system in at least 3 of the last 4 weeks",
        "licensed users",
        "share",
    ),
    "usage.effective_users": Metric(
        "Effective users",
        "people who used the system in at least 3 of the last 4 weeks",
        "",
        "count",
    ),
    "usage.license_utilisation": Metric(
        "Active use",
        "licences held by people who used the system at least once in the last 30 days",
        "licences",
        "share",
    ),
    "usage.active_share_of_licensed": Metric(
        "Active use",
        "licensed users who used the system at least once in the last 30 days",
        "licensed users",
        "share",
    ),
    "usage.active_users_30d": Metric(
        "Active users",
        "people who used the system at least once in the last 30 days",
        "",
        "count",
    ),
    "renewal.value_at_risk": Metric(
        "Value at risk at renewal",
        "the yearly cost of assigned licences the projection says will not be in "
        "effective use at renewal",
        "",
        "money",
    ),
    "renewal.projected_utilisation_at_renewal": Metric(
        "Projected effective use at renewal",
        "licences the trend of weekly use says will be in effective use at renewal",
        "licences",
        "share",
    ),
    "survey.response_rate": Metric(
        "Response rate",
        "people invited who gave a usable answer",
        "people invited",
        "share",
    ),
    "adoption_score.value": Metric(
        "Adoption score",
        "the average of effective use, key-feature breadth, the share of committed "
        "respondents and freedom from barriers, each out of 100",
        "",
        "score",
    ),
}


def metric_label(key: str) -> str:
    """A figure's name with its denominator: "Effective use (of licences)".

    Examples
    --------
    >>> metric_label("usage.effective_share_of_licensed")
    'Effective use (of licensed users)'
    >>> metric_label("renewal.value_at_risk")
    'Value at risk at renewal'
    """
    metric = METRICS[key]
    return f"{metric.name} (of {metric.denominator})" if metric.denominator else metric.name


def format_metric(key: str, value: Any, currency: str | None = None) -> str:
    """A figure's value in its one format: 61%, 396, USD 326,916 or 42/100.

    Parameters
    ----------
    key
        A :data:`METRICS` key.
    value
        The figure (a share as a fraction), or None.
    currency
        The contract's currency, for money.

    Returns
    -------
    str
        The formatted value; "not available" for None.

    Examples
    --------
    >>> format_metric("renewal.effective_utilisation", 0.6092)
    '61%'
    >>> format_metric("renewal.value_at_risk", 326916.0, "USD")
    'USD 326,916'
    """
    if value is None:
        return "not available"
    kind = METRICS[key].kind
    if kind == "share":
        return f"{float(value):.0%}"
    if kind == "money":
        return f"{currency + ' ' if currency else ''}{float(value):,.0f}"
    if kind == "score":
        return f"{float(value):.0f}/100"
    return f"{float(value):,.0f}"


def points(change: float) -> str:
    """A change in a share, in percentage points: "+19 points", "-0.4 points".

    Examples
    --------
    >>> points(0.19), points(-0.0043), points(0.0)
    ('+19 points', '-0.4 points', 'no change')
    """
    pp = 100 * float(change)
    if round(pp, 1) == 0:
        return "no change"
    text = f"{pp:+.0f}" if abs(pp) >= 1 else f"{pp:+.1f}"
    return f"{text} points"


#: the words for the last part of a construct's summary.json path
CONSTRUCT_FIGURES = {
    "favourable_pct": "favourable share",
    "unfavourable_pct": "unfavourable share",
    "net_pct": "favourable minus unfavourable",
    "mean": "mean score",
}


def measure_name(path: str) -> str:
    """The words for any summary.json path an action measures itself by.

    Examples
    --------
    >>> measure_name("constructs.key3_owner.favourable_pct")
    'Key 3: owner, favourable share'
    >>> measure_name("usage.median_active_days_per_week")
    'Median active days per week'
    >>> measure_name("usage.license_utilisation")
    'Active use (of licences)'
    """
    if path in METRICS:
        return metric_label(path)
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "constructs":
        figure = CONSTRUCT_FIGURES.get(parts[2], in_words(parts[2]))
        return f"{display_name(parts[1])}, {figure}"
    return display_name(parts[-1])


#: a summary.json path ending in one of these holds a share (a fraction of 1)
SHARE_ENDINGS = ("_pct", "_share", "utilisation", "_rate", "share_of_licensed", "dau_mau")


def is_share(path: str) -> bool:
    """Whether a summary.json path holds a share, shown as a percentage.

    Examples
    --------
    >>> is_share("constructs.wiifm.favourable_pct"), is_share("usage.effective_users")
    (True, False)
    """
    if path in METRICS:
        return METRICS[path].kind == "share"
    return path.endswith(SHARE_ENDINGS) or ".mix." in path


def figure_value(path: str, value: Any, currency: str | None = None) -> str:
    """Any summary.json figure in words a client reads: 61%, 1,234, 2.25 or USD 326,916.

    Parameters
    ----------
    path
        The figure's summary.json path (a :data:`METRICS` key uses its own format).
    value
        The figure, or None (or NaN) when it is not available.
    currency
        The contract's currency, for money.

    Returns
    -------
    str
        A share as a whole percentage, a count of ten or more with thousands separators,
        anything smaller with at most two decimals; "not available" for no value.

    Examples
    --------
    >>> figure_value("constructs.data_trust.unfavourable_pct", 0.3312)
    '33%'
    >>> figure_value("usage.median_active_days_per_week", 1.75)
    '1.75'
    >>> figure_value("usage.feature_breadth_median", 2.0)
    '2'
    >>> figure_value("usage.dormant_users", float("nan"))
    'not available'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if path in METRICS:
        return format_metric(path, value, currency)
    value = float(value)
    if is_share(path):
        return f"{value:.0%}"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def figure_change(path: str, change: Any, currency: str | None = None) -> str:
    """A change in any summary.json figure: points for a share, signed otherwise.

    Examples
    --------
    >>> figure_change("usage.license_utilisation", -0.01)
    '-1 points'
    >>> figure_change("renewal.value_at_risk", 4536.0, "USD")
    '+USD 4,536'
    >>> figure_change("usage.effective_users", -13.0), figure_change("usage.dau_mau", 0.0)
    ('-13', 'no change')
    """
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "not available"
    change = float(change)
    if is_share(path):
        return points(change)
    if change == 0:
        return "no change"
    sign = "+" if change > 0 else "-"
    return sign + figure_value(path, abs(change), currency)
