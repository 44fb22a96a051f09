"""Salesforce Event Monitoring and Microsoft 365 readers on hand-written vendor fixtures.

Fixtures (tests/fixtures/usage/), written by hand after the vendors' documented layouts:

* ``eventlogs/``: Salesforce ``EventLogFile`` CSVs, one per day and type, with the field
  lists of Salesforce's *Object Reference, EventLogFile Supported Event Types*
  ("Lightning Page View Event Type", "URI Event Type", "Login Event Type";
  developer.salesforce.com/docs/.../object-eventlogfile-lightningpageview.html and
  .../object-eventlogfile-uri.html): upper-case quoted headers, ``TIMESTAMP`` as
  ``yyyyMMddHHmmss.SSS``, ``TIMESTAMP_DERIVED`` ISO UTC, 15-character ``USER_ID`` and
  18-character ``USER_ID_DERIVED``. One page-view row comes from an older layout with
  neither derived field; a day's file was downloaded twice ("(1)"); one file was
  re-saved with a BOM and CRLF; the URI file is out of time order and holds a failure
  (``F``), a redirect (``R``) and an authorization error (``A``).
* ``m365_active_users.csv``: the Microsoft 365 admin centre "Active users" detail export
  (the CSV of Graph's ``reportRoot: getOffice365ActiveUserDetail``,
  learn.microsoft.com/graph/api/reportroot-getoffice365activeuserdetail): BOM, CRLF,
  ``True``/``False`` flags, a deleted user and a service account.
* ``m365_teams_activity.csv``: the "Teams user activity" detail export (Graph's
  ``getTeamsUserActivityUserDetail``), ``Is Licensed`` as ``Yes``/``No``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adoption_lib.assessment import assess
from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.roster import load_roster
from adoption_lib.summary import usage_section
from adoption_lib.usage.load import load_usage

from .test_usage import ROSTER

FIXTURES = Path(__file__).parent / "fixtures" / "usage"


def _folder(tmp_path: Path, exports: str, key_features: str, as_of: str = "2026-11-02") -> Path:
    shutil.copytree(FIXTURES, tmp_path / "exports")
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "engagement.yml").write_text(
        f"""client: Example
system: Salesforce
go_live: 2026-03-01
assessment_date: {as_of}
renewal_date: 2027-03-01
licenses: 8
roster: roster.csv
key_features: {key_features}
usage_exports:
{exports}"""
    )
    return tmp_path


ELF = """  - path: exports/eventlogs
    format: salesforce_event_log
    users: exports/users.csv
"""
ACTIVE = """  - path: exports/m365_active_users.csv
    format: m365_active_users
"""
TEAMS = """  - path: exports/m365_teams_activity.csv
    format: m365_teams_activity
