"""Inputs: the files an engagement brings, read and checked before any stage scores them.

* :mod:`~adoption_lib.inputs.survey_readers`: survey exports of every platform and layout;
* :mod:`~adoption_lib.inputs.usage_readers`: Salesforce, Microsoft 365 and event logs;
* :mod:`~adoption_lib.inputs.roster`, :mod:`~adoption_lib.inputs.salesforce_ids`;
* :mod:`~adoption_lib.inputs.file_guards`: hostile-file checks and export globbing;
* :mod:`~adoption_lib.inputs.survey_times`, :mod:`~adoption_lib.inputs.export_times`:
  date orders and zones;
* :mod:`~adoption_lib.inputs.inventory`: what is there (``adoption validate``);
* :mod:`~adoption_lib.inputs.cache`: the cache keyed by the inputs' contents.
"""

from adoption_lib.inputs.inventory import take_inventory
from adoption_lib.inputs.roster import load_roster
from adoption_lib.inputs.survey_readers import read_survey_export

__all__ = ["load_roster", "read_survey_export", "take_inventory"]
