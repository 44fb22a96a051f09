"""The one-scan activity table equals the portable definition, and pandas, on odd files.

:mod:`adoption_lib.inputs.usage_readers.activity_scan` builds the compact table in one
aggregate per export; :func:`adoption_lib.usage.metrics.daily_activity` defines it over
per-event rows. Here two overlapping event logs, with repeated rows, spellings of one
address, rows without a user or a readable time, rows after ``as_of`` and accounts not
on the roster, go through the scan, and the result is compared with the definition run
on the same events as pandas parsed them, and with counts pandas makes itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from adoption_lib.config.schema import MAX_KEY_FEATURES, Engagement, UsageExport
from adoption_lib.errors import ConfigError
from adoption_lib.inputs.usage_readers import connect, read_event_log, register_frame
from adoption_lib.inputs.usage_readers.activity_scan import merge_scans, scan_source
from adoption_lib.usage.groups import weighted_quantile
from adoption_lib.usage.metrics import daily_activity

END = datetime(2026, 11, 2)
KEYS = ["Account", "Case", "Report"]
LICENSED = ["ann@example.com", "bob@example.com", "cy@example.com"]
COLUMNS = {"user_key": "actor", "ts": "when", "feature": "object", "event": "action"}


def _rows(seed: int) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(seed)
    spellings = ["ann@example.com", " ANN@example.com", "ann+crm@example.com", "bob@example.com"]
    spellings += ["cy@example.com", "ghost@example.com", ""]
    rows = []
    for _ in range(400):
        when = END - timedelta(days=int(rng.integers(-3, 70)), seconds=int(rng.integers(0, 86400)))
        feature = ["Account", "Case", "Report", "Lead", ""][int(rng.integers(0, 5))]
        rows.append((spellings[int(rng.integers(0, 7))], f"{when:%Y-%m-%dT%H:%M:%S}Z", feature))
    rows += rows[:40]  # the same rows exported twice
    rows.append(("bob@example.com", "not a time", "Case"))
    return rows


def _write(path: Path, rows: list[tuple[str, str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["actor", "when", "object"]).assign(action="view")
    frame.to_csv(path, index=False)


def _expected_events(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The events as pandas reads them: normalised users, UTC times, licensed only."""
    frame = pd.DataFrame(rows, columns=["user_key", "ts", "feature"])
    frame["user_key"] = (
        frame["user_key"].str.strip().str.lower().str.replace(r"\+[^@]*@", "@", regex=True)
    )
    ts = pd.to_datetime(frame["ts"], errors="coerce", utc=True, format="ISO8601")
    frame["ts"] = ts.dt.tz_localize(None).astype("datetime64[us]")
    frame["feature"] = frame["feature"].replace("", None)
    frame = frame[frame["user_key"].isin(LICENSED) & frame["ts"].notna()]
    return frame.astype({"user_key": object, "feature": object}).reset_index(drop=True)


def _scan(tmp_path: Path, keys: list[str] = KEYS):
    first, second = _rows(1), _rows(2)
    _write(tmp_path / "a.csv", first)
    _write(tmp_path / "b.csv", second + first[:25])  # overlaps the first export
    con = connect()
    sources = [
        read_event_log(
            con, UsageExport(path=str(tmp_path / n), format="events", columns=COLUMNS), f"s{i}"
        )
        for i, n in enumerate(("a.csv", "b.csv"))
    ]
    for source in sources:
        scan_source(con, source, END, keys)
    people = register_frame(con, "people", pd.DataFrame({"user_key": LICENSED}))
    return con, sources, merge_scans(con, sources, people, END), first + second + first[:25]


def _pandas_bucket(ts: pd.Series) -> pd.Series:
    """The activity table's day for each time, by the rule the scan documents, in pandas."""
    end = pd.Timestamp(END)
    back = np.ceil((end - ts) / pd.Timedelta(days=7)) - 1  # week 0 is [end - 7d, end)
    week = end - pd.to_timedelta(7 * (back + 1), unit="D")
    month = ts.dt.to_period("M").dt.start_time
    older = np.maximum(week.to_numpy(), month.to_numpy())
    return pd.Series(
        np.where(ts >= end - pd.Timedelta(days=30), ts.dt.normalize().to_numpy(), older),
        index=ts.index,
    ).astype("datetime64[us]")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"user_key": str}).sort_values(["user_key", "day"]).reset_index(drop=True)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.astype({"events": "int64", "key_features": "int64", "actions": "float64"})


