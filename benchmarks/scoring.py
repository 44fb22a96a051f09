"""Scoring 50,000 respondents x 60 items against a bare pandas pivot of the answers.

Measured: :func:`adoption_lib.survey.scores.score_survey` (item matrix, construct
scores, reliability of every construct, motivation types, barrier and Keys tables
overall and by five groupings, suppression). Baseline: ``pivot_table`` of the same long
answers into respondents x items, the least any scoring must do.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _instrument(folder: Path) -> Path:
    families = ["motivation"] * 3 + ["barrier"] * 8 + ["key"] * 5 + ["behaviour"] * 4
    ids = ["commitment", "compliance", "wiifm"] + [f"c{i}" for i in range(17)]
    lines = [
        "id: bench",
        "title: Bench",
        "audience_question: role",
        "manager_answers: [Manager]",
        "scales:",
        "  agree5:",
        "    labels: [Strongly disagree, Disagree, Neither, Agree, Strongly agree]",
        "    favourable: [4, 5]",
        "    unfavourable: [1, 2]",
        "    na_labels: [Don't know]",
        "constructs:",
    ]
    lines += [
        f"  - {{id: {c}, family: {f}, label: {c}, description: {c}}}"
        for c, f in zip(ids, families, strict=True)
    ]
    lines.append("items:")
    lines += [
        f"  - {{id: i{n}, construct: {ids[n % 20]}, scale: agree5, reverse: {str(n % 7 == 0).lower()}, text: 'Item {n}'}}"
        for n in range(60)
    ]
    lines += [
        "demographics:",
        "  - {id: department, text: Department}",
        "  - {id: role, text: Role}",
    ]
    path = folder / "bench.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(respondents: int = 50_000) -> dict[str, object]:
    """Time scoring against a bare pivot; return seconds and the ratio."""
    import adoption_lib.survey.scores  # noqa: F401  (imports are not what is measured)
    from adoption_lib.config.instrument import load_instrument
    from adoption_lib.config.schema import Engagement
    from adoption_lib.survey.load import SurveyData
    from adoption_lib.survey.scores import score_survey

    rng = np.random.default_rng(2)
    with tempfile.TemporaryDirectory() as tmp:
        instrument = load_instrument(_instrument(Path(tmp)))
        ids = np.array([f"r{i:06d}" for i in range(respondents)], dtype=object)
        people = pd.DataFrame(
            {
                "respondent": ids,
                "department": rng.choice([f"Dept {d}" for d in range(12)], respondents),
                "role": rng.choice(["End user", "Manager"], respondents, p=[0.9, 0.1]),
                "team": rng.choice([f"Team {t}" for t in range(900)], respondents),
                "location": rng.choice(["London", "Dublin", "Boston"], respondents),
                "excluded": None,
            }
        )
        people["audience"] = np.where(people["role"] == "Manager", "managers", "all")
        trait = rng.normal(size=(respondents, 20))
        items = [i.id for i in instrument.items]
        construct_index = [n % 20 for n in range(60)]
        z = trait[:, construct_index] + rng.normal(0, 0.8, (respondents, 60))
        codes = np.digitize(z, [-1.3, -0.45, 0.35, 1.3]) + 1.0
        na = rng.random((respondents, 60)) < 0.03
        answers = pd.DataFrame(
            {
                "respondent": np.repeat(ids, 60),
                "item": np.tile(np.array(items, dtype=object), respondents),
                "value": np.where(na, np.nan, codes).ravel(),
                "na": na.ravel(),
            }
        )
        data = SurveyData(
            instrument, people, answers, pd.DataFrame(columns=["respondent", "question", "text"])
        )
        engagement = Engagement.model_construct(
            client="Bench",
            system="CRM",
            privacy=Engagement.model_fields["privacy"].default_factory(),
            thresholds=Engagement.model_fields["thresholds"].default_factory(),
        )
        start = time.perf_counter()
        answers[~answers["na"]].pivot_table(
            index="respondent", columns="item", values="value", aggfunc="first"
        )
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        result = score_survey(data, engagement)
        seconds = time.perf_counter() - start
        return {
            "benchmark": "scoring",
            "respondents": respondents,
            "items": 60,
            "constructs_scored": len(result.scores.columns),
            "baseline_seconds": round(baseline, 2),
            "workbook_seconds": round(seconds, 2),
            "time_ratio": round(seconds / baseline, 1),
            "target_seconds": 5,
        }
