"""Reports: each audience's data, the notebooks' tables and figures, and the run.

* :mod:`~adoption_lib.reports.data`: :class:`ReportData` per audience (the client's reads
  only the cube), cached; :mod:`~adoption_lib.reports.progress_data` for re-measure;
* :mod:`~adoption_lib.reports.views`, :mod:`~adoption_lib.reports.progress_views`,
  :mod:`~adoption_lib.reports.figures`, :mod:`~adoption_lib.reports.priority_matrix`,
  :mod:`~adoption_lib.reports.method_text` (the rule sentences),
  :mod:`~adoption_lib.reports.panels`: what the
  notebooks and dashboard show; :mod:`~adoption_lib.reports.gaps` for missing sources;
* :mod:`~adoption_lib.reports.run`: ``adoption run`` (papermill, HTML, PDF, manifest);
* :mod:`~adoption_lib.reports.goldens`: ``make golden``.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "audience_cells",
    "bundle",
    "data",
    "disclosure",
    "figures",
    "gaps",
    "glossary",
    "goldens",
    "method_text",
    "palette",
    "panels",
    "plan_text",
    "prepare",
    "priority_matrix",
    "progress_data",
    "progress_views",
    "released",
    "run",
    "stored",
    "story",
    "story_changes",
    "views",
]
