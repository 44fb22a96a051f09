"""Privacy: the rules every stage applies before a figure leaves, and the client cube.

* :mod:`~adoption_lib.privacy.suppression`: withholding groups and shares of 1..k-1 people;
* :mod:`~adoption_lib.privacy.pseudonyms`: the engagement's HMAC key and pseudonyms;
* :mod:`~adoption_lib.privacy.cube`: the suppressed client cube, built once per wave
  from plain frames; every client view reads only it.
"""

from adoption_lib.privacy.cube import ClientCube, build_client_cube
from adoption_lib.privacy.pseudonyms import engagement_key, person_pseudonym
from adoption_lib.privacy.suppression import apply_suppression, withhold_small_counts

__all__ = [
    "ClientCube",
    "apply_suppression",
    "build_client_cube",
    "engagement_key",
    "person_pseudonym",
    "withhold_small_counts",
]
