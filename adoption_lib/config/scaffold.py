"""Create a new engagement folder: ``adoption init DIR``."""

from __future__ import annotations

from pathlib import Path

from adoption_lib.errors import EngagementExistsError, InputError
from adoption_lib.locations import TEMPLATES_DIR
from adoption_lib.privacy.pseudonyms import KEY_NAME, create_key

GITIGNORE = """\
# Person-level data and generated reports never go into version control.
private/
reports/
exports/
"""

FOLDERS = ("exports/survey", "exports/usage", "private")


def init_engagement(folder: str | Path) -> list[Path]:
    """Write a new engagement: template, folders, ``.gitignore`` and an HMAC key.

    Parameters
    ----------
    folder
        The engagement folder; created when missing, and may already hold other files.

    Returns
    -------
    list of Path
        Every file and folder written, in order.

    Raises
    ------
    EngagementExistsError
        When the folder already has an ``engagement.yml``, a ``.gitignore`` or a key:
        nothing is written in that case.
    InputError
        When ``folder`` exists and is not a folder.
    """
    root = Path(folder).expanduser()
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: exists and is not a folder")
    targets = [root / "engagement.yml", root / ".gitignore", root / "private" / KEY_NAME]
    existing = [t for t in targets if t.exists()]
    if existing:
        names = ", ".join(str(t.relative_to(root)) for t in existing)
        raise EngagementExistsError(f"{root}: refusing to overwrite {names}")
    written: list[Path] = []
    for sub in FOLDERS:
        path = root / sub
        path.mkdir(parents=True, exist_ok=True)
        written.append(path)
    (root / "private").chmod(0o700)
    template = (TEMPLATES_DIR / "engagement.yml").read_text()
    for path, text in ((targets[0], template), (targets[1], GITIGNORE)):
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    written.append(create_key(targets[2]))
    return written
