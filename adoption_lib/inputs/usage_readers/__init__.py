"""Usage exports into the canonical usage model, read by DuckDB where they lie.

One module per family of exports (:mod:`.salesforce`, :mod:`.m365`, :mod:`.event_log`)
over a shared engine (:mod:`.engine`, which documents the model). :data:`READERS` maps
each ``format`` of ``engagement.yml`` to its reader; every reader takes the backend, the
export and a table name, and returns a :class:`UsageSource`.
"""

from adoption_lib.inputs.usage_readers.engine import (
    DEFAULT_MEMORY_LIMIT,
    NORMALISE_EMAIL,
    UsageSource,
    connect,
    register_frame,
)
from adoption_lib.inputs.usage_readers.event_log import read_event_log
from adoption_lib.inputs.usage_readers.m365 import read_m365
from adoption_lib.inputs.usage_readers.salesforce import read_event_monitoring, read_login_history

READERS = {
    "salesforce_login_history": read_login_history,
    "salesforce_event_log": read_event_monitoring,
    "m365_active_users": read_m365,
    "m365_teams_activity": read_m365,
    "events": read_event_log,
}

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "NORMALISE_EMAIL",
    "READERS",
    "UsageSource",
    "connect",
    "read_event_log",
    "read_event_monitoring",
    "read_login_history",
    "read_m365",
    "register_frame",
]
