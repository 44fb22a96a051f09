"""Waves in engagement.yml: adding one, validating order and names, the engagement as of a wave."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import BASELINE, add_wave, for_wave, wave_names
from adoption_lib.errors import ConfigError, InputError


@pytest.fixture
def demo_copy(tmp_path: Path, demo_dir: Path) -> Path:
    """A copy of the demo as a single-wave engagement (its day90 wave left out)."""
    target = tmp_path / "northwind"
    shutil.copytree(demo_dir, target, ignore=shutil.ignore_patterns("private", "reports", "day90"))
    config = target / "engagement.yml"
    text = config.read_text()
    config.write_text(text[: text.index("\nwaves:")] + "\n")
    return target


def test_the_demo_has_a_day90_wave(demo_dir: Path) -> None:
    engagement = load_engagement(demo_dir)
    assert wave_names(engagement) == [BASELINE, "day90"]
    day90 = for_wave(engagement, "day90")
    assert day90.assessment_date == date(2027, 1, 31) and day90.survey_opened == date(2027, 1, 4)
    assert [e.path.parent.name for e in day90.survey_exports] == ["survey"]
    assert all("day90" in e.path.parts for e in day90.usage_exports)
    assert for_wave(engagement).usage_exports == engagement.usage_exports


def test_single_wave_engagement_is_its_baseline(demo_copy: Path) -> None:
    engagement = load_engagement(demo_copy)
    assert wave_names(engagement) == [BASELINE]
    baseline = for_wave(engagement)
    assert baseline.assessment_date == engagement.assessment_date
    assert baseline.survey_exports == engagement.survey_exports
    assert baseline.folder == engagement.folder and baseline.private_dir == engagement.private_dir


def test_init_wave_keeps_every_line_and_validates(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = demo_copy / "engagement.yml"
    before = config.read_text()
    assert main(["init", str(demo_copy), "--wave", "day90"]) == 0
    assert "Added wave 'day90' (assessment date 2027-01-31)" in capsys.readouterr().out
    after = config.read_text()
    assert after.startswith(before.rstrip("\n"))  # nothing above was touched
    assert "    #  - path: exports/day90/survey/northwind_adoption_survey.csv" in after
    assert "    #    format: salesforce_login_history" in after
    assert (demo_copy / "exports" / "day90" / "usage").is_dir()
    engagement = load_engagement(demo_copy)
    assert wave_names(engagement) == [BASELINE, "day90"]
    day90 = for_wave(engagement, "day90")
    assert day90.assessment_date == date(2027, 1, 31)
    assert day90.survey_exports == [] and day90.usage_exports == []
    assert day90.roster == engagement.roster and day90.licenses == 650
    assert day90.waves == [] and day90.folder == engagement.folder

    # a second wave goes after the first, whole, with the exports of the latest wave listing any
    assert main(["init", str(demo_copy), "--wave", "day180", "--date", "2027-06-01"]) == 0
    text = config.read_text()
    first, second = text.index("- name: day90"), text.index("- name: day180")
    assert first < text.index("# licenses: 650", first) < second
    assert "    #  - path: exports/day180/usage/crm_events.csv.gz" in text
    assert wave_names(load_engagement(demo_copy)) == [BASELINE, "day90", "day180"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--wave", "Day 90"], "--wave 'Day 90': use lower case letters"),
        (["--wave", "baseline"], "a wave named 'baseline' already exists"),
        (["--wave", "day90", "--date", "2026-10-01"], "must come after the latest wave's"),
        (["--wave", "day90", "--date", "1 Feb"], "--date '1 Feb': not a date"),
        (["--date", "2027-01-01"], "--date goes with --wave"),
    ],
)
def test_init_wave_refusals_leave_the_file_alone(
    demo_copy: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    config = demo_copy / "engagement.yml"
    before = config.read_text()
    assert main(["init", str(demo_copy), *args]) == 2
    assert message in capsys.readouterr().err
    assert config.read_text() == before


def test_inline_waves_cannot_be_extended(demo_copy: Path) -> None:
    config = demo_copy / "engagement.yml"
    config.write_text(config.read_text() + "waves: [{name: day90, assessment_date: 2027-02-01}]\n")
    with pytest.raises(InputError, match=r"engagement.yml:\d+: waves is written inline"):
        add_wave(load_engagement(demo_copy), "day180")


def test_waves_in_date_order_with_unique_names(demo_copy: Path) -> None:
    config = demo_copy / "engagement.yml"
    text = config.read_text()
    config.write_text(
        text + "waves:\n"
        "  - name: day90\n    assessment_date: 2027-02-01\n"
        "  - name: day60\n    assessment_date: 2027-01-01\n"
        "  - name: baseline\n    assessment_date: 2027-05-01\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_engagement(demo_copy)
    problems = "\n".join(caught.value.problems)
    assert (
        "waves[1].assessment_date: 2027-01-01 must come after wave 'day90' (2027-02-01)" in problems
    )
    assert "waves[2].name: wave name 'baseline' names the top-level wave" in problems


def test_wave_roster_and_licences_replace_the_baseline(demo_copy: Path) -> None:
    config = demo_copy / "engagement.yml"
    shutil.copy(demo_copy / "exports" / "roster.csv", demo_copy / "exports" / "roster_feb.csv")
    config.write_text(
        config.read_text() + "waves:\n  - name: day90\n    assessment_date: 2027-02-01\n"
        "    roster: exports/roster_feb.csv\n    licenses: 600\n"
    )
    day90 = for_wave(load_engagement(demo_copy), "day90")
    assert day90.roster.name == "roster_feb.csv" and day90.licenses == 600
    with pytest.raises(InputError, match="no wave 'day30' \\(waves: baseline, day90\\)"):
        for_wave(load_engagement(demo_copy), "day30")


def test_a_wave_without_exports_is_a_clear_error(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(demo_copy), "--wave", "day90"]) == 0
    capsys.readouterr()
    assert main(["summary", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "wave 'day90' lists no survey or usage export yet" in err
    assert "put its files under exports/day90/" in err
    assert main(["run", str(demo_copy)]) == 2
    assert "wave 'day90' lists no survey or usage export yet" in capsys.readouterr().err
    from adoption_lib.dashboard.waves import dashboard_data

    assert list(dashboard_data(demo_copy)) == [BASELINE]  # nothing to show for day90 yet


def test_a_usage_only_wave_compares_usage(demo_copy: Path) -> None:
    from adoption_lib.remeasure.progress import build_progress

    config = demo_copy / "engagement.yml"
    config.write_text(
        config.read_text() + "waves:\n  - name: week1\n    assessment_date: 2026-11-09\n"
        "    usage_exports:\n      - path: exports/usage/LoginHistory.csv\n"
        "        format: salesforce_login_history\n        users: exports/usage/User.csv\n"
    )
    bundles, summary = build_progress(load_engagement(demo_copy))
    table = bundles["client"].comparison
    assert set(table["family"]) == {"usage"} and len(table) > 6
    assert summary["waves"]["current"] == "week1"
    assert summary["waves"]["deltas"]["usage.active_users_30d"]["before"] is not None


def test_the_pipeline_runs_a_named_wave_or_says_why_not(demo_copy: Path) -> None:
    from adoption_lib.pipeline import run

    engagement = load_engagement(demo_copy)
    with pytest.raises(InputError, match="no wave 'nope' \\(waves: baseline"):
        run(engagement, wave="nope")
    add_wave(engagement, "day180", date(2027, 5, 1))
    with pytest.raises(InputError, match="wave 'day180' lists no survey or usage export yet"):
        run(load_engagement(demo_copy), wave="day180")


def test_summary_of_an_unknown_wave_names_the_known_ones(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(demo_copy), "--wave", "nope"]) == 2
    assert capsys.readouterr().err.endswith("no wave 'nope' (waves: baseline)\n")
