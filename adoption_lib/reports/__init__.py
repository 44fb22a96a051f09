"""Reports: each audience's data, the notebooks' tables and figures, and the run.

* :mod:`~adoption_lib.reports.data`: :class:`ReportData` per audience (the client's reads
  only the cube), cached; :mod:`~adoption_lib.reports.progress_data` for re-measure;
* :mod:`~adoption_lib.reports.views`, :mod:`~adoption_lib.reports.progress_views`,
  :mod:`~adoption_lib.reports.figures`, :mod:`~adoption_lib.reports.panels`: what the
  notebooks and dashboard show; :mod:`~adoption_lib.reports.gaps` for missing sources;
* :mod:`~adoption_lib.reports.run`: ``adoption run`` (papermill, HTML, PDF, manifest);
* :mod:`~adoption_lib.reports.goldens`: ``make golden``.
"""

from adoption_lib.reports.data import ReportData, report_data
from adoption_lib.reports.run import run_reports

__all__ = ["ReportData", "report_data", "run_reports"]
