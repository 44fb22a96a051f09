"""Validate a YAML file against a pydantic model, reporting every problem with its line.

Shared by ``engagement.yml`` and the survey instruments: each problem becomes
``FILE:LINE: field.path: message``; an unknown key gets a "did you mean" suggestion
from the keys the model allows at that place; rules that relate fields are given as a
function of the raw document, so they are reported in the same pass.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from adoption_lib.config.yaml_lines import Location, dotted, line_of, load_yaml_with_lines
from adoption_lib.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)
CrossField = Callable[[dict[str, Any]], Iterable[tuple[Location, str]]]


def load_validated(
    path: Path,
    model: type[Model],
    *,
    context: dict[str, Any] | None = None,
    cross_field: CrossField | None = None,
) -> Model:
    """Load ``path`` and validate it as ``model``, raising every problem at once.

    Parameters
    ----------
    path
        The YAML file.
    model
        The pydantic model of the whole document.
    context
        pydantic validation context (for example the folder paths resolve against).
    cross_field
        A function of the raw document yielding ``(location, message)`` for rules that
        relate fields; it must tolerate invalid values, which the model reports.

    Returns
    -------
    Model
        The validated document.

    Raises
    ------
    ConfigError
        With one ``FILE:LINE: field: message`` line per problem, sorted by line.
    """
    data, lines, duplicates = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigError(path, [f"{path.name}:1: (top level): expected a mapping of keys"])
    problems = list(duplicates)
    result: Model | None = None
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        problems += [_describe(model, err, lines) for err in exc.errors()]
    if cross_field is not None:
        problems += [
            (line_of(lines, loc), f"{dotted(loc)}: {msg}") for loc, msg in cross_field(data)
        ]
    if problems or result is None:
        ordered = sorted(set(problems))
        raise ConfigError(path, [f"{path.name}:{line}: {msg}" for line, msg in ordered])
    return result


def _describe(model: type[BaseModel], err: Any, lines: dict[Location, int]) -> tuple[int, str]:
    loc: Location = tuple(err["loc"])
    # pydantic appends the type it tried ("str", "function-before[...]") for unions
    # and annotated types; the consultant's field path should not show it.
    loc = tuple(p for p in loc if isinstance(p, int) or not _is_pydantic_tag(p))
    if err["type"] == "extra_forbidden":
        known = known_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
        return line_of(lines, loc), f"{dotted(loc)}: unknown key{hint}"
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "required but missing"
    return line_of(lines, loc), f"{dotted(loc)}: {message}"


def _is_pydantic_tag(part: str) -> bool:
    return any(c in part for c in "[]()") or part in {"str", "int", "float", "bool", "dict"}


def known_keys(model: type[BaseModel], loc: Location) -> list[str]:
    """List the keys ``model`` allows at ``loc``, walking nested models, lists and dicts.

    Parameters
    ----------
    model
        The top-level model.
    loc
        A location such as ``("privacy",)`` or ``("scales", "agree5")``.

    Returns
    -------
    list of str
        The allowed keys, sorted; empty when ``loc`` is not a model.
    """
    skip_next = False
    for part in loc:
        if isinstance(part, int) or skip_next:
            skip_next = False
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        nested = _model_in(field.annotation) if field else None
        if nested is None:
            return []
        skip_next = _is_mapping(field.annotation)
        model = nested
    return sorted(f.alias or n for n, f in model.model_fields.items())


def _is_mapping(annotation: Any) -> bool:
    if typing.get_origin(annotation) is dict:
        return True
    return any(_is_mapping(arg) for arg in typing.get_args(annotation))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
