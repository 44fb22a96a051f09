"""Reliability: published bfi alphas, hand-computed small cases, and the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.cli import main
from adoption_lib.survey.reliability import (
    construct_reliability,
    cronbach_alpha,
    item_total_r,
    omega_total,
)

# psych::bfi, vendored with its source, licence and reference figures in its README.
BFI = Path(__file__).parent / "fixtures" / "bfi" / "bfi_items.csv"
BFI_YML = Path(__file__).parent / "fixtures" / "bfi" / "bfi.yml"
PUBLISHED = {"A": 0.70, "C": 0.73, "E": 0.76, "N": 0.81, "O": 0.60}


def _run_json(capsys: pytest.CaptureFixture[str], instrument: Path) -> dict:
    assert main(["reliability", str(instrument), str(BFI), "--json"]) == 0
    return json.loads(capsys.readouterr().out)["constructs"]


def test_bfi_reproduces_published_alphas(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run_json(capsys, BFI_YML)
    assert {k: round(v["alpha"], 2) for k, v in result.items()} == PUBLISHED
    assert all(v["n"] == 2800 for v in result.values())
    assert not any(
        f.startswith("reverse_keying_suspect") for v in result.values() for f in v["flags"]
    )
    assert result["O"]["flags"] == ["low_alpha"] and result["A"]["flags"] == []
    assert set(result["A"]["items"]) == {"A1", "A2", "A3", "A4", "A5"}
    assert round(result["A"]["items"]["A1"]["r_drop"], 2) == 0.31  # psych::alpha r.drop


def test_bfi_flags_a_missing_reverse_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "bfi_broken.yml"
    broken.write_text(
        BFI_YML.read_text().replace(
            "{id: A1, construct: A, scale: accuracy6, reverse: true,",
            "{id: A1, construct: A, scale: accuracy6,",
        )
    )
    result = _run_json(capsys, broken)
    assert "reverse_keying_suspect:A1" in result["A"]["flags"]
    assert result["A"]["items"]["A1"]["r_drop"] < 0
    assert result["A"]["alpha"] < 0.70


def test_missing_responses_file_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reliability", str(BFI_YML), "/nonexistent/responses.csv"]) == 2
    assert "/nonexistent/responses.csv: file not found" in capsys.readouterr().err


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reliability", str(BFI_YML), str(BFI)]) == 0
    out = capsys.readouterr().out
    assert "2800 responses, 25 questions matched" in out
    assert "unmatched columns" not in out  # respondent_id is recognised as the response id


# Hand-computed: items x = [1,2,3,4], y = [2,2,4,4], z = [1,3,3,5]
# var: x 1.6667, y 1.3333, z 2.6667; cov: xy 1.3333, xz 2.0, yz 1.3333
# total = 1.6667+1.3333+2.6667 + 2*(1.3333+2.0+1.3333) = 15.0
# alpha = 3/2 * (1 - 5.6667/15) = 0.9333
SMALL = pd.DataFrame({"x": [1, 2, 3, 4], "y": [2, 2, 4, 4], "z": [1, 3, 3, 5]}, dtype=float)


def test_alpha_hand_computed() -> None:
    assert cronbach_alpha(SMALL) == pytest.approx(0.93333, abs=1e-4)


def test_item_total_r_hand_computed() -> None:
    # x against y+z: cov = 1.3333+2.0 = 3.3333; var(y+z) = 1.3333+2.6667+2*1.3333 = 6.6667
    # r = 3.3333 / sqrt(1.6667 * 6.6667) = 1.0
    r = item_total_r(SMALL)
    assert r["x"] == pytest.approx(1.0, abs=1e-9)
    # y against x+z: cov = 1.3333+1.3333 = 2.6667; var(x+z) = 1.6667+2.6667+4 = 8.3333
    assert r["y"] == pytest.approx(2.6667 / math.sqrt(1.3333 * 8.3333), abs=1e-3)


def test_omega_of_parallel_items() -> None:
    # Every pair correlates .5: one factor with loadings sqrt(.5); omega = (3*.7071)^2 / ((..)^2 + 1.5)
    import numpy as np

    rng = np.random.default_rng(3)
    factor = rng.normal(size=20000)
    block = pd.DataFrame({f"i{k}": factor + rng.normal(size=20000) for k in range(3)})
    expected = (3 * math.sqrt(0.5)) ** 2 / ((3 * math.sqrt(0.5)) ** 2 + 3 * 0.5)
    assert omega_total(block) == pytest.approx(expected, abs=0.01)


def test_degenerate_cases() -> None:
    assert math.isnan(cronbach_alpha(SMALL[["x"]]))
    assert math.isnan(omega_total(SMALL[["x", "y"]]))
    result = construct_reliability(SMALL.assign(x=-SMALL["x"]))
    assert "reverse_keying_suspect:x" in result.flags


def test_alpha_agrees_with_pingouin_pairwise() -> None:
    import numpy as np
    import pingouin

    rng = np.random.default_rng(5)
    block = pd.DataFrame(rng.integers(1, 6, size=(200, 4)).astype(float), columns=list("abcd"))
    block = block.mask(rng.random(block.shape) < 0.1)
    ours = cronbach_alpha(block)
    theirs = pingouin.cronbach_alpha(data=block, nan_policy="pairwise")[0]
    assert ours == pytest.approx(theirs, abs=1e-12)
