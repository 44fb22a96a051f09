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
    text = path.read_text(encoding="utf-8-sig")
    loader = _NoDateLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: dict[Location, int] = {(): node.start_mark.line + 1}
        duplicates: list[tuple[int, str]] = []
        _walk(node, (), lines, duplicates)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, [f"{path.name}:{line}: not valid YAML: {problem}"]) from None
    finally:
        loader.dispose()
    return data, lines, duplicates


def _walk(
    node: yaml.Node,
    loc: Location,
    lines: dict[Location, int],
    duplicates: list[tuple[int, str]],
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append((line, f"{dotted((*loc, key))}: key given twice"))
            seen.add(key)
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), lines, duplicates)


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
