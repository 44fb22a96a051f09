"""Progress report tables and headline text (the progress notebook displays these).

Every table comes from :class:`adoption_lib.remeasure.progress.ProgressData`: comparisons of
groups released in both waves, the change in summary.json's fixed figures, and the
action plan's follow-through. Changes are "after minus before"; a change is called
significant when its Benjamini-Hochberg q-value is below 0.05.
"""

from __future__ import annotations

import pandas as pd

from adoption_lib.labels import display_name
from adoption_lib.privacy.suppression import ALL
from adoption_lib.remeasure.results import ProgressData


def headline(data: ProgressData) -> str:
    """The progress in a few Markdown lines: waves, what moved, how the actions stand."""
    a = data.about
    table = data.comparison
    significant = table[table["significant"]]
    lines = [
        f"**{a['client']} · {a['system']}**: {a['after']} ({a['after_date']}) against "
        f"{a['before']} ({a['before_date']}).",
        "",
        f"- {int(table['p'].notna().sum())} comparisons (every construct, motivation type, "
        "barrier, Key and usage share, for the organisation and each group shown in both "
        f"waves): **{int((significant['change'] > 0).sum())} rose and "
        f"{int((significant['change'] < 0).sum())} fell** significantly (Benjamini-Hochberg "
        "q < 0.05 within each breakdown).",
    ]
    for path, name in (
        ("usage.license_utilisation", "Licence utilisation"),
        ("usage.effective_users", "Effective users"),
        ("adoption_score.value", "Adoption score"),
    ):
        d = data.deltas.get(path)
        if d and d["change"] is not None:
            lines.append(f"- {name}: {_fmt(path, d['before'])} → **{_fmt(path, d['after'])}**")
    if data.follow_through is not None:
        counts = data.follow_through["verdict"].value_counts()
        lines.append(
            "- Actions: " + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()) + "."
        )
    if a.get("paired"):
        lines.append("- Respondents are linked across waves: survey means use paired tests.")
    usage = table[(table["family"] == "usage") & table["measure"].str.endswith("(mean)")]
    paired = int((usage["test"] == "paired t").sum())
    if paired:
        lines.append(
            f"- Active days and feature breadth: {paired} of {len(usage)} comparisons are "
            "paired t-tests on the same users in both waves (a group that kept at least 80% "
            "of its members); the rest use Welch's t-test."
        )
    return "\n".join(lines)


def _fmt(path: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if path.endswith(("_pct", "utilisation", "rate")) or ".mix." in path:
        return f"{value:.0%}"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2f}"


def changes(data: ProgressData, significant_only: bool = True) -> pd.DataFrame:
    """The comparisons, largest effects first: groups, before, after, change and its interval.

    Parameters
    ----------
    data
        The progress data.
    significant_only
        Only changes with q < 0.05.
    """
    table = data.comparison[data.comparison["p"].notna()]
    if significant_only:
        table = table[table["significant"]]
    order = table["effect_size"].abs().sort_values(ascending=False).index
    out = table.loc[order]
    return pd.DataFrame(
        {
            "group": [
                "organisation" if g == ALL else f"{d}: {g}"
                for d, g in zip(out["dimension"], out["group"], strict=True)
            ],
            "figure": out["measure"].map(_measure_label),
            "before": out["before"].round(2),
            "after": out["after"].round(2),
            "change": out["change"].round(2),
            "effect": [
                f"d = {s:.2f}" if e == "cohen_d" else f"{s:+.0%}"
                for e, s in zip(out["effect"], out["effect_size"], strict=True)
            ],
            "95% interval": [
                f"{lo:.2f} to {hi:.2f}" if e == "cohen_d" else f"{lo:+.0%} to {hi:+.0%}"
                for e, lo, hi in zip(out["effect"], out["ci_low"], out["ci_high"], strict=True)
            ],
            "q": out["q"].round(4),
            "better or worse": out["direction"],
            "status": [
                f"{b} → {a}" if isinstance(b, str) and isinstance(a, str) and a != b else ""
                for b, a in zip(
                    out.get("status_before", pd.Series(index=out.index)),
                    out.get("status_after", pd.Series(index=out.index)),
                    strict=True,
                )
            ],
        }
    ).reset_index(drop=True)


def _measure_label(measure: str) -> str:
    name, _, rest = measure.partition(" (")
    return f"{display_name(name)} ({rest}"


def deltas(data: ProgressData) -> pd.DataFrame:
    """summary.json's fixed figures in both waves."""
    rows = [
        {"figure": path, "before": d["before"], "after": d["after"], "change": d["change"]}
        for path, d in data.deltas.items()
    ]
    return pd.DataFrame(rows).set_index("figure")


def follow_through(data: ProgressData) -> pd.DataFrame:
    """Each action's status, and where its measure stands against baseline and target."""
    table = data.follow_through
    if table is None:
        return pd.DataFrame()
    out = table[["id", "action", "status", "measure", "baseline", "target", "now", "verdict"]]
    # the plan's action names before their colon (astype: an engagement with no action,
    # as a usage-only one may be, has an empty column pandas types as float)
    return out.assign(action=out["action"].astype(str).str.split(":").str[0]).set_index("id")
