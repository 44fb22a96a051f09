"""Diagnosis: renewal arithmetic by hand, segment rules, the playbook, and the demo's plants."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib import pipeline
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.playbook import load_playbook
from adoption_lib.config.schema import Thresholds
from adoption_lib.diagnosis.forecast import Projection, project_effective
from adoption_lib.diagnosis.renewal import adoption_score, renewal
from adoption_lib.diagnosis.segments import assign_segments
from adoption_lib.errors import ConfigError, LicenceCountError
from adoption_lib.privacy.pseudonyms import engagement_key, person_pseudonym
from adoption_lib.synthetic import DEMO_SEED
from adoption_lib.synthetic.planted import read_planted

from .conftest import SECOND_SEED

# --- renewal arithmetic, by hand -------------------------------------------------------


def test_value_at_risk_counts_assigned_seats_and_prices_unassigned_apart() -> None:
    # 100 licences, 5 unassigned, EUR 1,200 a licence; 87.2 effective projected [80, 95]
    p = Projection(87.2, 80.0, 95.0, 20, model="flat", backtest={"flat": 2.5})
    f = renewal(
        licenses=100,
        effective_now=80,
        projection=p,
        annual_contract_value=120_000,
        currency="EUR",
        unassigned_seats=5,
        week_starts=[f"2026-01-{d:02d}" for d in range(1, 21)],
    ).figures
    assert f["assigned_licenses"] == 95
    assert f["value_at_risk"] == pytest.approx((95 - 87.2) * 1200, abs=0.01)  # 9,360
    assert f["value_at_risk_low"] == 0.0  # the high projection fills every assigned seat
    assert f["value_at_risk_high"] == pytest.approx((95 - 80) * 1200)
    assert f["seat_contraction_exposure"] == 6000.0  # 5 x 1,200, never in value at risk
    assert f["projected_effective_users_band"] == [80.0, 95.0]
    assert f["model"] == "flat" and f["backtest"] == {"flat": 2.5}
    assert f["forecast_from_week"] == "2026-01-01"
    assert f["projected_utilisation_at_renewal"] == pytest.approx(0.872)
    assert f["risk"] == "low" and f["currency"] == "EUR"


def test_seat_contraction_exposure_needs_no_projection() -> None:
    f = renewal(
        licenses=100,
        effective_now=None,
        projection=Projection(None, None, None, 2, "only 2 weeks"),
        annual_contract_value=100_000,
        currency="USD",
        unassigned_seats=10,
    ).figures
    assert f["value_at_risk"] is None and f["seat_contraction_exposure"] == 10_000.0


def test_projection_band_and_risk_levels() -> None:
    weekly = pd.Series([50, 55, 48, 52, 47, 51, 45, 49, 44, 46, 42, 44])
    p = project_effective(weekly, 40, 8)
    assert p.low < p.central < p.high
    r = renewal(
        licenses=100,
        effective_now=40,
        projection=p,
        annual_contract_value=100_000,
        currency="USD",
        unassigned_seats=0,
    ).figures
    assert r["risk"] == "high"  # well under 60%
    # the high projection gives the low value at risk
    assert r["value_at_risk_low"] < r["value_at_risk"] < r["value_at_risk_high"]


def test_zero_licences_is_a_clear_error() -> None:
    with pytest.raises(LicenceCountError, match="licenses is 0"):
        renewal(
            licenses=0,
            effective_now=0,
            projection=Projection(1, 1, 1, 12),
            annual_contract_value=1.0,
            currency="USD",
            unassigned_seats=0,
        )


def test_more_effective_users_than_licences_is_reported_never_negative() -> None:
    p = project_effective(pd.Series([120] * 12), 120, 10, cap=130)
    r = renewal(
        licenses=100,
        effective_now=120,
        projection=p,
        annual_contract_value=50_000,
        currency="USD",
        unassigned_seats=0,
    )
    assert r.figures["value_at_risk"] == 0 and r.figures["value_at_risk_high"] == 0
    assert r.figures["risk"] == "low"
    assert r.notes == [
        "20 more effective users than licences: the contract is over-used, "
        "nothing is at risk from adoption"
    ]


def test_missing_contract_value_omits_value_at_risk_with_a_note() -> None:
    p = project_effective(pd.Series(range(10, 22)), 10, 4)
    r = renewal(
        licenses=50,
        effective_now=10,
        projection=p,
        annual_contract_value=None,
        currency=None,
        unassigned_seats=0,
    )
    assert r.figures["value_at_risk"] is None and r.figures["risk"] is not None
    assert r.figures["unavailable"]["value_at_risk"] == (
        "annual_contract_value is not set in engagement.yml"
    )
    assert "value at risk omitted" in r.notes[0]


def test_too_few_weeks_gives_null_with_its_reason() -> None:
    p = project_effective(pd.Series([10, 12, 13]), 8, 10)
    assert p.central is None and p.reason == "only 3 weeks of usage data; the projection needs 6"
    r = renewal(
        licenses=50,
        effective_now=8,
        projection=p,
        annual_contract_value=1000.0,
        currency="USD",
        unassigned_seats=0,
    )
    assert r.figures["value_at_risk"] is None
    assert r.figures["unavailable"]["value_at_risk"] == p.reason


def test_adoption_score_averages_what_is_available() -> None:
    score = adoption_score(
        {
            "effective_utilisation": 0.6,
            "feature_breadth": None,
            "commitment_share": 0.2,
            "barrier_freedom": 1.0,
        }
    )
    assert score["value"] == 60.0 and score["used"] == [
        "barrier_freedom",
        "commitment_share",
        "effective_utilisation",
    ]
    assert score["components"]["feature_breadth"] is None
    assert adoption_score({"a": None})["value"] is None


# --- segment rules --------------------------------------------------------------------


def test_segment_rules_in_order() -> None:
    types = pd.Series(
        [
            *("commitment", "commitment", "compliance", "wiifm", "low", "mixed", "commitment"),
            *("mixed", "low", "unclassified", "commitment", "wiifm"),
        ],
        index=list("abcdefghijkl"),
    )
    # barrier scores: z against the organisation, negative is worse
    held = pd.Series(
        [-0.5, 0.3, -2.0, 0.0, -0.2, -0.2, 0.1, -0.8, 0.0, -1.0, -0.49, -0.9],
        index=types.index,
    )
    use = pd.DataFrame(
        {
            "per_week": [1.0, 3.0, 0.5, 3.0, 0.2, 2.5, 3.0, 1.2, 2.5, 0.1, 1.0, 0.5],
            "breadth": [1, 5, 1, 1, 0, 3, 1, 1, 2, 0, 1, 1],
        },
        index=types.index,
    )
    out = assign_segments(types, held, use, Thresholds(), key_features=8)
    assert out.to_dict() == {
        "a": "blocked",  # committed, barriers half an SD worse than the organisation, low use
        "b": "champion",  # committed, habitual, 5 of 8 key features
        "c": "complier",  # compliance-led people are not "blocked": low use is their signature
        "d": "self_server",
        "e": "disengaged",
        "f": "mixed_motives",
        "g": "growing",  # committed and habitual but narrow: not yet a champion
        "h": "blocked",  # mixed motives can be held back too
        "i": "passive",  # no motive high, yet using it
        "j": "unplaced",  # no type: too few answers
        "k": "growing",  # 0.49 SD worse is not held back
        "l": "blocked",  # WIIFM-led, held back, low use
    }
    # no use known (an unlinked respondent): only the rules on answers alone place them
    unknown = use.assign(per_week=float("nan"), breadth=float("nan"))
    placed = assign_segments(types, held, unknown, Thresholds(), key_features=8)
    assert set(placed[types.isin(["commitment", "mixed", "low"])]) == {"unplaced"}


def test_the_barrier_score_weighs_the_barriers_that_relate_to_use() -> None:
    from adoption_lib.config.instrument import load_instrument
    from adoption_lib.diagnosis.segments import barrier_score

    instrument = load_instrument("adoption_rescue_v1")
    barriers = [c.id for c in instrument.constructs if c.family == "barrier"]
    first, second = barriers[:2]
    scores = pd.DataFrame(3.0, index=["p", "q", "r", "s"], columns=barriers)
    scores[first] = [1.0, 3.0, 3.0, 5.0]  # mean 3, SD 1.633
    scores[second] = [5.0, 3.0, 3.0, 1.0]
    # equal weights: p is 1.22 SD worse on one and 1.22 better on another, the rest 0
    equal = barrier_score(scores, instrument)
    assert equal["p"] == pytest.approx(0.0)
    # weighted by the drivers: only the first relates to use, so p is held back
    weights = pd.Series({first: 0.12, second: 0.0, "commitment": 0.4})
    weighted = barrier_score(scores, instrument, weights)
    assert weighted["p"] == pytest.approx(-2.0 / scores[first].std(ddof=1))
    assert weighted["s"] == pytest.approx(2.0 / scores[first].std(ddof=1))
    # no positive weight: every barrier counts equally again
    assert barrier_score(scores, instrument, weights * 0).equals(equal)


# --- the playbook ---------------------------------------------------------------------


def test_playbook_has_the_required_plays() -> None:
    plays = {p.id for p in load_playbook().plays}
    assert {
        "arc_session",
        "smart_behaviours",
        "name_adoption_owner",
        "publish_adoption_plan",
        "leadership_moments",
        "supervisor_coaching",
        "early_wins",
        "data_use_statement",
        "data_cleanup",
        "role_based_training",
        "retire_shadow_tools",
        "align_evaluations",
        "involve_key_users",
        "sustainment_plan",
    } <= plays


def test_a_broken_playbook_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    text = Path("surveys/playbook.yml").read_text()
    text = text.replace("  - id: smart_behaviours", "  - id: arc_session", 1)
    text = text.replace("    effort: low\n", "    effort: trivial\n", 1)
    text = text.replace("    duration_weeks: 4\n", "    duration_weeks: 4\n    colour: blue\n", 1)
    path = tmp_path / "playbook.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_playbook(path)
    message = str(caught.value)
    lines = text.splitlines()
    effort_line = lines.index("    effort: trivial") + 1
    colour_line = lines.index("    colour: blue") + 1
    assert (
        f"playbook.yml:{effort_line}: plays[0].effort: Input should be 'low', 'medium' or 'high'"
        in message
    )
    assert f"playbook.yml:{colour_line}: plays[1].colour: unknown key" in message
    assert "play id 'arc_session' is used twice" in message


# --- the demo, on two seeds -------------------------------------------------------------


@pytest.fixture(scope="module", params=[DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def diagnosed(request, generated: dict[int, Path]):
    folder = generated[request.param]
    result = pipeline.run(load_engagement(folder))
    return result, result.summary, read_planted(folder / "PLANTED.md")


def _planted(truth: dict, words: str) -> str:
    return next(d for d, v in truth["departments"].items() if words in v["planted"])


def test_blocked_department_and_its_register(diagnosed) -> None:
    result, summary, truth = diagnosed
    blocked = _planted(truth, "process barrier")
    table = result.diagnosis.segments_by_group["department"].set_index("department")
    assert table.loc[blocked, "dominant"] == "blocked"
    # and blocked is concentrated there: at least twice its share anywhere else
    shares = table["blocked_share"].fillna(0.0)
    assert shares[blocked] >= 2 * shares.drop(blocked).max()
    register = result.diagnosis.register.by_department[blocked]
    assert register.iloc[0]["finding"] == "process_fit"
    action = next(a for a in summary["actions"] if a["id"] == register.iloc[0]["action"])
    assert action["owner_role"].startswith("Management")
    assert action["control"] == "outside"


def test_compliance_led_department_is_mostly_compliers(diagnosed) -> None:
    result, _, truth = diagnosed
    department = _planted(truth, "compliance-led")
    table = result.diagnosis.segments_by_group["department"].set_index("department")
    assert table.loc[department, "dominant"] == "complier"


def test_strong_supervisor_team_has_the_most_champions(diagnosed) -> None:
    result, _, truth = diagnosed
    assessment = result.assessment
    strong = truth["strong_team"]
    key = engagement_key(assessment.engagement.private_dir)
    diagnosis = result.diagnosis
    respondents = assessment.scores.cube_part.people
    names = dict(zip(assessment.roster["name"], assessment.roster["email"], strict=True))
    team = respondents["team"].map(
        lambda n: person_pseudonym(names[n], key) if n in names else None
    )
    in_department = respondents["department"].str.casefold() == strong["department"].casefold()
    champions = diagnosis.segments[in_department].eq("champion").groupby(team[in_department]).sum()
    assert champions.idxmax() == person_pseudonym(strong["supervisor"], key)
    assert champions.max() > champions.drop(champions.idxmax()).max()


def test_negative_control_has_no_finding(diagnosed) -> None:
    result, _, truth = diagnosed
    control = _planted(truth, "negative control")
    diagnosis = result.diagnosis
    assert control not in diagnosis.register.by_department
    table = diagnosis.segments_by_group["department"].set_index("department")
    assert table.loc[control, "dominant"] not in ("blocked", "complier", "disengaged")


def test_every_action_is_smart(diagnosed) -> None:
    result, summary, _ = diagnosed
    assessment = result.assessment
    keys = {
        "id",
        "barrier",
        "action",
        "owner_role",
        "due",
        "play",
        "evidence",
        "measure",
        "baseline",
        "target",
        "status",
    }
    assert summary["actions"]
    for action in summary["actions"]:
        assert keys <= set(action)
        for key in ("action", "measure", "owner_role", "evidence", "play"):
            assert isinstance(action[key], str) and action[key].strip(), (action["id"], key)
        assert action["baseline"] is not None and action["target"] is not None
        assert action["target"] != action["baseline"]
        assert date.fromisoformat(action["due"]) > assessment.engagement.assessment_date
        assert action["status"] == "planned"


def test_summary_gains_the_diagnosis_keys(diagnosed) -> None:
    _, summary, truth = diagnosed
    assert set(summary["segments"]) == {
        "champion",
        "growing",
        "complier",
        "self_server",
        "blocked",
        "mixed_motives",
        "passive",
        "disengaged",
        "unplaced",
    }
    assert sum(summary["segments"].values()) == summary["survey"]["respondents_kept"]
    r = summary["renewal"]
    for key in (
        "value_at_risk",
        "value_at_risk_low",
        "value_at_risk_high",
        "currency",
        "projected_effective_users_at_renewal",
        "projected_utilisation_at_renewal",
    ):
        assert r[key] is not None, key
    assert r["risk"] in ("low", "medium", "high")
    assert r["effective_users"] == truth["effective_users"]
    assert r["value_at_risk_low"] <= r["value_at_risk"] <= r["value_at_risk_high"]
    score = summary["adoption_score"]
    assert 0 <= score["value"] <= 100 and set(score["components"]) == {
        "effective_utilisation",
        "feature_breadth",
        "commitment_share",
        "barrier_freedom",
    }
    assert summary["link"]["mode"] == "group" and summary["link"]["rate"] > 0.9


# --- the action plan workbook -------------------------------------------------------------


@pytest.fixture(scope="module")
def action_plan(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    from adoption_lib.diagnosis.action_plan import write_engagement_plan

    result = pipeline.run(load_engagement(generated[DEMO_SEED]))
    assessment, summary = result.assessment, result.summary
    out = tmp_path_factory.mktemp("plan")
    rows = result.diagnosis.register.rows.to_dict("records")
    xlsx, csv_path = write_engagement_plan(assessment.engagement, summary["actions"], rows, out)
    return summary, xlsx, csv_path


def test_action_plan_reads_back_with_openpyxl(action_plan) -> None:
    import csv

    from openpyxl import load_workbook

    from adoption_lib.diagnosis.action_plan import PLAN_COLUMNS, PLAY_COLUMNS, REGISTER_COLUMNS

    summary, xlsx, csv_path = action_plan
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Plan", "Register", "Plays"]
    plan, register, plays = book["Plan"], book["Register"], book["Plays"]
    assert [c.value for c in plan[1]] == [c[0] for c in PLAN_COLUMNS]
    assert [c.value for c in register[1]] == [c[0] for c in REGISTER_COLUMNS]
    assert [c.value for c in plays[1]] == [c[0] for c in PLAY_COLUMNS]
    actions = summary["actions"]
    # the register lists every finding; the plan each action once (two findings that
    # fall to one play share it)
    assert plan.max_row - 1 == len(actions) == len({a["id"] for a in actions})
    register_ids = [row[0].value for row in register.iter_rows(min_row=2)]
    assert set(register_ids) == {a["id"] for a in actions}
    assert len({a["play"] for a in actions}) == len(actions)
    assert plays.max_row - 1 == len(load_playbook().plays)
    header = [c[0] for c in PLAN_COLUMNS]
    rows = [
        dict(zip(header, [c.value for c in row], strict=True)) for row in plan.iter_rows(min_row=2)
    ]
    first = rows[0]
    # plan order: by due date, and by priority (the actions' order) on one date
    soonest = [a for a in actions if a["due"] == min(x["due"] for x in actions)]
    assert first["ID"] == soonest[0]["id"] and first["Status"] == "planned"
    assert first["Due"].date().isoformat() == soonest[0]["due"]  # a real date cell
    # the demo's baseline is 119 days before renewal: every action lands before it
    assert {r["Phase"] for r in rows} == {"before renewal"}
    assert max(r["Due"].date().isoformat() for r in rows) <= "2027-02-22"
    dues = [r["Due"] for r in rows]
    assert dues == sorted(dues)
    order = [a["id"] for a in actions]
    for due in set(dues):
        ids = [r["ID"] for r in rows if r["Due"] == due]
        assert ids == sorted(ids, key=order.index)
    (check,) = plan.data_validations.dataValidation
    assert check.formula1 == '"planned,in progress,done"'
    assert str(check.sqref) == f"J2:J{len(actions) + 1}"
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == header and len(rows) == len(actions) + 1


def test_the_workbook_shows_no_code_in_any_visible_column(action_plan) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from tests.test_client_plain_language import PROBLEMS

    code = PROBLEMS["a code"]  # the same reading of a code as the client pages' test
    summary, xlsx, _ = action_plan
    book = load_workbook(xlsx)
    found = []
    for sheet in book.worksheets:
        for column in range(1, sheet.max_column + 1):
            if sheet.column_dimensions[get_column_letter(column)].hidden:
                continue
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
                if isinstance(cell.value, str) and code.search(cell.value):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value[:60]}")
    assert found == []
    # the measure's path is kept, hidden, for reading back
    plan = book["Plan"]
    last = get_column_letter(plan.max_column)
    assert plan.column_dimensions[last].hidden and plan[f"{last}1"].value == "Measure key"
    paths = {plan[f"{last}{r}"].value for r in range(2, plan.max_row + 1)}
    assert paths == {a["measure"] for a in summary["actions"]}
    # the Plays sheet names each play by the id its actions take
    plays = {row[0].value: row[1].value for row in book["Plays"].iter_rows(min_row=2)}
    titles = {a["id"]: a.get("play") for a in summary["actions"]}
    for play in load_playbook().plays:
        ids = [i for i, p in titles.items() if p == play.id]
        assert all(plays[i] == play.title for i in ids)


@pytest.mark.libreoffice
def test_action_plan_opens_in_libreoffice(action_plan, libreoffice: str, tmp_path: Path) -> None:
    import subprocess

    _, xlsx, _ = action_plan
    done = subprocess.run(
        [libreoffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        capture_output=True,
        text=True,
        timeout=240,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "action_plan.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")


def test_individual_linking_needs_consent_and_reports_groups_only(
    generated: dict[int, Path], tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "linked"
    shutil.copytree(generated[DEMO_SEED], folder)
    config = folder / "engagement.yml"
    text = config.read_text()
    assert "privacy:" in text
    config.write_text(
        text.replace(
            "privacy:\n",
            "privacy:\n  link_individuals: true\n"
            '  consent_basis: "Respondents agreed to have their answers linked to their use."\n',
            1,
        )
    )
    result = pipeline.run(load_engagement(folder))
    assessment, summary = result.assessment, result.summary
    link = summary["link"]
    kept = assessment.survey.kept()
    expected = int(kept["identity"].isin(assessment.people.index).sum())
    assert link["mode"] == "individual" and link["linked"] == expected > 0
    assert link["rate"] == pytest.approx(expected / len(kept), abs=1e-4)
    # the segments are computed on each linked person's own use, yet only counts leave
    assert sum(summary["segments"].values()) == len(kept)
    text = json.dumps(summary)
    for identity in kept["identity"].dropna():
        assert identity not in text
