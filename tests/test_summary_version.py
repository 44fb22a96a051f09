"""summary.json carries its layout version; a file of another version is refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.errors import InputFileError, SummaryVersionError
from adoption_lib.summary import SCHEMA_VERSION, read_summary, write_summary


def test_a_summary_written_now_reads_back(tmp_path: Path) -> None:
    written = write_summary(
        {"schema_version": SCHEMA_VERSION, "survey": {"n": 3}}, tmp_path / "s.json"
    )
    assert read_summary(written) == {"schema_version": 1, "survey": {"n": 3}}


def test_a_summary_from_before_the_version_names_the_file_and_the_fix(tmp_path: Path) -> None:
    old = tmp_path / "summary.json"
    old.write_text(json.dumps({"engagement": {"client": "Acme"}}))
    with pytest.raises(SummaryVersionError) as caught:
        read_summary(old)
    assert str(caught.value) == (
        f"{old}: written before schema_version existed; this workbook reads version 1. "
        "Run adoption run ENGAGEMENT again to rewrite the report folder"
    )
    assert caught.value.exit_code == 2


def test_a_newer_summary_is_refused_with_its_version(tmp_path: Path) -> None:
    newer = tmp_path / "summary.json"
    newer.write_text(json.dumps({"schema_version": 2}))
    with pytest.raises(
        SummaryVersionError, match="written as version 2; this workbook reads version 1"
    ):
        read_summary(newer)


def test_a_file_that_is_not_json_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "summary.json"
    broken.write_text("{not json")
    with pytest.raises(InputFileError, match=r"not a summary\.json"):
        read_summary(broken)


def test_summary_json_states_its_version(
    generated: dict[int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from adoption_lib.synthetic import DEMO_SEED

    assert main(["summary", str(generated[DEMO_SEED]), "--json", "--wave", "baseline"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_version"] == SCHEMA_VERSION
