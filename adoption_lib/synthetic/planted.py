"""Write a generated engagement's ``engagement.yml`` and ``PLANTED.md``.

PLANTED.md is for people (what was planted, why, and where to look) and for tests: it
ends with the ground truth as a fenced JSON block that :func:`read_planted` returns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from adoption_lib.synthetic.scenario import Scenario

EVENT_COLUMN_MAP = {
    "user_key": "actor_email",
    "ts": "logged_at",
    "event": "action",
    "feature": "object_type",
    "record_id": "record_id",
    "record_occurred_at": "activity_date",
}


def write_engagement_yml(path: Path, scenario: Scenario) -> None:
    """Write the generated engagement's configuration, commented like ``adoption init``'s."""
    columns = ", ".join(f"{k}: {v}" for k, v in EVENT_COLUMN_MAP.items())
    features = ", ".join(scenario.key_features)
    path.write_text(
        f"""# Demo engagement: synthetic data written by `adoption synth` (see PLANTED.md).
# Every name, email and figure here is invented.
client: {scenario.client}
system: {scenario.system}
go_live: {scenario.go_live.isoformat()}
assessment_date: {scenario.assessment_date.isoformat()}
renewal_date: {scenario.renewal_date.isoformat()}

licenses: {scenario.licenses}
annual_contract_value: {scenario.annual_contract_value:.0f}
currency: {scenario.currency}

instrument: {scenario.instrument}
survey_opened: 2026-10-05
survey_closed: 2026-10-23
survey_exports:
  - path: exports/survey/northwind_adoption_survey.csv   # Qualtrics, choice text

usage_exports:
  - path: exports/usage/LoginHistory.csv     # Data Loader, last ~6 months
    format: salesforce_login_history
    users: exports/usage/User.csv            # Data Loader User export (LastLoginDate)
  - path: exports/usage/crm_events.csv.gz    # warehouse extract of CRM actions
    format: events
    columns: {{{columns}}}

roster: exports/roster.csv

key_features: [{features}]

privacy:
  min_group_size: 5
  min_comment_group: 10
  client_dimensions: [department, role]
{_waves_yml(scenario, columns)}""",
        encoding="utf-8",
    )


def _waves_yml(scenario: Scenario, columns: str) -> str:
    """The ``waves`` block: each re-measure wave's dates and exports (none: no block)."""
    if not scenario.waves:
        return ""
    lines = ["", "waves:                                   # re-measures after the baseline"]
    for wave in scenario.waves:
        here = f"exports/{wave.name}"
        lines += [
            f"  - name: {wave.name}",
            f"    assessment_date: {wave.assessment_date.isoformat()}",
            f"    survey_opened: {wave.survey_opened.isoformat()}",
            f"    survey_closed: {wave.survey_closed.isoformat()}",
            "    survey_exports:",
            f"      - path: {here}/survey/northwind_adoption_survey.csv",
            "    usage_exports:",
            f"      - path: {here}/usage/LoginHistory.csv",
            "        format: salesforce_login_history",
            f"        users: {here}/usage/User.csv",
            f"      - path: {here}/usage/crm_events.csv.gz",
            "        format: events",
            f"        columns: {{{columns}}}",
        ]
    return "\n".join(lines) + "\n"


