"""The commands that deliver: ``run``, ``serve``, ``demo`` and ``audit`` (what is released).

Each takes the parsed arguments and returns the exit code; :mod:`adoption_lib.cli.main`
loads this module only when one of its commands runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from adoption_lib.dashboard.serve import serve, serve_settings
from adoption_lib.demo import run_demo
from adoption_lib.errors import DisclosureError, InputError
from adoption_lib.reports.disclosure import audit_engagement
from adoption_lib.reports.run import run_reports


def run_command(args: argparse.Namespace) -> int:
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


def serve_command(args: argparse.Namespace) -> int:
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


def demo_command(args: argparse.Namespace) -> int:
    run_demo(out=Path(args.out) if args.out else None)
    return 0


def audit_command(args: argparse.Namespace) -> int:
    done = audit_engagement(args.engagement, args.wave, Path(args.cube) if args.cube else None)
    report = done.report
    source = done.cube_file or "the cube a run would release (no client/cube.json yet)"
    print(f"Disclosure audit of wave {done.wave}: {source}")
    print(
        f"  {report.considered} quantities a reader could target; {report.checked} truly count "
        f"1 to {report.k - 1} people, each bounded by integer programming (p = {report.protection})"
    )
    if report.passed:
        print("  passed: no small group can be worked out from what is released")
        return 0
    for exposure in report.exposures:
        print(f"  exposed: {exposure.describe()}")
    raise DisclosureError(
        f"the disclosure audit failed: {len(report.exposures)} small group(s) can be worked out"
    )
