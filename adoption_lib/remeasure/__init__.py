"""Re-measure: two waves' pipeline results compared, and the plan's follow-through.

* :mod:`~adoption_lib.remeasure.compare`: group figures released in both waves, tested
  (:mod:`~adoption_lib.remeasure.change_tests`);
* :mod:`~adoption_lib.remeasure.follow_through`: the edited action plan read back;
* :mod:`~adoption_lib.remeasure.progress`: summary.json's ``waves`` and the progress data.
"""

from adoption_lib.remeasure.compare import compare_waves, wave_sample
from adoption_lib.remeasure.progress import ProgressData, build_progress, compare_results

__all__ = ["ProgressData", "build_progress", "compare_results", "compare_waves", "wave_sample"]
