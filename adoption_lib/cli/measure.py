"""The commands that measure: ``survey check`` and ``reliability``, and the summary.

``adoption summary`` itself is :mod:`adoption_lib.cli.summary`, which loads this module
(and the pipeline) only when its cache misses.

Each takes the parsed arguments and returns the exit code; :mod:`adoption_lib.cli.main`
loads this module only when one of its commands runs. Each command imports the stages
it uses itself: the summary must not load the survey's statistics (scipy) nor
re-measure's (pingouin) before its usage scan (:func:`adoption_lib.assessment.assess`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.instrument import load_instrument
from adoption_lib.config.schema import Engagement
from adoption_lib.config.waves import BASELINE
from adoption_lib.pipeline import run


def survey_check_command(args: argparse.Namespace) -> int:
    from adoption_lib.survey.load import load_survey  # heavy: scipy
    from adoption_lib.survey.quality import format_quality  # heavy: scipy

    engagement = load_engagement(args.engagement)
    data = load_survey(engagement, lenient=args.lenient)
    for report in data.files:
        print(f"{report.path}: {report.format}, {report.encoding}, {report.rows} rows")
        print(
            f"  matched {len(report.matched)} questions; unmatched columns: {', '.join(report.unmatched_columns) or 'none'}"
        )
        for note in report.notes:
            print(f"  note: {note}")
        if report.missing_questions:
            print(f"  questions not in this export: {', '.join(report.missing_questions)}")
    print(format_quality(data.quality))
    print(f"Excluded rows are listed in {engagement.private_dir / 'survey_quarantine.csv'}")
    return 0


def reliability_command(args: argparse.Namespace) -> int:
    from adoption_lib.survey.items import item_matrix  # heavy: scipy
    from adoption_lib.survey.reliability import instrument_reliability  # heavy: scipy
    from adoption_lib.survey.responses import read_responses  # heavy: scipy

    instrument = load_instrument(args.instrument)
    respondents, answers, mapping = read_responses(
        Path(args.responses), instrument, args.system or ""
    )
    results = instrument_reliability(
        item_matrix(answers, instrument, respondents["respondent"]), instrument
    )
    if args.json:
        print(json.dumps({"constructs": {k: v.as_dict() for k, v in results.items()}}, indent=2))
        return 0
    items = sum(i.id in mapping.questions for i in instrument.items)
    print(
        f"{args.responses}: {len(respondents)} responses, {len(mapping.questions)} questions matched"
        + ("" if items == len(instrument.items) else f" ({items} of {len(instrument.items)} items)")
    )
    if mapping.unmatched:
        print(f"  unmatched columns: {', '.join(mapping.unmatched)}")
    print(f"{'construct':<22}{'alpha':>7}{'omega':>7}{'n':>7}  flags")
    for construct, r in results.items():
        alpha = f"{r.alpha:.2f}" if r.alpha == r.alpha else "-"
        omega = f"{r.omega:.2f}" if r.omega == r.omega else "-"
        print(f"{construct:<22}{alpha:>7}{omega:>7}{r.n:>7}  {', '.join(r.flags)}")
    return 0


def compute_summary(engagement: Engagement, wave: str, lenient: bool) -> dict[str, Any]:
    """Assess ``wave`` and return its summary.json (a later wave's has ``waves``)."""
    if wave == BASELINE:
        return run(engagement, wave=wave, lenient=lenient).summary
    # a later wave: both waves assessed, and summary.json gains "waves"
    from adoption_lib.remeasure.progress import build_progress  # heavy: pingouin

    return build_progress(engagement, wave)[1]
