"""The survey stage: an export mapped, checked, coded and scored.

* :mod:`~adoption_lib.survey.load`: mapping (:mod:`~adoption_lib.survey.mapping`), quality
  rules (:mod:`~adoption_lib.survey.quality`) and coding into respondents and answers;
* :mod:`~adoption_lib.survey.scores`: construct scores (:mod:`~adoption_lib.survey.items`),
  reliability, motivation types, barriers and keys, comments, by group;
* :mod:`~adoption_lib.survey.export`: the instrument written for a survey platform;
* :mod:`~adoption_lib.survey.responses`: a bare response file for ``adoption reliability``.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "barriers",
    "comments",
    "export",
    "items",
    "load",
    "mapping",
    "motivation",
    "motive_lead",
    "quality",
    "quality_report",
    "reliability",
    "responses",
    "scores",
]
