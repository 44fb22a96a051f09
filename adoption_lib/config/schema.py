"""The pydantic schema of ``engagement.yml`` (DESIGN §4).

Field-level rules live here: types, ranges, formats, and that every listed file exists
and is readable. Rules that relate two fields (dates in order, a format that needs an
extra key) live in :mod:`adoption_lib.config.engagement`, which runs them on the raw document
so that they are reported in the same pass as the field errors.

Paths are resolved relative to the engagement folder, which validation receives as
``context={"base": Path}``.
"""

from __future__ import annotations

import glob
import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
)

from adoption_lib.config.strict import Strict as _Strict
from adoption_lib.config.thresholds import Thresholds
from adoption_lib.errors import InputError
from adoption_lib.locations import CHECKOUT_DIR

SURVEY_FORMATS = ("qualtrics", "surveymonkey", "google_forms", "microsoft_forms", "generic")
USAGE_FORMATS = (
    "salesforce_login_history",
    "salesforce_event_log",
    "m365_active_users",
    "m365_teams_activity",
    "events",
)
#: Canonical event columns (DESIGN §4, usage issue); ``columns:`` maps these to a log's own.
EVENT_COLUMNS = ("user_key", "ts", "event", "feature", "record_id", "record_occurred_at")
REQUIRED_EVENT_COLUMNS = ("user_key", "ts", "event")
#: key features the usage stage can measure (bits of the activity table's mask)
MAX_KEY_FEATURES = 62
#: Dimensions a client view may be cut by. Supervisor team is for the consultant only.
CLIENT_DIMENSIONS = ("department", "role", "location", "tenure_band")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: Any) -> date:
    """Parse an ISO date (``YYYY-MM-DD``) or pass a ``date`` through.

    Parameters
    ----------
    value
        A string or a date.

    Returns
    -------
    date
        The date.

    Raises
    ------
    ValueError
        When the value is not an ISO date or not a real one.
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date ({exc})") from None
    raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")


IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def resolve_input(value: str, info: ValidationInfo, *, pattern_ok: bool = False) -> Path:
    """Resolve ``value`` against the engagement folder and check it can be read.

    Parameters
    ----------
    value
        A path as written in ``engagement.yml``; relative paths are relative to the
        engagement folder.
    info
        pydantic's validation info; ``info.context["base"]`` is the engagement folder.
    pattern_ok
        Accept a folder or a glob pattern (event-log folders), which must match at
        least one readable file.

    Returns
    -------
    Path
        The absolute path (or pattern).

    Raises
    ------
    ValueError
        When the file does not exist, is not readable, or the pattern matches nothing.
    """
    base = Path((info.context or {}).get("base", "."))
    path = Path(value).expanduser()
    path = path if path.is_absolute() else base / path
    if pattern_ok and glob.has_magic(str(path)):
        matches = [Path(p) for p in sorted(glob.glob(str(path))) if Path(p).is_file()]
        if not matches:
            raise ValueError(f"no file matches '{value}'")
        unreadable = [m for m in matches if not os.access(m, os.R_OK)]
        if unreadable:
            raise ValueError(f"file is not readable: {unreadable[0]}")
        return path
    if not path.exists():
        raise ValueError(f"file not found: {value}")
    if path.is_dir() and not pattern_ok:
        raise ValueError(f"expected a file, found a folder: {value}")
    if not os.access(path, os.R_OK):
        raise ValueError(f"file is not readable: {value}")
    return path


def _zone_name(value: Any) -> str:
    """An IANA time zone name that this machine's zone database knows."""

    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an IANA time zone name such as Europe/London, got {value!r}")
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as Europe/London or UTC"
        ) from None
    return value.strip()


def _path_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a path, got {value!r}")
    return value.strip()


def _input_file(value: Any, info: ValidationInfo) -> Path:
    return resolve_input(_path_text(value), info)


def _input_pattern(value: Any, info: ValidationInfo) -> Path:
    return resolve_input(_path_text(value), info, pattern_ok=True)


def _instrument(value: Any, info: ValidationInfo) -> Path:
    """Resolve an instrument given as a path, or as the name of one in ``surveys/``."""
    text = _path_text(value)
    if text.endswith((".yml", ".yaml")) or "/" in text:
        return resolve_input(text, info)
    candidate = surveys_dir() / f"{text}.yml"
    if not candidate.is_file():
        known = sorted(p.stem for p in surveys_dir().glob("*.yml"))
        raise ValueError(f"no instrument named '{text}' in surveys/ (known: {', '.join(known)})")
    return candidate


def surveys_file(target: str | Path, kind: str) -> Path:
    """Resolve a ``.yml`` path, or the name of a file in the surveys folder.

    Parameters
    ----------
    target
        A path, or a bare name such as ``adoption_rescue_v1`` or ``playbook``.
    kind
        What is looked for, for the error message (``instrument``, ``playbook``).

    Returns
    -------
    Path
        An existing file.

    Raises
    ------
    InputError
        When there is no such file.
    """
    path = Path(target)
    if not path.suffix and not path.exists():
        path = surveys_dir() / f"{target}.yml"
    if not path.is_file():
        raise InputError(f"{target}: no such {kind} (a .yml path or a name in {surveys_dir()})")
    return path


def surveys_dir() -> Path:
    """Return the folder of bundled instruments and the playbook.

    Returns
    -------
    Path
        ``$ADOPTION_SURVEYS_DIR`` when set, else the repository's ``surveys/``.
    """
    override = os.environ.get("ADOPTION_SURVEYS_DIR")
    return Path(override) if override else CHECKOUT_DIR / "surveys"