def _waves_section(scenario: Scenario, truth: dict[str, Any]) -> str:
    """PLANTED.md's account of each wave: what changed where, and the usage it produced."""
    if not scenario.waves:
        return ""
    parts = ["## Re-measure waves (the waves issue must recover these)"]
    before = truth
    for wave in scenario.waves:
        after = truth["waves"][wave.name]
        parts.append(
            f"\n### {wave.name}: as of {wave.assessment_date}, survey open "
            f"{wave.survey_opened} to {wave.survey_closed}\n"
            "Traits changed after the previous wave, then use was simulated up to the "
            "wave's date and the survey fielded again (independent draws). Everything "
            "else is unchanged.\n"
        )
        for change in wave.changes:
            moved = ", ".join(
                f"{name} {value:+.1f}"
                for name, value in (
                    ("commitment", change.commitment),
                    ("process barrier", change.process_barrier),
                    ("habit", change.habit),
                    ("managers' coaching", change.coaching),
                )
                if value
            )
            parts.append(
                f"- **{change.department}** ({change.direction}): {change.planted} ({moved})."
            )
        parts.append(f"- **Negative control:** {wave.control} (no change).\n")
        parts.append(
            "| department | active 30d before | active 30d after | days / week before | "
            "days / week after | kept respondents after |\n|---|---|---|---|---|---|"
        )
        for name, now in after["departments"].items():
            then = before["departments"][name]
            parts.append(
                f"| {name} | {then['active_users_30d']} / {then['licensed_users']} | "
                f"{now['active_users_30d']} / {now['licensed_users']} | "
                f"{then['mean_active_days_per_week']:.2f} | {now['mean_active_days_per_week']:.2f} | "
                f"{after['survey']['kept_by_department'].get(name, 0)} |"
            )
        before = after
    return "\n".join(parts) + "\n\n"


