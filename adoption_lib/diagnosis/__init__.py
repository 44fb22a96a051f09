"""The diagnosis: segments, says versus does, the barrier register, renewal and the plan.

* :mod:`~adoption_lib.diagnosis.diagnose`: one :class:`Diagnosis` from an assessment;
* :mod:`~adoption_lib.diagnosis.segments`, :mod:`~adoption_lib.diagnosis.says_does`;
* :mod:`~adoption_lib.diagnosis.relative_weights` (Johnson's method) and
  :mod:`~adoption_lib.diagnosis.drivers`: which constructs relate to measured use;
* :mod:`~adoption_lib.diagnosis.findings`: the barrier register and the ranked plays;
  :mod:`~adoption_lib.diagnosis.plan_order`: the department registers and the plan;
  :mod:`~adoption_lib.diagnosis.plan_actions`: one action per play;
  :mod:`~adoption_lib.diagnosis.plan_calendar`: each action's due date and phase;
  :mod:`~adoption_lib.diagnosis.right_sizing`: the seats to reclaim at renewal;
* :mod:`~adoption_lib.diagnosis.forecast` (with
  :mod:`~adoption_lib.diagnosis.forecast_models`): effective users at renewal, chosen by
  back-test; :mod:`~adoption_lib.diagnosis.renewal`: the licence value at risk and the
  adoption score;
* :mod:`~adoption_lib.diagnosis.action_plan`: ``action_plan.xlsx`` and ``.csv``.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "action_plan",
    "diagnose",
    "drivers",
    "findings",
    "forecast",
    "forecast_models",
    "motivation_use",
    "person_drivers",
    "plan_actions",
    "plan_calendar",
    "plan_order",
    "relative_weights",
    "renewal",
    "right_sizing",
    "says_does",
    "segments",
]
