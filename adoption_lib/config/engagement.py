"""Load and validate an engagement: ``engagement.yml`` and the folder around it.

:func:`load_engagement` reads the file once, validates it against
:mod:`adoption_lib.config.schema` and the cross-field rules below, and reports
*every* problem in one :class:`~adoption_lib.errors.ConfigError`, one line each::

    engagement.yml:14: usage_exports[0].path: file not found: exports/usage/logins.csv
    engagement.yml:3: go_lvie: unknown key; did you mean 'go_live'?
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from adoption_lib.config.schema import (
    REQUIRED_EVENT_COLUMNS,
    Engagement,
    parse_iso_date,
)
from adoption_lib.config.validation import load_validated
from adoption_lib.config.yaml_lines import Location
from adoption_lib.errors import EngagementNotFoundError

CONFIG_NAME = "engagement.yml"


def find_config(target: str | Path) -> Path:
    """Return the ``engagement.yml`` for an engagement folder or file.

    Parameters
    ----------
    target
        The engagement folder, or its yml file.

    Returns
    -------
    Path
        The configuration file.

    Raises
    ------
    EngagementNotFoundError
        When neither exists.
    """
    path = Path(target).expanduser()
    if path.is_dir():
        path = path / CONFIG_NAME
    if not path.is_file():
        raise EngagementNotFoundError(f"{path}: no engagement here (expected {CONFIG_NAME})")
    return path


def load_engagement(target: str | Path) -> Engagement:
    """Load and validate an engagement.

    Parameters
    ----------
    target
        The engagement folder, or its ``engagement.yml``.

    Returns
    -------
    Engagement
        The validated engagement; its paths are absolute.

    Raises
    ------
    EngagementNotFoundError
        When there is no ``engagement.yml``.
    ConfigError
        With every problem found, each as ``engagement.yml:LINE: field: message``.
    """
    config = find_config(target)
    folder = config.parent.resolve()
    engagement = load_validated(
        config, Engagement, context={"base": folder}, cross_field=_cross_field
    )
    engagement._folder = folder
    engagement._config_path = config.resolve()
    return engagement


def _cross_field(data: dict[str, Any]) -> Iterator[tuple[Location, str]]:
    """Rules that relate two fields, run on the raw document.

    Running them on the raw data (rather than in a pydantic model validator, which
    only runs once every field is valid) lets them be reported together with the
    field errors. Values that fail to parse are skipped here: the schema reports them.
    """
    yield from _dates_in_order(data, (), [("go_live", "assessment_date", False)])
    yield from _dates_in_order(data, (), [("assessment_date", "renewal_date", True)])
    yield from _dates_in_order(data, (), [("survey_opened", "survey_closed", False)])
    if data.get("annual_contract_value") is not None and not data.get("currency"):
        yield ("annual_contract_value",), "needs 'currency' (for example EUR or USD)"
    privacy = data.get("privacy")
    if isinstance(privacy, dict):
        if privacy.get("link_individuals") is True and not privacy.get("consent_basis"):
            yield (
                ("privacy", "link_individuals"),
                "true requires privacy.consent_basis: the sentence printed in every report",
            )
        small, comments = privacy.get("min_group_size", 5), privacy.get("min_comment_group", 10)
        if isinstance(small, int) and isinstance(comments, int) and comments < small:
            yield ("privacy", "min_comment_group"), "must be at least privacy.min_group_size"
    thresholds = data.get("thresholds")
    if isinstance(thresholds, dict):
        yield from _ordered_numbers(thresholds, "key_red_below", "key_green_from")
        yield from _ordered_numbers(thresholds, "renewal_high_risk_below", "renewal_low_risk_from")
        yield from _ordered_numbers(thresholds, "effective_weeks_active", "effective_weeks_window")
    yield from _usage_export_rules(data.get("usage_exports"), ("usage_exports",))
    waves = data.get("waves")
    if waves is not None and not isinstance(waves, list):
        return
    names: set[str] = {"baseline"}
    previous = ("the baseline's assessment_date", data.get("assessment_date"))
    for index, wave in enumerate(waves or []):
        if not isinstance(wave, dict):
            continue
        if wave.get("name") in names:
            why = "names the top-level wave" if wave["name"] == "baseline" else "is used twice"
            yield ("waves", index, "name"), f"wave name '{wave['name']}' {why}"
        names.add(wave.get("name"))
        when, before = _maybe_date(wave.get("assessment_date")), _maybe_date(previous[1])
        if when is not None and before is not None and when <= before:
            yield (
                ("waves", index, "assessment_date"),
                f"{when.isoformat()} must come after {previous[0]} ({before.isoformat()}): "
                "waves are listed in date order",
            )
        if when is not None:
            previous = (f"wave '{wave.get('name')}'", when.isoformat())
        yield from _dates_in_order(
            wave, ("waves", index), [("survey_opened", "survey_closed", False)]
        )
        yield from _usage_export_rules(wave.get("usage_exports"), ("waves", index, "usage_exports"))


#: Usage formats that name users by Salesforce id, so need the User export.
USER_ID_FORMATS = ("salesforce_login_history", "salesforce_event_log")


def _usage_export_rules(exports: Any, loc: Location) -> Iterator[tuple[Location, str]]:
    if not isinstance(exports, list):
        return
    for index, export in enumerate(exports):
        if not isinstance(export, dict):
            continue
        fmt, here = export.get("format"), (*loc, index)
        if fmt in USER_ID_FORMATS and not export.get("users"):
            yield (*here, "format"), f"{fmt} needs 'users': the User export that maps ids to emails"
        if fmt not in USER_ID_FORMATS and export.get("users"):
            yield (*here, "users"), "only Salesforce formats take a User export"
        if fmt != "m365_active_users" and export.get("products"):
            yield (*here, "products"), "only m365_active_users takes a product list"
        columns = export.get("columns")
        if fmt == "events":
            missing = [
                c
                for c in REQUIRED_EVENT_COLUMNS
                if not isinstance(columns, dict) or c not in columns
            ]
            if missing:
                yield (*here, "columns"), f"events needs columns for: {', '.join(missing)}"
        elif columns:
            yield (*here, "columns"), "only the 'events' format takes a column mapping"


def _dates_in_order(
    data: dict[str, Any], loc: Location, pairs: list[tuple[str, str, bool]]
) -> Iterator[tuple[Location, str]]:
    for first, second, strict in pairs:
        a, b = _maybe_date(data.get(first)), _maybe_date(data.get(second))
        if a is None or b is None:
            continue
        if b < a or (strict and b == a):
            word = "after" if strict else "on or after"
            yield (*loc, second), f"{b.isoformat()} must be {word} {first} ({a.isoformat()})"


def _ordered_numbers(data: dict[str, Any], low: str, high: str) -> Iterator[tuple[Location, str]]:
    a, b = data.get(low), data.get(high)
    if isinstance(a, int | float) and isinstance(b, int | float) and a > b:
        yield ("thresholds", low), f"must not exceed thresholds.{high} ({b})"


def _maybe_date(value: Any) -> date | None:
    try:
        return parse_iso_date(value) if value is not None else None
    except ValueError:
        return None
