"""The input inventory: rows and date ranges straight from the files."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.inventory import format_inventory, take_inventory, write_inventory
from adoption_lib.synthetic.planted import read_planted


def test_demo_inventory_matches_what_was_written(demo_dir: Path) -> None:
    truth = read_planted(demo_dir / "PLANTED.md")
    items = {i.path: i for i in take_inventory(load_engagement(demo_dir))}
    roster = items["exports/roster.csv"]
    assert roster.rows == truth["files"]["roster"] == 603
    assert roster.time_column == "hire_date"
    logins = items["exports/usage/LoginHistory.csv"]
    assert logins.rows == truth["files"]["login_history"]
    assert logins.time_column == "LOGINTIME"
    start, end = truth["login_history_window"]
    assert start[:10] <= logins.first[:10] and logins.last[:10] <= end[:10]
    assert logins.unparsed_times == 0
    users = items["exports/usage/User.csv"]
    assert users.rows == truth["files"]["users"] == 611
    assert users.role == "usage users"
    events = items["exports/usage/crm_events.csv.gz"]
    assert events.rows == truth["files"]["events"]
    assert events.first.startswith("2026-02-02") and events.last.startswith("2026-11-01")


def test_inventory_counts_a_gzip_header_only_file(tmp_path: Path, demo_dir: Path) -> None:
    copy = tmp_path / "nw"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns("private", "reports"))
    with gzip.open(copy / "exports/usage/crm_events.csv.gz", "wt") as handle:
        handle.write("event_id,logged_at,actor_email,action,object_type,record_id,activity_date\n")
    events = next(i for i in take_inventory(load_engagement(copy)) if i.format == "events")
    assert events.rows == 0 and events.first is None


def test_unparsed_timestamps_are_counted_and_warned(tmp_path: Path, demo_dir: Path) -> None:
    copy = tmp_path / "nw"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns("private", "reports"))
    roster = copy / "exports/roster.csv"
    lines = roster.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[6], "03/02/2021")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = take_inventory(load_engagement(copy))
    assert items[0].unparsed_times == 1
    assert "1 values in hire_date are not timestamps" in format_inventory(items)


def test_xlsx_roster_is_counted(tmp_path: Path, demo_dir: Path) -> None:
    copy = tmp_path / "nw"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns("private", "reports"))
    book = Workbook()
    sheet = book.active
    sheet.append(["email", "department", "role", "supervisor"])
    for i in range(7):
        sheet.append([f"p{i}@example.com", "Sales", "end user", "boss@example.com"])
    book.save(copy / "exports/roster.xlsx")
    yml = copy / "engagement.yml"
    yml.write_text(
        yml.read_text().replace("roster: exports/roster.csv", "roster: exports/roster.xlsx")
    )
    roster = take_inventory(load_engagement(copy))[0]
    assert (roster.rows, roster.columns, roster.note) == (7, 4, "first sheet")


def test_unreadable_csv_names_the_file(tmp_path: Path, demo_dir: Path) -> None:
    copy = tmp_path / "nw"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns("private", "reports"))
    (copy / "exports/usage/User.csv").write_bytes(
        b'"ID","EMAIL"\n"unterminated\n' + bytes(range(256))
    )
    with pytest.raises(InputFileError, match=r"User\.csv: cannot be read as CSV"):
        take_inventory(load_engagement(copy))


def test_write_inventory_json_and_offline_html(tmp_path: Path, demo_dir: Path) -> None:
    engagement = load_engagement(demo_dir)
    items = take_inventory(engagement)
    json_path, html_path = write_inventory(items, engagement, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert data["engagement"]["client"] == "Northwind Traders"
    assert [i["path"] for i in data["inputs"]] == [i.path for i in items]
    page = html_path.read_text()
    assert page.count("<tr><td>") == len(items)
    assert "http://" not in page and "https://" not in page
