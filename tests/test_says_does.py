"""Says versus does on one scale: reported days a week beside measured ones, with a CI.

The interval is checked against statsmodels' t interval of the mean (DescrStatsW), the
answer-to-days mapping against the instrument's ``days_per_week``, and the demo's
groups against their measured use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.weightstats import DescrStatsW

from adoption_lib.config.instrument import load_instrument
from adoption_lib.diagnosis.says_does import says_versus_does
from adoption_lib.survey.items import answer_shares, reported_days

INSTRUMENT = load_instrument("adoption_rescue_v1")


def _answers(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["respondent", "item", "value"])
    frame["na"] = frame["value"].isna()
    return answer_shares(frame, INSTRUMENT)


def test_answers_become_days_and_a_respondent_takes_their_highest() -> None:
    classified = _answers(
        [
            ("a", "use_frequency_1", 5.0),  # every working day
            ("a", "use_frequency_3", 2.0),  # reports less than monthly
            ("b", "use_frequency_1", 4.0),  # a few times a week
            ("c", "use_frequency_2", 3.0),  # a few times a month
            ("c", "entry_timeliness_1", 5.0),  # not a frequency item
        ]
    )
    days = reported_days(classified, INSTRUMENT)
    assert days.to_dict() == {"a": 5.0, "b": 2.5, "c": 0.6}


def test_the_gap_and_its_interval_per_group() -> None:
    rng = np.random.default_rng(2)
    rows, groups = [], {}
    for i in range(30):
        person = f"p{i}"
        group = "Sales" if i < 15 else "Service"
        groups[person] = group
        code = float(rng.choice([4.0, 5.0]) if group == "Sales" else rng.choice([2.0, 3.0, 4.0]))
        rows.append((person, "use_frequency_1", code))
    classified = _answers(rows)
    reported = reported_days(classified, INSTRUMENT)
    usage = pd.DataFrame({"active_days_per_week": [1.5, 1.4]}, index=["Sales", "Service"])
    table = says_versus_does(
        classified, pd.Series(groups, name="department"), usage, 5, 1.5, reported
    ).set_index("department")
    for group in ("Sales", "Service"):
        mine = reported[[p for p, g in groups.items() if g == group]]
        low, high = DescrStatsW(mine.to_numpy()).tconfint_mean()
        row = table.loc[group]
        assert row["says_days_per_week"] == pytest.approx(mine.mean())
        assert (row["says_days_low"], row["says_days_high"]) == pytest.approx((low, high))
        does = usage.loc[group, "active_days_per_week"]
        assert row["days_gap"] == pytest.approx(mine.mean() - does)
        assert (row["days_gap_low"], row["days_gap_high"]) == pytest.approx(
            (low - does, high - does)
        )
    # Sales says 2.5-5 days and does 1.5: overstated; Service's answers straddle its use
    assert table.loc["Sales", "frequency_overstated"]
    assert not table.loc["Service", "frequency_overstated"]
    assert not table["frequency_understated"].any()


def test_without_days_on_the_scale_the_earlier_rule_holds() -> None:
    classified = _answers([(f"p{i}", "use_frequency_1", 5.0) for i in range(6)])
    groups = pd.Series({f"p{i}": "Ops" for i in range(6)}, name="department")
    usage = pd.DataFrame({"active_days_per_week": [1.0]}, index=["Ops"])
    table = says_versus_does(classified, groups, usage, 5, 1.5, None)
    assert table["days_gap"].isna().all()
    assert bool(table.loc[0, "frequency_overstated"])  # 100% favourable, 1.0 day a week


def test_on_the_demo_the_groups_self_report_tracks_their_use(demo_dir) -> None:
    from adoption_lib.config.engagement import load_engagement
    from adoption_lib.pipeline import run

    says = run(load_engagement(demo_dir)).diagnosis.says_does["department"]
    shown = says[~says["suppressed"]]
    assert len(shown) >= 5
    # the departments that say more also do more
    r = shown["says_days_per_week"].corr(shown["does_days_per_week"])
    assert r > 0.7, r
    assert (shown["days_gap_low"] <= shown["days_gap"]).all()
