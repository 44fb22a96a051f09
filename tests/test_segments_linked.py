"""Segments with linking: each person is judged on their own use, never their group's.

On a copy of the demo with ``link_individuals: true``, every label that rests on use
(blocked, disengaged, champion) is checked against the person's own active days a week
from the usage, and nobody whose usage could not be found gets one. Without linking the
summary says the counts follow a group rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib import pipeline
from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.schema import Thresholds
from adoption_lib.diagnosis.segments import assign_segments, usage_context
from adoption_lib.synthetic import DEMO_SEED

CONSENT = '  consent_basis: "Respondents agreed to have their answers linked to their use."\n'


@pytest.fixture(scope="module")
def linked(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("segments") / "linked"
    shutil.copytree(generated[DEMO_SEED], folder)
    config = folder / "engagement.yml"
    text = config.read_text()
    config.write_text(
        text.replace("privacy:\n", f"privacy:\n  link_individuals: true\n{CONSENT}", 1)
    )
    return pipeline.run(load_engagement(folder))


def test_no_person_is_labelled_by_their_groups_use(linked) -> None:
    t = linked.engagement.thresholds
    assessment, diagnosis = linked.assessment, linked.diagnosis
    assert linked.summary["segments_basis"] == "person"
    identity = assessment.survey.kept().set_index("respondent")["identity"]
    own = identity.map(assessment.people["per_week"])  # NaN: not found in the usage
    segments = diagnosis.segments.reindex(identity.index)
    low, habitual = t.low_use_days_per_week, t.active_use_days_per_week
    needs_use = segments.isin(["blocked", "disengaged", "champion"])
    assert needs_use.sum() > 20  # the demo places real people there, so this can fail
    assert own[needs_use].notna().all()  # only people whose own use is known
    assert (own[segments == "disengaged"] < low).all()
    assert (own[segments == "blocked"] < habitual).all()
    assert (own[segments == "champion"] >= habitual).all()
    # the demo links everyone: each label's use is the person's own figure
    assert own.notna().all()
    # and the types are compared on each person's own use
    check = linked.summary["motivation_vs_use"]
    assert check["level"] == "person" and check["n"] > 300 and check["p"] is not None
    commitment = own[assessment.scores.types.reindex(own.index) == "commitment"].mean()
    assert check["mean_days"]["commitment"] == pytest.approx(commitment, abs=1e-3)


def test_a_respondent_not_found_in_the_usage_gets_no_use_not_the_groups() -> None:
    respondents = pd.DataFrame(
        {"department": ["Sales"] * 3, "role": ["rep"] * 3, "team": ["t1"] * 3},
        index=["r1", "r2", "r3"],
    )
    people = pd.DataFrame(
        {
            "department": ["Sales"] * 6,
            "role": ["rep"] * 6,
            "team": ["t1"] * 6,
            "per_week": [0.5, 4.0, 4.0, 4.0, 4.0, 4.0],
            "breadth": [1, 5, 5, 5, 5, 5],
        },
        index=[f"p{i}" for i in range(6)],
    )
    linked = pd.Series(["p0", None, "gone"], index=respondents.index)
    use = usage_context(respondents, people, 5, linked)
    assert list(use["level"]) == ["person", "unlinked", "unlinked"]
    assert use.loc["r1", "per_week"] == 0.5 and use.loc[["r2", "r3"], "per_week"].isna().all()
    # without linking the team's mean stands for all three (a group rule)
    grouped = usage_context(respondents, people, 5, None)
    assert list(grouped["level"]) == ["team"] * 3
    assert grouped["per_week"].tolist() == pytest.approx([3.4167] * 3, abs=1e-4)
    # no use: only the rules on answers alone can place the unlinked
    types = pd.Series(["commitment", "compliance", "commitment"], index=respondents.index)
    held = pd.Series([-0.9, -0.9, -0.9], index=respondents.index)  # worse than the org
    segments = assign_segments(types, held, use, Thresholds(), key_features=0)
    assert list(segments) == ["blocked", "complier", "unplaced"]


def test_without_linking_the_counts_follow_a_group_rule(generated: dict[int, Path]) -> None:
    summary = pipeline.run(load_engagement(generated[DEMO_SEED])).summary
    assert summary["segments_basis"] == "group"
    assert sum(v for v in summary["segments"].values()) == summary["survey"]["respondents_kept"]


def test_with_linking_drivers_also_run_on_each_persons_own_use(linked) -> None:
    import statsmodels.api as sm

    summary, assessment = linked.summary, linked.assessment
    person = [
        d
        for d in summary["drivers"]
        if d["level"] == "person" and d["outcome"] == "active_days_per_week"
    ]
    team = [d for d in summary["drivers"] if d["level"] == "team"]
    assert person and team  # the plan still ranks on the team level
    families = {c.id: c.family for c in assessment.survey.instrument.constructs}
    constructs = [c for c in assessment.scores.scores if families[c] in ("motivation", "barrier")]
    identity = assessment.survey.kept().set_index("respondent")["identity"]
    own = identity.map(assessment.people["per_week"]).rename("days")
    data = assessment.scores.scores[constructs].join(own).dropna()
    fit = sm.OLS(data["days"], sm.add_constant(data[constructs])).fit()
    model = [d for d in person if d["id"] in constructs]
    assert {d["n"] for d in model} == {len(data)}
    assert model[0]["r2"] == pytest.approx(fit.rsquared, abs=1e-4)
    assert sum(d["importance"] for d in model) == pytest.approx(fit.rsquared, abs=1e-3)
    text = str(summary["drivers"])
    assert not any(i in text for i in identity.dropna())  # aggregates only
