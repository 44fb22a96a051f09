"""Every command on every valid engagement: a matrix of shapes the demo is not.

Each engagement is written by :mod:`adoption_lib.synthetic.variants`, in the layout a
survey platform really exports, together with the answer table it was built from.
The figures are checked against that table, computed here independently of the
pipeline: rows kept exactly, construct means (reverse keying and the half-answered rule
applied by hand), and usage counts from the generator's own event days.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from adoption_lib.cli import main
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.instrument import Instrument, load_instrument
from adoption_lib.synthetic.platforms import PLATFORMS
from adoption_lib.synthetic.variants import Variant, VariantTruth, generate_variant

MATRIX = [
    *[Variant(platform=p, usage=u) for p in PLATFORMS for u in (True, False)],
    Variant(platform=None),
    Variant(comments=False, platform="surveymonkey_csv"),
    Variant(instrument="custom", open_questions=False),
    Variant(instrument="custom", scale="agree7", platform="microsoft_forms"),
    Variant(instrument="custom", scale="zero4", platform="google_forms"),
    Variant(roster_columns=()),
    Variant(roster_columns=("role",), platform="surveymonkey_xlsx"),
    Variant(departments=1),
    Variant(people=12, departments=4),
    Variant(waves=2, platform="qualtrics_numeric"),
]


def _summary(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> dict:
    capsys.readouterr()
    assert main(["summary", str(folder), "--json", *extra]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def expected_means(truth: VariantTruth, instrument: Instrument) -> dict[str, tuple[float, int]]:
    """Each construct's mean over kept respondents, straight from the answer table."""
    out = {}
    for construct in instrument.constructs:
        items = instrument.items_of(construct.id)
        block = pd.DataFrame(
            {
                i.id: (
                    instrument.scales[i.scale].values[0]
                    + instrument.scales[i.scale].values[-1]
                    - truth.answers[i.id]
                )
                if i.reverse
                else truth.answers[i.id]
                for i in items
            }
        )
        needed = max(1, math.ceil(len(items) / 2))
        person = block.mean(axis=1).where(block.notna().sum(axis=1) >= needed).dropna()
        out[construct.id] = (float(person.mean()) if len(person) else None, len(person))
    return out


def _check_survey(summary: dict, truth: VariantTruth, instrument: Instrument) -> None:
    survey = summary["survey"]
    assert survey["rows_received"] == truth.rows_received
    assert survey["respondents_kept"] == len(truth.kept)
    assert {k: v for k, v in survey["excluded"].items() if v} == truth.excluded
    for construct, (mean, n) in expected_means(truth, instrument).items():
        got = summary["constructs"][construct]
        assert got["n"] == n, construct
        if mean is None:
            assert got["mean"] is None
        else:
            assert got["mean"] == pytest.approx(mean, abs=5e-5), construct


def _check_usage(summary: dict, truth: VariantTruth, people: int) -> None:
    usage = summary["usage"]
    days = truth.event_days
    assert usage["licensed_users"] == people
    assert usage["active_users_30d"] == sum(any(d <= 30 for d in v) for v in days.values())
    assert usage["never_activated"] == people - len(days)
    effective = sum(
        sum(any(7 * w < d <= 7 * (w + 1) for d in v) for w in range(4)) >= 3 for v in days.values()
    )
    assert usage["effective_users"] == effective
    assert usage["accounts_not_on_roster"] == 1


