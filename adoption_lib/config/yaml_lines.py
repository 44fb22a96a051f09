"""Read YAML and remember the line every key and list item came from.

PyYAML's constructed objects forget where they came from, and pydantic reports errors
by location (``("usage_exports", 1, "path")``), not by line. This module composes the
node tree once, records ``location -> line`` while walking it, and constructs the data
from the same tree, so that configuration errors can say ``engagement.yml:14:``.

Only ``true``/``false`` are booleans, as in YAML 1.2; PyYAML's YAML 1.1 default would
turn an answer label ``No`` into ``False``.

Dates are deliberately *not* turned into ``datetime.date`` here: PyYAML's own date
resolver raises on an impossible date such as ``2026-13-01`` and aborts the whole load,
which would hide every other problem in the file. Dates stay strings and the schema
validates them, so all problems are reported in one pass.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from adoption_lib.errors import ConfigError

Location = tuple[str | int, ...]

#: Bounds on a configuration file, so that a hostile or broken one fails fast and clearly:
#: its size, the values it expands to (aliases inside aliases grow exponentially when
#: walked), and how deeply it nests.
MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_VALUES = 50_000
MAX_YAML_DEPTH = 40

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _NoDateLoader(yaml.SafeLoader):
    """A safe loader that keeps ISO dates as strings."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
_NoDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Only true/false are booleans (as in YAML 1.2): a scale labelled [No, Maybe, Yes] or a
# department called "NO" must stay text, not turn into False.
_NoDateLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[Location, int], list[tuple[int, str]]]:
    """Load a YAML file and map every location in it to its 1-based line.

    Parameters
    ----------
    path
        The YAML file.

    Returns
    -------
    data, lines, duplicates
        The constructed document (``None`` when empty), a mapping from location
        tuples to line numbers, and ``(line, message)`` for every duplicated key,
        which plain PyYAML would silently collapse to its last value.

    Raises
    ------
    ConfigError
        When the file is not valid YAML; the message gives the line.
    """
    text = _read_text(path)
    loader = _NoDateLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: dict[Location, int] = {(): node.start_mark.line + 1}
        duplicates: list[tuple[int, str]] = []
        _walk(node, (), lines, duplicates, [0])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, [f"{path.name}:{line}: not valid YAML: {problem}"]) from None
    except _TooLarge as exc:
        raise ConfigError(path, [f"{path.name}:{exc.line}: {exc.what}"]) from None
    except RecursionError:
        raise ConfigError(
            path, [f"{path.name}:1: nested too deeply to be a configuration"]
        ) from None
    finally:
        loader.dispose()
    return data, lines, duplicates


class _TooLarge(Exception):
    def __init__(self, line: int, what: str) -> None:
        self.line, self.what = line, what


def _read_text(path: Path) -> str:
    """The file's text, refusing one too large, binary, or not UTF-8."""
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ConfigError(
            path, [f"{path.name}:1: {size} bytes; a configuration file is at most 1 MiB"]
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise ConfigError(path, [f"{path.name}:1: a binary file, not YAML text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            path, [f"{path.name}:{line}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None


def _walk(
    node: yaml.Node,
    loc: Location,
    lines: dict[Location, int],
    duplicates: list[tuple[int, str]],
    seen_values: list[int],
) -> None:
    seen_values[0] += 1
    if seen_values[0] > MAX_YAML_VALUES:
        raise _TooLarge(
            node.start_mark.line + 1,
            f"expands to more than {MAX_YAML_VALUES} values (aliases repeated inside "
            "aliases?); a configuration file is far smaller",
        )
    if len(loc) > MAX_YAML_DEPTH:
        raise _TooLarge(node.start_mark.line + 1, f"nested more than {MAX_YAML_DEPTH} levels deep")
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(
                    (
                        line,
                        f"{dotted((*loc, key))}: key given twice (lines {seen[key]} and {line}); "
                        "the second would replace the first: merge them",
                    )
                )
            seen.setdefault(key, line)
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), lines, duplicates, seen_values)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), lines, duplicates, seen_values)


def line_of(lines: dict[Location, int], loc: Location) -> int:
    """Return the line of ``loc``, or of its nearest ancestor that has one.

    Parameters
    ----------
    lines
        The mapping returned by :func:`load_yaml_with_lines`.
    loc
        A location such as ``("privacy", "min_group_size")``.

    Returns
    -------
    int
        A 1-based line number; 1 when nothing on the path is known.
    """
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def dotted(loc: Location) -> str:
    """Render a location as a field path, such as ``usage_exports[1].path``.

    Parameters
    ----------
    loc
        A location tuple of keys and list indices.

    Returns
    -------
    str
        The dotted path; ``(top level)`` for the empty location.
    """
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
