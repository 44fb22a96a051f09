"""The usage stage: what people did in the system, from its admin exports.

* :mod:`~adoption_lib.usage.load`: the exports read into one activity table (DuckDB);
* :mod:`~adoption_lib.usage.result`: what the stage gives the rest (``UsageResult``);
* :mod:`~adoption_lib.usage.stored`: that result kept in the engagement's cache;
* :mod:`~adoption_lib.usage.metrics`: the DESIGN §4 usage metrics as portable ibis
  expressions (DuckDB here, Spark for large tenants);
* :mod:`~adoption_lib.usage.trends`: weekly curves, bands, segments and cohorts;
* :mod:`~adoption_lib.usage.people`: the pseudonymised person-level table (private);
* :mod:`~adoption_lib.usage.groups`: usage by group, suppressed.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "groups",
    "load",
    "metrics",
    "people",
    "result",
    "stored",
    "trends",
]
