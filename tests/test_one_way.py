"""One implementation each: a search of the package finds every job done in one place."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "adoption_lib"

#: a job, the pattern that does it, and the only module allowed to
ONE_WAY = {
    "opening DuckDB": (r"\b(?:ibis\.)?duckdb\.connect\(", {"inputs/usage_readers/engine.py"}),
    "loading YAML": (
        r"\byaml\.(?:safe_load|load|full_load|SafeLoader|Loader)\b",
        {"config/yaml_lines.py"},
    ),
    "expanding an export's folder or glob into files": (
        r'\.glob\("\*\.csv"\)|\.parent\.glob\(',
        {"inputs/file_guards.py"},
    ),
    # a finiteness test with a rounding within three lines: a JSON number cleaner
    "cleaning numbers for JSON": (r"isfinite\([^\n]*(?:\n[^\n]*){0,3}round\(", {"json_numbers.py"}),
    # random bytes for a key, or a key file written
    "creating the HMAC key": (
        r"\btoken_(?:bytes|hex)\(|\burandom\(|def create_key\(",
        {"privacy/pseudonyms.py"},
    ),
    # stages are handed the key: only a run's start, and a survey read on its own, fetch it
    "fetching the engagement's key": (
        r"(?<!def )\bengagement_key\(",
        {"privacy/pseudonyms.py", "assessment.py", "survey/load.py"},
    ),
    # a cube table filtered by a dimension's value or "(all)"; nesting compares keys to
    # "(all)" to tell which cells lie inside which, a job of its own
    "picking a cube cell": (
        r"\]\s*(?:\.astype\(str\)\s*)?[!=]=\s*(?:ALL|selection)\b",
        {"privacy/cells.py", "privacy/nesting.py"},
    ),
    # a count of people compared with the threshold; the disclosure audit tests "small"
    # on its own, since it must share no code with the suppression it checks
    "withholding small groups": (
        r"\b(?:lt|gt|ge|le)\(k\)|[<>]=?\s*(?:k|min_group_size|min_comment_group)\b",
        {"privacy/suppression.py", "privacy/audit_models.py"},
    ),
}


def _hits(pattern: str) -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if re.search(pattern, path.read_text(encoding="utf-8")):
            found.add(str(path.relative_to(PACKAGE)))
    return found


@pytest.mark.parametrize("job", ONE_WAY, ids=list(ONE_WAY))
def test_each_job_is_done_in_one_module(job: str) -> None:
    pattern, allowed = ONE_WAY[job]
    assert _hits(pattern) <= allowed, f"{job} outside {allowed}: {_hits(pattern) - allowed}"
    assert _hits(pattern), f"the search for {job} finds nothing: the pattern is stale"


def test_the_search_would_see_a_second_way(tmp_path: Path) -> None:
    planted = (
        "import duckdb\ncon = duckdb.connect()\ndata = yaml.safe_load(text)\n"
        'files = sorted(path.glob("*.csv"))\n'
        "def _num(v):\n    if not math.isfinite(v):\n        return None\n    return round(v, 4)\n"
        "key = secrets.token_bytes(32)\nkey = engagement_key(folder, create=True)\n"
        'rows = cube[cube["department"] != ALL]\n'
        "shown = sizes[sizes >= k]\n"
    )
    for job in ONE_WAY:
        assert re.search(ONE_WAY[job][0], planted), job


def test_only_the_commands_print() -> None:
    # the library reports progress on the "adoption" logger; commands decide what prints
    commands = {"cli/setup.py", "cli/measure.py", "cli/summary.py", "cli/deliver.py", "cli/main.py"}
    assert _hits(r"(?<![\w.])print\(") <= {*commands, "demo.py", "dashboard/serve.py"}


def test_progress_reaches_stderr_only_through_the_command_line(
    generated: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from adoption_lib.cli import main
    from adoption_lib.log import LOGGER
    from adoption_lib.synthetic import DEMO_SEED

    LOGGER.handlers.clear()  # as in a notebook kernel or a caller's own script
    LOGGER.setLevel(logging.NOTSET)
    LOGGER.propagate = True
    LOGGER.info("Reading the usage exports...")
    assert capsys.readouterr().err == ""
    # a summary already kept in the engagement's cache would not read the exports
    shutil.rmtree(generated[DEMO_SEED] / "private" / "cache", ignore_errors=True)
    assert main(["summary", str(generated[DEMO_SEED])]) == 0
    assert "Reading the usage exports...\n" in capsys.readouterr().err
    assert main(["summary", str(generated[DEMO_SEED])]) == 0  # and now from the cache
    assert capsys.readouterr().err == "Summary: the inputs are unchanged; read from the cache\n"


def test_user_facing_errors_are_adoption_errors() -> None:
    # pydantic turns a validator's ValueError into a located config error, and the
    # timestamp parsers' ValueError is caught by every caller and re-raised with its cell
    allowed = {
        "config/schema.py",
        "config/thresholds.py",
        "config/instrument.py",
        "inputs/survey_times.py",
        "synthetic/planted.py",
    }
    assert _hits(r"raise (?:ValueError|TypeError|KeyError|RuntimeError)\(") <= allowed


def test_motives_types_and_withheld_texts_are_named_once() -> None:
    # the lists of motives and types, and the withheld wording, live in labels.py
    # (the demo generator's latent traits are its own list, not the method's)
    lists = _hits(r'\(\s*"commitment",\s*"compliance",\s*"wiifm"')
    assert lists <= {"labels.py", "synthetic/population.py"}
    # a wording assigned or passed in code (docstrings may quote it)
    texts = _hits(r'(?:=|,)\s*"(?:too few people to show|withheld"(?!\s*[:)\]])|Too few people)')
    assert texts <= {"labels.py"}
