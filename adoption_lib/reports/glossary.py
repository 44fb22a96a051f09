"""The methodology appendix and glossary that close the executive summary.

Both audiences get it. The client's copy says how the figures are made in plain words;
the consultant's adds the statistics behind each (the tests, the corrections, the
models). The headline figures' definitions are the metric registry's own
(:data:`adoption_lib.metrics.METRICS`), so a term reads the same here as on every
page; the other terms are the method's (motivation types, barriers, the 4+1 Keys,
segments, privacy).
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from adoption_lib.metrics import METRICS, metric_label
from adoption_lib.reports.bundle import ReportData


class Term(NamedTuple):
    """One glossary entry: the term, what it means, and the consultant's detail."""

    term: str
    plain: str
    detail: str = ""


#: the method's terms beyond the headline figures, in reading order
METHOD_TERMS = (
    Term(
        "WIIFM (what's in it for me)",
        "People use the system because it helps them do their own work better.",
    ),
    Term(
        "Compliance",
        "People use the system because they have to: a rule, a report or a manager asks.",
    ),
    Term(
        "Commitment",
        "People use the system because they share the goal it serves.",
    ),
    Term(
        "Barrier",
        "Something that stops people from using the system well, such as unclear "
        "expectations, missing access or a process that does not fit. A barrier is flagged "
        "when enough respondents answer its questions unfavourably.",
        "Flagged on the unfavourable share of its items against the engagement's threshold, "
        "organisation-wide or in a shown department.",
    ),
    Term(
        "The 4+1 Keys",
        "Five conditions adoption needs: it is about people, there is a plan, someone owns "
        "it, leaders take part, and supervisors back it day to day. Each is green, amber "
        "or red.",
        "Judged on the net share (favourable minus unfavourable) or the favourable share, "
        "as the engagement sets it.",
    ),
    Term(
        "Segment",
        "A group of people by what drives them and how they use the system: for example "
        "champions (committed and using it), compliers (using it because they must) and "
        "blocked people (wanting to, but held back by barriers outside their control).",
    ),
    Term(
        "Prevalence",
        "How common a finding is: the share answering unfavourably, times the share of "
        "licensed users in the departments it affects.",
    ),
    Term(
        "What relates to use",
        "How strongly a barrier or Key goes with how much teams use the system, compared "
        "across supervisors' teams. The plan puts first what is both common and related to use.",
        "Johnson's relative weights for active days a week across supervisor teams, with a "
        "bootstrap 95% interval and a predictor of pure noise for comparison.",
    ),
    Term(
        "Beyond chance",
        "A change between two waves larger than the normal ups and downs of who answered "
        "or who logged in that month.",
        "Welch's t-test (paired when the same people are linked) with Cohen's d for means, "
        "a difference in proportions with Newcombe's interval for shares, and the "
        "Benjamini-Hochberg correction within each breakdown (q < 0.05).",
    ),
    Term(
        "Percentage points",
        "The difference between two percentages: from 40% to 50% is +10 points.",
    ),
    Term(
        "Too few people to show",
        "A figure for a group smaller than the privacy threshold is withheld, and so is any "
        "figure that would let someone work it out by adding or subtracting others.",
    ),
    Term(
        "Right-sizing",
        "Licences that could be reclaimed or reassigned at renewal: seats never assigned, "
        "and seats assigned to people who never signed in.",
    ),
)


def glossary(audience: str) -> list[Term]:
    """Every term the reports use: the headline figures first, then the method's.

    Parameters
    ----------
    audience
        ``client`` (plain words only) or ``consultant`` (with each term's detail).

    Returns
    -------
    list of Term
        The headline figures' terms come from the metric registry.
    """
    figures = [
        Term(metric_label(key), metric.definition[:1].upper() + metric.definition[1:] + ".")
        for key, metric in METRICS.items()
    ]
    terms = [*figures, *METHOD_TERMS]
    if audience != "consultant":
        terms = [t._replace(detail="") for t in terms]
    return terms


def methods_appendix(data: ReportData) -> str:
    """The appendix as HTML: how the figures are made, then the glossary.

    Parameters
    ----------
    data
        The audience's report data (its engagement's privacy threshold and dates).

    Returns
    -------
    str
        A ``<div class="appendix methods">`` the print stylesheet starts on a page of its own.
    """
    e = data.engagement
    threshold = e.get("min_group_size")
    privacy = (
        f"No figure describes fewer than {threshold} people"
        if threshold
        else "No figure describes a group smaller than the privacy threshold"
    )
    how = [
        "The survey asks each person about their reasons to use the system, what stands in "
        "their way and the conditions around them; answers that were tests, duplicates, "
        "incomplete, too fast or all the same are set aside before anything is counted.",
        "Usage comes from the system's own records: who signed in, when, and which "
        "features they used. Effective use counts people who used it in at least 3 of the "
        "last 4 weeks; it is the figure the renewal value rests on.",
        "The projection at renewal follows the trend of weekly effective use to the "
        "renewal date, with the range it could reasonably fall in; value at risk is the "
        "yearly cost of the licences the projection says will not be in effective use.",
        f"{privacy}: a small group's figures are withheld rather than shown, and so is "
        "anything that would reveal them by subtraction.",
    ]
    terms = glossary(data.audience)
    items = "".join(
        f"<dt>{escape(t.term)}</dt><dd>{escape(t.plain)}"
        + (f" <em>Method: {escape(t.detail)}</em>" if t.detail else "")
        + "</dd>"
        for t in terms
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in how)
    return (
        '<div class="appendix methods"><h2>Appendix: how the figures are made</h2>'
        f'{paragraphs}<h3>Glossary</h3><dl class="glossary">{items}</dl></div>'
    )
