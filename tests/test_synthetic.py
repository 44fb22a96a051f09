"""The synthetic generator: deterministic, and its planted patterns are in the files.

The oracle queries here read the written files with plain DuckDB SQL, independently of
the generator's internals, so a pattern that PLANTED.md claims but the files do not
carry fails.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from adoption_lib.errors import EngagementExistsError
from adoption_lib.synthetic import DEMO_SEED, GENERATED, generate_engagement
from adoption_lib.synthetic.planted import read_planted

from .conftest import SECOND_SEED

AS_OF = "TIMESTAMPTZ '2026-11-02 00:00:00+00'"


def _digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in GENERATED}


def test_same_seed_gives_byte_identical_files(generated: dict[int, Path], demo_dir: Path) -> None:
    # The committed demo is exactly what the generator writes for the demo seed.
    assert _digest(generated[DEMO_SEED]) == _digest(demo_dir)


def test_second_seed_gives_different_data(generated: dict[int, Path]) -> None:
    first, second = _digest(generated[DEMO_SEED]), _digest(generated[SECOND_SEED])
    for name in GENERATED[2:]:
        assert first[name] != second[name], name


def test_refuses_to_overwrite(generated: dict[int, Path]) -> None:
    with pytest.raises(EngagementExistsError, match="use --force"):
        generate_engagement(generated[DEMO_SEED], seed=DEMO_SEED)


def _connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    usage = folder / "exports" / "usage"
    con.execute(
        f"""
        CREATE VIEW roster AS
          SELECT lower(trim(email)) AS email, department, role, lower(trim(supervisor)) AS supervisor,
                 licensed = 'TRUE' AS licensed
          FROM read_csv('{folder}/exports/roster.csv', all_varchar = true);
        CREATE VIEW users AS
          SELECT "ID" AS id, regexp_replace(lower(trim("EMAIL")), '\\+[^@]*@', '@') AS email,
                 "LASTLOGINDATE" AS last_login
          FROM read_csv('{usage}/User.csv', all_varchar = true);
        CREATE VIEW logins AS
          SELECT "USERID" AS id, CAST("LOGINTIME" AS TIMESTAMPTZ) AS ts
          FROM read_csv('{usage}/LoginHistory.csv', all_varchar = true)
          WHERE "STATUS" = 'Success' AND coalesce("APITYPE", '') = ''
            AND "LOGINTYPE" <> 'Other Apex API';
        CREATE VIEW people AS
          SELECT r.*, u.id, u.last_login FROM roster r LEFT JOIN users u USING (email)
          WHERE r.licensed;
        CREATE VIEW events AS
          SELECT DISTINCT event_id, CAST(logged_at AS TIMESTAMPTZ) AS ts, actor_email, action,
                 object_type, CAST(NULLIF(activity_date, '') AS DATE) AS activity_date
          FROM read_csv('{usage}/crm_events.csv.gz', all_varchar = true);
        """
    )
    return con


def _days_per_week(con: duckdb.DuckDBPyConnection, where: str) -> float:
    return con.execute(
        f"""
        SELECT avg(coalesce(d, 0)) / 4 FROM people p LEFT JOIN (
          SELECT id, count(DISTINCT CAST(ts AS DATE)) AS d FROM logins
          WHERE ts >= {AS_OF} - INTERVAL 28 DAY AND ts < {AS_OF} GROUP BY id) l USING (id)
        WHERE {where}
        """
    ).fetchone()[0]


@pytest.fixture(params=[DEMO_SEED, SECOND_SEED], ids=["demo-seed", "second-seed"])
def seeded(request: pytest.FixtureRequest, generated: dict[int, Path]) -> tuple[Path, dict]:
    folder = generated[request.param]
    return folder, read_planted(folder / "PLANTED.md")


def test_files_carry_the_planted_counts(seeded: tuple[Path, dict]) -> None:
    folder, truth = seeded
    con = _connect(folder)
    licensed = con.execute("SELECT count(*) FROM people").fetchone()[0]
    never = con.execute(
        "SELECT count(*) FROM people WHERE coalesce(last_login, '') = ''"
    ).fetchone()[0]
    active = con.execute(
        f"SELECT count(DISTINCT id) FROM logins JOIN people USING (id) WHERE ts >= {AS_OF} - INTERVAL 30 DAY"
    ).fetchone()[0]
    effective = con.execute(
        f"""
        SELECT count(*) FROM (
          SELECT id FROM logins JOIN people USING (id)
          WHERE ts >= {AS_OF} - INTERVAL 28 DAY AND ts < {AS_OF}
          GROUP BY id HAVING count(DISTINCT floor(date_diff('second', ts, {AS_OF}) / 604800)) >= 3)
        """
    ).fetchone()[0]
    off_roster = con.execute(
        "SELECT count(*) FROM users WHERE email NOT IN (SELECT email FROM roster)"
    ).fetchone()[0]
    assert licensed == truth["licensed_users"] == 600
    assert never == truth["never_activated"]
    assert active == truth["active_users_30d"]
    assert effective == truth["effective_users"]
    assert off_roster == sum(len(v) for v in truth["not_on_roster"].values()) == 11
    assert (
        truth["licensed_users"]
        == truth["active_users_30d"] + truth["dormant_users"] + truth["never_activated"]
    )


def test_planted_usage_patterns_hold(seeded: tuple[Path, dict]) -> None:
    folder, truth = seeded
    con = _connect(folder)
    org = _days_per_week(con, "true")
    by_dept = {d: _days_per_week(con, f"department = '{d}'") for d in truth["departments"]}
    assert max(by_dept, key=by_dept.get) == "Inside Sales"
    assert by_dept["Inside Sales"] > 1.3 * org
    assert min(by_dept, key=by_dept.get) in {"Field Sales", "Service"}
    assert by_dept["Field Sales"] < 0.75 * org
    assert abs(by_dept["Operations"] - org) < 0.2 * org  # the negative control
    team = truth["strong_team"]["supervisor"]
    strong = _days_per_week(con, f"supervisor = '{team}'")
    rest = _days_per_week(
        con, f"department = 'Customer Success' AND role = 'end user' AND supervisor <> '{team}'"
    )
    assert strong > 1.5 * rest
    late = dict(
        con.execute(
            """
            SELECT p.department, avg((CAST(e.ts AS DATE) - e.activity_date > 2)::INT)
            FROM events e JOIN users u ON regexp_replace(lower(e.actor_email), '\\+[^@]*@', '@') = u.email
            JOIN people p ON p.id = u.id WHERE e.activity_date IS NOT NULL GROUP BY 1
            """
        ).fetchall()
    )
    assert max(late, key=late.get) == "Field Sales"
    assert late["Field Sales"] > 2 * late["Inside Sales"]
    for dept, share in late.items():
        assert share == pytest.approx(truth["departments"][dept]["late_entry_share"], abs=0.002)


def test_planted_people_patterns_hold(seeded: tuple[Path, dict]) -> None:
    _, truth = seeded
    assert truth["dormant_users"] >= 20
    assert truth["dormant_before_login_history"] >= 1
    assert truth["never_activated"] >= 20
    assert truth["never_activated_with_failed_logins"] >= 1
    assert truth["api_only_roster_users"] == 3
    assert truth["unassigned_seats"] == 50
    assert {k: len(v) for k, v in truth["not_on_roster"].items()} == {
        "integration": 3,
        "contractor": 2,
        "leaver": 4,
        "automated": 2,
    }


def test_login_history_is_six_months_after_go_live(seeded: tuple[Path, dict]) -> None:
    folder, _ = seeded
    con = _connect(folder)
    first, last, failed, api = con.execute(
        f"""
        SELECT min("LOGINTIME"[:10]), max("LOGINTIME"[:10]),
               count(*) FILTER (WHERE "STATUS" <> 'Success'), count(*) FILTER (WHERE "APITYPE" <> '')
        FROM read_csv('{folder}/exports/usage/LoginHistory.csv', all_varchar = true)
        """
    ).fetchone()
    assert "2026-05-06" <= first < last < "2026-11-02"
    assert failed > 0 and api > 0


def test_demo_survey_reproduces_planted_counts(seeded: tuple[Path, dict]) -> None:
    from adoption_lib.config.engagement import load_engagement
    from adoption_lib.survey.load import load_survey

    folder, truth = seeded
    data = load_survey(load_engagement(folder), write=False)
    planted = truth["survey"]
    assert data.quality.rows_received == planted["rows_received"]
    assert data.quality.respondents_kept == planted["respondents_kept"]
    assert {k: v for k, v in data.quality.excluded.items() if k != "unreadable_answer"} == planted[
        "excluded"
    ]
    assert data.quality.excluded["unreadable_answer"] == 0
    assert data.files[0].format == "qualtrics"
    assert data.files[0].unmatched_columns == [] and data.files[0].missing_questions == []
    kept = data.kept()["department"].value_counts().to_dict()
    assert kept == planted["kept_by_department"]
    assert data.comments["text"].str.contains("\n").any()
    assert data.comments["text"].str.contains("🤷|😞|👍").any()
