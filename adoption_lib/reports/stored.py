"""Report data kept in a cache as data, never as code: JSON and Parquet, no pickle.

A cache folder is read back by notebook and dashboard kernels, so what it holds must
not be able to run anything when loaded (pickle can). :func:`store` writes a bundle
(:class:`~adoption_lib.reports.bundle.ReportData`, the progress data) as ``data.json``
with every table beside it as Parquet; :func:`load` rebuilds it, creating only the
dataclasses listed in :data:`KINDS`. Written by hand because no library stores a tree
of dataclasses, dicts and DataFrames as plain data and refuses every other type.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from adoption_lib.errors import RunError
from adoption_lib.remeasure.results import ProgressData
from adoption_lib.survey.quality_report import QualityReport

#: the only types :func:`load` creates (by name); anything else in a file is refused
KINDS: dict[str, type] = {"ProgressData": ProgressData, "QualityReport": QualityReport}


def register(kind: type) -> type:
    """Allow a dataclass in stored bundles (a class decorator)."""
    KINDS[kind.__name__] = kind
    return kind


def store(value: Any, folder: Path) -> Path:
    """Write a bundle into ``folder`` (replaced whole; files 0600).

    Raises
    ------
    RunError
        For a value of a type that is not plain data (a programming error).
    """
    partial = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    frames: list[pd.DataFrame] = []
    tree = _encode(value, frames)
    for index, frame in enumerate(frames):
        frame.to_parquet(partial / f"{index}.parquet")
    (partial / "data.json").write_text(json.dumps(tree), encoding="utf-8")
    for path in partial.iterdir():
        path.chmod(0o600)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)  # a reader never sees half a bundle
    return folder


def load(folder: Path) -> Any:
    """Read a bundle written by :func:`store`.

    Raises
    ------
    RunError
        When the folder holds a type :data:`KINDS` does not list.
    """
    tree = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    return _decode(tree, folder)


def _encode(value: Any, frames: list[pd.DataFrame]) -> Any:
    if isinstance(value, pd.DataFrame):
        frames.append(value)
        return {"__frame__": len(frames) - 1}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value).__name__
        if KINDS.get(kind) is not type(value):
            raise RunError(f"stored bundles cannot hold a {kind}: register it first")
        fields = {
            f.name: _encode(getattr(value, f.name), frames) for f in dataclasses.fields(value)
        }
        return {"__kind__": kind, "fields": fields}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise RunError("stored bundles need text keys")
        return {"__dict__": {k: _encode(v, frames) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"__list__": [_encode(v, frames) for v in value], "tuple": isinstance(value, tuple)}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise RunError(f"stored bundles cannot hold a {type(value).__name__}")


def _decode(tree: Any, folder: Path) -> Any:
    if not isinstance(tree, dict):
        return tree
    if "__frame__" in tree:
        return pd.read_parquet(folder / f"{int(tree['__frame__'])}.parquet")
    if "__kind__" in tree:
        kind = KINDS.get(tree["__kind__"])
        if kind is None:
            raise RunError(f"{folder}: holds a {tree['__kind__']!r}, which no bundle has")
        return kind(**{k: _decode(v, folder) for k, v in tree["fields"].items()})
    if "__dict__" in tree:
        return {k: _decode(v, folder) for k, v in tree["__dict__"].items()}
    if "__list__" in tree:
        items = [_decode(v, folder) for v in tree["__list__"]]
        return tuple(items) if tree.get("tuple") else items
    raise RunError(f"{folder}: not a stored bundle")
