"""``adoption audit``: the disclosure audit of an engagement's released client cube.

Reads the released ``client/cube.json`` of the wave's report folder, the file a client
receives, and checks it with :func:`adoption_lib.privacy.audit.audit_release` against
the person-level truth of the same wave (assessed again from the engagement's exports).
Before any run has written the file, it audits the cube a run would release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from adoption_lib.assessment import audit_truth
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import report_folder, require_exports, wave_names
from adoption_lib.errors import InputFileError, RunError
from adoption_lib.pipeline import run
from adoption_lib.privacy.audit import AuditReport, audit_release


@dataclass(frozen=True)
class AuditRun:
    """An audit of one wave: the report and the file it read (None: the cube in memory)."""

    report: AuditReport
    cube_file: Path | None
    wave: str


def audit_engagement(
    engagement_path: str | Path, wave: str | None = None, cube_file: Path | None = None
) -> AuditRun:
    """Audit what a wave releases to the client.

    Parameters
    ----------
    engagement_path
        The engagement folder or its yml.
    wave
        The wave (the latest by default).
    cube_file
        The released cube to audit; ``<report folder>/client/cube.json`` by default.

    Returns
    -------
    AuditRun
        The report, and which file it read.

    Raises
    ------
    InputFileError
        When the cube file is not a released cube.
    """
    whole = load_engagement(engagement_path)
    wave = wave or wave_names(whole)[-1]
    engagement = require_exports(whole, wave)
    result = run(whole, wave=wave)
    if result.cube is None:
        raise RunError(f"wave {wave} has neither a scored survey nor usage: nothing is released")
    path = cube_file or report_folder(engagement) / "client" / "cube.json"
    if path.is_file():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            document["figures"]
        except (ValueError, KeyError, TypeError) as error:
            raise InputFileError(f"{path}: not a released client cube ({error})") from None
    else:
        if cube_file is not None:
            raise InputFileError(f"{path}: no such file")
        if result.cube.audit is not None:  # the cube a run would release, audited as built
            return AuditRun(result.cube.audit, None, wave)
        document, path = result.cube.document(), None
    truth = audit_truth(result.assessment, getattr(result.diagnosis, "segments", None))
    protection = engagement.privacy.protection_level
    return AuditRun(audit_release(document, truth, protection), path, wave)
