"""The engagement's cache: keyed by every input's content, wherever the input lies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import InputError
from adoption_lib.inputs.cache import FINGERPRINTS, cache_dir, content_hashes, engagement_inputs
from adoption_lib.reports.bundle import report_data
from adoption_lib.synthetic.variants import Variant, generate_variant


@pytest.fixture
def outside(tmp_path: Path) -> tuple[Path, Path]:
    """An engagement whose survey export lies outside its folder."""
    folder = tmp_path / "e"
    generate_variant(folder, Variant(platform="google_forms", usage=False))
    elsewhere = tmp_path / "shared-drive"
    elsewhere.mkdir()
    export = elsewhere / "survey.csv"
    shutil.move(folder / "exports" / "survey" / "survey_google_forms.csv", export)
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace("exports/survey/survey_google_forms.csv", str(export))
    )
    return folder, export


def test_inputs_cover_files_outside_the_folder(outside: tuple[Path, Path]) -> None:
    folder, export = outside
    inputs = engagement_inputs(load_engagement(folder))
    assert export.resolve() in inputs
    assert (folder / "engagement.yml").resolve() in inputs
    assert (folder / "exports" / "roster.csv").resolve() in inputs


def test_changing_an_outside_export_changes_the_figures(outside: tuple[Path, Path]) -> None:
    folder, export = outside
    first = report_data(folder).summary["survey"]["rows_received"]
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines[:-3]), encoding="utf-8")  # three responses fewer
    second = report_data(folder).summary["survey"]["rows_received"]
    assert second == first - 3


def test_the_cache_lives_in_private(outside: tuple[Path, Path]) -> None:
    folder, _ = outside
    where = cache_dir(load_engagement(folder), "k")
    assert where.parent == folder / "private" / "cache"
    assert (where.parent.stat().st_mode & 0o777) == 0o700
    assert (where.parent / FINGERPRINTS).is_file()


def test_a_touched_but_unchanged_file_keeps_its_cache(outside: tuple[Path, Path]) -> None:
    folder, export = outside
    engagement = load_engagement(folder)
    before = cache_dir(engagement, "k")
    os.utime(export, ns=(1_000_000_000, 1_000_000_000))
    assert cache_dir(engagement, "k") == before
    export.write_text(export.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_dir(engagement, "k") != before
    assert cache_dir(engagement, "other key") != cache_dir(engagement, "k")


def test_hashes_are_reused_only_while_the_stat_matches(tmp_path: Path) -> None:
    path, state = tmp_path / "a.csv", tmp_path / "state.json"
    path.write_text("x,y\n1,2\n")
    first = content_hashes([path], state)
    # A stored hash that disagrees with the content proves it was reused, not recomputed.
    state.write_text(state.read_text().replace(first[str(path)], "f" * 64))
    assert content_hashes([path], state)[str(path)] == "f" * 64
    os.utime(path, ns=(5, 5))
    assert content_hashes([path], state) == first


def test_a_miss_is_filled_by_a_child_that_reports_bad_input(outside: tuple[Path, Path]) -> None:
    # the kernel never loads the pipeline: a child process fills the cache, and its
    # one-line error comes back as the same kind of error, before anything is cached
    folder, _ = outside
    with pytest.raises(InputError) as caught:
        report_data(folder, "client", wave="nope")
    assert str(caught.value).endswith("no wave 'nope' (waves: baseline)")
    with pytest.raises(InputError, match="audience must be one of"):
        report_data(folder, "board")
    with pytest.raises(InputError, match="as_of must be YYYY-MM-DD"):
        report_data(folder, "client", as_of="2026-13-40")
    data = report_data(folder, "client")
    assert data.audience == "client" and "cells" in data.cube
