"""Colours shared by the report figures and the dashboard (no plotting import here).

Okabe and Ito's palette, safe for the common colour-vision deficiencies. Status is never
shown by colour alone: every figure and panel also writes the word.
"""

from __future__ import annotations

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
#: status colours: the palette's green and orange, and a red that reads as red (the
#: palette's vermillion reads orange beside amber); the word is always written too
STATUS = {"green": "#009E73", "amber": "#E69F00", "red": "#B2182B"}
#: more unfavourable is darker: white to the palette's vermilion, in every heat map
#: (the report's figure and the dashboard's panel)
HEAT = "#D55E00"