@pytest.mark.parametrize("variant", MATRIX, ids=[v.label() for v in MATRIX])
def test_summary_matches_the_generators_answer_table(
    variant: Variant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "engagement"
    truths = generate_variant(folder, variant)
    engagement = load_engagement(folder)
    instrument = load_instrument(engagement.instrument) if variant.platform else None
    assert main(["validate", str(folder)]) == 0
    if variant.platform:
        capsys.readouterr()
        assert main(["survey", "check", str(folder)]) == 0, capsys.readouterr().err
    for wave, truth in truths.items():
        summary = _summary(capsys, folder, *(["--wave", wave] if variant.waves > 1 else []))
        audit = summary["privacy"].get("disclosure_audit")
        assert audit is None or (audit["passed"] and audit["exposures"] == 0), audit
        if variant.platform:
            _check_survey(summary, truth, instrument)
        else:
            assert "constructs" not in summary or not summary["constructs"]
        if variant.usage:
            _check_usage(summary, truth, variant.people)
        else:
            assert "usage" not in summary or summary["usage"].get("licensed_users") is None


def test_a_custom_instrument_has_no_motivation_mix_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(instrument="custom", scale="agree7"))
    summary = _summary(capsys, folder)
    assert set(summary["constructs"]) == {
        "ease",
        "helpdesk",
        "sponsor",
        "personal_gain",
        "coaching",
    }
    assert summary["motivation"]["mix"]["unclassified"] == 1.0
    assert [b["id"] for b in summary["barriers"]] == ["helpdesk"]
    assert [k["id"] for k in summary["keys"]] == ["sponsor"]
    # coaching is asked of managers only ("Team lead", "Director")
    truth = generate_variant(tmp_path / "again", Variant(instrument="custom", scale="agree7"))
    managers = truth["baseline"].answers[["coach_1", "coach_2"]].notna().any(axis=1).sum()
    assert summary["constructs"]["coaching"]["n"] == managers


def test_every_group_under_k_releases_only_the_organisation(tmp_path: Path) -> None:
    from adoption_lib.pipeline import run

    folder = tmp_path / "e"
    generate_variant(folder, Variant(people=12, departments=4))
    result = run(load_engagement(folder))
    cube = result.cube
    released = cube.cells[~cube.cells["suppressed"]]
    assert set(released["level"]) <= {0}, released
    shown = cube.constructs[~cube.constructs["suppressed"]]
    assert set(shown["department"]) <= {"(all)"}
    # the organisation itself is shown only if its licensed users who did not answer
    # are none or at least 2k: here 12 licensed users, so a few non-respondents hide it
    licensed = len(result.assessment.people)
    answered = result.summary["survey"]["respondents_kept"]
    unanswered = licensed - answered
    size = 2 * cube.k  # privacy.min_breakdown_size by default
    expected = licensed >= size and answered >= size and (unanswered == 0 or unanswered >= size)
    assert (not released.empty) == expected, (licensed, answered)


def test_the_roster_without_role_or_supervisor_drops_those_groupings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(roster_columns=()))
    summary = _summary(capsys, folder)
    assert summary["usage"]["licensed_users"] == 60
    assert summary["privacy"]["client_dimensions"] == ["department"]


def test_zero_to_four_scale_keeps_zero_as_a_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    truth = generate_variant(folder, Variant(instrument="custom", scale="zero4"))["baseline"]
    assert (truth.answers == 0).any().any()  # the lowest answer is a real 0
    summary = _summary(capsys, folder)
    ease = summary["constructs"]["ease"]
    values = truth.answers[["ease_1", "ease_2", "ease_3"]].copy()
    values["ease_2"] = 4 - values["ease_2"]
    assert 0 <= ease["mean"] <= 4
    assert ease["mean"] == pytest.approx(float(values.mean(axis=1).dropna().mean()), abs=5e-5)
    dont_know = truth.dont_know[["ease_1", "ease_2", "ease_3"]].to_numpy()
    answered = truth.answers[["ease_1", "ease_2", "ease_3"]].notna().to_numpy()
    assert ease["dont_know_pct"] == pytest.approx(
        dont_know.sum() / (dont_know.sum() + answered.sum()), abs=5e-5
    )
    assert np.isfinite(ease["favourable_pct"])


