"""Report tables and headline text, per audience (the notebooks display these).

Client views draw only on the client bundle: organisation-wide figures and the
suppressed client cube, withheld cells shown as "too few people to show".
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from adoption_lib.errors import SelectionError
from adoption_lib.labels import TYPES, WITHHELD, WITHHELD_WORD, display_name, in_words
from adoption_lib.metrics import metric_label
from adoption_lib.privacy.suppression import apply_suppression
from adoption_lib.reports.bundle import ReportData, cube_slice
from adoption_lib.reports.gaps import Missing, missing, requires, sources_of_table
from adoption_lib.reports.plan_text import PLAN_COLUMNS, html_table, plan_rows


def _note(text: str) -> Markdown:
    """A sentence shown in place of a table that cannot be shown."""
    return Markdown(f"*{text}*")


def configure() -> None:
    """Pandas display settings for report tables: whole texts, two decimals."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.precision", 2)
    pd.set_option("display.max_rows", 200)


def _pct(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:.0%}"


def actions(data: ReportData) -> HTML:
    """The action plan by due date, in words: what, who, by when, and its measure.

    The same rows as the executive summary's appendix
    (:func:`adoption_lib.reports.plan_text.plan_rows`), with no index column.
    """
    rows = pd.DataFrame(plan_rows(data), columns=[name for name, _ in PLAN_COLUMNS])
    return HTML(html_table(rows, "plan"))


def by_group(data: ReportData, table: str, by: str = "department") -> pd.DataFrame | Missing:
    """A group table: the consultant's group tables, or the client cube's cells for ``by``.

    Parameters
    ----------
    data
        The audience's data.
    table
        ``types`` (motivation mix), ``usage`` or ``constructs``.
    by
        The grouping.

    Returns
    -------
    pandas.DataFrame
        One row per group; withheld groups say so instead of showing numbers. A note
        instead when the engagement has no export the table is built from.
    """
    gap = missing(data, *sources_of_table(table))
    if gap is not None:
        return gap
    if data.audience == "client":
        out = cube_slice(data, table, by).set_index(by)
        if table == "usage":
            keep = ["licensed", "active_30d_share", "effective_share", "active_days_per_week"]
            out = out[[c for c in [*keep, "suppressed"] if c in out]]
        return _worded(_withheld(out))
    else:
        name = {
            "types": f"types_by_{by}",
            "usage": "usage_by_department",
            "constructs": f"barriers_by_{by}",
        }[table]
        out = data.tables[name].set_index(by)
    return _withheld(out)


#: a client table's column codes in words (any other code: its words, capitalised)
COLUMN_WORDS = {
    "licensed": "Licensed users",
    "active_30d_share": metric_label("usage.active_share_of_licensed"),
    "effective_share": metric_label("usage.effective_share_of_licensed"),
    "active_days_per_week": "Active days a week (mean)",
    "n": "People",
}


def _worded(table: pd.DataFrame) -> pd.DataFrame:
    """A client's table with words for its column and index names."""
    words = {c: COLUMN_WORDS.get(str(c), display_name(in_words(str(c)))) for c in table.columns}
    out = table.rename(columns=words)
    out.index.name = display_name(in_words(str(out.index.name))) if out.index.name else None
    return out


def _withheld(table: pd.DataFrame) -> pd.DataFrame:
    """Shares as percentages, blank figures as "withheld", withheld groups say so."""
    shown = table.drop(columns=[c for c in ("suppressed", "group_size") if c in table])
    shown = shown.astype(object)
    for column in shown.columns:
        if str(column).endswith(("_share", "_pct")) or column in TYPE_COLUMNS:
            shown[column] = table[column].map(_pct)
        elif column in ("n", "licensed", "respondents"):
            shown[column] = table[column].map(lambda v: "" if pd.isna(v) else f"{int(v)}")
        shown[column] = shown[column].where(table[column].notna(), WITHHELD_WORD)
    if "suppressed" in table:
        shown.loc[table["suppressed"].astype(bool)] = WITHHELD
    return shown


TYPE_COLUMNS = TYPES


def quality(data: ReportData) -> dict[str, Any]:
    """Survey quality counts (consultant only)."""
    if data.audience != "consultant":
        raise SelectionError("data quality detail is for the consultant")
    return data.summary.get("survey", {})


