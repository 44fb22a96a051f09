"""The ``adoption`` command line: a thin layer over the library API (DESIGN §4).

Exit codes: 0 success; 2 bad input or configuration (:class:`InputError`);
1 a failed run (:class:`RunError`) or anything unexpected. Errors print as one line
(or one line per configuration problem) unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Sequence

from adoption_lib import __version__
from adoption_lib.errors import AdoptionError
from adoption_lib.log import show_progress


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
    p.set_defaults(command=("setup", "init_command"))

    p = sub.add_parser("validate", help="check engagement.yml and every input it lists")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument(
        "--inventory", action="store_true", help="also list each input: format, rows, dates"
    )
    p.set_defaults(command=("setup", "validate_command"))

    p = sub.add_parser("summary", help="print the assessment's summary.json figures")
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument("--json", action="store_true", help="print summary.json itself")
    p.add_argument("--lenient", action="store_true", help="quarantine unreadable survey rows")
    p.add_argument("--wave", metavar="NAME", help="the wave (default: the latest)")
    p.set_defaults(command=("summary", "summary_command"))

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
    p.set_defaults(command=("deliver", "run_command"))

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
    p.set_defaults(command=("deliver", "serve_command"))

    p = sub.add_parser(
        "audit", help="check that no small group can be worked out from the released cube"
    )
    p.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    p.add_argument("--wave", metavar="NAME", help="the wave (default: the latest)")
    p.add_argument(
        "--cube", metavar="FILE", help="the released cube (default: the report's client/cube.json)"
    )
    p.set_defaults(command=("deliver", "audit_command"))

    p = sub.add_parser("demo", help="run the demo assessment on examples/northwind")
    p.add_argument("--out", metavar="DIR", help="output folder (default reports/northwind/)")
    p.set_defaults(command=("deliver", "demo_command"))

    p = sub.add_parser(
        "purge", help="remove the person-level data in private/ once an engagement ends"
    )
    p.add_argument("engagement", metavar="ENGAGEMENT")
    p.add_argument(
        "--keep-key",
        action="store_true",
        help="keep private/hmac.key, so that a later wave's pseudonyms still match",
    )
    p.set_defaults(command=("setup", "purge_command"))

    p = sub.add_parser("synth", help="write a synthetic engagement in real export formats")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--seed", type=int, default=20261102, help="generator seed (default: demo's)")
    p.add_argument("--force", action="store_true", help="overwrite generated files in DIR")
    p.set_defaults(command=("setup", "synth_command"))

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
    q.set_defaults(command=("setup", "survey_export_command"))
    q = survey.add_parser(
        "check", help="read the survey exports: mapping, exclusions, response rate"
    )
    q.add_argument("engagement", metavar="ENGAGEMENT", help=eng)
    q.add_argument(
        "--lenient",
        action="store_true",
        help="quarantine rows with unreadable answers instead of stopping",
    )
    q.set_defaults(command=("measure", "survey_check_command"))

    p = sub.add_parser("reliability", help="alpha, omega and item-total r for any instrument")
    p.add_argument("instrument", metavar="INSTRUMENT")
    p.add_argument("responses", metavar="RESPONSES")
    p.add_argument("--json", action="store_true", help="print the DESIGN §4 JSON shape")
    p.add_argument("--system", help="fills {system} when matching columns by question text")
    p.set_defaults(command=("measure", "reliability_command"))
    return parser


def _handler(group: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command's function, its module loaded only now.

    Dispatch: each command group's module (:mod:`adoption_lib.cli.setup`, ``measure``,
    ``deliver``) imports the library stages it needs, so ``adoption --help`` loads none.
    """
    module = importlib.import_module(f"adoption_lib.cli.{group}")
    return getattr(module, name)


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
        return int(_handler(*args.command)(args))
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
