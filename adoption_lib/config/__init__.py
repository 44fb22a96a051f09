"""Configuration: ``engagement.yml``, instruments, the playbook and waves.

* :mod:`~adoption_lib.config.schema`: the pydantic models (fixed names, DESIGN §3);
* :mod:`~adoption_lib.config.engagement`: loading and validating an engagement;
* :mod:`~adoption_lib.config.instrument`, :mod:`~adoption_lib.config.playbook`;
* :mod:`~adoption_lib.config.waves`: re-measure waves and each wave's report folder;
* :mod:`~adoption_lib.config.scaffold`: ``adoption init``;
* :mod:`~adoption_lib.config.yaml_lines`, :mod:`~adoption_lib.config.validation`: the one
  YAML loader (with line numbers) and located validation errors.
"""

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.instrument import Instrument, load_instrument
from adoption_lib.config.playbook import Playbook, load_playbook
from adoption_lib.config.schema import Engagement
from adoption_lib.config.waves import BASELINE, for_wave, wave_names

__all__ = [
    "BASELINE",
    "Engagement",
    "Instrument",
    "Playbook",
    "for_wave",
    "load_engagement",
    "load_instrument",
    "load_playbook",
    "wave_names",
]
