"""``adoption purge``: person-level data removed once an engagement ends, and said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.privacy.pseudonyms import engagement_key
from adoption_lib.reports.bundle import write_bundles
from adoption_lib.synthetic.variants import Variant, generate_variant


@pytest.fixture
def assessed(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    generate_variant(folder, Variant(platform="microsoft_forms", people=60))
    assert main(["summary", str(folder)]) == 0
    return folder


def test_purge_removes_private_data_and_lists_it(
    assessed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private = assessed / "private"
    write_bundles({"client": {"figures": 1}}, private / "cache" / "0123abcd")  # a report cache
    before = sorted(p.name for p in private.iterdir())
    assert {"hmac.key", "survey_quarantine.csv", "cache"} <= set(before)
    exports = sorted(p.relative_to(assessed) for p in (assessed / "exports").rglob("*"))
    capsys.readouterr()
    assert main(["purge", str(assessed)]) == 0
    out = capsys.readouterr().out
    for name in before:
        assert f"  removed private/{name}\n" in out
    assert f"Removed {len(before)} items" in out
    assert list(private.iterdir()) == []
    # the raw exports are the consultant's: untouched
    assert sorted(p.relative_to(assessed) for p in (assessed / "exports").rglob("*")) == exports
    assert main(["purge", str(assessed)]) == 0
    assert "Nothing person-level left in private." in capsys.readouterr().out


def test_purge_can_keep_the_key_for_the_next_wave(
    assessed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = engagement_key(assessed / "private")
    assert main(["purge", str(assessed), "--keep-key"]) == 0
    assert "  kept private/hmac.key (--keep-key)" in capsys.readouterr().out
    assert [p.name for p in (assessed / "private").iterdir()] == ["hmac.key"]
    assert engagement_key(assessed / "private") == key


def test_purge_of_no_engagement_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.count("adoption: error:") == 1
