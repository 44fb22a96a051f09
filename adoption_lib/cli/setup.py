"""The commands that set an engagement up or close it: ``init``, ``validate``, ``synth``,
``survey export`` and ``purge``.

Each takes the parsed arguments and returns the exit code; :mod:`adoption_lib.cli.main`
loads this module only when one of its commands runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.instrument import load_instrument
from adoption_lib.config.playbook import load_playbook
from adoption_lib.config.scaffold import init_engagement
from adoption_lib.config.waves import add_wave, for_wave
from adoption_lib.errors import InputError
from adoption_lib.inputs.inventory import format_inventory, take_inventory
from adoption_lib.inputs.roster import load_roster, roster_choices
from adoption_lib.privacy.retention import purge
from adoption_lib.survey.export import FORMATS, export_instrument
from adoption_lib.synthetic import generate_engagement


def init_command(args: argparse.Namespace) -> int:
    if args.wave:
        return add_wave_command(args)
    if args.date:
        raise InputError("--date goes with --wave (the new wave's assessment date)")
    written = init_engagement(args.dir)
    root = Path(args.dir)
    for path in written:
        print(f"  wrote {path.relative_to(root) if path != root else path}")
    print(f"New engagement in {root}. Next: edit {root / 'engagement.yml'}, drop the exports")
    print(f"into {root / 'exports'}, then run: adoption validate {root}")
    return 0


def add_wave_command(args: argparse.Namespace) -> int:
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


def validate_command(args: argparse.Namespace) -> int:
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


def synth_command(args: argparse.Namespace) -> int:
    files = generate_engagement(Path(args.dir), seed=args.seed, overwrite=args.force)
    print(f"Synthetic engagement (seed {args.seed}) written to {args.dir}: {len(files)} files")
    return 0


def survey_export_command(args: argparse.Namespace) -> int:
    instrument = load_instrument(args.instrument)
    system, choices = args.system, {}
    if args.engagement:
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


def purge_command(args: argparse.Namespace) -> int:
    engagement = load_engagement(args.engagement)
    result = purge(engagement.private_dir, keep_key=args.keep_key)
    for path in result.removed:
        print(f"  removed {engagement.relative(path)}")
    for path in result.kept:
        print(f"  kept {engagement.relative(path)} (--keep-key)")
    if not result.removed:
        print(f"Nothing person-level left in {engagement.relative(engagement.private_dir)}.")
    else:
        megabytes = result.size / 1e6
        print(f"Removed {len(result.removed)} items ({megabytes:.1f} MB) from private/.")
    print(
        "Raw exports (exports/) and deliverables (reports/) are not touched: keep or "
        "delete them as the engagement's contract says."
    )
    return 0
