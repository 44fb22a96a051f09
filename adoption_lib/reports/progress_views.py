"""Progress report tables and headline text (the progress notebook displays these).

Every table comes from :class:`adoption_lib.remeasure.progress.ProgressData`: comparisons of
groups released in both waves, the change in summary.json's fixed figures, and the
action plan's follow-through. Changes are "after minus before"; a change is called
significant when its Benjamini-Hochberg q-value is below 0.05. The client's copy says
"beyond chance" and shows no test statistic; the consultant's adds the effect size, its
interval and the q-value. Shares change in percentage points.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from adoption_lib.labels import display_name, in_words
from adoption_lib.metrics import figure_change, figure_value, measure_name, metric_label, points
from adoption_lib.privacy.suppression import ALL
from adoption_lib.remeasure.results import ProgressData
from adoption_lib.reports.plan_text import html_table

#: the status of an earlier action whose finding this wave no longer raises
CLOSED = "closed: no longer a finding"
#: the headline's figures
HEADLINE = ("usage.license_utilisation", "usage.effective_users", "adoption_score.value")


def headline(data: ProgressData) -> str:
    """The progress in a few Markdown lines: waves, what moved, how the actions stand."""
    a = data.about
    table = data.comparison
    significant = table[table["significant"]]
    consultant = data.audience == "consultant"
    tested = (
        " (Benjamini-Hochberg q < 0.05 within each breakdown)" if consultant else " beyond chance"
    )
    lines = [
        f"**{a['client']} · {a['system']}**: {display_name(str(a['after']))} "
        f"({a['after_date']}) against {display_name(str(a['before']))} ({a['before_date']}).",
        "",
        f"- {int(table['p'].notna().sum())} comparisons (every construct, motivation type, "
        "barrier, Key and usage share, for the organisation and each group shown in both "
        f"waves): **{int((significant['change'] > 0).sum())} rose and "
        f"{int((significant['change'] < 0).sum())} fell**{tested}.",
    ]
    for path in HEADLINE:
        d = data.deltas.get(path)
        if d and d["change"] is not None:
            lines.append(
                f"- {metric_label(path)}: {figure_value(path, d['before'])} → "
                f"**{figure_value(path, d['after'])}**"
            )
    if data.follow_through is not None:
        counts = data.follow_through["verdict"].value_counts()
        lines.append(
            "- Actions: " + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()) + "."
        )
    if a.get("paired"):
        lines.append("- Respondents are linked across waves: survey means compare the same people.")
    usage = table[(table["family"] == "usage") & table["measure"].str.endswith("(mean)")]
    paired = int((usage["test"] == "paired t").sum())
    if paired and consultant:
        lines.append(
            f"- Active days and feature breadth: {paired} of {len(usage)} comparisons are "
            "paired t-tests on the same users in both waves (a group that kept at least 80% "
            "of its members); the rest use Welch's t-test."
        )
    return "\n".join(lines)


def _measure_label(measure: str) -> str:
    """A comparison's measure in words: "Key 5: supervisor (mean score)"."""
    name, _, rest = measure.partition(" (")
    kind = rest.rstrip(")")
    return f"{display_name(name)} ({'mean score' if kind == 'mean' else kind})"


def _is_mean(measure: str) -> bool:
    return measure.endswith("(mean)")


def _level(measure: str, value: float) -> str:
    return f"{value:.2f}" if _is_mean(measure) else f"{value:.0%}"


def _change(measure: str, value: float) -> str:
    return f"{value:+.2f}" if _is_mean(measure) else points(value)


def _q(q: float) -> str:
    """A q-value in plain decimals: "0.0034", "< 0.0001"."""
    return "< 0.0001" if q < 0.0001 else f"{q:.4f}"


def _group(dimension: str, group: str) -> str:
    return "Organisation" if group == ALL else f"{display_name(in_words(dimension))}: {group}"


def change_rows(data: ProgressData, significant_only: bool = True) -> pd.DataFrame:
    """The comparisons as words, largest effects first: the table :func:`changes` shows.

    Parameters
    ----------
    data
        The progress data.
    significant_only
        Only changes with q < 0.05.

    Returns
    -------
    pandas.DataFrame
        Group, figure, before, after, change (points for a share), better or worse and
        any change of status; the consultant's adds effect, 95% interval and q.
    """
    table = data.comparison[data.comparison["p"].notna()]
    if significant_only:
        table = table[table["significant"]]
    out = table.loc[table["effect_size"].abs().sort_values(ascending=False).index]
    rows = []
    for r in out.to_dict("records"):
        m = r["measure"]
        row = {
            "Group": _group(r["dimension"], r["group"]),
            "Figure": _measure_label(m),
            "Before": _level(m, r["before"]),
            "After": _level(m, r["after"]),
            "Change": _change(m, r["change"]),
            "Better or worse": r["direction"],
            "Status": _status(r.get("status_before"), r.get("status_after")),
        }
        if data.audience == "consultant":
            d = r["effect"] == "cohen_d"
            low, high = r["ci_low"], r["ci_high"]
            row["Effect"] = f"d = {r['effect_size']:.2f}" if d else points(r["effect_size"])
            row["95% interval"] = (
                f"{low:.2f} to {high:.2f}" if d else f"{points(low)} to {points(high)}"
            )
            row["q"] = _q(r["q"])
        rows.append(row)
    return pd.DataFrame(rows)


def _status(before: object, after: object) -> str:
    if isinstance(before, str) and isinstance(after, str) and after != before:
        return f"{before} → {after}"
    return ""


def changes(data: ProgressData, significant_only: bool = True) -> HTML:
    """The comparisons as a table with no index column (see :func:`change_rows`)."""
    rows = change_rows(data, significant_only)
    if rows.empty:
        return HTML("<p>No comparison changed beyond chance.</p>")
    return HTML(html_table(rows, "changes"))


def deltas(data: ProgressData) -> HTML:
    """summary.json's fixed figures in both waves, in words and each in its unit."""
    rows = pd.DataFrame(
        [
            {
                "Figure": measure_name(path),
                "Before": figure_value(path, d["before"]),
                "After": figure_value(path, d["after"]),
                "Change": figure_change(path, d["change"]),
            }
            for path, d in data.deltas.items()
        ],
        columns=["Figure", "Before", "After", "Change"],
    )
    return HTML(html_table(rows, "deltas"))


def follow_through(data: ProgressData) -> pd.DataFrame:
    """Each earlier action's status, and where its measure stands against its target.

    An action this wave's plan no longer holds (its finding is gone) is listed as
    closed, whatever its recorded status.
    """
    table = data.follow_through
    if table is None:
        return pd.DataFrame()
    out = table[["id", "action", "status", "measure", "baseline", "target", "now", "verdict"]]
    if "closed" in table:  # an action this wave's plan no longer holds stays listed, closed
        closed = table["closed"].fillna(False).astype(bool)
        out = out.assign(status=out["status"].where(~closed, CLOSED))
    # the plan's action names before their colon (astype: an engagement with no action,
    # as a usage-only one may be, has an empty column pandas types as float)
    words = out.assign(action=out["action"].astype(str).str.split(":").str[0])
    if not words.empty:
        measure = words["measure"].astype(str)
        words = words.assign(
            **{
                column: [figure_value(m, v) for m, v in zip(measure, words[column], strict=True)]
                for column in ("baseline", "target", "now")
            },
            measure=measure.map(measure_name),
        )
    return words.set_index("id")
