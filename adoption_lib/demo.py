"""``adoption demo``: run the whole assessment on the demo engagement in ``examples/northwind``.

It validates the engagement, prints the inventory of its inputs and the survey's data
quality, then runs the report notebooks exactly as ``adoption run`` does, into the
repository's ``reports/northwind/`` (or ``--out``), and prints the one-page summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import EngagementNotFoundError
from adoption_lib.inputs.inventory import InputSummary, format_inventory
from adoption_lib.locations import CHECKOUT_DIR
from adoption_lib.reports.run import run_reports
from adoption_lib.summary import format_summary, read_summary

DEMO = Path("examples") / "northwind"


def find_repo_root(start: Path | None = None) -> Path:
    """Find the workbook's checkout: the folder holding ``examples/northwind``.

    Parameters
    ----------
    start
        Where to start looking upwards; the current folder by default. The package's
        own location is tried next (an editable install).

    Returns
    -------
    Path
        The repository root.

    Raises
    ------
    EngagementNotFoundError
        When no demo engagement is found.
    """
    here = (start or Path.cwd()).resolve()
    candidates = [here, *here.parents, CHECKOUT_DIR]
    for folder in candidates:
        if (folder / DEMO / "engagement.yml").is_file():
            return folder
    raise EngagementNotFoundError(
        f"{DEMO}: demo engagement not found from {here}; run from the workbook's checkout"
    )


def run_demo(out: Path | None = None, root: Path | None = None) -> Path:
    """Run the demo assessment and report where its output went.

    Parameters
    ----------
    out
        Output folder; ``reports/northwind/`` in the checkout by default.
    root
        The checkout; found with :func:`find_repo_root` when ``None``.

    Returns
    -------
    Path
        The output folder.
    """
    root = root or find_repo_root()
    engagement = load_engagement(root / DEMO)
    out = out or root / "reports" / "northwind"
    print(f"Demo engagement {engagement.config_path}: valid")
    waves = ", ".join(f"{w.name} {w.assessment_date}" for w in engagement.waves)
    print(
        f"  {engagement.client} · {engagement.system} · {engagement.licenses} licences"
        f" · go-live {engagement.go_live} · baseline {engagement.assessment_date}"
        + (f" · re-measured: {waves}" if waves else "")
        + f" · renewal {engagement.renewal_date}"
    )
    print("Running the report notebooks (consultant and client)...", file=sys.stderr, flush=True)
    out = run_reports(engagement.config_path, out)
    # The run took the inventory and read the survey once: print from what it wrote.
    inventory = json.loads((out / "inventory.json").read_text(encoding="utf-8"))
    print(format_inventory([InputSummary(**item) for item in inventory["inputs"]]))
    summary = read_summary(out / "summary.json")
    for reason, count in summary.get("survey", {}).get("excluded", {}).items():
        print(f"  survey rows excluded as {reason.replace('_', ' ')}: {count}")
    print(format_summary(summary))
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    print(f"Demo reports written to {out} ({len(written)} files):")
    for name in (
        "summary.json",
        "action_plan.xlsx",
        "client/executive_summary.html",
        "client/executive_summary.pdf",
        "client/progress.html",
        "manifest.json",
    ):
        if (out / name).is_file():
            print(f"  {name}")
    return out
