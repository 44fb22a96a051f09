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

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "cache",
    "export_times",
    "file_guards",
    "inventory",
    "roster",
    "salesforce_ids",
    "survey_readers",
    "survey_table",
    "survey_times",
    "usage_readers",
]