def test_the_scan_equals_the_definition_and_pandas(tmp_path: Path) -> None:
    con, _, tables, rows = _scan(tmp_path)
    events = _expected_events(rows)
    definition = daily_activity(register_frame(con, "events", events), END, KEYS).execute()
    found = tables.days.execute()
    pd.testing.assert_frame_equal(_sorted(found), _sorted(definition), check_dtype=False)
    # and pandas on its own: one row per user and day over 30 days, per user, week and
    # month before that
    before = events[events["ts"] < END]
    buckets = before.assign(d=_pandas_bucket(before["ts"]))
    per_row = buckets.groupby(["user_key", "d"]).agg(events=("ts", "size"), first=("ts", "min"))
    assert list(_sorted(found)["day"]) == list(per_row.index.get_level_values("d"))
    assert list(_sorted(found)["events"]) == list(per_row["events"])
    assert list(_sorted(found)["first_ts"]) == list(per_row["first"])
    # weeks are split where a month begins: 1 October and 1 September start rows
    assert {pd.Timestamp("2026-10-01"), pd.Timestamp("2026-09-01")} <= set(per_row.index.levels[1])
    assert len(found) < len(
        before.assign(d=before["ts"].dt.date)[["user_key", "d"]].drop_duplicates()
    )
    assert int(found["events"].sum()) == len(before)  # repeats counted as rows
    recent = before[(before["ts"] >= END - timedelta(days=30)) & before["feature"].notna()]
    assert int(found["actions"].sum()) == len(recent.drop_duplicates(["user_key", "ts", "feature"]))
    assert int(found["actions"].sum()) < len(recent)  # the repeated rows did fold
    assert tables.not_on_roster == {"ghost@example.com"}


def test_a_source_counted_by_the_scan_gets_its_rows_and_coverage(tmp_path: Path) -> None:
    _, sources, _, _ = _scan(tmp_path)
    first = _rows(1)
    assert sources[0].rows_read == len(first)
    assert sources[0].rows_qualifying == sum(1 for r in first if r[0].strip())
    times = pd.to_datetime([r[1] for r in first], errors="coerce", utc=True, format="ISO8601")
    assert sources[0].coverage == (
        times.min().tz_localize(None).to_pydatetime(),
        times.max().tz_localize(None).to_pydatetime(),
    )


def test_typed_and_text_readings_of_a_file_agree(tmp_path: Path) -> None:
    odd = ["2026-10-01T09:41:05Z", "2026-10-01 09:41:05+02:00", "2026-10-01T09:41:05.123456Z"]
    odd += ["2026-10-01", "2026-10-01 09:41", "", "yesterday", "2026-10-01T23:59:59-05:00"]
    _write(tmp_path / "odd.csv", [(f"u{i}@example.com", t, "Case") for i, t in enumerate(odd)])
    con = connect()
    export = UsageExport(path=str(tmp_path / "odd.csv"), format="events", columns=COLUMNS)
    source = read_event_log(con, export, "odd")
    assert source.scan_fallback is not None  # ISO in UTC: the typed reading is used
    typed = con.raw_sql(f"SELECT raw_user, ts FROM ({source.scan_sql}) ORDER BY 1").df()
    text = con.raw_sql(f"SELECT raw_user, ts FROM ({source.scan_fallback}) ORDER BY 1").df()
    pd.testing.assert_frame_equal(typed, text)
    assert typed["ts"].notna().sum() == 6


def test_more_key_features_than_the_mask_holds_is_a_clear_error(tmp_path: Path) -> None:
    keys = [f"Feature {i}" for i in range(MAX_KEY_FEATURES + 1)]
    with pytest.raises(ConfigError, match=r"key_features: 63 listed; at most 62 can be measured"):
        _scan(tmp_path, keys)
    # and engagement.yml says so before anything is read
    with pytest.raises(ValidationError, match="at most 62 items"):
        Engagement.model_validate(
            {"client": "C", "system": "S", "go_live": "2026-01-01", "assessment_date": "2026-11-02",
             "renewal_date": "2027-01-01", "licenses": 10, "roster": "roster.csv", "key_features": keys}
        )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 9)), min_size=1, max_size=12),
    st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]),
)
def test_weighted_quantile_is_pandas_on_the_repeated_values(
    pairs: list[tuple[int, int]], q: float
) -> None:
    values = np.array([v for v, _ in pairs])
    counts = np.array([c for _, c in pairs])
    expected = pd.Series(np.repeat(values, counts)).quantile(q)
    assert weighted_quantile(values, counts, q) == pytest.approx(expected, abs=1e-12)