def survey_counts(data: ReportData) -> pd.DataFrame:
    """Responses received, kept and excluded by reason, and the response rate."""
    survey = data.summary.get("survey", {})
    rows = [("received", survey.get("rows_received")), ("kept", survey.get("respondents_kept"))]
    rows += [(f"excluded: {k.replace('_', ' ')}", v) for k, v in survey.get("excluded", {}).items()]
    rows.append(("response rate", _pct(survey.get("response_rate"))))
    return pd.DataFrame(rows, columns=["", "responses"]).set_index("")


@requires("survey")
def reliability(data: ReportData) -> pd.DataFrame:
    """Alpha, omega and flags per construct (consultant)."""
    table = data.tables["reliability"].set_index("construct")
    return table.round({"alpha": 2, "omega": 2})


def usage_sources(data: ReportData) -> pd.DataFrame | Markdown:
    """Each usage export: format, rows read and qualifying, dates covered, notes."""
    sources = data.summary.get("usage", {}).get("sources")
    if sources is None:
        return _note("This copy holds no detail of the usage exports.")
    return pd.DataFrame(
        [
            {
                "format": s["format"],
                "rows read": s["rows_read"],
                "qualifying": s["rows_qualifying"],
                "from": s["coverage"][0],
                "to": s["coverage"][1],
                "notes": "; ".join(s["notes"]),
            }
            for s in sources
        ]
    )


def unavailable(data: ReportData) -> pd.DataFrame | Markdown:
    """Figures the exports cannot give, with the reason."""
    reasons = {**data.summary.get("usage", {}).get("unavailable", {})}
    reasons.update(data.summary.get("renewal", {}).get("unavailable", {}))
    if not reasons:
        return Markdown("Every figure is available from these exports.")
    return pd.DataFrame(
        [
            {"Figure": display_name(in_words(k)), "Why it is not available": v}
            for k, v in reasons.items()
        ]
    ).set_index("Figure")


def comment_themes(data: ReportData) -> pd.DataFrame:
    """Respondents whose comments raise each theme, organisation-wide."""
    themes = data.summary.get("comment_themes", {})
    rows = [
        {"theme": in_words(k), "respondents": WITHHELD if v is None else int(v)}
        for k, v in themes.items()
    ]
    return pd.DataFrame(rows, columns=["theme", "respondents"]).set_index("theme")


#: the usage figures shown as percentages
SHARE_FIGURES = (
    "license_utilisation",
    "dau_mau",
    "active_share_of_licensed",
    "effective_utilisation",
    "effective_share_of_licensed",
)


def _shares_of_licensed(usage: dict[str, Any], renewal: dict[str, Any]) -> dict[str, Any]:
    """Active and effective use of licensed users, and effective use of licences."""
    licensed = usage.get("licensed_users")

    def share(key: str) -> float | None:
        count = usage.get(key)
        return None if count is None or not licensed else count / licensed

    out = {
        "active_share_of_licensed": share("active_users_30d"),
        "effective_share_of_licensed": share("effective_users"),
    }
    if "effective_utilisation" in renewal or "effective_users" in usage:
        out["effective_utilisation"] = renewal.get("effective_utilisation")
    return out


def usage_figures(data: ReportData) -> pd.DataFrame:
    """Licences, actives, utilisation, effective users, stickiness, dormant and never activated."""
    u = data.summary.get("usage", {})
    keys = (
        ("licences bought", "licenses"),
        ("licensed users", "licensed_users"),
        ("unassigned seats", "unassigned_seats"),
        (metric_label("usage.active_users_30d"), "active_users_30d"),
        (metric_label("usage.license_utilisation"), "license_utilisation"),
        (metric_label("usage.active_share_of_licensed"), "active_share_of_licensed"),
        (metric_label("usage.effective_users"), "effective_users"),
        (metric_label("renewal.effective_utilisation"), "effective_utilisation"),
        (metric_label("usage.effective_share_of_licensed"), "effective_share_of_licensed"),
        ("DAU/MAU", "dau_mau"),
        ("dormant", "dormant_users"),
        ("never activated", "never_activated"),
        ("median active days a week", "median_active_days_per_week"),
        ("median key features used", "feature_breadth_median"),
        ("median days from go-live to first use", "time_to_first_use_median_days"),
    )
    u = {**u, **_shares_of_licensed(u, data.summary.get("renewal", {}))}
    rows = []
    for label, key in keys:
        value = u.get(key)
        if value is None:
            shown = WITHHELD if key in u else "n/a"  # withheld by the cube, or not measured
        else:
            shown = _pct(value) if key in SHARE_FIGURES else value
        rows.append({"figure": label, "value": shown})
    return pd.DataFrame(rows).set_index("figure")


