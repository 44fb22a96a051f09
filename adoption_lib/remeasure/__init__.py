"""Re-measure: two waves' pipeline results compared, and the plan's follow-through.

* :mod:`~adoption_lib.remeasure.compare`: group figures released in both waves, tested
  (:mod:`~adoption_lib.remeasure.change_tests`);
* :mod:`~adoption_lib.remeasure.follow_through`: the edited action plan read back;
* :mod:`~adoption_lib.remeasure.released_changes`: the comparison a client sees, its
  shares of people tested on the released figures;
* :mod:`~adoption_lib.remeasure.progress`: summary.json's ``waves`` and the progress data.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "change_tests",
    "compare",
    "follow_through",
    "progress",
    "released_changes",
    "results",
]