def write_planted(path: Path, scenario: Scenario, truth: dict[str, Any]) -> None:
    """Write PLANTED.md: the planted patterns in prose, then the truth as JSON."""
    depts = truth["departments"]
    rows = "\n".join(
        f"| {name} | {d['licensed_users']} | {d['active_users_30d']} | "
        f"{d['mean_active_days_per_week']:.2f} | {d['median_feature_breadth_30d']} | "
        f"{_pct(d['late_entry_share'])} | {d['report_exports_per_100_active_days']} | "
        f"{d['planted'] or '-'} |"
        for name, d in depts.items()
    )
    team, rest = truth["strong_team"]["team"], truth["strong_team"]["rest_of_department"]
    others = truth["not_on_roster"]
    files = truth["files"]
    text = f"""# PLANTED: what the Northwind demo contains, as generated (seed {truth["seed"]})

Synthetic data from `adoption synth` (`adoption_lib.synthetic`). Behaviour comes from each
person's latent traits (commitment, compliance, WIIFM, process and access barriers, a
supervisor's coaching) plus noise; departments differ only in the means of those traits.
Every figure below is counted from what the generator produced, over the definitions in
DESIGN §4/§5, so a correct analysis of the files must recover it.

- Client: {scenario.client}, system: {scenario.system}
- Go-live {scenario.go_live}, assessment (as of) {scenario.assessment_date}, renewal {scenario.renewal_date}
- {truth["licenses"]} licences bought, {truth["licensed_users"]} licensed users on the roster,
  {truth["unassigned_seats"]} unassigned seats.

## Usage patterns (the usage and diagnosis issues must find these)
| department | licensed | active 30d | active days / week (last 4 wk) | median key-feature breadth (30d) | entries > 2 days late | report exports / 100 active days | planted |
|---|---|---|---|---|---|---|---|
{rows}

- **Highly active department:** Inside Sales.
- **Minimal use and late data entry:** Field Sales (batched entry before deadlines, narrow
  breadth, many report exports: data kept outside the system).
- **High-use supervisor team:** the Customer Success team of `{truth["strong_team"]["supervisor"]}`:
  {team["mean_active_days_per_week"]:.2f} active days a week against {rest["mean_active_days_per_week"]:.2f} for
  the rest of the department's end users ({team["licensed_users"]} vs {rest["licensed_users"]} people).
- **Blocked (usage side):** Service uses the system little despite above-average commitment
  (a process barrier); its survey side arrives with the survey issue.
- **Negative control:** Operations has no planted effect.

## People and accounts
- Active in the last 30 days: **{truth["active_users_30d"]}** ({truth["license_utilisation"]:.1%} of licences);
  effective (active in at least 3 of the last 4 weeks): **{truth["effective_users"]}**.
- **Dormant users** (activated, no qualifying use in the last 30 days): **{truth["dormant_users"]}**, of
  whom {truth["dormant_before_login_history"]} last logged in before LoginHistory begins, so only the
  User export's `LastLoginDate` shows they were ever active.
- **Never activated:** **{truth["never_activated"]}** licensed users with no successful interactive login;
  {truth["never_activated_with_failed_logins"]} of them tried and were locked out (failed logins: an access barrier).
- **API-only roster users:** {truth["api_only_roster_users"]} Marketing users run a weekly Data Loader job
  (API logins, which never count as use) but have not used the system themselves in 30 days.
- **Not on the roster** (reported, never counted): integrations {", ".join(others["integration"])};
  contractors {", ".join(others["contractor"])}; leavers (inactive users) {", ".join(others["leaver"])};
  automated users {", ".join(others["automated"])}.

## Survey (Qualtrics export, choice text)
Invited: the {truth["licensed_users"]} licensed users; survey open {truth["survey_window"][0]} to {truth["survey_window"][1]}.
Answers follow the same latent traits as usage, so:
- **Commitment-led department:** Inside Sales (highest commitment, lowest compliance gap).
- **Compliance-led department:** Field Sales (compliance well above commitment; late entry in usage).
- **Blocked, wants to use:** Service: above-average commitment, process-fit barrier unfavourable.
- **Strong supervisor involvement:** the coaching supervisor's team rates Key 5 (+1) far higher.
- **Negative control:** Operations.
- **No-effect barrier:** data trust varies from one supervisor team to another (drawn on a
  random stream of its own) but follows nothing that drives use: key drivers must rank it
  below every barrier that does.
- Organisation-wide: performance evaluations and clarity of expected behaviour are barriers
  everywhere; Keys 2 and 3 carry many "Don't know" answers, fewer among managers.

| received | kept | previews/tests | duplicates (retakes) | incomplete | speeders | straight-liners |
|---|---|---|---|---|---|---|
| {truth["survey"]["rows_received"]} | {truth["survey"]["respondents_kept"]} | {truth["survey"]["excluded"]["preview_or_test"]} | {truth["survey"]["excluded"]["duplicate"]} | {truth["survey"]["excluded"]["incomplete"]} | {truth["survey"]["excluded"]["speeder"]} | {truth["survey"]["excluded"]["straight_line"]} |

Comments include commas, quotes, line breaks and emoji.

## Messiness the readers must handle
- Roster: UTF-8 with a BOM, CRLF line ends, emails in mixed case, a few with a trailing space.
- User export: some emails carry plus-addressing (`name+crm@`); two users' 15-character ids
  differ only in letter case (their 18-character ids differ).
- LoginHistory ({files["login_history"]} rows): failed logins, SSO, mobile (Remote Access 2.0) and API/integration
  logins; rows only roughly in time order.
- Event log ({files["events"]} rows, gzipped): mixed UTC offsets (`Z`, `+00:00`, `+01:00`, `-04:00`...),
  {files["duplicate_events"]} exact re-deliveries (same `event_id`), late-arriving mobile rows out of order,
  and `activity_date` only on actions describing off-system activity.

{_waves_section(scenario, truth)}## Ground truth (JSON)
```json
{json.dumps(truth, indent=2, sort_keys=True)}
```
"""
    path.write_text(text, encoding="utf-8")


def read_planted(path: Path) -> dict[str, Any]:
    """Read the ground-truth JSON block of a PLANTED.md.

    Parameters
    ----------
    path
        The PLANTED.md file.

    Returns
    -------
    dict
        The truth written by :func:`write_planted`.
    """
    match = re.search(r"```json\n(.*?)\n```", path.read_text(encoding="utf-8"), re.S)
    if not match:
        raise ValueError(f"{path}: no ground-truth JSON block")
    return json.loads(match.group(1))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