def habits(data: ReportData) -> pd.DataFrame:
    """Licensed users per frequency band and usage segment (for a client, as shares)."""
    u = data.summary.get("usage", {})
    if "frequency_band_shares" in u or "usage_segment_shares" in u:  # the released cube's
        column, parts = (
            "share",
            (
                ("frequency band", u.get("frequency_band_shares", {})),
                ("usage segment", u.get("usage_segment_shares", {})),
            ),
        )
    else:
        column, parts = (
            "people",
            (
                ("frequency band", u.get("frequency_bands", {})),
                ("usage segment", u.get("usage_segments", {})),
            ),
        )
    rows = [
        {
            "kind": kind,
            "name": in_words(name),
            column: WITHHELD if value is None else (_pct(value) if column == "share" else value),
        }
        for kind, values in parts
        for name, value in values.items()
    ]
    return pd.DataFrame(rows, columns=["kind", "name", column]).set_index(["kind", "name"])


def group_table(data: ReportData, name: str) -> pd.DataFrame | Missing:
    """A consultant group table by name, withheld groups marked."""
    gap = missing(data, *sources_of_table(name))
    if gap is not None:
        return gap
    table = data.tables[name]
    by = table.columns[0]
    return _withheld(table.set_index(by))


def latency(data: ReportData) -> pd.DataFrame | Markdown:
    """Data-entry latency by department: median and 90th percentile days, share late (consultant)."""
    table = data.tables.get("usage_by_department")
    columns = ["latency_median_days", "latency_p90_days", "late_share"]
    if table is None or not set(columns) <= set(table.columns):
        return _note("No usage export records when the activity happened.")
    return _withheld(table.set_index(table.columns[0])[[*columns, "suppressed"]])


def cohorts(data: ReportData) -> pd.DataFrame | Markdown:
    """Share of each activation-month cohort active in each later month (consultant)."""
    table = data.tables.get("cohorts")
    if table is None or table.empty:
        return _note("No event-level usage export: cohorts need events.")
    shown = table.assign(
        retention=table["retention"].map(_pct).where(~table["suppressed"], WITHHELD)
    )
    return shown.pivot(index="cohort", columns="month", values="retention").fillna("")


def verbatims(data: ReportData, per_group: int = 3) -> pd.DataFrame | Markdown:
    """A few scrubbed comments per department, or why none are shown."""
    table = data.verbatims
    if table is None or table.empty:
        why = (
            "Comments in people's own words stay with the consultant in this engagement, "
            "to protect who wrote them."
            if data.audience == "client"
            else "No group has enough comments to show them."
        )
        return _note(why)
    table = table.drop_duplicates(["group", "text"])
    return table.groupby("group", sort=True).head(per_group).set_index(["group", "question"])


def response_rates(data: ReportData, by: str = "department") -> pd.DataFrame | Markdown:
    """Invited, responded and the response rate per roster group (consultant)."""
    report = data.quality.get("report")
    rates = getattr(report, "response_rate_by", {}).get(by) if report is not None else None
    if not rates:
        return _note(f"No response rates by {by}: the survey has no {by} answer.")

    table = pd.DataFrame.from_dict(rates, orient="index").rename_axis(by).reset_index()
    # a response rate is a group figure: it goes through the privacy mechanism too
    table = apply_suppression(
        table.assign(group_size=table["invited"]),
        by,
        "group_size",
        data.engagement["min_group_size"],
    )
    table["rate"] = table["rate"].map(_pct).where(~table["suppressed"], WITHHELD)
    counts = table[["invited", "responded"]].astype("Int64")  # withheld: <NA>
    table = table[[by]].join(counts).join(table["rate"])
    return table.set_index(by).sort_index()
