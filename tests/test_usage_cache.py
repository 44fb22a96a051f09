"""The usage result and the summary kept in the engagement's cache, and when they are not.

A generated two-wave engagement (not the demo): a second ``adoption summary`` prints
the same bytes without assessing anything; a changed usage export recomputes the usage
stage, while a changed survey export keeps it; a broken entry is recomputed, not read.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.cli import measure
from adoption_lib.cli.main import main as adoption
from adoption_lib.config.engagement import load_engagement
from adoption_lib.inputs.cache import KEEP, cache_entry
from adoption_lib.inputs.roster import load_roster
from adoption_lib.synthetic.variants import Variant, generate_variant
from adoption_lib.usage import stored
from adoption_lib.usage.load import load_usage


@pytest.fixture
def engagement(tmp_path: Path) -> Path:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(platform="google_forms", usage=True, waves=2, seed=11))
    return folder


def _summary(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert adoption(["summary", str(folder), "--json", *extra]) == 0
    return capsys.readouterr().out


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("computed again although nothing it reads changed")


def test_a_second_summary_is_read_from_the_cache(
    engagement: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for wave in ("baseline", "wave2"):
        first = _summary(engagement, capsys, "--wave", wave)
        assert json.loads(first)["engagement"]["client"] == "Variant Co"
        with monkeypatch.context() as patch:
            patch.setattr(measure, "compute_summary", _refuse)
            assert _summary(engagement, capsys, "--wave", wave) == first
        os.utime(engagement / "exports" / "usage" / "events.csv")  # touched, not changed
        with monkeypatch.context() as patch:
            patch.setattr(measure, "compute_summary", _refuse)
            assert _summary(engagement, capsys, "--wave", wave) == first
    # --lenient is part of the key: it assesses, and gives the same figures here
    assert (
        json.loads(_summary(engagement, capsys, "--lenient"))["usage"] == json.loads(first)["usage"]
    )
    cache = engagement / "private" / "cache"
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    kept = [p for p in cache.rglob("*") if p.is_file()]
    assert any(p.name == "days.parquet" for p in kept) and any(
        p.name == "summary.json" for p in kept
    )
    assert {oct(p.stat().st_mode & 0o777) for p in kept} == {"0o600"}


def test_the_usage_stage_is_kept_and_equals_what_it_computes(
    engagement: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_engagement(engagement)
    roster = load_roster(config)
    computed = load_usage(config, roster)
    with monkeypatch.context() as patch:
        patch.setattr("adoption_lib.usage.load._read_and_measure", _refuse)
        kept = load_usage(config, roster)
    assert kept.metrics == computed.metrics and kept.unavailable == computed.unavailable
    assert (kept.recent_users, kept.effective, kept.ever) == (
        computed.recent_users,
        computed.effective,
        computed.ever,
    )
    pd.testing.assert_series_equal(kept.active_days_4w, computed.active_days_4w)
    for name in ("days", "latency"):
        a = getattr(kept, name).execute().astype({"user_key": str})
        b = getattr(computed, name).execute().astype({"user_key": str})
        pd.testing.assert_frame_equal(a, b)
    assert [(s.format, s.rows_read, s.coverage, s.notes) for s in kept.sources] == [
        (s.format, s.rows_read, s.coverage, s.notes) for s in computed.sources
    ]
    assert kept.end == computed.end and len(computed.sources) == 1
    # another as_of is another entry
    calls = []
    real = stored.store
    monkeypatch.setattr(stored, "store", lambda r, t: (calls.append(t), real(r, t)))
    earlier = load_usage(config, roster, date(2026, 10, 26))
    assert len(calls) == 1 and earlier.metrics["as_of"] == "2026-10-26"


def test_a_changed_usage_export_recomputes_and_a_changed_survey_does_not(
    engagement: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_engagement(engagement)
    roster = load_roster(config)
    before = load_usage(config, roster)
    survey = engagement / "exports" / "survey" / "survey_google_forms.csv"
    survey.write_text(survey.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    events = engagement / "exports" / "usage" / "events.csv"
    os.utime(events)  # touched, not changed: hashed again, and still the same entry
    with monkeypatch.context() as patch:
        patch.setattr("adoption_lib.usage.load._read_and_measure", _refuse)
        assert load_usage(config, roster).metrics == before.metrics
    # one more event for a licensed user yesterday: the cache must not answer
    lines = events.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = dict(zip(header, lines[1].split(","), strict=True))
    row[header[header.index("occurred_at")]] = "2026-11-01T09:00:00Z"
    events.write_text("\n".join([*lines, ",".join(row.values())]) + "\n", encoding="utf-8")
    after = load_usage(config, roster)
    assert after.sources[0].rows_read == before.sources[0].rows_read + 1


def test_a_broken_entry_is_computed_again(engagement: Path) -> None:
    config = load_engagement(engagement)
    roster = load_roster(config)
    before = load_usage(config, roster)
    entries = list((engagement / "private" / "cache").glob(f"*/{stored.ENTRY}/result.json"))
    assert len(entries) == 1
    entries[0].write_text('{"layout": 1, "metrics": ', encoding="utf-8")  # cut short
    assert load_usage(config, roster).metrics == before.metrics
    assert json.loads(entries[0].read_text(encoding="utf-8"))["metrics"] == before.metrics


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    made = []
    for n in range(KEEP + 3):
        made.append(cache_entry(root, f"key {n}", {"/x.csv": "00"}))
        os.utime(made[-1], ns=(n * 10**9, n * 10**9))  # distinct ages, oldest first
    made.append(cache_entry(root, "key 0", {"/x.csv": "00"}))  # an old key used again
    kept = {p.name for p in root.iterdir()}
    assert len(kept) == KEEP
    assert made[0].name in kept and made[-2].name in kept
    assert made[1].name not in kept and made[3].name not in kept
