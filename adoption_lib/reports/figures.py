"""Report figures: titled, labelled, readable, in a colour-blind-safe palette.

Every function takes a :class:`~adoption_lib.reports.data.ReportData` (so a client
figure can only draw what the client bundle holds) and returns a matplotlib Figure;
:func:`save` writes it as PNG and SVG. Colours are Okabe and Ito's palette, safe for
the common colour-vision deficiencies; status is never shown by colour alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display in kernels run by papermill

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from adoption_lib.labels import MOTIVES, display_name, in_words
from adoption_lib.reports.bundle import ReportData, cube_slice, key_rule
from adoption_lib.reports.gaps import Missing, requires
from adoption_lib.reports.palette import HEAT, OKABE_ITO, STATUS

#: the heat map's first row: every respondent
ORGANISATION = "Organisation"

plt.rcParams.update(
    {
        "figure.dpi": 110,
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "adoption-rescue",  # stable SVG ids: figures diff cleanly
    }
)


def save(figure: Figure, folder: str | Path, name: str) -> list[Path]:
    """Write a figure as ``name.png`` and ``name.svg`` into ``folder``.

    Returns
    -------
    list of Path
        The two files.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    figure.savefig(paths[0], bbox_inches="tight")
    figure.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    return paths


def _barh(labels: list[str], values: list[float], title: str, xlabel: str, colour: str) -> Figure:
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.4))
    y = np.arange(len(labels))
    ax.barh(y, values, color=colour)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_title(title, pad=18)  # room for a threshold's label above the bars
    ax.set_xlabel(xlabel)
    for i, v in enumerate(values):
        ax.text(v + 0.01, i, f"{v:.0%}", va="center", bbox=LABEL_BOX, zorder=4)
    ax.set_xlim(0, max(1.0, max(values, default=0) + 0.1))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    return fig


#: a white backing for a value or threshold label, so no line runs through it
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.9}


def _threshold(ax: Any, x: float, text: str, style: str = "--", ha: str = "center") -> None:
    """A vertical threshold line with its label at the top of the plot."""
    ax.axvline(x, color="black", linestyle=style, linewidth=1, zorder=3)
    where = ax.get_xaxis_transform()
    ax.text(x, 1.0, text, transform=where, ha=ha, va="bottom", fontsize=9, bbox=LABEL_BOX)


@requires("survey")
def motivation_mix(data: ReportData) -> Figure:
    """Share of respondents by motivation type."""
    mix = data.summary["motivation"]["mix"]
    shown = {k: v for k, v in mix.items() if v is not None}  # withheld types left out
    labels = [k.replace("wiifm", "WIIFM") for k in shown]
    title = "Motivation mix" + (" (some withheld: too few people)" if len(shown) < len(mix) else "")
    return _barh(labels, list(shown.values()), title, "Share of respondents", OKABE_ITO[0])


def thresholds(data: ReportData) -> dict[str, float]:
    """The engagement's thresholds a report names (flag lines, the Keys' red and green).

    Parameters
    ----------
    data
        A report bundle.

    Returns
    -------
    dict
        ``barrier_flag_unfavourable`` and ``keys`` (:class:`KeyThresholds` as a dict).
    """
    return dict(data.engagement["thresholds"])


@requires("survey")
def barriers(data: ReportData) -> Figure:
    """Unfavourable share per barrier, with the engagement's flag line; borderline flags named."""
    flag = thresholds(data)["barrier_flag_unfavourable"]
    rows = sorted(data.summary["barriers"], key=lambda b: -(b["unfavourable_pct"] or 0))
    # a flag its interval straddles could be sampling noise: the label says so
    labels = [
        in_words(b["id"]) + (" (borderline)" if b.get("certainty") == "borderline" else "")
        for b in rows
    ]
    fig = _barh(
        labels,
        [b["unfavourable_pct"] or 0 for b in rows],
        "Barriers: share of unfavourable answers",
        f"Unfavourable share (flagged at {flag:.0%})",
        OKABE_ITO[3],
    )
    _threshold(fig.axes[0], flag, f"flagged at {flag:.0%}")
    return fig