"""
CRM_KEYS = "[Opportunity, Account, Contact, Case]"
M365_KEYS = "[Teams, SharePoint, OneDrive]"


def _usage(folder: Path):
    engagement = load_engagement(folder)
    return load_usage(engagement, load_roster(engagement))


def test_event_monitoring_reads_the_folder(tmp_path: Path) -> None:
    result = _usage(_folder(tmp_path, ELF, CRM_KEYS))
    source = result.sources[0]
    # 2 + 2 (the duplicate download) + 2 page views, 4 URIs, 1 Login
    assert source.rows_read == 11
    activity = source.activity.execute().sort_values("ts")
    rows = list(
        zip(
            activity["user_key"],
            activity["ts"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3],
            activity["feature"].fillna("-"),
            strict=True,
        )
    )
    assert rows == [
        # bob: only USER_ID (15 characters, case-sensitive) and TIMESTAMP in the old layout
        ("bob@example.com", "2026-10-29 07:45:00.123", "Contact"),
        # ann's page view once, though its file was downloaded twice
        ("ann@example.com", "2026-10-30 09:15:12.345", "Opportunity"),
        # cat: the redirect counts (no record, no feature), the success names a Case
        ("cat@example.com", "2026-10-31 07:50:00.000", "-"),
        ("cat@example.com", "2026-10-31 08:01:02.500", "Case"),
        ("ann@example.com", "2026-10-31 14:09:00.000", "-"),
        ("ann@example.com", "2026-10-31 14:10:03.020", "Account"),
    ]
    m = result.metrics
    assert m["active_users_30d"] == 3 and m["active_users_1d"] == 0
    assert m["feature_breadth_median"] == 1.0  # ann 2, bob 1, cat 1
    # dan's only rows are an authorization error and a Login event: never activated;
    # eve has no log rows but a LastLoginDate: dormant.
    assert m["never_activated"] == 1 and m["dormant_users"] == 1
    assert any("3 rows of other event types or failed requests" in n for n in source.notes)


def test_event_monitoring_glob_and_bad_timestamp(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, ELF.replace("exports/eventlogs", "exports/eventlogs/*_URI.csv"), CRM_KEYS
    )
    result = _usage(folder)
    assert result.sources[0].rows_read == 4
    assert result.metrics["active_users_30d"] == 1  # cat
    uri = folder / "exports" / "eventlogs" / "2026-10-31_URI.csv"
    uri.write_text(uri.read_text().replace("20261031080102.500", "31/10/2026 08:01"))
    (folder / "exports" / "eventlogs" / "2026-10-31_URI.csv").write_text(
        uri.read_text().replace("2026-10-31T08:01:02.500Z", "")
    )
    with pytest.raises(InputFileError) as caught:
        _usage(folder)
    assert str(caught.value) == (
        "2026-10-31_URI.csv: column TIMESTAMP: '31/10/2026 08:01' is not a Salesforce "
        "timestamp (like 20240312130531.123)"
    )


def test_event_monitoring_needs_a_user_column(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ELF, CRM_KEYS)
    for path in (folder / "exports" / "eventlogs").glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        path.write_text(text.replace('"USER_ID_DERIVED"', '"X1"').replace('"USER_ID"', '"X2"'))
    with pytest.raises(InputFileError, match="no USER_ID_DERIVED or USER_ID column"):
        _usage(folder)


def test_m365_active_users_snapshot(tmp_path: Path) -> None:
    result = _usage(_folder(tmp_path, ACTIVE, M365_KEYS))
    m = result.metrics
    # The report's date is 2026-10-31, so its windows end then: 1 day is 31 October.
    assert m["active_users_1d"] == 1  # ann
    assert m["active_users_7d"] == 2 and m["active_users_30d"] == 2  # ann, dan
    assert m["license_utilisation"] == 0.25
    # bob's last use was 1 September; cat has no activity; eve is deleted in the
    # tenant (a leaver the roster still lists)
    assert m["dormant_users"] == 1 and m["never_activated"] == 2
    assert m["feature_breadth_median"] == 1.5  # ann Teams + SharePoint, dan SharePoint
    for metric in ("effective_users", "dau_mau", "median_active_days_per_week"):
        assert m[metric] is None
        assert result.unavailable[metric].startswith("last-activity reports give one date")
    assert result.not_on_roster == 1  # the Teams bot
    notes = " | ".join(result.sources[0].notes)
    assert "refreshed on 2026-10-31" in notes and "1 deleted users left out" in notes
    assert "its windows end on its own date, 2026-10-31" in notes
    section = usage_section(assess(load_engagement(tmp_path)))
    assert section["weekly_active"] == [] and section["effective_users"] is None
    assert section["unavailable"]["weekly_active"].startswith("last-activity reports")


def test_m365_products_select_what_counts(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ACTIVE + "    products: [Teams]\n", M365_KEYS)
    result = _usage(folder)
    assert result.metrics["active_users_30d"] == 1  # ann; dan used SharePoint only
    # dan is licensed on the roster but has no Teams licence in the tenant
    assert any(
        "1 users licensed on the roster have no licence" in n for n in result.sources[0].notes
    )
    (folder / "engagement.yml").write_text(
        (folder / "engagement.yml").read_text().replace("[Teams]", "[Teams, Planner]")
    )
    with pytest.raises(
        InputFileError, match=r"products Planner are not in the report \(it has: Exchange"
    ):
        _usage(folder)


def test_m365_teams_activity(tmp_path: Path) -> None:
    result = _usage(_folder(tmp_path, TEAMS, M365_KEYS))
    m = result.metrics
    assert m["active_users_7d"] == 2  # ann, bob (plus-addressed)
    assert m["dormant_users"] == 1 and m["never_activated"] == 2  # dan; cat, eve
    assert m["feature_breadth_median"] is None
    assert result.unavailable["feature_breadth_median"] == "no usage export names features"


def test_m365_report_dated_after_as_of_is_not_used(tmp_path: Path) -> None:
    result = _usage(_folder(tmp_path, TEAMS, M365_KEYS, as_of="2026-10-30"))
    assert result.metrics["active_users_30d"] is None
    reason = result.unavailable["active_users_30d"]
    assert reason.startswith("not used: refreshed on 2026-10-31, after as_of")


def test_m365_report_refreshed_on_the_assessment_date_counts_with_a_note(tmp_path: Path) -> None:
    on_the_day = _usage(_folder(tmp_path / "a", TEAMS, M365_KEYS, as_of="2026-10-31"))
    day_after = _usage(_folder(tmp_path / "b", TEAMS, M365_KEYS, as_of="2026-11-01"))
    assert on_the_day.metrics["active_users_7d"] == 2
    # the same windows as a run the day after, where the report is fresh
    for metric in ("active_users_7d", "active_users_30d", "dormant_users", "never_activated"):
        assert on_the_day.metrics[metric] == day_after.metrics[metric], metric
    notes = [n for s in on_the_day.sources for n in s.notes]
    assert (
        "refreshed on the as_of date, 2026-10-31: its windows run to the end of that day, one day past the other exports'"
        in notes
    )


def test_m365_stale_report_is_not_used(tmp_path: Path) -> None:
    result = _usage(_folder(tmp_path, TEAMS, M365_KEYS, as_of="2026-11-20"))
    assert result.metrics["never_activated"] is None
    assert "more than 7 days before as_of" in result.unavailable["never_activated"]


def test_m365_concealed_names_and_bad_dates(tmp_path: Path) -> None:
    folder = _folder(tmp_path, TEAMS, M365_KEYS)
    report = folder / "exports" / "m365_teams_activity.csv"
    text = report.read_text(encoding="utf-8-sig")
    for n, upn in enumerate(
        ["ann@example.com", "bob+teams@example.com", "cat@example.com", "dan@example.com"]
    ):
        text = text.replace(upn, f"8F1D3A2B9C0E4{n:03d}A1B2C3D4E5F6A7B8")
    report.write_text(text)
    with pytest.raises(InputFileError, match=r"user names are concealed.*Settings > Org settings"):
        _usage(folder)
    shutil.copy(FIXTURES / "m365_teams_activity.csv", report)
    report.write_text(report.read_text(encoding="utf-8-sig").replace("2026-10-26", "26/10/2026"))
    with pytest.raises(InputFileError) as caught:
        _usage(folder)
    assert str(caught.value) == (
        "m365_teams_activity.csv:row 3, column 'Last Activity Date': "
        "'26/10/2026' is not a date (YYYY-MM-DD)"
    )


def test_inventory_of_vendor_exports(tmp_path: Path) -> None:
    from adoption_lib.inputs.inventory import take_inventory

    folder = _folder(tmp_path, ELF + ACTIVE + TEAMS, CRM_KEYS)
    items = {i.path: i for i in take_inventory(load_engagement(folder))}
    logs = items["exports/eventlogs"]
    # a folder of page-view, URI and Login files with different columns, read as one
    assert (logs.rows, logs.first[:10], logs.last[:10]) == (11, "2026-10-30", "2026-10-31")
    active = items["exports/m365_active_users.csv"]
    assert (active.rows, active.first[:10], active.unparsed_times) == (6, "2026-10-31", 0)
    teams = items["exports/m365_teams_activity.csv"]
    assert (teams.rows, teams.first[:10], teams.last[:10]) == (4, "2026-08-12", "2026-10-31")
