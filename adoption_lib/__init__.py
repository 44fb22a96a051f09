"""Adoption Rescue Workbook: the library behind the ``adoption`` command and the notebooks.

One module per stage; the command line (:mod:`adoption_lib.cli`) and the notebooks only
call into them.

* :mod:`adoption_lib.config.engagement` loads and validates ``engagement.yml``;
* :mod:`adoption_lib.inputs.inventory` lists an engagement's inputs (formats, rows, dates);
* :mod:`adoption_lib.config.scaffold` creates a new engagement folder;
* :mod:`adoption_lib.privacy.pseudonyms` holds the HMAC key and email normalisation;
* :mod:`adoption_lib.synthetic` writes the synthetic demo engagement;
* :mod:`adoption_lib.errors` is the one exception hierarchy.
"""

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import AdoptionError, InputError, RunError

__version__ = "0.1.0"

__all__ = ["AdoptionError", "InputError", "RunError", "__version__", "load_engagement"]
