"""``adoption demo``: run the assessment on the demo engagement in ``examples/northwind``.

Until the notebooks land (notebooks issue) the demo validates the engagement, takes the
inventory of its inputs and writes it to the output folder (``reports/northwind/`` by
default), printing where it went.
"""

from __future__ import annotations

import sys
from pathlib import Path

from adoption_lib.assessment import assess, write_deliverables, write_private
from adoption_lib.engagement import load_engagement
from adoption_lib.errors import EngagementNotFoundError
from adoption_lib.ingest import load_survey
from adoption_lib.inventory import format_inventory, take_inventory, write_inventory
from adoption_lib.quality import format_quality
from adoption_lib.summary import format_summary, summarise, write_summary

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
    candidates = [here, *here.parents, Path(__file__).resolve().parents[1]]
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
    print(
        f"  {engagement.client} · {engagement.system} · {engagement.licenses} licences"
        f" · go-live {engagement.go_live} · as of {engagement.assessment_date}"
        f" · renewal {engagement.renewal_date}"
    )
    print("Taking the inventory of its inputs...", file=sys.stderr, flush=True)
    items = take_inventory(engagement)
    print(format_inventory(items))
    written = write_inventory(items, engagement, out)
    survey = None
    if engagement.survey_exports:
        print("Reading and scoring the survey...", file=sys.stderr, flush=True)
        survey = load_survey(engagement)
        print(format_quality(survey.quality))
    assessment = assess(engagement, survey=survey)
    summary = summarise(assessment)
    written.append(write_summary(summary, out / "summary.json"))
    written += write_deliverables(assessment, summary, out)
    private = write_private(assessment)
    print(format_summary(summary))
    print("The notebooks, reports and dashboard arrive with their issues; the planted")
    print("patterns the diagnosis must find are listed in examples/northwind/PLANTED.md.")
    print(f"Demo output written to {out}: {', '.join(p.name for p in written)}")
    for path in private:
        print(f"Person-level (pseudonymised) table kept in {engagement.relative(path)}")
    return out
