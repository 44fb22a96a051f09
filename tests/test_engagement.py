"""engagement.yml validation: the demo is valid; every problem is reported in one pass."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import ConfigError, EngagementNotFoundError


@pytest.fixture
def demo_copy(tmp_path: Path, demo_dir: Path) -> Path:
    """A private copy of the demo engagement to break."""
    target = tmp_path / "northwind"
    shutil.copytree(demo_dir, target, ignore=shutil.ignore_patterns("private", "reports"))
    return target


def _replace(folder: Path, old: str, new: str) -> int:
    """Replace one line's text in engagement.yml and return that line's number."""
    path = folder / "engagement.yml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if old in line)
    lines[index] = lines[index].replace(old, new)
    path.write_text("\n".join(lines) + "\n")
    return index + 1


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_engagement(folder)
    return caught.value.problems


def test_demo_is_valid_with_resolved_paths_and_defaults(demo_dir: Path) -> None:
    engagement = load_engagement(demo_dir)
    assert engagement.client == "Northwind Traders"
    assert engagement.go_live == date(2026, 2, 2)
    assert engagement.assessment_date == date(2026, 11, 2)
    assert engagement.licenses == 650
    assert engagement.roster == demo_dir.resolve() / "exports" / "roster.csv"
    assert engagement.usage_exports[0].users == demo_dir.resolve() / "exports/usage/User.csv"
    assert engagement.usage_exports[1].columns["ts"] == "logged_at"
    assert engagement.privacy.min_group_size == 5
    assert engagement.privacy.pseudonymise is True
    assert engagement.privacy.client_dimensions == ["department", "role"]
    assert engagement.thresholds.barrier_flag_unfavourable == 0.40
    assert [w.name for w in engagement.waves] == ["day90"]
    assert engagement.folder == demo_dir.resolve()


def test_folder_or_file_both_accepted(demo_dir: Path) -> None:
    assert load_engagement(demo_dir / "engagement.yml").client == load_engagement(demo_dir).client


def test_missing_engagement_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(EngagementNotFoundError, match=r"engagement\.yml"):
        load_engagement(tmp_path)


def test_three_problems_reported_together_with_lines(demo_copy: Path) -> None:
    roster_line = _replace(demo_copy, "roster: exports/roster.csv", "roster: exports/staff.csv")
    date_line = _replace(demo_copy, "go_live: 2026-02-02", "go_live: 2026-13-02")
    key_line = _replace(demo_copy, "licenses: 650", "licences: 650")
    problems = _problems(demo_copy)
    assert f"engagement.yml:{roster_line}: roster: file not found: exports/staff.csv" in problems
    assert any(
        p.startswith(f"engagement.yml:{date_line}: go_live: '2026-13-02' is not a real date")
        for p in problems
    )
    assert f"engagement.yml:{key_line}: licences: unknown key; did you mean 'licenses'?" in problems
    # the renamed key also leaves the real one missing, reported at the top of the file
    assert "engagement.yml:3: licenses: required but missing" in problems
    assert len(problems) == 4


def test_cli_exit_2_names_every_problem(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = _replace(demo_copy, "users: exports/usage/User.csv", "users: exports/usage/Users.csv")
    bad_date = _replace(demo_copy, "renewal_date: 2027-03-01", "renewal_date: 01/03/2027")
    unknown = _replace(demo_copy, "  min_group_size: 5", "  min_group_sise: 5")
    assert main(["validate", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert (
        f"engagement.yml:{missing}: usage_exports[0].users: file not found: exports/usage/Users.csv"
        in err
    )
    assert (
        f"engagement.yml:{bad_date}: renewal_date: expected an ISO date YYYY-MM-DD, got '01/03/2027'"
        in err
    )
    assert (
        f"engagement.yml:{unknown}: privacy.min_group_sise: unknown key; did you mean 'min_group_size'?"
        in err
    )
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("licenses: 650", "licenses: 0", "licenses: Input should be greater than 0"),
        ("licenses: 650", "licenses: '650'", "licenses: Input should be a valid integer"),
        ("licenses: 650", "licenses: 650.5", "licenses: Input should be a valid integer"),
        ("currency: USD", "currency: dollars", "currency: String should match pattern"),
        (
            "assessment_date: 2026-11-02",
            "assessment_date: 2026-01-02",
            "assessment_date: 2026-01-02 must be on or after go_live",
        ),
        (
            "renewal_date: 2027-03-01",
            "renewal_date: 2026-11-02",
            "renewal_date: 2026-11-02 must be after assessment_date",
        ),
        ("format: events", "format: event_log", "usage_exports[1].format: Input should be"),
        (
            "  min_group_size: 5",
            "  min_group_size: 1",
            "privacy.min_group_size: Input should be greater than or equal to 2",
        ),
        (
            "client_dimensions: [department, role]",
            "client_dimensions: [department, supervisor]",
            "privacy.client_dimensions[1]: Input should be",
        ),
        (
            "client: Northwind Traders",
            "client: ''",
            "client: String should have at least 1 character",
        ),
    ],
)
def test_field_rules(demo_copy: Path, old: str, new: str, expected: str) -> None:
    line = _replace(demo_copy, old, new)
    problems = _problems(demo_copy)
    assert any(p.startswith(f"engagement.yml:{line}: {expected}") for p in problems), problems


def test_column_mapping_only_for_event_logs(demo_copy: Path) -> None:
    _replace(demo_copy, "format: events", "format: m365_active_users")
    columns_line = _replace(demo_copy, "columns: {", "columns: {")
    assert _problems(demo_copy) == [
        f"engagement.yml:{columns_line}: usage_exports[1].columns:"
        " only the 'events' format takes a column mapping"
    ]


def test_login_history_needs_user_export(demo_copy: Path) -> None:
    line = _replace(demo_copy, "    users: exports/usage/User.csv", "    # no users")
    problems = _problems(demo_copy)
    fmt_line = line - 1
    assert problems == [
        f"engagement.yml:{fmt_line}: usage_exports[0].format: salesforce_login_history needs 'users': the User export that maps ids to emails"
    ]


def test_events_need_required_columns(demo_copy: Path) -> None:
    _replace(demo_copy, "user_key: actor_email, ", "")
    problems = _problems(demo_copy)
    assert len(problems) == 1
    assert problems[0].endswith("usage_exports[1].columns: events needs columns for: user_key")


def test_link_individuals_needs_consent(demo_copy: Path) -> None:
    line = _replace(
        demo_copy, "  min_comment_group: 10", "  min_comment_group: 10\n  link_individuals: true"
    )
    problems = _problems(demo_copy)
    assert problems == [
        f"engagement.yml:{line + 1}: privacy.link_individuals: true requires privacy.consent_basis:"
        " the sentence printed in every report"
    ]


def test_contract_value_needs_currency(demo_copy: Path) -> None:
    _replace(demo_copy, "currency: USD", "")
    problems = _problems(demo_copy)
    assert len(problems) == 1 and "annual_contract_value: needs 'currency'" in problems[0]


def test_invalid_yaml_names_its_line(demo_copy: Path) -> None:
    line = _replace(demo_copy, "system: Salesforce Sales Cloud", "system: [unclosed")
    problems = _problems(demo_copy)
    assert len(problems) == 1
    assert problems[0].startswith("engagement.yml:")
    assert int(problems[0].split(":")[1]) >= line
    assert "not valid YAML" in problems[0]


def test_duplicate_key_is_reported(demo_copy: Path) -> None:
    line = _replace(demo_copy, "currency: USD", "currency: USD\ncurrency: EUR")
    assert _problems(demo_copy) == [
        f"engagement.yml:{line + 1}: currency: key given twice (lines {line} and {line + 1}); "
        "the second would replace the first: merge them"
    ]


def test_a_second_privacy_block_is_refused_not_merged(demo_copy: Path) -> None:
    # a second privacy: block would silently override the first (k 5 -> 2)
    config = demo_copy / "engagement.yml"
    text = config.read_text()
    first = text.splitlines().index("privacy:") + 1
    config.write_text(text + "privacy:\n  min_group_size: 2\n")
    second = len(text.splitlines()) + 1
    assert _problems(demo_copy) == [
        f"engagement.yml:{second}: privacy: key given twice (lines {first} and {second}); "
        "the second would replace the first: merge them"
    ]


def test_waves_are_validated(demo_copy: Path) -> None:
    path = demo_copy / "engagement.yml"
    text = path.read_text()
    text = text[: text.index("\nwaves:")] + "\n"  # the demo as a single-wave engagement
    path.write_text(text + "waves:\n  - name: day90\n    assessment_date: 2027-02-01\n")
    assert load_engagement(demo_copy).waves[0].name == "day90"
    path.write_text(text + "waves: day90\n")
    problems = _problems(demo_copy)
    assert len(problems) == 1 and "waves: Input should be a valid list" in problems[0]


def test_event_log_may_be_a_glob(demo_copy: Path) -> None:
    _replace(demo_copy, "path: exports/usage/crm_events.csv.gz", "path: exports/usage/crm_*.csv.gz")
    assert load_engagement(demo_copy).usage_exports[1].path.name == "crm_*.csv.gz"
    _replace(demo_copy, "path: exports/usage/crm_*.csv.gz", "path: exports/usage/none_*.csv")
    assert any("no file matches 'exports/usage/none_*.csv'" in p for p in _problems(demo_copy))


def test_instrument_by_unknown_name(
    demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    surveys = tmp_path / "surveys"
    surveys.mkdir()
    (surveys / "pulse_v2.yml").write_text("id: pulse_v2\n")
    monkeypatch.setenv("ADOPTION_SURVEYS_DIR", str(surveys))
    line = _replace(demo_copy, "instrument: adoption_rescue_v1", "instrument: pulse_v1")
    assert _problems(demo_copy) == [
        f"engagement.yml:{line}: instrument: no instrument named 'pulse_v1' in surveys/ (known: pulse_v2)"
    ]
    _replace(demo_copy, "instrument: pulse_v1", "instrument: pulse_v2")
    assert load_engagement(demo_copy).instrument == surveys / "pulse_v2.yml"


def test_init_template_reports_missing_roster(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "acme")]) == 0
    problems = _problems(tmp_path / "acme")
    assert len(problems) == 1 and "roster: file not found: exports/roster.csv" in problems[0]
