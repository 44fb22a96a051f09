"""The cache folder is this user's own: a planted or loosened folder is replaced, never read."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.errors import RunError
from adoption_lib.inputs.cache import owned_folder
from adoption_lib.reports.bundle import ReportData, write_bundles
from adoption_lib.reports.stored import load
from adoption_lib.survey.quality_report import QualityReport


class _Planted:
    """Unpickling this would run code: the test fails if it ever is."""

    def __reduce__(self):
        return (os.system, ("touch RAN",))


def test_a_world_writable_cache_folder_is_replaced_unread(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "client.pkl").write_bytes(pickle.dumps(_Planted()))
    folder.chmod(0o777)
    assert owned_folder(folder) == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list(folder.iterdir()) == []  # the planted file is gone, never loaded
    assert not (tmp_path / "RAN").exists() and not Path("RAN").exists()


def test_a_symbolic_link_in_place_of_the_folder_is_removed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone else's")
    link = tmp_path / "cache"
    link.symlink_to(elsewhere)
    owned_folder(link)
    assert link.is_dir() and not link.is_symlink()
    assert (elsewhere / "keep.txt").read_text() == "someone else's"  # not followed


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to plant another user's folder")
def test_a_folder_owned_by_another_user_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / "client.pkl").write_bytes(b"planted")
    os.chown(folder, 12345, 12345)
    owned_folder(folder)
    assert folder.stat().st_uid == os.getuid()
    assert list(folder.iterdir()) == []


def test_cached_bundles_are_data_and_owner_only(tmp_path: Path) -> None:
    quality = QualityReport(10, 9, {"duplicate": 1}, "speeders", 300.0, 0, 0.5)
    data = ReportData(
        "client",
        {"client": "Acme", "client_dimensions": ["department"]},
        {"survey": {"rows_received": 10}, "notes": ["a", "b"]},
        {"cells": pd.DataFrame({"department": ["(all)", "Sales"], "n": [10.0, None]})},
        quality={"report": quality},
    )
    write_bundles({"client": data}, tmp_path / "cache")
    folder = tmp_path / "cache" / "client"
    assert sorted(p.name for p in folder.iterdir()) == ["0.parquet", "data.json"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
    back = load(folder)
    assert back.summary == data.summary and back.engagement == data.engagement
    assert back.quality["report"] == quality
    pd.testing.assert_frame_equal(back.cube["cells"], data.cube["cells"])
    assert b"pickle" not in (folder / "data.json").read_bytes()


def test_a_tampered_bundle_naming_another_type_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "data.json").write_text('{"__kind__": "Popen", "fields": {"args": "touch RAN"}}')
    with pytest.raises(RunError, match="holds a 'Popen', which no bundle has"):
        load(folder)
    assert not Path("RAN").exists()