def test_an_export_matching_no_item_stops_with_exit_2_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(instrument="custom", platform="google_forms", usage=False))
    # The survey was fielded from another instrument: nothing of ours is in it.
    (folder / "other.yml").write_text(
        (folder / "instrument.yml")
        .read_text()
        .replace("{system} is easy to use.", "I like lunch.")
        .replace("I often get lost in {system}.", "Mondays are long.")
        .replace("I can find what I need quickly.", "Coffee helps.")
        .replace("The helpdesk answers quickly.", "Parking is easy.")
        .replace("I know who to ask about {system}.", "The lift works.")
        .replace("Our director talks about {system}.", "I cycle to work.")
        .replace("Leaders use {system} themselves.", "Plants are nice.")
        .replace("{system} helps me hit my targets.", "Rain again.")
        .replace("{system} saves me time.", "Fridays are short.")
        .replace("I review {system} use with my team.", "Tea or coffee?")
        .replace("I coach people on {system}.", "Sandwiches.")
    )
    yml = folder / "engagement.yml"
    before = yml.read_bytes()
    yml.write_text(before.decode().replace("instrument: instrument.yml", "instrument: other.yml"))
    export = folder / "exports" / "survey" / "survey_google_forms.csv"
    for argv in (
        ["summary", str(folder), "--json"],
        ["survey", "check", str(folder)],
        ["reliability", str(folder / "other.yml"), str(export)],
    ):
        capsys.readouterr()
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        err = captured.err.strip()
        assert captured.out == ""
        assert len(err.splitlines()) == 1, err
        assert "survey_google_forms.csv: none of the 11 items of instrument" in err
        assert "unmatched items: ease_1, ease_2, ease_3, help_1" in err
        assert "'Using Helpdesk [Helpdesk is easy to use.]'" in err
        assert "'What would help most?'" not in err  # the open question matched
    assert export.read_bytes()  # nothing lost: the export is untouched


def test_a_partial_match_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(instrument="custom", platform="microsoft_forms", usage=False))
    instrument = folder / "instrument.yml"
    instrument.write_text(
        instrument.read_text()
        .replace("The helpdesk answers quickly.", "The helpdesk is friendly.")
        .replace("I know who to ask about {system}.", "I know the helpdesk number.")
    )
    summary = _summary(capsys, folder)
    assert summary["survey"]["notes"] == [
        "exports/survey/survey_microsoft_forms.xlsx: 9 of 11 items matched",
        "exports/survey/survey_microsoft_forms.xlsx: times without a zone were read as UTC"
        " (set timezone: in engagement.yml if they are local times)",
    ]
    assert summary["constructs"]["helpdesk"]["n"] == 0
    capsys.readouterr()
    assert main(["survey", "check", str(folder)]) == 0
    assert "note: exports/survey/survey_microsoft_forms.xlsx: 9 of 11 items matched" in (
        capsys.readouterr().out
    )


def _last_error(capsys: pytest.CaptureFixture[str], folder: Path) -> str:
    """``adoption summary`` must exit 2; its last line on stderr (after any progress)."""
    capsys.readouterr()
    assert main(["summary", str(folder)]) == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_an_export_with_only_its_header_rows_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(platform="google_forms", usage=False))
    export = folder / "exports" / "survey" / "survey_google_forms.csv"
    export.write_text(export.read_text().splitlines()[0] + "\n")
    err = _last_error(capsys, folder)
    assert err == (
        "adoption: error: exports/survey/survey_google_forms.csv: no responses below the header rows"
    )


def test_every_response_excluded_is_a_clear_error_and_all_are_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "e"
    generate_variant(folder, Variant(platform="qualtrics_text", usage=False))
    export = folder / "exports" / "survey" / "survey_qualtrics.csv"
    # the survey was only ever previewed: every row goes to quarantine
    export.write_bytes(export.read_bytes().replace(b'"IP Address"', b'"Survey Preview"'))
    export.write_bytes(export.read_bytes().replace(b",IP Address,", b",Survey Preview,"))
    err = _last_error(capsys, folder)
    assert "exports/survey/survey_qualtrics.csv: every one of the 51 responses was excluded" in err
    quarantine = (folder / "private" / "survey_quarantine.csv").read_text().splitlines()
    assert len(quarantine) == 1 + 51  # header + every row, none lost
