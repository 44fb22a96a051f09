"""Configuration: ``engagement.yml``, instruments, the playbook and waves.

* :mod:`~adoption_lib.config.schema`: the pydantic models (fixed names, DESIGN §3), on
  :mod:`~adoption_lib.config.strict`; :mod:`~adoption_lib.config.thresholds` for
  ``thresholds`` (the method's cut-offs);
* :mod:`~adoption_lib.config.engagement`: loading and validating an engagement;
* :mod:`~adoption_lib.config.instrument`, :mod:`~adoption_lib.config.playbook`;
* :mod:`~adoption_lib.config.waves`: re-measure waves and each wave's report folder;
* :mod:`~adoption_lib.config.scaffold`: ``adoption init``;
* :mod:`~adoption_lib.config.yaml_lines`, :mod:`~adoption_lib.config.validation`: the one
  YAML loader (with line numbers) and located validation errors.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "engagement",
    "instrument",
    "playbook",
    "scaffold",
    "schema",
    "strict",
    "thresholds",
    "validation",
    "waves",
    "yaml_lines",
]