InputFile = Annotated[Path, BeforeValidator(_input_file)]
InputPattern = Annotated[Path, BeforeValidator(_input_pattern)]
InstrumentRef = Annotated[Path, BeforeValidator(_instrument)]
ZoneName = Annotated[str, BeforeValidator(_zone_name)]
DateOrder = Literal["dmy", "mdy"]


class SurveyExport(_Strict):
    """One survey export file; ``format`` is detected from its header when left out."""

    path: InputFile
    format: Literal[SURVEY_FORMATS] | None = None  # type: ignore[valid-type]
    #: ``03/10/2026`` is 3 October (dmy) or 10 March (mdy); needed only when nothing settles it
    date_order: DateOrder | None = None
    #: the zone of this export's naive times (default: the engagement's ``timezone``)
    timezone: ZoneName | None = None


class UsageExport(_Strict):
    """One usage export: a file, or a folder or glob for Salesforce event logs."""

    path: InputPattern
    format: Literal[USAGE_FORMATS]  # type: ignore[valid-type]
    users: InputFile | None = None
    columns: dict[Literal[EVENT_COLUMNS], NonEmpty] | None = None  # type: ignore[valid-type]
    timezone: ZoneName | None = None
    #: ``03/10/2026`` is 3 October (dmy) or 10 March (mdy); needed only when nothing settles it
    date_order: DateOrder | None = None
    #: m365_active_users: the products whose activity counts (default: all in the report)
    products: list[NonEmpty] | None = Field(default=None, min_length=1)


class Privacy(_Strict):
    """Privacy settings (DESIGN §5); the defaults are the safe ones."""

    min_group_size: Annotated[int, Field(strict=True, ge=2)] = 5
    min_comment_group: Annotated[int, Field(strict=True, ge=2)] = 10
    #: the fewest people a released cell (or the difference of two nested released
    #: cells) may hold, so that its breakdowns can hide a small group; 2 x min_group_size
    #: when unset
    min_breakdown_size: Annotated[int, Field(strict=True, ge=2)] | None = None
    #: how far either side of a small group's true size the disclosure audit requires
    #: a reader's bounds to reach; min_group_size when unset
    protection_level: Annotated[int, Field(strict=True, ge=1)] | None = None
    pseudonymise: bool = True
    link_individuals: bool = False
    consent_basis: NonEmpty | None = None
    show_verbatims: bool = False
    client_dimensions: list[Literal[CLIENT_DIMENSIONS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["department", "role"], min_length=1
    )


class Limits(_Strict):
    """Bounds on input files, so that a hostile or broken file fails fast and clearly."""

    #: the most a workbook may inflate to, in MiB
    xlsx_max_unpacked_mb: Annotated[int, Field(strict=True, gt=0)] = 1024
    #: the most a workbook or .gz may be compressed, inflated to stored size (real: 5-30)
    max_compression_ratio: Annotated[int, Field(strict=True, gt=1)] = 200
    #: the most a .gz usage export may inflate to, in MiB (event logs are large: 64 GiB)
    gz_max_unpacked_mb: Annotated[int, Field(strict=True, gt=0)] = 64 * 1024


class Wave(_Strict):
    """A re-measure wave: its own date, survey window and exports (the baseline is the top level).

    ``roster`` and ``licenses`` default to the baseline's; give them when people or the
    licence count changed since.
    """

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    assessment_date: IsoDate
    survey_opened: IsoDate | None = None
    survey_closed: IsoDate | None = None
    survey_exports: list[SurveyExport] = Field(default_factory=list)
    usage_exports: list[UsageExport] = Field(default_factory=list)
    roster: InputFile | None = None
    licenses: Annotated[int, Field(strict=True, gt=0)] | None = None


class Engagement(_Strict):
    """A validated ``engagement.yml``; build it with :func:`adoption_lib.config.engagement.load_engagement`."""

    client: NonEmpty
    system: NonEmpty
    go_live: IsoDate
    assessment_date: IsoDate
    renewal_date: IsoDate
    licenses: Annotated[int, Field(strict=True, gt=0)]
    #: the zone of naive timestamps in every export (an IANA name; UTC when left out)
    timezone: ZoneName | None = None
    annual_contract_value: Annotated[float, Field(strict=True, gt=0)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    instrument: InstrumentRef | None = None
    #: the plays the action plan draws on: a path, or a name in surveys/ (default playbook)
    playbook: InstrumentRef | None = None
    survey_opened: IsoDate | None = None
    survey_closed: IsoDate | None = None
    survey_exports: list[SurveyExport] = Field(default_factory=list)
    usage_exports: list[UsageExport] = Field(default_factory=list)
    roster: InputFile
    #: at most MAX_KEY_FEATURES: the activity table keeps them as bits of one integer
    key_features: list[NonEmpty] = Field(default_factory=list, max_length=MAX_KEY_FEATURES)
    privacy: Privacy = Field(default_factory=Privacy)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    limits: Limits = Field(default_factory=Limits)
    waves: list[Wave] = Field(default_factory=list)
    _folder: Path = PrivateAttr(default=Path("."))
    _config_path: Path = PrivateAttr(default=Path("engagement.yml"))

    @property
    def folder(self) -> Path:
        """The engagement folder every relative path was resolved against."""
        return self._folder

    @property
    def config_path(self) -> Path:
        """The ``engagement.yml`` this engagement was read from."""
        return self._config_path

    def relative(self, path: Path) -> str:
        """A path as the consultant wrote it: relative to the engagement folder when inside it."""
        try:
            return str(path.relative_to(self._folder))
        except ValueError:
            return str(path)

    @property
    def private_dir(self) -> Path:
        """The folder for person-level data, the quarantine file and the HMAC key."""
        return self._folder / "private"
