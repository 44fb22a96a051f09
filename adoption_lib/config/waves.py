"""Re-measure waves: the baseline (the top level of ``engagement.yml``) and each later wave.

A wave has its own assessment date (the end of its usage windows), survey window and
exports, and may have its own roster and licence count. :func:`for_wave` gives the
engagement as of one wave, so every stage (:func:`adoption_lib.assessment.assess`,
reports, summary) runs on a wave unchanged. The HMAC key in ``private/`` is the same for
every wave, so a person has the same pseudonym in each and waves can be compared.
:func:`add_wave` is ``adoption init ENGAGEMENT --wave NAME``.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.schema import Engagement
from adoption_lib.errors import InputError

BASELINE = "baseline"
#: A wave's default date after the previous one: the 90-day re-measure.
DEFAULT_GAP_DAYS = 90
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def wave_names(engagement: Engagement) -> list[str]:
    """The engagement's waves in date order, ``baseline`` first."""
    return [BASELINE, *(w.name for w in engagement.waves)]


def for_wave(engagement: Engagement, name: str = BASELINE) -> Engagement:
    """The engagement as of one wave: its date, survey window, exports, roster and licences.

    Parameters
    ----------
    engagement
        A validated engagement.
    name
        ``baseline`` (the top level) or a wave's name.

    Returns
    -------
    Engagement
        A copy whose top level is that wave's, with no ``waves``; paths stay absolute
        and the folder (so ``private/`` and its key) is the same.

    Raises
    ------
    InputError
        For a name that is no wave of this engagement.
    """
    if name == BASELINE:
        return engagement.model_copy(update={"waves": []})
    waves = {w.name: w for w in engagement.waves}
    if name not in waves:
        known = ", ".join(wave_names(engagement))
        raise InputError(f"{engagement.config_path}: no wave '{name}' (waves: {known})")
    wave = waves[name]
    update = {
        "waves": [],
        "assessment_date": wave.assessment_date,
        "survey_opened": wave.survey_opened,
        "survey_closed": wave.survey_closed,
        "survey_exports": wave.survey_exports,
        "usage_exports": wave.usage_exports,
    }
    if wave.roster is not None:
        update["roster"] = wave.roster
    if wave.licenses is not None:
        update["licenses"] = wave.licenses
    return engagement.model_copy(update=update)


def require_exports(engagement: Engagement, name: str) -> Engagement:
    """The engagement as of wave ``name``, which must list a survey or usage export.

    Raises
    ------
    InputError
        For a wave with no export yet (as ``adoption init --wave`` leaves it), naming
        what to do.
    """
    wave = for_wave(engagement, name)
    if not wave.survey_exports and not wave.usage_exports:
        if name == BASELINE:
            raise InputError(
                f"{engagement.config_path}: survey_exports, usage_exports: neither lists an "
                "export, so there is nothing to assess: list the survey export, the usage "
                "exports, or both"
            )
        raise InputError(
            f"{engagement.config_path}: wave '{name}' lists no survey or usage export yet: "
            f"put its files under exports/{name}/ and list them under the wave"
        )
    return wave


