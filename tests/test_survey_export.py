"""`adoption survey export`: every format, and the round trip back to item ids."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import esprima
import pytest
from docx import Document

from adoption_lib.cli import main
from adoption_lib.config.instrument import load_instrument
from adoption_lib.inputs.survey_readers import read_survey_export
from adoption_lib.survey.export import blocks, export_instrument
from adoption_lib.survey.mapping import map_columns

INSTRUMENT = load_instrument("adoption_rescue_v1")
SYSTEM = "Salesforce Sales Cloud"
ROSTER = {
    "department": ["Field Sales", "Service"],
    "supervisor": ["Deepa Adeyemi"],
    "location": ["Dublin"],
}


def test_qualtrics_txt_round_trips_to_item_ids(tmp_path: Path) -> None:
    txt = export_instrument(INSTRUMENT, "qualtrics", tmp_path / "s.txt", SYSTEM, ROSTER).read_text()
    assert txt.startswith("[[AdvancedFormat]]")
    tags = re.findall(r"^\[\[ID:(\w+)\]\]$", txt, re.M)
    assert tags == INSTRUMENT.question_ids()
    assert "{system}" not in txt
    # A Qualtrics response export of the imported survey: export tags are the IDs.
    export = tmp_path / "responses.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["StartDate", "ResponseId", *tags])
        out.writerow(["Start Date", "Response ID", *tags])
        out.writerow(
            [
                json.dumps({"ImportId": i})
                for i in ["startDate", "_recordId"] + [f"QID{n}" for n in range(len(tags))]
            ]
        )
    mapping = map_columns(read_survey_export(export), INSTRUMENT, SYSTEM)
    assert set(mapping.questions) == set(INSTRUMENT.question_ids())
    assert set(mapping.how.values()) == {"id"} and mapping.unmatched == []


def test_qualtrics_choices_follow_the_scale(tmp_path: Path) -> None:
    txt = export_instrument(INSTRUMENT, "qualtrics", tmp_path / "s.txt", SYSTEM, ROSTER).read_text()
    key_item = txt.split("[[ID:key2_plan_1]]")[1].split("[[Question:")[0]
    assert key_item.split("[[Choices]]")[1].split()[-2:] == ["Don't", "know"]
    department = txt.split("[[ID:department]]")[1].split("[[Question:")[0]
    assert "Field Sales\nService" in department


def test_apps_script_is_valid_javascript_and_round_trips(tmp_path: Path) -> None:
    script = export_instrument(
        INSTRUMENT, "google-apps-script", tmp_path / "s.gs", SYSTEM, ROSTER
    ).read_text()
    tree = esprima.parseScript(script)
    assert tree.body[0].id.name == "createSurvey"
    grids = list(blocks(INSTRUMENT))
    assert script.count("addGridItem()") == len(grids)
    # Google's CSV names grid columns "Title [Row]": rebuild that header from the script.
    header = ["Timestamp", "Email Address"]
    for match in re.finditer(
        r"addGridItem\(\)\.setTitle\((.*?)\)\n\s*\.setRows\((.*?)\)\n", script
    ):
        title, rows = json.loads(match.group(1)), json.loads(match.group(2))
        header += [f"{title} [{row}]" for row in rows]
    header += [
        json.loads(t)
        for t in re.findall(
            r"add(?:List|Text|ParagraphText)Item\(\)\.setTitle\((\".*?\")\)", script
        )
    ]
    export = tmp_path / "google.csv"
    export.write_text(",".join(f'"{h}"' if "," in h else h for h in header) + "\n")
    raw = read_survey_export(export)
    assert raw.format == "google_forms"
    mapping = map_columns(raw, INSTRUMENT, SYSTEM)
    assert set(mapping.questions) == set(INSTRUMENT.question_ids())
    assert mapping.unmatched == []


def test_a_broken_script_fails_the_syntax_check() -> None:
    with pytest.raises(esprima.Error):
        esprima.parseScript("function createSurvey() { var form = FormApp.create('x'; }")


def test_word_document_for_quick_import(tmp_path: Path) -> None:
    path = export_instrument(INSTRUMENT, "word", tmp_path / "s.docx", SYSTEM, ROSTER)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    numbered = [p for p in paragraphs if re.match(r"^\d+\. ", p)]
    assert len(numbered) == len(INSTRUMENT.items) + len(INSTRUMENT.demographics) + len(
        INSTRUMENT.open_questions
    )
    assert numbered[0] == "1. Using Salesforce Sales Cloud helps me reach my personal targets."
    first = paragraphs.index(numbered[0])
    assert paragraphs[first + 1 : first + 6] == INSTRUMENT.scales["agree5"].labels
    assert not any("{system}" in p for p in paragraphs)


def test_markdown_questionnaire(tmp_path: Path) -> None:
    text = export_instrument(INSTRUMENT, "markdown", tmp_path / "s.md", SYSTEM, ROSTER).read_text()
    for item in INSTRUMENT.items:
        assert item.text.replace("{system}", SYSTEM) in text
    assert "☐ Don't know" in text and "☐ Deepa Adeyemi" in text


def test_cli_export_from_the_engagement(
    tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "survey.txt"
    assert (
        main(
            [
                "survey",
                "export",
                "adoption_rescue_v1",
                "--format",
                "qualtrics",
                "--engagement",
                str(demo_dir),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "system: Salesforce Sales Cloud" in capsys.readouterr().out
    assert "Inside Sales\nMarketing\nOperations\nService" in out.read_text()


def test_cli_export_needs_a_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "survey",
                "export",
                "adoption_rescue_v1",
                "--format",
                "markdown",
                "--out",
                str(tmp_path / "x.md"),
            ]
        )
        == 2
    )
    assert "give --system NAME or --engagement" in capsys.readouterr().err
    assert not (tmp_path / "x.md").exists()


def test_cli_survey_check(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from adoption_lib.synthetic.planted import read_planted

    survey = read_planted(demo_dir / "PLANTED.md")["survey"]
    received, kept = survey["rows_received"], survey["respondents_kept"]
    assert main(["survey", "check", str(demo_dir)]) == 0
    out = capsys.readouterr().out
    assert f"qualtrics, utf-8, {received} rows" in out and "unmatched columns: none" in out
    assert f"Survey: {received} rows received, {kept} kept" in out
    assert f"excluded speeder: {survey['excluded']['speeder']}" in out
