"""The codes the method uses, and the words people read for them, in one place.

Codes (``wiifm``, ``unclassified``) are what summary.json and the tables key on and
never change; the words are what reports, the dashboard and the XLSX show. Everything
that lists the motives or the motivation types, or says a figure is withheld, takes it
from here.
"""

from __future__ import annotations

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
