"""Instrument schema: our instrument, any consultant's instrument, and clear errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from adoption_lib.config.instrument import load_instrument
from adoption_lib.errors import ConfigError, InputError

FIXTURES = Path(__file__).parent / "fixtures" / "surveys"


def test_adoption_rescue_v1_covers_the_method() -> None:
    instrument = load_instrument("adoption_rescue_v1")
    families = Counter(c.family for c in instrument.constructs)
    assert {c.id for c in instrument.constructs if c.family == "motivation"} == {
        "wiifm",
        "compliance",
        "commitment",
    }
    assert families["barrier"] == 8 and families["key"] == 5 and families["behaviour"] == 4
    per_construct = Counter(i.construct_id for i in instrument.items)
    assert min(per_construct.values()) >= 3
    assert all(
        any(i.reverse for i in instrument.items_of(c))
        for c in ("wiifm", "compliance", "commitment")
    )
    assert {i.id for i in instrument.items if i.audience == "managers"} == {
        f"manager_enablement_{n}" for n in range(1, 5)
    }
    keys = [
        i for i in instrument.items if instrument.constructs_by_id[i.construct_id].family == "key"
    ]
    assert all(instrument.scales[i.scale].na_labels == ["Don't know"] for i in keys)
    assert [d.id for d in instrument.demographics] == [
        "department",
        "role",
        "team",
        "tenure",
        "location",
    ]
    assert len(instrument.open_questions) == 2
    assert all("{system}" in i.text for i in instrument.items if i.construct_id != "use_frequency")


def test_seven_point_and_frequency_scales() -> None:
    pulse = load_instrument(FIXTURES / "pulse.yml")
    seven, frequency = pulse.scales["agree7"], pulse.scales["frequency"]
    assert seven.values == [1, 2, 3, 4, 5, 6, 7] and seven.midpoint == 4
    assert seven.reverse(2) == 6
    assert frequency.values == [0, 1, 2, 3, 4] and frequency.midpoint == 2
    assert frequency.reverse(0) == 4


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yml"
    path.write_text(text)
    return path


BASE = """id: mine
title: Mine
scales:
  agree:
    labels: [No, Maybe, Yes]
    favourable: [3]
constructs:
  - {id: c1, family: custom, label: C1, description: One.}
items:
  - {id: i1, construct: c1, scale: agree, text: "One?"}
"""


def test_a_consultants_own_instrument_loads(tmp_path: Path) -> None:
    mine = load_instrument(_write(tmp_path, BASE))
    assert mine.scales["agree"].values == [1, 2, 3]
    assert mine.items_of("c1")[0].id == "i1"


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = BASE.replace("    favourable: [3]", "    favourable: [4]\n    colour: blue") + (
        "  - {id: i2, construct: c9, scale: likert, text: 'Two?'}\n"
        "  - {id: i1, construct: c1, scale: agree, text: 'Again?'}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_instrument(_write(tmp_path, text))
    problems = caught.value.problems
    assert "mine.yml:5: scales.agree.colour: unknown key; did you mean 'codes'?" in problems or any(
        p.startswith("mine.yml:7: scales.agree.colour: unknown key") for p in problems
    )
    assert any("items[1].construct: unknown construct 'c9'" in p for p in problems)
    assert any("items[1].scale: unknown scale 'likert' (known: agree)" in p for p in problems)
    assert any("items[2].id: id 'i1' is used twice" in p for p in problems)


def test_scale_codes_must_fit_the_labels(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="2 codes for 3 labels"):
        load_instrument(_write(tmp_path, BASE.replace("    favourable: [3]", "    codes: [1, 2]")))
    with pytest.raises(
        ConfigError, match=r"favourable/unfavourable codes \[4.0\] are not among the codes"
    ):
        load_instrument(_write(tmp_path, BASE.replace("favourable: [3]", "favourable: [4]")))


def test_managers_module_needs_an_audience_question(tmp_path: Path) -> None:
    text = BASE + "  - {id: i2, construct: c1, scale: agree, audience: managers, text: 'Two?'}\n"
    with pytest.raises(ConfigError, match="a managers module needs audience_question"):
        load_instrument(_write(tmp_path, text))


def test_unknown_instrument_name() -> None:
    with pytest.raises(InputError, match="no such instrument"):
        load_instrument("does_not_exist")
