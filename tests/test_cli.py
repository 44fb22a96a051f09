"""The command line: init, exit codes, help, and commands not built yet."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.privacy.pseudonyms import load_key


def test_init_writes_template_folders_gitignore_and_private_key(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert main(["init", str(target)]) == 0
    assert (target / "engagement.yml").read_text().startswith("# engagement.yml")
    for sub in ("exports/survey", "exports/usage", "private"):
        assert (target / sub).is_dir()
    ignored = (target / ".gitignore").read_text().split()
    assert "private/" in ignored and "reports/" in ignored
    key = target / "private" / "hmac.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(load_key(key)) == 32
    assert stat.S_IMODE((target / "private").stat().st_mode) == 0o700


def test_two_inits_get_different_keys(tmp_path: Path) -> None:
    main(["init", str(tmp_path / "a")])
    main(["init", str(tmp_path / "b")])
    assert load_key(tmp_path / "a/private/hmac.key") != load_key(tmp_path / "b/private/hmac.key")


def test_init_refuses_to_overwrite_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "acme"
    main(["init", str(target)])
    (target / "engagement.yml").write_text("client: edited by the consultant\n")
    key_before = (target / "private/hmac.key").read_bytes()
    capsys.readouterr()
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err
    assert "refusing to overwrite engagement.yml, .gitignore, private/hmac.key" in err
    assert (target / "engagement.yml").read_text() == "client: edited by the consultant\n"
    assert (target / "private/hmac.key").read_bytes() == key_before


def test_init_refuses_existing_key_alone(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "hmac.key").write_text("00" * 32)
    assert main(["init", str(tmp_path)]) == 2
    assert not (tmp_path / "engagement.yml").exists()


def test_load_key_refuses_a_readable_key(tmp_path: Path) -> None:
    main(["init", str(tmp_path / "acme")])
    key = tmp_path / "acme/private/hmac.key"
    os.chmod(key, 0o644)
    from adoption_lib.errors import InputFileError

    with pytest.raises(InputFileError, match="mode 644"):
        load_key(key)


def test_validate_ok(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(demo_dir)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "Northwind Traders" in out


def test_validate_missing_engagement_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no engagement here" in capsys.readouterr().err


def test_run_stops_on_a_bad_engagement_before_any_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(tmp_path / "nowhere")]) == 2
    assert "no engagement here" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_help_lists_every_design_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in (
        "init",
        "validate",
        "summary",
        "run",
        "serve",
        "demo",
        "survey",
        "reliability",
        "synth",
        "purge",
    ):
        assert f"    {command}" in out


def test_debug_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "validate", str(tmp_path)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_console_script_is_installed(demo_dir: Path) -> None:
    """The `adoption` entry point runs as a real process with the documented exit codes."""
    exe = Path(sys.executable).with_name("adoption")
    ok = subprocess.run([str(exe), "validate", str(demo_dir)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([str(exe), "validate", "/nonexistent"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.startswith("adoption: error:")


def test_summary_text_and_json(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["summary", str(demo_dir), "--wave", "baseline"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Northwind Traders · Salesforce Sales Cloud · as of 2026-11-02")
    assert main(["summary", str(demo_dir), "--json", "--wave", "baseline"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {
        "schema_version",
        "engagement",
        "survey",
        "constructs",
        "motivation",
        "barriers",
        "keys",
        "privacy",
        "comment_themes",
        "usage",
        "segments",
        "segments_basis",
        "motivation_vs_use",
        "segments_by_department",
        "renewal",
        "adoption_score",
        "actions",
        "says_versus_does",
        "link",
        "drivers",
        "diagnosis_unavailable",
    }
    assert "Action plan (" in text and "Renewal: " in text and "Adoption score: " in text
    assert summary["usage"]["license_utilisation"] > 0 and summary["usage"]["unavailable"] == {}
    assert summary["comment_themes"]["process_fit"] >= 5
    assert set(summary["constructs"]["commitment"]) == {
        "mean",
        "ci95",
        "favourable_pct",
        "unfavourable_pct",
        "dont_know_pct",
        "alpha",
        "n",
    }
    assert set(summary["motivation"]["mix"]) == {
        "commitment",
        "compliance",
        "wiifm",
        "mixed",
        "low",
        "unclassified",
    }
    assert sum(summary["motivation"]["mix"].values()) == pytest.approx(1.0, abs=1e-3)
    barrier_keys = {"id", "unfavourable_pct", "flagged", "ci95", "certainty"}
    assert all(set(b) == barrier_keys for b in summary["barriers"])
    assert all({"id", "favourable_pct", "status", "certainty"} <= set(k) for k in summary["keys"])
    assert {b["certainty"] for b in summary["barriers"]} <= {"clear", "borderline"}
    assert summary["privacy"]["min_group_size"] == 5


def test_demo_runs_the_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"Demo reports written to {tmp_path / 'out'}" in out
    assert "Action plan (" in out  # the one-page summary
    for name in (
        "inventory.json",
        "inventory.html",
        "summary.json",
        "action_plan.xlsx",
        "manifest.json",
        "consultant/executive_summary.html",
        "client/executive_summary.html",
    ):
        assert (tmp_path / "out" / name).is_file(), name


def test_summary_of_the_latest_wave_reports_progress(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["summary", str(demo_dir)]) == 0  # the latest wave: day90
    text = capsys.readouterr().out
    assert text.startswith("Northwind Traders · Salesforce Sales Cloud · as of 2027-01-31")
    assert "Since baseline: " in text and "usage.license_utilisation: 0.7769 -> " in text
    assert main(["summary", str(demo_dir), "--json"]) == 0
    waves = json.loads(capsys.readouterr().out)["waves"]
    assert waves["current"] == "day90" and waves["list"][0]["assessment_date"] == "2026-11-02"
    assert set(waves["deltas"]) >= {"usage.active_users_30d", "adoption_score.value"}
    assert main(["summary", str(demo_dir), "--wave", "day30"]) == 2
    assert "no wave 'day30' (waves: baseline, day90)" in capsys.readouterr().err
