"""Comment themes, scrubbing and the verbatim rules."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.errors import InputFileError
from adoption_lib.survey.comments import (
    load_lexicon,
    scrub,
    theme_comments,
    theme_counts,
    verbatims,
)

THEMES = load_lexicon()


def _comments(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"respondent": [f"r{i}" for i in range(len(texts))], "question": "q", "text": texts}
    )


def test_phrases_match_whole_words_and_stems() -> None:
    tagged = theme_comments(
        _comments(
            [
                "We re-keyed everything into the dispatch sheet",
                "My bonus depends on targets, not data entry",
                "Logging in on my tablet fails",
                "Reprocessed orders arrive late",  # 'process' inside a word is not the theme
            ]
        ),
        THEMES,
    )
    found = tagged.groupby("respondent")["theme"].apply(set).to_dict()
    assert found["r0"] == {"process_fit"}
    assert found["r1"] == {"performance"}
    assert found["r2"] == {"tools_access"}
    assert "r3" not in found
    assert tagged.set_index("respondent").loc["r1", "matched"] == "bonus"


def test_scrub_removes_emails_phones_and_roster_names() -> None:
    text = "Ask Deepa Adeyemi (deepa.adeyemi@northwind-traders.com, +44 20 7946 0958) or adeyemi."
    assert scrub(text, ["Deepa Adeyemi"]) == "Ask [name] ([email], [phone]) or [name]."
    assert scrub("Call 2026 target", []) == "Call 2026 target"  # a year is not a phone number


def test_verbatims_respect_group_size_and_audience() -> None:
    comments = _comments(["first, with a comma", "second", "third"])
    groups = pd.Series({"r0": "Big", "r1": "Big", "r2": "Small"})
    groups = pd.concat([groups, pd.Series({f"x{i}": "Big" for i in range(10)})])
    out = verbatims(comments, groups, [], min_comment_group=10)
    assert out["group"].tolist() == ["Big", "Big"]
    assert "respondent" not in out.columns
    assert verbatims(comments, groups, [], 10, audience="client").empty
    assert len(verbatims(comments, groups, [], 10, audience="client", show_verbatims=True)) == 2


def test_theme_counts_suppress_small_groups_and_small_counts() -> None:
    tagged = pd.DataFrame(
        {
            "respondent": [f"a{i}" for i in range(6)] + ["b0"],
            "question": "q",
            "theme": ["routines"] * 6 + ["routines"],
            "matched": "excel",
        }
    )
    groups = pd.Series(
        {
            **{f"a{i}": "A" for i in range(20)},
            **{f"b{i}": "B" for i in range(3)},
            **{f"c{i}": "C" for i in range(9)},
        }
    )
    counts = theme_counts(tagged, groups, "team", k=5).set_index("team")
    assert counts.loc["A", "respondents"] == 6 and counts.loc["A", "share"] == pytest.approx(0.3)
    assert bool(counts.loc["B", "suppressed"]) and math.isnan(counts.loc["B", "respondents"])
    # B alone would be derivable from the total, so C (no mentions) is withheld with it.
    assert bool(counts.loc["C", "suppressed"])
    tagged_small = tagged.assign(respondent=[f"a{i}" for i in range(6)] + ["a6"]).head(3)
    small = theme_counts(tagged_small, groups, "team", k=5).set_index("team")
    assert bool(small.loc["A", "count_suppressed"]) and math.isnan(small.loc["A", "respondents"])


def test_bad_lexicon_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yml"
    path.write_text("themes:\n  empty:\n    label: Empty\n    phrases: []\n")
    with pytest.raises(InputFileError, match="theme 'empty' has no phrases"):
        load_lexicon(path)
    with pytest.raises(InputFileError, match="cannot read the comment lexicon"):
        load_lexicon(tmp_path / "missing.yml")
