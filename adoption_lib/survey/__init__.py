"""The survey stage: an export mapped, checked, coded and scored.

* :mod:`~adoption_lib.survey.load`: mapping (:mod:`~adoption_lib.survey.mapping`), quality
  rules (:mod:`~adoption_lib.survey.quality`) and coding into respondents and answers;
* :mod:`~adoption_lib.survey.scores`: construct scores (:mod:`~adoption_lib.survey.items`),
  reliability, motivation types, barriers and keys, comments, by group;
* :mod:`~adoption_lib.survey.export`: the instrument written for a survey platform;
* :mod:`~adoption_lib.survey.responses`: a bare response file for ``adoption reliability``.
"""

from adoption_lib.survey.load import SurveyData, load_survey
from adoption_lib.survey.scores import SurveyScores, score_survey

__all__ = ["SurveyData", "SurveyScores", "load_survey", "score_survey"]
