"""Usage readers on vendor-layout fixtures, metrics by hand, and the demo's planted figures.

Fixtures (tests/fixtures/usage/), written after the documented layouts:
* ``login_history_report.csv``: Salesforce LoginHistory fields (object reference
  "LoginHistory": UserId, LoginTime, LoginType, Status, Application, ApiType) as a report
  export carries them: 15-character case-sensitive ids, UTF-8 BOM, CRLF, rows out of
  time order, a failed password, an "Other Apex API" login and a Data Loader login.
* ``users.csv``: a Data Loader User export (upper-case headers, quoted values,
  18-character ids, LastLoginDate), with two users whose 15-character ids differ only in
  letter case, a plus-addressed email and a user who never logged in.
* ``events.csv``: a generic event log with a double-logged row, mixed offsets and one
  naive timestamp.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.inputs.roster import load_roster
from adoption_lib.synthetic import DEMO_SEED
from adoption_lib.synthetic.planted import read_planted
from adoption_lib.usage.load import load_usage

from .conftest import SECOND_SEED

FIXTURES = Path(__file__).parent / "fixtures" / "usage"
ROSTER = """email,department,role,supervisor,licensed
ann@example.com,Sales,end user,boss@example.com,TRUE
bob@example.com,Sales,end user,boss@example.com,TRUE
cat@example.com,Service,end user,boss@example.com,TRUE
dan@example.com,Service,end user,boss@example.com,TRUE
eve@example.com,Service,end user,boss@example.com,TRUE
"""


def _engagement(tmp_path: Path, exports: str, licenses: int = 8) -> Path:
    for name in ("login_history_report.csv", "users.csv", "events.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "engagement.yml").write_text(
        f"""client: Example
system: Salesforce
go_live: 2026-03-01
assessment_date: 2026-11-02
renewal_date: 2027-03-01
licenses: {licenses}
roster: roster.csv
key_features: [Opportunity, Account, Contact, Case]
usage_exports:
{exports}"""
    )
    return tmp_path


LOGINS = """  - path: login_history_report.csv
    format: salesforce_login_history
    users: users.csv
"""
EVENTS = """  - path: events.csv
    format: events
    timezone: Europe/London
    columns: {user_key: actor, ts: logged_at, event: action, feature: object}
