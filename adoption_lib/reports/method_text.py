"""The sentences that say which rule a report's figures follow, in the engagement's terms.

Each reads the engagement's own thresholds (never the defaults), so a report says what
it did: the barrier flag, the Keys' basis and lines with any borderline Key, what the
segments rest on, and what the motivation mix is.
"""

from __future__ import annotations

from IPython.display import Markdown

from adoption_lib.labels import in_words
from adoption_lib.reports.bundle import ReportData, key_rule


def barrier_rule(data: ReportData) -> str:
    """The sentence saying when a barrier is flagged, with the engagement's threshold."""
    flag = data.engagement["thresholds"]["barrier_flag_unfavourable"]
    return f"Barriers flagged here are answered unfavourably by at least {flag:.0%} of respondents."


def keys_rule(data: ReportData) -> str:
    """The sentence giving the Keys' basis and red, amber and green bands."""
    rule = key_rule(data).rule()
    borderline = [
        k["id"] for k in data.summary.get("keys", []) if k.get("certainty") == "borderline"
    ]
    if borderline:
        names = ", ".join(in_words(k) for k in borderline)
        rule += (
            f" Borderline (the 95% interval reaches a line, so the colour could be "
            f"sampling noise): {names}."
        )
    return rule


def segments_rule(data: ReportData) -> str:
    """The sentence saying what the segment counts rest on: each person's use, or groups'."""
    basis = data.summary.get("segments_basis")
    if basis == "person":
        return (
            "Segments join each respondent's answers to their own use (linked with "
            "consent); a respondent not found in the usage is placed on answers alone."
        )
    if basis == "group":
        return (
            "Segments count people under a group rule: each respondent's motivation and "
            "barriers against the use of their team or department, not their own. They "
            "describe groups; they are not a label on any person."
        )
    return "No segments: they need both a survey and usage exports."


def motivation_note(data: ReportData) -> Markdown:
    """What the motivation mix rests on, and whether the types differ in measured use."""
    lines = [
        "The mix counts each person by how likely each motive leads them (expected "
        "shares): a survey measures a person with error, so a near-tie counts half to "
        "each side. Read a person's type as a lean, not a label."
    ]
    says = data.summary.get("motivation_vs_use", {}).get("says")
    if says:
        lines.append(says)
    return Markdown("\n\n".join(lines))
