"""Colours shared by the report figures and the dashboard (no plotting import here).

Okabe and Ito's palette, safe for the common colour-vision deficiencies. Status is never
shown by colour alone: every figure and panel also writes the word.
"""

from __future__ import annotations

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
STATUS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}
