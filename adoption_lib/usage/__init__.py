"""The usage stage: what people did in the system, from its admin exports.

* :mod:`~adoption_lib.usage.load`: the exports read into one activity table (DuckDB);
* :mod:`~adoption_lib.usage.metrics`: the DESIGN §4 usage metrics as portable ibis
  expressions (DuckDB here, Spark for large tenants);
* :mod:`~adoption_lib.usage.trends`: weekly curves, bands, segments and cohorts;
* :mod:`~adoption_lib.usage.people`: the pseudonymised person-level table (private);
* :mod:`~adoption_lib.usage.groups`: usage by group, suppressed.
"""

from adoption_lib.usage.load import UsageResult, load_usage
from adoption_lib.usage.people import usage_people
from adoption_lib.usage.trends import UsageTrends, usage_trends

__all__ = ["UsageResult", "UsageTrends", "load_usage", "usage_people", "usage_trends"]
