"""The usage stage's result kept in the engagement's cache, so a second run skips the scans.

Scanning a year of events is the slowest step of an assessment, and its result is
small: the compact activity tables (a few rows per licensed user and week) and a few
figures. :func:`cached_usage` keeps it in the engagement's one cache
(:mod:`adoption_lib.inputs.cache`, ``private/cache/``), keyed by the content of the
usage exports (and their ``users:`` exports), the whole ``engagement.yml`` as
validated, the licensed users on the roster, ``as_of`` and the workbook's code. A
changed survey export keeps it; any change to what the usage figures read computes
afresh.

Person-level data (activity per user, the sets of active users) is what is kept, so it
stays in ``private/``, mode 0700, with the rest of the cache. An entry is written whole
into a scratch folder and moved into place, so a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from adoption_lib.config.schema import Engagement
from adoption_lib.inputs.cache import (
    FINGERPRINTS,
    cache_entry,
    cache_root,
    content_hashes,
    export_inputs,
    known_hashes,
)
from adoption_lib.inputs.usage_readers import UsageSource, connect, register_frame
from adoption_lib.inputs.usage_readers.activity_scan import DAYS, LATENCY, activity_table
from adoption_lib.inputs.usage_readers.engine import sql_string
from adoption_lib.log import LOGGER
from adoption_lib.timings import step
from adoption_lib.usage.result import UsageResult

#: the layout of a stored entry; an entry of another layout is ignored and recomputed
LAYOUT = 1
ENTRY = "usage"
#: the per-source facts the later stages read (the sources' tables stay behind)
_SOURCE_FIELDS = ("name", "format", "has_features", "rows_read", "rows_qualifying", "notes")


def usage_key(engagement: Engagement, licensed: list[str], as_of: date) -> str:
    """What the usage figures depend on besides the export files and the code.

    Parameters
    ----------
    engagement
        The engagement (or wave) as validated: every setting, as JSON.
    licensed
        The licensed users' normalised emails.
    as_of
        The end of every window.
    """
    users = hashlib.sha256("\n".join(sorted(licensed)).encode()).hexdigest()
    return f"usage|{LAYOUT}|{as_of}|{users}|{engagement.model_dump_json()}"


def cached_usage(
    engagement: Engagement,
    roster: pd.DataFrame,
    as_of: date,
    compute: Callable[[], UsageResult],
) -> UsageResult:
    """The usage result from the engagement's cache, or computed by ``compute`` and kept.

    When every usage export is known to the cache as it is now (size, time and inode
    unchanged), the entry is looked up before anything is read; when one was hashed
    before but has been touched since, the exports are hashed again first. When one is
    new, it is hashed in a thread while ``compute`` scans it (hashing and DuckDB both
    release the interpreter), so a first run does not read the files twice in turn.

    Parameters
    ----------
    engagement
        The engagement or wave.
    roster
        The roster (``email``, ``licensed``).
    as_of
        The end of every window.
    compute
        Reads the exports and computes the result (on a miss).

    Returns
    -------
    UsageResult
        Equal, figure for figure, to what ``compute`` returns.
    """
    licensed = list(roster.loc[roster["licensed"], "email"])
    key = usage_key(engagement, licensed, as_of)
    paths = sorted({p.resolve() for p in export_inputs([], engagement.usage_exports)})
    root = cache_root(engagement)
    hashes = known_hashes(paths, root / FINGERPRINTS)
    if hashes is not None:
        found = load_stored(cache_entry(root, key, hashes) / ENTRY, licensed)
        if found is not None:
            LOGGER.info("Usage: the exports are unchanged; read from the cache")
            return found
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(content_hashes, paths, root / FINGERPRINTS) if not hashes else None
        result = compute()
        with step("usage: hash the exports (in a thread, during the scan)"):
            hashes = hashes or (pending.result() if pending else {})
    with step("usage: keep the activity table in the cache"):
        store(result, cache_entry(root, key, hashes) / ENTRY)
    return result


def store(result: UsageResult, target: Path) -> None:
    """Write ``result`` to ``target`` (a folder), whole or not at all."""
    scratch = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(mode=0o700)
    tables = {"days": result.days, "latency": result.latency}
    for name, table in tables.items():
        if table is not None:
            con = ibis.get_backend(table)
            out = sql_string(str(scratch / f"{name}.parquet"))
            con.raw_sql(f"COPY ({ibis.to_sql(table, dialect='duckdb')}) TO {out} (FORMAT parquet)")
    days_4w = result.active_days_4w
    state: dict[str, Any] = {
        "layout": LAYOUT,
        "metrics": result.metrics,
        "unavailable": result.unavailable,
        "not_on_roster": result.not_on_roster,
        "end": result.end.isoformat() if result.end else None,
        "active_days_4w": None if days_4w is None else {str(k): int(v) for k, v in days_4w.items()},
        "recent_users": sorted(result.recent_users),
        "effective": sorted(result.effective),
        "ever": sorted(result.ever),
        "no_events_reason": result.no_events_reason,
        "sources": [_source_state(s) for s in result.sources],
    }
    (scratch / "result.json").write_text(json.dumps(state), encoding="utf-8")
    for written in scratch.iterdir():
        written.chmod(0o600)  # person-level: the consultant's only, as all of private/
    shutil.rmtree(target, ignore_errors=True)
    scratch.replace(target)


def load_stored(target: Path, licensed: list[str]) -> UsageResult | None:
    """The result :func:`store` wrote to ``target``, or None when there is none to read.

    The activity tables go back into a new DuckDB, ``user_key`` as the licensed users'
    ENUM as the scan made it.
    """
    try:
        state = json.loads((target / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("layout") != LAYOUT:
        return None
    result = UsageResult(
        state["metrics"],
        state["unavailable"],
        [_source(s) for s in state["sources"]],
        state["not_on_roster"],
        recent_users=set(state["recent_users"]),
        effective=set(state["effective"]),
        ever=set(state["ever"]),
        no_events_reason=state["no_events_reason"],
    )
    result.end = datetime.fromisoformat(state["end"]) if state["end"] else None
    if state["active_days_4w"] is not None:
        days_4w = pd.Series(state["active_days_4w"], dtype="int64")
        result.active_days_4w = days_4w.rename_axis("user_key").rename("days")
    if (target / "days.parquet").is_file():
        con = connect()
        people = register_frame(con, "licensed_users", pd.DataFrame({"user_key": licensed}))
        con.raw_sql(
            "CREATE TYPE licensed_user AS ENUM "
            f'(SELECT DISTINCT user_key FROM "{people.get_name()}")'
        )
        for table, name in ((DAYS, "days"), (LATENCY, "latency")):
            path = sql_string(str(target / f"{name}.parquet"))
            con.raw_sql(
                f"CREATE TABLE {table} AS SELECT * REPLACE "
                f"(CAST(user_key AS licensed_user) AS user_key) FROM read_parquet({path})"
            )
        result.days, result.latency = activity_table(con, DAYS), activity_table(con, LATENCY)
    return result


def _source_state(source: UsageSource) -> dict[str, Any]:
    state = {name: getattr(source, name) for name in _SOURCE_FIELDS}
    state["coverage"] = [t.isoformat() if t else None for t in source.coverage]
    state["refreshed"] = source.refreshed.isoformat() if source.refreshed else None
    return state


def _source(state: dict[str, Any]) -> UsageSource:
    first, last = (datetime.fromisoformat(t) if t else None for t in state["coverage"])
    source = UsageSource(state["name"], state["format"], None, (first, last), state["has_features"])
    source.rows_read, source.rows_qualifying = state["rows_read"], state["rows_qualifying"]
    source.notes = list(state["notes"])
    if state["refreshed"]:
        source.refreshed = datetime.fromisoformat(state["refreshed"])
    return source
