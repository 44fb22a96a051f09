"""The commands that deliver: ``run`` (the reports), ``serve`` (the dashboard) and ``demo``.

Each takes the parsed arguments and returns the exit code; :mod:`adoption_lib.cli.main`
loads this module only when one of its commands runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from adoption_lib.dashboard.serve import serve, serve_settings
from adoption_lib.demo import run_demo
from adoption_lib.errors import InputError
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
