"""The priority matrix: how widespread each barrier is against how much it relates to use.

Prevalence (the share of unfavourable answers) runs across; importance (the barrier's
key-driver relative weight for active days a week, with its bootstrap 95% interval) runs
up. A barrier top right is common and relates to use: act on it first. One bottom
right is common but does not move use across teams: fix it for its own sake, not to
lift adoption. Both figures are organisation-wide, so client and consultant see the
same matrix.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from adoption_lib.labels import in_words
from adoption_lib.reports.bundle import ReportData
from adoption_lib.reports.gaps import Missing, requires
from adoption_lib.reports.palette import OKABE_ITO

#: the outcome the plan ranks on
OUTCOME = "active_days_per_week"


@requires("survey", "usage")
def priority_matrix(data: ReportData) -> Figure | Missing:
    """Barrier prevalence against key-driver importance, with the flag line and CIs."""
    drivers = {
        d["id"]: d
        for d in data.summary.get("drivers", [])
        if d.get("outcome") == OUTCOME
        and d.get("family") == "barrier"
        and d.get("level", "team") == "team"
    }
    barriers = [b for b in data.summary.get("barriers", []) if b["id"] in drivers]
    if not barriers:
        reason = data.summary.get("diagnosis_unavailable", {}).get(
            "drivers", "no key-driver analysis ran for this engagement"
        )
        return Missing(f"no priority matrix: {reason}")
    flag = data.engagement["thresholds"]["barrier_flag_unfavourable"]
    x = np.array([b["unfavourable_pct"] or 0.0 for b in barriers])
    rows = [drivers[b["id"]] for b in barriers]
    y = np.array([d["importance"] for d in rows])
    bounds = [d.get("ci95") or [None, None] for d in rows]
    low = np.array([b[0] if b[0] is not None else v for b, v in zip(bounds, y, strict=True)])
    high = np.array([b[1] if b[1] is not None else v for b, v in zip(bounds, y, strict=True)])
    strong = np.array([bool(d.get("beats_noise")) for d in rows])
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.errorbar(x, y, yerr=[y - low, high - y], fmt="none", ecolor="grey", elinewidth=1, capsize=3)
    for mask, colour, label in (
        (strong, OKABE_ITO[5], "relates to use more than a random predictor"),
        (~strong, "#8C8C8C", "not distinguishable from a random predictor"),
    ):
        if mask.any():
            ax.scatter(x[mask], y[mask], s=60, color=colour, label=label, zorder=3)
    for b, xi, yi in zip(barriers, x, y, strict=True):
        ax.annotate(in_words(b["id"]), (xi, yi), textcoords="offset points", xytext=(6, 4))
    ax.axvline(flag, color="black", linestyle="--", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(0.05, float(high.max()) * 1.1))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title("Priority matrix: how common, and how much it relates to use")
    ax.set_xlabel(f"Unfavourable share (flagged at {flag:.0%})")
    ax.set_ylabel("Share of the variance in active days across teams")
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    return fig
