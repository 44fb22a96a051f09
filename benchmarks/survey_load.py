"""Survey ingestion of 50,000 responses x 60 items against a bare pandas read of the file.

Measured: :func:`adoption_lib.survey.load.load_survey` on an engagement whose Qualtrics
export (three header rows, choice text) holds ``rows`` responses to a 60-item
instrument: reading, detection, mapping, coding, pseudonymising and the quality rules.
Baseline: ``pandas.read_csv`` of the same file, skipping the two extra header rows.
Both in this process, each timed once after a warm-up of imports.
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
ITEMS = 60


def _make(folder: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    constructs = [f"c{i}" for i in range(12)]
    lines = [
        "id: bench",
        "title: Bench",
        "scales:",
        "  agree5:",
        f"    labels: {json.dumps(LABELS)}",
        "    favourable: [4, 5]",
        "    unfavourable: [1, 2]",
        "constructs:",
    ]
    lines += [f"  - {{id: {c}, family: custom, label: {c}, description: {c}}}" for c in constructs]
    lines.append("items:")
    lines += [
        f"  - {{id: i{i}, construct: c{i % 12}, scale: agree5, text: 'Item {i}'}}"
        for i in range(ITEMS)
    ]
    lines += ["demographics:", "  - {id: department, text: Department}"]
    (folder / "bench.yml").write_text("\n".join(lines) + "\n")
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "ResponseId",
        "RecipientEmail",
    ]
    imports = [
        "startDate",
        "endDate",
        "status",
        "progress",
        "duration",
        "finished",
        "_recordId",
        "recipientEmail",
    ]
    names = meta + [f"i{i}" for i in range(ITEMS)] + ["department"]
    answers = rng.integers(0, 5, size=(rows, ITEMS))
    with (folder / "export.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(names)
        out.writerow(meta + [f"Item {i}" for i in range(ITEMS)] + ["Department"])
        out.writerow(
            [json.dumps({"ImportId": x}) for x in imports + [f"QID{i}" for i in range(ITEMS + 1)]]
        )
        for r in range(rows):
            start = f"2026-10-{6 + r % 14:02d} {8 + r % 9:02d}:{r % 60:02d}:{(r * 7) % 60:02d}"
            end = start[:-5] + f"{(r % 60):02d}:59"
            row = [
                start,
                end,
                "IP Address",
                "100",
                str(400 + r % 500),
                "True",
                f"R_{r:015d}",
                f"p{r}@example.com",
            ]
            out.writerow(row + [LABELS[a] for a in answers[r]] + [f"Dept {r % 8}"])
    (folder / "roster.csv").write_text(
        "email,department,role,supervisor\n"
        + "".join(f"p{r}@example.com,Dept {r % 8},end user,b@example.com\n" for r in range(rows))
    )
    (folder / "engagement.yml").write_text(
        "client: Bench\nsystem: CRM\ngo_live: 2026-01-05\nassessment_date: 2026-10-30\nrenewal_date: 2027-01-04\n"
        f"licenses: {rows}\ninstrument: bench.yml\nsurvey_exports:\n  - path: export.csv\nroster: roster.csv\n"
    )


def run(rows: int = 50_000) -> dict[str, object]:
    """Time survey ingestion against a bare pandas read; return seconds and the ratio."""
    from adoption_lib.config.engagement import load_engagement
    from adoption_lib.survey.load import load_survey

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _make(folder, rows)
        engagement = load_engagement(folder)
        start = time.perf_counter()
        pd.read_csv(folder / "export.csv", skiprows=[1, 2], dtype=str)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        data = load_survey(engagement)
        seconds = time.perf_counter() - start
        return {
            "benchmark": "survey_load",
            "responses": rows,
            "items": ITEMS,
            "kept": data.quality.respondents_kept,
            "answers": len(data.answers),
            "baseline_seconds": round(baseline, 2),
            "workbook_seconds": round(seconds, 2),
            "time_ratio": round(seconds / baseline, 1),
            "target_seconds": 10,
        }
