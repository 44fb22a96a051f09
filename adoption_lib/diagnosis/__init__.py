"""The diagnosis: segments, says versus does, the barrier register, renewal and the plan.

* :mod:`~adoption_lib.diagnosis.diagnose`: one :class:`Diagnosis` from an assessment;
* :mod:`~adoption_lib.diagnosis.segments`, :mod:`~adoption_lib.diagnosis.says_does`;
* :mod:`~adoption_lib.diagnosis.findings`: the barrier register and the ranked plays;
* :mod:`~adoption_lib.diagnosis.renewal`: the licence value at risk and the adoption score;
* :mod:`~adoption_lib.diagnosis.action_plan`: ``action_plan.xlsx`` and ``.csv``.
"""

from adoption_lib.diagnosis.action_plan import write_engagement_plan
from adoption_lib.diagnosis.diagnose import Diagnosis, diagnose, diagnosis_sections

__all__ = ["Diagnosis", "diagnose", "diagnosis_sections", "write_engagement_plan"]