@requires("survey")
def keys_scorecard(data: ReportData) -> Figure:
    """Each Key on the basis its status is judged on, coloured and labelled by status.

    On the net basis (the default) a bar runs from 0 to the net share (favourable minus
    unfavourable), left for more unfavourable than favourable; a borderline status says so.
    """
    keys = data.summary["keys"]
    rule = key_rule(data)
    value = rule.column

    def label(k: dict[str, Any]) -> str:
        flag = ", borderline" if k.get("certainty") == "borderline" else ""
        return f"{display_name(k['id'])} ({k['status']}{flag})"

    fig, ax = plt.subplots(figsize=(8, 0.5 * len(keys) + 1.6))
    y = np.arange(len(keys))
    colours = [STATUS.get(k["status"], "#BBBBBB") for k in keys]
    values = [k.get(value) or 0 for k in keys]
    ax.barh(y, values, color=colours)
    ax.set_yticks(y, [label(k) for k in keys])
    ax.invert_yaxis()
    red, green = rule.cuts
    net = rule.basis == "net"
    shown = (lambda v: rule.points(v * 100)) if net else (lambda v: f"{v:.0%}")
    for i, v in enumerate(values):  # the value at the bar's end, outside it
        ax.text(
            v + (0.02 if v >= 0 else -0.02), i, shown(v), va="center",
            ha="left" if v >= 0 else "right", bbox=LABEL_BOX, zorder=4,
        )  # fmt: skip
    _threshold(ax, red, f"red below {shown(red)} ", ":", "right")
    _threshold(ax, green, f" green from {shown(green)}", ":", "left")
    if net:
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_xlim(-1, 1)
        ax.set_title("4+1 Keys: favourable minus unfavourable answers", pad=18)
        ax.set_xlabel(
            f"Net favourable, points (red below {rule.points(rule.red_below)}, "
            f"green from {rule.points(rule.green_from)}; neutral counts for neither)"
        )
        ax.xaxis.set_major_formatter(lambda v, _: rule.points(v * 100))
    else:
        ax.set_xlim(0, 1)
        ax.set_title("4+1 Keys: share of favourable answers", pad=18)
        ax.set_xlabel(f"Favourable share (red below {red:.0%}, green from {green:.0%})")
    return fig


@requires("survey")
def barrier_heat_map(data: ReportData, by: str = "department") -> Figure:
    """Unfavourable share of answers per barrier and group, the organisation first.

    Rows are the organisation (every respondent) then each group with its respondents;
    a cell too small to show is a hatched blank. Darker orange is more unfavourable, as
    on the dashboard.
    """
    barrier_ids = [b["id"] for b in data.summary["barriers"]]
    if data.audience == "client":
        rows = cube_slice(data, "constructs", by)
        rows = rows[rows["construct"].isin(barrier_ids)]
        size = "n"
    else:
        rows = data.tables[f"barriers_by_{by}"]
        size = "respondents"
    table = rows.pivot(index=by, columns="construct", values="unfavourable_pct")
    people = rows.groupby(by)[size].max()
    overall = {b["id"]: b["unfavourable_pct"] for b in data.summary["barriers"]}
    table.loc[ORGANISATION] = [overall.get(c, np.nan) for c in table.columns]
    table = table.loc[[ORGANISATION, *[g for g in table.index if g != ORGANISATION]]]
    names = [
        g if g == ORGANISATION or pd.isna(people.get(g)) else f"{g} (n = {people[g]:.0f})"
        for g in table.index
    ]
    fig, ax = plt.subplots(figsize=(1.1 * table.shape[1] + 3.6, 0.5 * table.shape[0] + 2.2))
    values = table.to_numpy(dtype=float)
    heat = LinearSegmentedColormap.from_list("unfavourable", ["#FFFFFF", HEAT])
    image = ax.imshow(np.ma.masked_invalid(values), cmap=heat, vmin=0, vmax=1, aspect="auto")
    ax.axhline(0.5, color="black", linewidth=1.5)  # the organisation above, its groups below
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            ax.add_patch(
                plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="//", color="grey")
            )
        else:
            ax.text(
                j, i, f"{v:.0%}", ha="center", va="center", color="white" if v > 0.7 else "black"
            )
    ax.set_xticks(
        range(table.shape[1]), [in_words(c) for c in table.columns], rotation=35, ha="right"
    )
    ax.set_yticks(range(table.shape[0]), names)
    hidden = " (hatched: too few people to show)" if np.isnan(values).any() else ""
    ax.set_title(f"Barriers by {by}: share of unfavourable answers{hidden}")
    bar = fig.colorbar(image, ax=ax, shrink=0.85)
    bar.set_label("Share of unfavourable answers")
    bar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    fig.tight_layout()
    return fig


def adoption_curve(data: ReportData) -> Figure:
    """Weekly active users since go-live as a share of licensed users."""
    weekly = pd.DataFrame(data.summary.get("usage", {}).get("weekly_active", []))
    fig, ax = plt.subplots(figsize=(9, 4))
    if not weekly.empty:
        ax.plot(
            pd.to_datetime(weekly["week_start"]),
            weekly["share"],
            color=OKABE_ITO[0],
            marker="o",
            markersize=3,
        )
    ax.set_ylim(0, 1)
    ax.set_title("Adoption curve: weekly active users")
    ax.set_xlabel("Week starting")
    ax.set_ylabel("Share of licensed users active")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    return fig


def segments(data: ReportData) -> Figure:
    """Respondents per adoption segment."""
    counts = data.summary.get("segments", {})
    respondents = data.summary.get("survey", {}).get("respondents_kept")
    total = respondents or sum(v for v in counts.values() if v is not None) or 1
    shown = {k: v for k, v in counts.items() if v is not None}  # withheld ones left out
    labels = [k.replace("_", "-") for k in shown]
    title = "Adoption segments" + (
        " (some withheld: too few people)" if len(shown) < len(counts) else ""
    )
    return _barh(
        labels,
        [v / total for v in shown.values()],
        title,
        "Share of respondents",
        OKABE_ITO[2],
    )


