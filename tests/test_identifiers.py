"""Salesforce ids and email pseudonymisation."""

from __future__ import annotations

import pytest

from adoption_lib.errors import InputError
from adoption_lib.inputs.salesforce_ids import to_18
from adoption_lib.privacy.pseudonyms import normalise_email, pseudonym


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # The example in Salesforce's own knowledge article on 15- and 18-character ids.
        ("001A0000006Vm9r", "001A0000006Vm9rIAC"),
        ("001A0000006Vm9rIAC", "001A0000006Vm9rIAC"),
        # A lower-cased 18-character id is repaired from its suffix.
        ("001a0000006vm9riac", "001A0000006Vm9rIAC"),
        ("0058d00000abcde", "0058d00000abcdeAAA"),
        ("0058d00000ABCDE", "0058d00000ABCDEAA5"),
    ],
)
def test_to_18(given: str, expected: str) -> None:
    assert to_18(given) == expected


def test_ids_differing_only_by_case_stay_distinct() -> None:
    assert to_18("0058d00000aBcDe").lower() != to_18("0058d00000AbCdE").lower()


@pytest.mark.parametrize("bad", ["", "005", "0058d00000abcd!", "0058d00000abcdeAAAA"])
def test_to_18_rejects_non_ids(bad: str) -> None:
    with pytest.raises(InputError, match="not a Salesforce id"):
        to_18(bad)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("jane.doe+crm@example.com", "jane.doe@example.com"),
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_normalise_email(given: str, expected: str) -> None:
    assert normalise_email(given) == expected


def test_pseudonym_is_stable_and_key_dependent() -> None:
    a, b = b"k" * 32, b"j" * 32
    assert pseudonym("jane.doe@example.com", a) == pseudonym("jane.doe@example.com", a)
    assert pseudonym("jane.doe@example.com", a) != pseudonym("jane.doe@example.com", b)
    assert len(pseudonym("x", a)) == 20
