"""Usage exports written in a locale's day/month order: settled once per file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import DateOrderError
from adoption_lib.inputs.roster import load_roster
from adoption_lib.synthetic.variants import Variant, generate_variant
from adoption_lib.usage.load import load_usage

FIGURES = ("active_users_7d", "active_users_30d", "effective_users", "dormant_users")


def _engagement(folder: Path) -> Path:
    generate_variant(folder, Variant(platform=None))
    return folder


def _rewrite(folder: Path, fmt: str, keep=lambda when: True, zone: str | None = None) -> None:
    """Write the events' times in ``fmt`` (strftime), as local times in ``zone`` when
    given, keeping the rows ``keep`` accepts."""
    path = folder / "exports" / "usage" / "events.csv"
    events = pd.read_csv(path, dtype=str)
    when = pd.to_datetime(events["occurred_at"], utc=True)
    events = events[when.map(keep)]
    shown = when[events.index]
    events["occurred_at"] = (shown.dt.tz_convert(zone) if zone else shown).dt.strftime(fmt)
    events.to_csv(path, index=False)


def _figures(folder: Path) -> dict[str, object]:
    """The headline usage figures, and the first and last event (minute precision)."""
    engagement = load_engagement(folder)
    result = load_usage(engagement, load_roster(engagement))
    figures = {k: result.metrics[k] for k in FIGURES}
    first, last = result.sources[0].coverage
    figures["coverage"] = (f"{first:%Y-%m-%d %H:%M}", f"{last:%Y-%m-%d %H:%M}")
    return figures


def test_day_first_log_gives_the_iso_figures(tmp_path: Path) -> None:
    iso = _engagement(tmp_path / "iso")
    gb = _engagement(tmp_path / "gb")
    _rewrite(gb, "%d/%m/%Y %H:%M")
    us = _engagement(tmp_path / "us")
    _rewrite(us, "%m/%d/%Y %I:%M %p")
    expected = _figures(iso)
    assert expected["active_users_30d"] > 0
    assert _figures(gb) == expected
    assert _figures(us) == expected


def _early_october(when: datetime) -> bool:
    return when.month == 10 and when.day <= 12


def test_days_all_twelve_or_less_are_settled_by_the_usage_coverage(tmp_path: Path) -> None:
    # 01/10/2026 as month-first is 10 January, months before go-live (4 May 2026).
    iso = _engagement(tmp_path / "iso")
    _rewrite(iso, "%Y-%m-%dT%H:%M:%S+00:00", _early_october)
    gb = _engagement(tmp_path / "gb")
    _rewrite(gb, "%d/%m/%Y %H:%M:%S", _early_october)
    assert _figures(gb) == _figures(iso)


def test_undecidable_log_asks_for_date_order_and_honours_it(tmp_path: Path) -> None:
    folder = _engagement(tmp_path / "e")
    # 5 and 6 October, or 10 May and 10 June: with go-live in April, both fit the coverage.
    _rewrite(folder, "%d/%m/%Y %H:%M", lambda w: w.month == 10 and 5 <= w.day <= 6)
    config = folder / "engagement.yml"
    config.write_text(config.read_text().replace("go_live: 2026-05-04", "go_live: 2026-04-01"))
    with pytest.raises(DateOrderError) as caught:
        _figures(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'exports' / 'usage' / 'events.csv'}: dates such as")
    assert "add date_order: dmy or date_order: mdy" in message
    config.write_text(
        config.read_text().replace(
            "    format: events\n", "    format: events\n    date_order: dmy\n"
        )
    )
    assert _figures(folder)["active_users_30d"] > 0


def test_local_times_take_the_export_timezone(tmp_path: Path) -> None:
    utc = _engagement(tmp_path / "utc")
    ny = _engagement(tmp_path / "ny")
    _rewrite(ny, "%d/%m/%Y %H:%M:%S", zone="America/New_York")
    config = ny / "engagement.yml"
    config.write_text(
        config.read_text().replace(
            "    format: events\n", "    format: events\n    timezone: America/New_York\n"
        )
    )
    assert _figures(ny) == _figures(utc)


def test_inventory_reads_a_gzipped_day_first_log(tmp_path: Path) -> None:
    import gzip

    from adoption_lib.inputs.inventory import take_inventory

    iso = _engagement(tmp_path / "iso")
    gb = _engagement(tmp_path / "gb")
    _rewrite(gb, "%d/%m/%Y %H:%M:%S")
    plain = gb / "exports" / "usage" / "events.csv"
    (plain.parent / "events.csv.gz").write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    config = gb / "engagement.yml"
    config.write_text(config.read_text().replace("events.csv", "events.csv.gz"))
    want = next(i for i in take_inventory(load_engagement(iso)) if i.role == "usage")
    got = next(i for i in take_inventory(load_engagement(gb)) if i.role == "usage")
    assert (got.rows, got.unparsed_times, got.note) == (want.rows, 0, "")
    assert (got.first, got.last) == (want.first, want.last)


def test_local_times_take_the_engagement_timezone(tmp_path: Path) -> None:
    utc = _engagement(tmp_path / "utc")
    tokyo = _engagement(tmp_path / "tokyo")
    _rewrite(tokyo, "%Y-%m-%d %H:%M:%S", zone="Asia/Tokyo")
    config = tokyo / "engagement.yml"
    naive = _figures(tokyo)
    assert naive["coverage"] != _figures(utc)["coverage"]  # read as UTC: nine hours late
    config.write_text(config.read_text().replace("licenses:", "timezone: Asia/Tokyo\nlicenses:", 1))
    assert _figures(tokyo) == _figures(utc)