def add_wave(engagement: Engagement, name: str, when: date | None = None) -> Path:
    """Append a wave to ``engagement.yml``, keeping every comment and line already there.

    The new wave copies the latest wave's export formats as commented examples under
    ``exports/<name>/``, and creates those folders; the consultant uncomments them once
    the files are in place (an export listed before its file exists would stop
    validation of the whole engagement).

    Parameters
    ----------
    engagement
        The validated engagement to extend.
    name
        The new wave's name: lower case letters, digits, ``-`` and ``_``.
    when
        Its assessment date; by default 90 days after the latest wave's.

    Returns
    -------
    Path
        The ``engagement.yml`` rewritten.

    Raises
    ------
    InputError
        For a bad or taken name, a date not after the latest wave's, or a ``waves:`` key
        written in a style this cannot extend.
    """
    if not NAME.match(name):
        raise InputError(f"--wave {name!r}: use lower case letters, digits, '-' and '_'")
    if name in wave_names(engagement):
        raise InputError(f"{engagement.config_path}: a wave named '{name}' already exists")
    latest = for_wave(engagement, wave_names(engagement)[-1])
    # the exports to copy as examples: the latest wave that lists any
    example = next(
        (
            wave
            for wave in (for_wave(engagement, n) for n in reversed(wave_names(engagement)))
            if wave.survey_exports or wave.usage_exports
        ),
        latest,
    )
    when = when or latest.assessment_date + timedelta(days=DEFAULT_GAP_DAYS)
    if when <= latest.assessment_date:
        raise InputError(
            f"--date {when.isoformat()}: must come after the latest wave's assessment_date "
            f"({latest.assessment_date.isoformat()})"
        )
    config = engagement.config_path
    text = config.read_text(encoding="utf-8")
    block = _wave_block(example, latest.licenses, name, when)
    updated = _insert_wave(text, block, config)
    for sub in ("survey", "usage"):
        (engagement.folder / "exports" / name / sub).mkdir(parents=True, exist_ok=True)
    temporary = config.with_name(f".{config.name}.{os.getpid()}.tmp")
    temporary.write_text(updated, encoding="utf-8")
    try:
        load_engagement(temporary)  # the new text must validate before it replaces the old
    except Exception:
        temporary.unlink()
        raise
    temporary.replace(config)
    return config


def _wave_block(example: Engagement, licenses: int, name: str, when: date) -> list[str]:
    lines = [
        f"  - name: {name}",
        f"    assessment_date: {when.isoformat()}   # usage windows end on this day",
        f"    # survey_opened: {(when - timedelta(days=28)).isoformat()}",
        f"    # survey_closed: {(when - timedelta(days=10)).isoformat()}",
        "    survey_exports: []     # once the files are in place: drop [] and uncomment below",
    ]
    for export in example.survey_exports:
        lines.append(f"    #  - path: exports/{name}/survey/{Path(export.path).name}")
    lines.append("    usage_exports: []")
    for export in example.usage_exports:
        lines.append(f"    #  - path: exports/{name}/usage/{Path(export.path).name}")
        lines.append(f"    #    format: {export.format}")
        if export.users is not None:
            lines.append(f"    #    users: exports/{name}/usage/{Path(export.users).name}")
        if export.columns:
            mapping = ", ".join(f"{k}: {v}" for k, v in export.columns.items())
            lines.append(f"    #    columns: {{{mapping}}}")
    lines.append("    # roster: exports/roster.csv   # when people changed since the last wave")
    lines.append(f"    # licenses: {licenses}")
    return lines


def _insert_wave(text: str, block: list[str], config: Path) -> str:
    """The yml text with ``block`` as the last item of the top-level ``waves`` list."""
    lines = text.splitlines()
    index = next((i for i, line in enumerate(lines) if re.match(r"^waves\s*:", line)), None)
    if index is None:
        return "\n".join([*lines, "", "waves:", *block]) + "\n"
    value = lines[index].split(":", 1)[1].split("#", 1)[0].strip()
    if value not in ("", "[]"):
        raise InputError(
            f"{config}:{index + 1}: waves is written inline; write it as a block list "
            "(one '- name: ...' per wave) so a wave can be added"
        )
    if value == "[]":
        lines[index] = "waves:"
        return "\n".join([*lines[: index + 1], *block, *lines[index + 1 :]]) + "\n"
    end = index + 1  # after the last indented line (comments included) of the waves block
    for i in range(index + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "\t")):
            break
        if line.strip():
            end = i + 1
    return "\n".join([*lines[:end], *block, *lines[end:]]) + "\n"


def report_folder(engagement: Engagement) -> Path:
    """Where a wave's reports go by default: ``<engagement>/reports/<assessment_date>/``."""
    return engagement.folder / "reports" / engagement.assessment_date.isoformat()