"""


def _usage(folder: Path):
    engagement = load_engagement(folder)
    return load_usage(engagement, load_roster(engagement))


def test_login_history_qualifying_logins_and_the_15_18_trap(tmp_path: Path) -> None:
    result = _usage(_engagement(tmp_path, LOGINS))
    source = result.sources[0]
    assert source.rows_read == 6
    # ann (SSO), bob (Application + mobile); not the failed password, the Apex API
    # login or cat's Data Loader login; ann and bob differ only in the case of their
    # 15-character ids and must stay two people.
    activity = source.activity.execute().sort_values("ts")
    assert activity["user_key"].tolist() == [
        "bob@example.com",
        "bob@example.com",
        "ann@example.com",
    ]
    m = result.metrics
    assert m["active_users_30d"] == 2 and m["active_users_7d"] == 2 and m["active_users_1d"] == 0
    assert m["license_utilisation"] == 0.25
    # cat's only use is an API login, but LastLoginDate shows she was activated; eve's
    # last login predates LoginHistory; dan never logged in.
    assert m["dormant_users"] == 2 and m["never_activated"] == 1
    assert m["unassigned_seats"] == 3
    assert m["feature_breadth_median"] is None
    assert result.unavailable["feature_breadth_median"] == "no usage export names features"
    assert result.not_on_roster == 0  # the integration user has no qualifying login


def test_event_log_dedupe_offsets_and_breadth(tmp_path: Path) -> None:
    result = _usage(_engagement(tmp_path, EVENTS))
    source = result.sources[0]
    assert source.rows_read == source.rows_qualifying == 6
    # the double-logged row is kept as read; counts of actions fold it (below)
    activity = source.activity.execute().sort_values("ts").drop_duplicates()
    assert len(activity) == 5
    times = dict(zip(activity["event"], activity["ts"].astype(str), strict=True))
    assert times["Opportunity Updated"] == "2026-10-30 09:00:00"  # +01:00
    assert (
        times["Contact Created"] == "2026-10-29 08:00:00"
    )  # naive, Europe/London is UTC+0 on 29 Oct
    assert (
        times["Case Created"] == "2026-11-02 04:30:00"
    )  # -05:00, after as_of: outside every window
    m = result.metrics
    assert m["active_users_30d"] == 3  # ann, bob (upper-case email), cat
    assert (
        m["feature_breadth_median"] == 1.0
    )  # ann 2 (Opportunity, Account), bob 1, cat 0 (Report is not key)
    assert m["never_activated"] == 2 and m["dormant_users"] == 0


def test_effective_users_and_days_per_week_by_hand(tmp_path: Path) -> None:
    rows = ["event_id,logged_at,actor,action,object"]
    # ann: weeks 0, 1 and 3 before as_of (effective); bob: weeks 0 and 2 only.
    for n, (who, day) in enumerate(
        [
            ("ann", "2026-11-01"),
            ("ann", "2026-10-25"),
            ("ann", "2026-10-08"),
            ("bob", "2026-10-31"),
            ("bob", "2026-10-17"),
        ]
    ):
        rows.append(f"e{n},{day}T10:00:00Z,{who}@example.com,Account Viewed,Account")
    folder = _engagement(tmp_path, EVENTS)
    (folder / "events.csv").write_text("\n".join(rows) + "\n")
    m = _usage(folder).metrics
    assert m["effective_users"] == 1
    assert m["active_users_7d"] == 2
    # days per week over 4 weeks: ann 3/4, bob 2/4, cat/dan/eve 0 -> median 0
    assert m["median_active_days_per_week"] == 0.0
    assert m["dau_mau"] == pytest.approx((5 / 30) / 2, abs=1e-4)


def test_no_usage_export_is_null_with_a_reason(tmp_path: Path) -> None:
    folder = _engagement(tmp_path, "  []\n")
    (folder / "engagement.yml").write_text(
        (folder / "engagement.yml").read_text().replace("usage_exports:\n  []", "usage_exports: []")
    )
    result = _usage(folder)
    assert result.metrics["active_users_30d"] is None
    assert result.unavailable["active_users_30d"] == "no usage export"


@pytest.mark.parametrize("seed", [DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def test_demo_usage_matches_planted(seed: int, generated: dict[int, Path]) -> None:
    folder = generated[seed]
    truth = read_planted(folder / "PLANTED.md")
    engagement = load_engagement(folder)
    result = load_usage(
        engagement, load_roster(engagement), as_of=date.fromisoformat(truth["as_of"])
    )
    m = result.metrics
    for key in (
        "active_users_30d",
        "license_utilisation",
        "effective_users",
        "dormant_users",
        "never_activated",
        "unassigned_seats",
        "licensed_users",
    ):
        assert m[key] == truth[key], key
    # integrations that write events, contractors and leavers: reported, never counted
    assert result.not_on_roster == 1 + len(truth["not_on_roster"]["contractor"]) + len(
        truth["not_on_roster"]["leaver"]
    )


def test_group_usage_latency_by_hand(tmp_path: Path) -> None:
    from adoption_lib.usage.groups import group_usage

    folder = _engagement(
        tmp_path,
        EVENTS.replace("feature: object}", "feature: object, record_occurred_at: happened}"),
    )
    (folder / "events.csv").write_text(
        "event_id,logged_at,actor,action,object,happened\n"
        "e1,2026-10-30T10:00:00Z,ann@example.com,Activity Logged,Activity,2026-10-30\n"
        "e2,2026-10-30T11:00:00Z,bob@example.com,Activity Logged,Activity,2026-10-26\n"
        "e3,2026-10-31T11:00:00Z,bob@example.com,Activity Logged,Activity,2026-10-30\n"
        "e4,2026-10-31T12:00:00Z,cat@example.com,Account Viewed,Account,\n"
    )
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    table = group_usage(load_usage(engagement, roster), roster, "department", k=2).set_index(
        "department"
    )
    # Sales: ann 0 days, bob 4 and 1 days -> median 1, 1 of 3 entries more than 2 days late
    assert table.loc["Sales", "latency_median_days"] == 1.0
    assert table.loc["Sales", "late_share"] == pytest.approx(1 / 3)
    assert table.loc["Sales", "active_30d"] == 2 and table.loc["Sales", "active_share"] == 1.0
    # Service: cat alone is active; at k=2 a count of one person is withheld with its share
    assert table.loc["Service", "active_30d_withheld"]
    assert pd.isna(table.loc["Service", "active_30d"]) and pd.isna(
        table.loc["Service", "active_share"]
    )
    # dan and eve have no event at all: never activated; nobody used 3 of 4 weeks
    assert table.loc["Service", "never_activated"] == 2
    assert table.loc["Service", "never_activated_share"] == pytest.approx(2 / 3)
    assert table.loc["Sales", "never_activated"] == 0 and table.loc["Sales", "dormant"] == 0
    assert table.loc["Sales", "effective"] == 0 and table.loc["Sales", "effective_share"] == 0
    # at k=3 a count of 1 or 2 inside a shown group is withheld with its share
    k3 = group_usage(load_usage(engagement, roster), roster, "department", k=3)
    assert k3["suppressed"].all()  # Sales has 2 licensed users; Service is its complement
    small = group_usage(load_usage(engagement, roster), roster, "department", k=5)
    assert small["suppressed"].all()  # 2 and 3 licensed users: both withheld at k=5


@pytest.mark.parametrize("seed", [DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def test_demo_late_entry_department_and_high_use_team(
    seed: int, generated: dict[int, Path]
) -> None:
    from adoption_lib.usage.groups import group_usage

    folder = generated[seed]
    truth = read_planted(folder / "PLANTED.md")
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    usage = load_usage(engagement, roster)
    departments = group_usage(usage, roster, "department", 5).set_index("department")
    assert departments["late_share"].idxmax() == "Field Sales"
    assert departments["latency_median_days"].idxmax() == "Field Sales"
    for name, planted in truth["departments"].items():
        assert departments.loc[name, "late_share"] == pytest.approx(
            planted["late_entry_share"], abs=0.002
        )
    teams = group_usage(usage, roster, "supervisor", 5)
    shown = teams[~teams["suppressed"]].set_index("supervisor")
    assert shown["active_days_per_week"].idxmax() == truth["strong_team"]["supervisor"]


def test_trends_bands_segments_and_first_use_by_hand(tmp_path: Path) -> None:
    from datetime import datetime

    from adoption_lib.usage.trends import usage_trends

    rows = ["event_id,logged_at,actor,action,object"]
    features = ["Opportunity", "Account", "Contact"]
    for n in range(16):  # ann: 16 days from 10 Oct, three key features -> daily, power
        rows.append(
            f"a{n},2026-10-{10 + n:02d}T10:00:00Z,ann@example.com,Updated,{features[n % 3]}"
        )
    for n, day in enumerate(["2026-08-01", "2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"]):
        rows.append(f"b{n},{day}T10:00:00Z,bob@example.com,Updated,Account")  # weekly, low
    rows.append("c0,2026-10-23T10:00:00Z,cat@example.com,Updated,Case")  # monthly, novice
    rows.append("d0,2026-03-01T10:00:00Z,dan@example.com,Updated,Case")  # covers go-live
    rows.append("d1,2026-09-01T10:00:00Z,dan@example.com,Updated,Case")  # rare, non-user
    folder = _engagement(tmp_path, EVENTS)
    (folder / "events.csv").write_text("\n".join(rows) + "\n")
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    result = load_usage(engagement, roster)
    trends = usage_trends(
        result, list(roster["email"]), datetime(2026, 3, 1), list(engagement.key_features)
    )
    assert trends.bands == {"daily": 1, "weekly": 1, "monthly": 1, "rare": 1, "none": 1}
    assert trends.segments == {"power": 1, "habitual": 0, "novice": 1, "low": 1, "non_user": 2}
    # first use after go-live (1 March): ann 223, bob 153, cat 236, dan 0 days -> median 188
    assert trends.figures["time_to_first_use_median_days"] == 188.0
    assert trends.figures["events_per_active_day_median"] == 1.0
    last = trends.weekly.iloc[-1]
    assert (last["week_start"], last["active"], last["share"]) == ("2026-10-26", 1, 0.2)


def test_trends_say_why_when_a_source_cannot_tell(tmp_path: Path) -> None:
    from datetime import datetime

    from adoption_lib.usage.trends import usage_trends

    folder = _engagement(tmp_path, LOGINS)
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    trends = usage_trends(
        load_usage(engagement, roster), list(roster["email"]), datetime(2026, 3, 1), []
    )
    assert trends.figures["time_to_first_use_median_days"] is None
    assert trends.unavailable["time_to_first_use_median_days"] == "no usage export covers go-live"
    assert (
        trends.unavailable["events_per_active_day_median"]
        == "only login histories: logins are not work"
    )


def test_cohort_retention_by_hand(tmp_path: Path) -> None:
    from adoption_lib.usage.trends import cohort_retention

    rows = ["event_id,logged_at,actor,action,object"]
    # September cohort: ann, bob, cat; October: ann and bob return. October cohort: dan.
    for n, (who, day) in enumerate(
        [
            ("ann", "2026-09-03"),
            ("bob", "2026-09-10"),
            ("cat", "2026-09-20"),
            ("ann", "2026-10-02"),
            ("bob", "2026-10-30"),
            ("dan", "2026-10-15"),
        ]
    ):
        rows.append(f"e{n},{day}T10:00:00Z,{who}@example.com,Updated,Account")
    folder = _engagement(tmp_path, EVENTS)
    (folder / "events.csv").write_text("\n".join(rows) + "\n")
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    result = load_usage(engagement, roster)
    table = cohort_retention(result, list(roster["email"]), k=1).set_index(["cohort", "month"])
    assert table.loc[("2026-09", 0), "active"] == 3 and table.loc[
        ("2026-09", 1), "retention"
    ] == pytest.approx(2 / 3)
    assert table.loc[("2026-10", 0), "cohort_size"] == 1
    small = cohort_retention(result, list(roster["email"]), k=5)
    assert small["suppressed"].all()  # cohorts of 3 and 1 at k=5


def test_weeks_are_half_open_like_the_windows(tmp_path: Path) -> None:
    """An action exactly 28 days before as_of is in the 4-week window's oldest week, not a fifth."""
    rows = ["event_id,logged_at,actor,action,object"]
    # ann: 2026-10-05 00:00 (exactly 4 weeks before as_of) and 2026-10-06: week 3 both;
    # and 2026-11-01: week 0. Two weeks: not effective.
    for n, (who, ts) in enumerate(
        [
            ("ann", "2026-10-05T00:00:00Z"),
            ("ann", "2026-10-06T10:00:00Z"),
            ("ann", "2026-11-01T10:00:00Z"),
            ("bob", "2026-10-05T00:00:00Z"),
            ("bob", "2026-10-19T00:00:00Z"),
            ("bob", "2026-10-26T00:00:00Z"),
        ]
    ):
        rows.append(f"e{n},{ts},{who}@example.com,Account Viewed,Account")
    folder = _engagement(tmp_path, EVENTS)
    (folder / "events.csv").write_text("\n".join(rows) + "\n")
    result = _usage(folder)
    # bob: weeks 3, 1 and 0 (2026-10-26 00:00 is exactly 7 days before: week 0)
    assert result.effective == {"bob@example.com"}
    assert result.metrics["active_users_7d"] == 2  # ann (1 Nov) and bob (26 Oct 00:00)


def test_double_logged_events_count_once_in_depth(tmp_path: Path) -> None:
    from datetime import datetime

    from adoption_lib.usage.trends import usage_trends

    folder = _engagement(tmp_path, EVENTS)
    (folder / "events.csv").write_text(
        "event_id,logged_at,actor,action,object\n"
        "e1,2026-10-30T10:00:00Z,ann@example.com,Opportunity Updated,Opportunity\n"
        "e1,2026-10-30T10:00:00Z,ann@example.com,Opportunity Updated,Opportunity\n"
        "e2,2026-10-30T11:00:00Z,ann@example.com,Account Viewed,Account\n"
    )
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    result = load_usage(engagement, roster)
    trends = usage_trends(
        result, list(roster["email"]), datetime(2026, 3, 1), list(engagement.key_features)
    )
    assert trends.figures["events_per_active_day_median"] == 2.0  # not 3
