"""Privacy: the rules every stage applies before a figure leaves, and the client cube.

* :mod:`~adoption_lib.privacy.suppression`: withholding groups and shares of 1..k-1 people;
* :mod:`~adoption_lib.privacy.pseudonyms`: the engagement's HMAC key and pseudonyms;
* :mod:`~adoption_lib.privacy.cube`: the suppressed client cube, built once per wave
  from plain frames; every client view reads only it.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "cells",
    "cube",
    "pseudonyms",
    "retention",
    "suppression",
]
