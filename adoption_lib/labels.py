"""The codes the method uses, and the words people read for them, in one place.

Codes (``wiifm``, ``unclassified``) are what summary.json and the tables key on and
never change; the words are what reports, the dashboard and the XLSX show. Everything
that lists the motives or the motivation types, or says a figure is withheld, takes it
from here.
"""

from __future__ import annotations

import re

#: the three motives the instrument measures
MOTIVES = ("commitment", "compliance", "wiifm")
#: every motivation type a respondent can be given (DESIGN §5), in report order
TYPES = (*MOTIVES, "mixed", "low", "unclassified")
#: the types shown as a mix (``unclassified`` is a data-quality count, not a type people have)
SHOWN_TYPES = TYPES[:-1]

#: a withheld group or figure in a table or report sentence
WITHHELD = "too few people to show"
#: a withheld figure inside a chart or a table cell, where a sentence does not fit
WITHHELD_WORD = "withheld"
#: the dashboard's message for a selection whose group is withheld
WITHHELD_SELECTION = "Too few people to show for this selection."

#: how often a licensed user uses the system, most to least (usage trends)
USAGE_BANDS = ("daily", "weekly", "monthly", "rare", "none")
#: the usage segments of licensed users, most to least engaged (usage trends)
USAGE_SEGMENTS = ("power", "habitual", "novice", "low", "non_user")
#: the diagnosis's respondent segments (motivation and barriers together), report order
SEGMENTS = (
    "champion",
    "growing",
    "complier",
    "self_server",
    "blocked",
    "mixed_motives",
    "passive",
    "disengaged",
    "unplaced",
)

#: codes whose words are not the code's own, in headings, panels and the XLSX
DISPLAY_NAMES = {"wiifm": "WIIFM"}


def display_name(code: str) -> str:
    """The words a reader sees for a code: ``key1_people`` -> "Key 1: people".

    Construct ids, segment names and metric keys stay codes in summary.json and the
    tables; reports, the dashboard and the XLSX show this instead.

    Examples
    --------
    >>> display_name("key1_people"), display_name("wiifm"), display_name("self_server")
    ('Key 1: people', 'WIIFM', 'Self server')
    """
    if code in DISPLAY_NAMES:
        return DISPLAY_NAMES[code]
    match = re.fullmatch(r"key(\d)_(.+)", code)
    if match:
        return f"Key {match.group(1)}: {match.group(2).replace('_', ' ')}"
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def in_words(code: str) -> str:
    """A code inside a sentence or an axis label: ``process_fit`` -> "process fit".

    Examples
    --------
    >>> in_words("process_fit")
    'process fit'
    """
    return code.replace("_", " ")