def renewal(data: ReportData) -> Figure:
    """Effective users now and projected at renewal, with the band, against licences."""
    r = data.summary.get("renewal", {})
    fig, ax = plt.subplots(figsize=(7, 4))
    licences = r.get("licenses") or data.engagement["licenses"]
    now, projected = r.get("effective_users"), r.get("projected_effective_users_at_renewal")
    labels, values = [], []
    if now is not None:
        labels.append("Effective now")
        values.append(now)
    if projected is not None:
        labels.append("Projected at renewal")
        values.append(projected)
    ax.bar(labels, values, color=OKABE_ITO[0])
    if projected is not None and r.get("projected_effective_users_low") is not None:
        ax.errorbar(
            [len(labels) - 1],
            [projected],
            yerr=[
                [projected - r["projected_effective_users_low"]],
                [r["projected_effective_users_high"] - projected],
            ],
            color="black",
            capsize=8,
        )
    ax.axhline(licences, color=OKABE_ITO[3], linestyle="--", label=f"Licences ({licences})")
    target = r.get("target_utilisation")
    if target:
        ax.axhline(
            target * licences,
            color=OKABE_ITO[2],
            linestyle=":",
            label=f"Low-risk target ({target:.0%})",
        )
    ax.set_ylabel("Effective users (active 3 of the last 4 weeks)")
    ax.set_title("Renewal: effective users against licences")
    ax.legend(loc="lower right")
    return fig


def show(figure: Figure | Missing, folder: str | Path, name: str) -> None:
    """Save a figure (PNG and SVG), display the PNG in the notebook, then free it.

    The PNG file is what is shown, so the report and ``figures/`` hold the same image
    (and the HTML embeds it: nothing is fetched when the page opens). A
    :class:`~adoption_lib.reports.gaps.Missing` note is shown as it is, and nothing saved.
    """
    if isinstance(figure, Missing):
        display(figure)
        return

    png, _ = save(figure, folder, name)
    plt.close(figure)
    display(Image(filename=str(png)))


@requires("survey")
def motives_by_group(data: ReportData, by: str = "department") -> Figure:
    """Mean motive scores per group with 95% confidence intervals (withheld groups left out)."""
    motives = MOTIVES
    if data.audience == "client":
        rows = cube_slice(data, "constructs", by)
    else:
        rows = data.tables[f"motivation_by_{by}"]
    rows = rows[rows["construct"].isin(motives) & ~rows["suppressed"].astype(bool)]
    groups = sorted(rows[by].astype(str).unique())
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(groups) + 1.8))
    for i, motive in enumerate(motives):
        part = rows[rows["construct"] == motive].set_index(by).reindex(groups)
        y = np.arange(len(groups)) + (i - 1) * 0.22
        error = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
        ax.errorbar(
            part["mean"],
            y,
            xerr=error,
            fmt="o",
            color=OKABE_ITO[i],
            capsize=3,
            label=motive.replace("wiifm", "WIIFM"),
        )
    ax.set_yticks(range(len(groups)), groups)
    ax.invert_yaxis()
    ax.set_xlabel("Mean score on the scale (95% confidence interval)")
    ax.set_title(f"Motives by {by}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, frameon=False)
    return fig


def progress_effects(data: Any, limit: int = 16) -> Figure:
    """The largest significant changes since the baseline, with their 95% intervals.

    Cohen's d for means (left panel) and differences for shares (right panel), so the
    two scales are never mixed on one axis. Green is better, vermilion worse (a fall in
    an unfavourable share is better), grey neither; each label also says which.
    """
    table = data.comparison
    table = table[table["significant"]]
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.42 * min(limit, max(len(table), 1)) + 2))
    for ax, effect, title in (
        (axes[0], "cohen_d", "Means: Cohen's d (after minus before)"),
        (axes[1], "difference", "Shares: difference (after minus before)"),
    ):
        rows = table[table["effect"] == effect]
        rows = rows.loc[rows["effect_size"].abs().sort_values(ascending=False).index][:limit]
        labels = [
            f"{'organisation' if g == '(all)' else g}: {m}" + (f" [{d}]" if d else "")
            for g, m, d in zip(rows["group"], rows["measure"], rows["direction"], strict=True)
        ]
        y = np.arange(len(rows))
        tone = {"better": OKABE_ITO[2], "worse": OKABE_ITO[3]}
        colours = [tone.get(d, "grey") for d in rows["direction"]]
        ax.errorbar(
            rows["effect_size"],
            y,
            xerr=[rows["effect_size"] - rows["ci_low"], rows["ci_high"] - rows["effect_size"]],
            fmt="none",
            ecolor="grey",
        )
        ax.scatter(rows["effect_size"], y, color=colours, zorder=3)
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks(y, labels, fontsize=9)
        ax.invert_yaxis()
        ax.set_title(title)
        if not len(rows):
            ax.text(0.5, 0.5, "no significant change", ha="center", transform=ax.transAxes)
    fig.tight_layout()
    return fig
