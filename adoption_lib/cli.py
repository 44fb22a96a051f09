"""The ``adoption`` command line: a thin layer over the library API (DESIGN §4).

Exit codes: 0 success; 2 bad input or configuration (:class:`InputError`);
1 a failed run (:class:`RunError`) or anything unexpected. Errors print as one line
(or one line per configuration problem) unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from adoption_lib import __version__
from adoption_lib.errors import AdoptionError
from adoption_lib.log import show_progress


def _init(args: argparse.Namespace) -> int:
    from adoption_lib.scaffold import init_engagement

    if args.wave:
        return _add_wave(args)
    if args.date:
        from adoption_lib.errors import InputError

        raise InputError("--date goes with --wave (the new wave's assessment date)")
    written = init_engagement(args.dir)
    root = Path(args.dir)
    for path in written:
        print(f"  wrote {path.relative_to(root) if path != root else path}")
    print(f"New engagement in {root}. Next: edit {root / 'engagement.yml'}, drop the exports")
    print(f"into {root / 'exports'}, then run: adoption validate {root}")
    return 0


def _add_wave(args: argparse.Namespace) -> int:
    from datetime import date

    from adoption_lib.engagement import load_engagement
    from adoption_lib.errors import InputError
    from adoption_lib.waves import add_wave, for_wave

    when = None
    if args.date:
        try:
            when = date.fromisoformat(args.date)
        except ValueError:
            raise InputError(f"--date {args.date!r}: not a date (YYYY-MM-DD)") from None
    engagement = load_engagement(args.dir)
    config = add_wave(engagement, args.wave, when)
    wave = for_wave(load_engagement(config), args.wave)
    folder = engagement.folder / "exports" / args.wave
    print(f"Added wave '{args.wave}' (assessment date {wave.assessment_date}) to {config}.")
    print(f"Next: drop its exports into {folder}/survey and {folder}/usage, uncomment their")
    print(f"entries under the wave in {config.name}, then run: adoption validate {args.dir}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from adoption_lib.engagement import load_engagement
    from adoption_lib.inventory import format_inventory, take_inventory
    from adoption_lib.playbook import load_playbook

    engagement = load_engagement(args.engagement)
    playbook = load_playbook(engagement.playbook or "playbook")
    print(f"{engagement.config_path}: valid (playbook: {len(playbook.plays)} plays)")
    print(
        f"  {engagement.client} · {engagement.system} · go-live {engagement.go_live}"
        f" · assessment {engagement.assessment_date} · renewal {engagement.renewal_date}"
    )
    if args.inventory:
        print(format_inventory(take_inventory(engagement)))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from adoption_lib.serve import serve, serve_settings

    serve(
        serve_settings(
            args.engagement,
            port=args.port,
            ip=args.ip,
            certfile=args.certfile,
            keyfile=args.keyfile,
            behind_tls_proxy=args.behind_tls_proxy,
            idle_timeout=args.idle_timeout,
        )
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from datetime import date

    from adoption_lib.errors import InputError
    from adoption_lib.report_run import run_reports

    if args.as_of:
        try:
            date.fromisoformat(args.as_of)
        except ValueError:
            raise InputError(f"--as-of must be YYYY-MM-DD, not {args.as_of!r}") from None
    out = run_reports(
        args.engagement,
        Path(args.out) if args.out else None,
        as_of=args.as_of,
        timeout=args.timeout,
        wave=args.wave,
        action_plan=Path(args.action_plan) if args.action_plan else None,
    )
    print(f"Reports written to {out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from adoption_lib.demo import run_demo

    run_demo(out=Path(args.out) if args.out else None)
    return 0


def _synth(args: argparse.Namespace) -> int:
    from adoption_lib.synthetic import generate_engagement

    files = generate_engagement(Path(args.dir), seed=args.seed, overwrite=args.force)
    print(f"Synthetic engagement (seed {args.seed}) written to {args.dir}: {len(files)} files")
    return 0


def _survey_export(args: argparse.Namespace) -> int:
    from adoption_lib.errors import InputError
    from adoption_lib.instrument import load_instrument
    from adoption_lib.survey_export import FORMATS, export_instrument

    instrument = load_instrument(args.instrument)
    system, choices = args.system, {}
    if args.engagement:
        from adoption_lib.engagement import load_engagement
        from adoption_lib.roster import load_roster, roster_choices

        engagement = load_engagement(args.engagement)
        system = system or engagement.system
        choices = roster_choices(load_roster(engagement))
    if not system:
        raise InputError(
            "give --system NAME or --engagement ENGAGEMENT to fill {system} in the wording"
        )
    out = (
        Path(args.out) if args.out else Path(f"{instrument.id}_{args.format}{FORMATS[args.format]}")
    )
    export_instrument(instrument, args.format, out, system, choices)
    print(f"Wrote {out} ({args.format}, {len(instrument.items)} items, system: {system})")
    return 0


def _survey_check(args: argparse.Namespace) -> int:
    from adoption_lib.engagement import load_engagement
    from adoption_lib.ingest import load_survey
    from adoption_lib.quality import format_quality

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


def _reliability(args: argparse.Namespace) -> int:
    import json

    from adoption_lib.ingest import read_responses
    from adoption_lib.instrument import load_instrument
    from adoption_lib.reliability import instrument_reliability
    from adoption_lib.scoring import item_matrix

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


def _summary(args: argparse.Namespace) -> int:
    import json

    from adoption_lib.engagement import load_engagement
    from adoption_lib.pipeline import run
    from adoption_lib.summary import format_summary
    from adoption_lib.waves import BASELINE, require_exports, wave_names

    engagement = load_engagement(args.engagement)
    wave = args.wave or wave_names(engagement)[-1]
    if wave == BASELINE:
        summary = run(require_exports(engagement, wave), lenient=args.lenient).summary
    else:  # a later wave: both waves assessed, and summary.json gains "waves"
        from adoption_lib.progress import build_progress

        _, summary = build_progress(engagement, wave)
    print(json.dumps(summary, indent=2) if args.json else format_summary(summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``adoption`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each sub-command stores its handler as ``func``.
    """
    parser = argparse.ArgumentParser(
        prog="adoption",
        description="Software Adoption Rescue assessments: survey + usage -> diagnosis, "
        "action plan, reports and a client dashboard.",
        epilog="Exit codes: 0 ok, 2 bad input, 1 failed run.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    eng = "the engagement folder, or its engagement.yml"

    p = sub.add_parser(
        "init",
        help="create a new engagement folder with a commented template, or add a wave to one",
    )
    p.add_argument("dir", metavar="DIR", help="the new folder, or with --wave the engagement")
    p.add_argument("--wave", metavar="NAME", help="add a re-measure wave to an engagement")
    p.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the wave's assessment date (default: +90 days)"
    )
    p.set_defaults(func=_init)

    p = sub.add_parser("validate", help="check engagement.yml and every input it lists")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument(
        "--inventory", action="store_true", help="also list each input: format, rows, dates"
    )
    p.set_defaults(func=_validate)

    p = sub.add_parser("summary", help="print the assessment's summary.json figures")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument("--json", action="store_true", help="print summary.json itself")
    p.add_argument("--lenient", action="store_true", help="quarantine unreadable survey rows")
    p.add_argument("--wave", metavar="NAME", help="the wave (default: the latest)")
    p.set_defaults(func=_summary)

    p = sub.add_parser("run", help="run every notebook and write the deliverables")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default <engagement>/reports/<assessment_date>/)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="end usage windows on this day")
    p.add_argument("--timeout", type=int, default=600, help="seconds a notebook cell may run")
    p.add_argument("--wave", metavar="NAME", help="the wave to report on (default: the latest)")
    p.add_argument(
        "--action-plan",
        metavar="XLSX",
        help="the baseline's edited action_plan.xlsx (default: in its report folder)",
    )
    p.set_defaults(func=_run)

    p = sub.add_parser("serve", help="serve the client dashboard with Voila (127.0.0.1)")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--certfile", help="TLS certificate (required off loopback)")
    p.add_argument("--keyfile", help="TLS private key for --certfile")
    p.add_argument(
        "--behind-tls-proxy",
        action="store_true",
        help="off loopback without --certfile: a TLS reverse proxy terminates connections",
    )
    p.add_argument(
        "--idle-timeout",
        type=int,
        default=600,
        metavar="SECONDS",
        help="shut a visitor's kernel down after this long idle with no browser (default 600)",
    )
    p.set_defaults(func=_serve)

    p = sub.add_parser("demo", help="run the demo assessment on examples/northwind")
    p.add_argument("--out", metavar="DIR", help="output folder (default reports/northwind/)")
    p.set_defaults(func=_demo)

    p = sub.add_parser("synth", help="write a synthetic engagement in real export formats")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--seed", type=int, default=20261102, help="generator seed (default: demo's)")
    p.add_argument("--force", action="store_true", help="overwrite generated files in DIR")
    p.set_defaults(func=_synth)

    p = sub.add_parser("survey", help="survey instrument tools")
    survey = p.add_subparsers(dest="survey_command", metavar="ACTION", required=True)
    q = survey.add_parser("export", help="write the instrument for a survey platform")
    q.add_argument("instrument", metavar="INSTRUMENT")
    q.add_argument(
        "--format", required=True, choices=["qualtrics", "google-apps-script", "word", "markdown"]
    )
    q.add_argument("--system", help="fills {system} in item wording (default: the engagement's)")
    q.add_argument(
        "--engagement", help="fill {system} and roster-based choices from this engagement"
    )
    q.add_argument(
        "--out", metavar="FILE", help="output file (default: INSTRUMENT_FORMAT.ext here)"
    )
    q.set_defaults(func=_survey_export)
    q = survey.add_parser(
        "check", help="read the survey exports: mapping, exclusions, response rate"
    )
    q.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    q.add_argument(
        "--lenient",
        action="store_true",
        help="quarantine rows with unreadable answers instead of stopping",
    )
    q.set_defaults(func=_survey_check)

    p = sub.add_parser("reliability", help="alpha, omega and item-total r for any instrument")
    p.add_argument("instrument", metavar="INSTRUMENT")
    p.add_argument("responses", metavar="RESPONSES")
    p.add_argument("--json", action="store_true", help="print the DESIGN §4 JSON shape")
    p.add_argument("--system", help="fills {system} when matching columns by question text")
    p.set_defaults(func=_reliability)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``adoption`` command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when ``None``.

    Returns
    -------
    int
        The exit code: 0, 1 or 2.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    show_progress()
    try:
        return int(args.func(args))
    except AdoptionError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"adoption: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("adoption: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # an unexpected failure is a failed run, exit 1
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"adoption: unexpected error: {type(exc).__name__}: {exc}"
                " (run again with --debug for the traceback)",
                file=sys.stderr,
            )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
