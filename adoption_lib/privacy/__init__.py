"""Privacy: the rules every stage applies before a figure leaves, and the client cube.

* :mod:`~adoption_lib.privacy.suppression`: withholding cells of 1..k-1 people, with
  complements; :mod:`~adoption_lib.privacy.nesting`: which cells lie inside which;
* :mod:`~adoption_lib.privacy.breakdowns`: withholding categories inside cells;
* :mod:`~adoption_lib.privacy.cube`: the suppressed client cube, built once per wave
  from plain frames and audited; every client view reads only it;
* :mod:`~adoption_lib.privacy.release`: the cube as released rows, and the truth;
* :mod:`~adoption_lib.privacy.client_summary`: the organisation-wide figures a client
  sees, from the cube;
* :mod:`~adoption_lib.privacy.audit`: the disclosure audit (integer programming);
* :mod:`~adoption_lib.privacy.pseudonyms`: the engagement's HMAC key and pseudonyms.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "audit",
    "audit_models",
    "breakdowns",
    "cells",
    "client_summary",
    "cube",
    "cube_tables",
    "nesting",
    "pseudonyms",
    "release",
    "retention",
    "suppression",
]
