"""The usage metric code runs unchanged on Spark and gives DuckDB's exact answers.

:mod:`adoption_lib.usage.metrics` is written in ibis only. Here the same seeded activity is
loaded into an embedded DuckDB and into pyspark in local mode (UTC session), and every
exact figure is compared: window actives, the daily-active sum behind DAU/MAU,
effective users, who ever and recently used the system, active days per user, key
feature breadth, and the snapshot (last-activity report) windows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import ibis
import numpy as np
import pandas as pd
import pytest

from adoption_lib.inputs.usage_readers import connect, register_frame
from adoption_lib.usage.metrics import activity_figures, daily_activity, snapshot_figures

pytestmark = pytest.mark.spark

END = datetime(2026, 11, 2)
FEATURES = ["Account", "Contact", "Opportunity", "Case", "Report", None]
KEYS = ["Account", "Contact", "Opportunity", "Case"]


def _activity(seed: int = 20261123) -> pd.DataFrame:
    """Seeded events: 300 users with their own habits over 120 days, some exact ties."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(300):
        rate = rng.choice([0.0, 0.05, 0.2, 0.6, 0.9])
        for day in range(120):
            if rng.random() < rate:
                for _ in range(int(rng.integers(1, 4))):
                    seconds = int(rng.integers(0, 86400))
                    ts = END - timedelta(days=day + 1) + timedelta(seconds=seconds)
                    rows.append((f"u{user:03d}@example.com", ts, FEATURES[rng.integers(0, 6)]))
    # boundaries: exactly at a window's start, and just before END
    rows.append(("edge@example.com", END - timedelta(days=30), "Case"))
    rows.append(("edge@example.com", END - timedelta(microseconds=1), "Account"))
    frame = pd.DataFrame(rows, columns=["user_key", "ts", "feature"])
    return frame.astype({"user_key": object, "feature": object})


def _snapshot(activity: pd.DataFrame) -> pd.DataFrame:
    last = activity.groupby(["user_key", "feature"], dropna=True)["ts"].max().dt.normalize()
    frame = last.rename("last_active").reset_index()
    frame["licensed"] = True
    return frame.astype({"user_key": object, "feature": object})


def _both(spark_session, name: str, frame: pd.DataFrame) -> tuple[ibis.Table, ibis.Table]:
    duck = register_frame(connect(), name, frame)
    # a missing text is None for Spark, which would store pandas' NaN as the text "NaN"
    texts = {
        c: frame[c].astype(object).where(frame[c].notna(), None)
        for c in ("user_key", "feature")
        if c in frame
    }
    plain = frame.assign(**texts).astype(dict.fromkeys(texts, object))
    spark = ibis.pyspark.connect(spark_session).create_table(name, plain, overwrite=True)
    return duck, spark


def _sorted(table: ibis.Table) -> pd.DataFrame:
    frame = table.execute().sort_values(["user_key", "day"]).reset_index(drop=True)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.astype({"user_key": str, "actions": "float64", "events": "int64"})


def test_activity_figures_equal_on_spark_and_duckdb(spark_session) -> None:
    frame = _activity()
    duck_events, spark_events = _both(spark_session, "activity", frame)
    duck = daily_activity(duck_events, END, KEYS)
    spark = daily_activity(spark_events, END, KEYS)
    # the compact table itself is the same on both backends
    pd.testing.assert_frame_equal(_sorted(duck), _sorted(spark), check_dtype=False)
    a = activity_figures(duck, END, key_features=KEYS)
    b = activity_figures(spark, END, key_features=KEYS)
    assert a.active == b.active
    assert a.daily_active_sum == b.daily_active_sum
    assert a.effective == b.effective
    assert a.ever == b.ever and a.recent == b.recent
    pd.testing.assert_series_equal(a.days_4w, b.days_4w, check_names=False)
    pd.testing.assert_series_equal(a.breadth, b.breadth, check_names=False)
    # the comparison is not vacuous: real, varied figures
    assert len(a.active[1]) < len(a.active[7]) < len(a.active[30]) < len(a.ever)
    assert 0 < len(a.effective) < len(a.active[30])
    assert "edge@example.com" in a.active[1] and "edge@example.com" in a.active[30]
    # and independent of both backends: the 30-day actives by pandas
    recent = frame[frame["ts"] >= END - timedelta(days=30)]
    assert a.active[30] == set(recent["user_key"])
    days = recent.assign(day=recent["ts"].dt.date)[["user_key", "day"]].drop_duplicates()
    assert a.daily_active_sum == len(days)
    keyed = recent[recent["feature"].isin(KEYS)].groupby("user_key")["feature"].nunique()
    expected = keyed.reindex(sorted(a.active[30])).fillna(0).astype(int)
    pd.testing.assert_series_equal(a.breadth, expected, check_names=False)


def test_snapshot_figures_equal_on_spark_and_duckdb(spark_session) -> None:
    frame = _snapshot(_activity())
    duck, spark = _both(spark_session, "snapshot", frame)
    a = snapshot_figures(duck, END, KEYS)
    b = snapshot_figures(spark, END, KEYS)
    assert a.active == b.active and a.ever == b.ever
    pd.testing.assert_series_equal(a.breadth, b.breadth, check_names=False)
    assert 0 < len(a.active[7]) < len(a.active[30])
