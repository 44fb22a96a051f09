"""The client cube: every aggregate a client view may show, suppressed together (DESIGN §5).

Client views (the dashboard, the client HTML) read only this cube. It holds one cell per
combination of ``privacy.client_dimensions`` values, at every level: the whole
organisation, each dimension alone, and each combination (department x role ...).
Dimensions a cell does not cut by hold :data:`ALL`.

Two populations are counted over the same cells: survey respondents (``n``) and licensed
users (``licensed``), and, when every respondent is a licensed user, the licensed users
who did not answer. Suppression runs over all cells and populations at once with
:func:`adoption_lib.privacy.suppression.suppress_populations`: a released cell, and the
difference between a released cell and one inside it, holds at least
``privacy.min_breakdown_size`` people (2k by default), so that its breakdowns can hide
a small category. Withheld cells stay in the cube with ``suppressed=True`` and blank
figures; they are counted, never shown as 0 and never dropped.

Inside released cells, every breakdown (motivation types, adoption segments, usage
bands and segments, active, effective, active each week) is suppressed by
:func:`adoption_lib.privacy.breakdowns.suppress_breakdown`. Then the disclosure audit
(:func:`adoption_lib.privacy.audit.audit_release`) plays a reader of the released
figures; where it can pin a small group, more is withheld and the cube is built again,
until it passes. The report rides on the cube as ``audit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from adoption_lib.errors import RunError
from adoption_lib.privacy.audit import AuditReport, Exposure, audit_release
from adoption_lib.privacy.cube_tables import (
    ALL,
    binary_breakdowns,
    organisation_table,
    segments_table,
    survey_of_users,
    survey_tables,
    usage_table,
    weekly_table,
)
from adoption_lib.privacy.release import (
    COUNT_TABLES,
    people_by_population,
    release_document,
)
from adoption_lib.privacy.suppression import cube_cells, suppress_populations

#: audit rounds (each adding suppressions) before a cube is given up as unsafe
MAX_AUDIT_ROUNDS = 30


@dataclass
class SurveyPart:
    """What the cube needs from the survey: kept respondents and their answers."""

    people: pd.DataFrame
    classified: pd.DataFrame
    scores: pd.DataFrame
    types: pd.Series


@dataclass(frozen=True)
class ClientCube:
    """The suppressed cube: cells, survey figures, usage figures, weekly curves and segments.

    Built once, after the diagnosis, by :func:`build_client_cube`, and never changed:
    every client view reads only this.
    """

    dimensions: list[str]
    cells: pd.DataFrame
    constructs: pd.DataFrame
    types: pd.DataFrame
    k: int
    usage: pd.DataFrame | None = None
    weekly: pd.DataFrame | None = None
    #: people per adoption segment (the diagnosis's), when it assigned any
    segments: pd.DataFrame | None = None
    #: the organisation's exact counts of active and effective users, where released
    organisation: pd.DataFrame | None = None
    #: the disclosure audit of what this cube releases (None when not audited)
    audit: AuditReport | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The cube's tables by name, those it has."""
        names = ("cells", "constructs", "types", "usage", "weekly", "segments", "organisation")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def document(self) -> dict:
        """What ``client/cube.json`` holds of this cube: the structure and every figure."""
        return release_document(self.tables(), list(self.dimensions), self.k)

    @property
    def suppressed_cells(self) -> int:
        """How many cells are withheld."""
        return int(self.cells["suppressed"].sum())


def build_client_cube(
    dimensions: list[str],
    k: int,
    survey: SurveyPart | None = None,
    users: pd.DataFrame | None = None,
    user_weeks: pd.DataFrame | None = None,
    segments: pd.Series | None = None,
    breakdown_size: int | None = None,
    protection: int | None = None,
    audit: bool = True,
    organisation_figures: Mapping[str, float | None] | None = None,
) -> ClientCube:
    """Build the suppressed client cube from respondents and licensed users.

    Parameters
    ----------
    dimensions
        ``privacy.client_dimensions``; those missing from a population are left out.
    k
        ``privacy.min_group_size``.
    survey
        Kept respondents (``people`` indexed by respondent, a column per dimension),
        their classified answers, construct scores and motivation types.
    users
        Licensed users (index ``person``, a pseudonym), a column per dimension and the usage
        columns ``recent``, ``first``, ``effective``, ``per_week``, ``breadth``, ``band``,
        ``segment``.
    user_weeks
        ``person`` and ``week_start`` per active week.
    segments
        Each kept respondent's adoption segment (index ``respondent``), from the
        diagnosis: people per segment in each cell, with the cube's suppression.
    breakdown_size
        ``privacy.min_breakdown_size``: the fewest people a released cell, or the
        difference between a released cell and one inside it, may hold, since its
        breakdowns must leave every small category room of k either side (2k by
        default).
    protection
        ``privacy.protection_level``: the audit's p (default k).
    audit
        Run the disclosure audit (:mod:`adoption_lib.privacy.audit`) and withhold more
        until it passes, or until :data:`MAX_AUDIT_ROUNDS`; the report is the cube's
        ``audit``. Off only to study the rules alone.
    organisation_figures
        The usage stage's organisation-wide medians and DAU/MAU (those of
        :data:`~adoption_lib.privacy.release.ORGANISATION_FIGURES` it measured, None
        where it could not), released in the ``organisation`` table.

    Returns
    -------
    ClientCube
        Cells with ``n``, ``licensed`` and ``suppressed``; figures per cell, blank on
        withheld cells.
    """
    frames = [f for f in (survey.people if survey else None, users) if f is not None]
    dims = [d for d in dimensions if all(d in f for f in frames)]
    if segments is not None and survey is None:
        raise RunError("build_client_cube: segments need the respondents (survey=)")
    cells = _count_cells(dims, survey, users)
    size = breakdown_size if breakdown_size is not None else 2 * k
    truth = people_by_population(
        dims,
        survey.people if survey else None,
        survey.types if survey else None,
        segments,
        users,
        user_weeks,
    )
    extra: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    withheld_cells: set[tuple[str, ...]] = set()
    cube = None
    seen: dict[str, int] = {}
    for _ in range(MAX_AUDIT_ROUNDS):
        decided = _suppress_cells(cells, dims, k, size, withheld_cells)
        cube = _assemble(
            decided, dims, k, survey, users, user_weeks, segments, extra, organisation_figures
        )
        if not audit:
            return cube
        report = audit_release(cube.document(), truth, protection)
        cube = replace(cube, audit=report)
        if report.passed or not _widen(cube, report.exposures, extra, withheld_cells, seen):
            return cube
    return cube


def _count_cells(
    dims: list[str], survey: SurveyPart | None, users: pd.DataFrame | None
) -> pd.DataFrame:
    cells = None
    if survey is not None:
        cells = cube_cells(survey.people[dims].astype(str), dims)
    if users is not None:
        licensed = cube_cells(users[dims].astype(str), dims).rename(columns={"n": "licensed"})
        cells = (
            licensed.assign(n=0)
            if cells is None
            else cells.merge(licensed, on=[*dims, "level"], how="outer")
        )
    if cells is None:
        raise RunError("build_client_cube needs respondents or licensed users")
    counts = [c for c in ("n", "licensed") if c in cells]
    cells[counts] = cells[counts].fillna(0).astype(int)
    return cells.sort_values(["level", *dims], ignore_index=True)


def _suppress_cells(
    cells: pd.DataFrame, dims: list[str], k: int, size: int, withheld: set[tuple[str, ...]]
) -> pd.DataFrame:
    """The cells with ``suppressed`` decided for every population at once."""
    cells = cells.copy()
    counts = [c for c in ("n", "licensed") if c in cells]
    thresholds = dict.fromkeys(counts, size)
    columns = list(counts)
    if len(counts) == 2 and survey_of_users(cells, dims):
        # licensed users who did not answer are a population of their own, held to the
        # same size as the others so that a small part of them keeps room either side
        cells["_unanswered"] = cells["licensed"] - cells["n"]
        columns, thresholds["_unanswered"] = [*counts, "_unanswered"], size
    keys = [tuple(row) for row in cells[dims].astype(str).itertuples(index=False)]
    initial = pd.Series([key in withheld for key in keys], index=cells.index)
    # a cell is a row of the cube when either population has people in it: a zero in
    # one population of such a row is a figure, not an absence a reader can see
    cells["_exists"] = cells[counts].sum(axis=1)
    presence = dict.fromkeys(columns, "_exists")
    cells["suppressed"] = suppress_populations(
        cells, dims, k, columns, thresholds, initial, presence
    )
    cells = cells.drop(columns="_exists")
    return cells.drop(columns="_unanswered", errors="ignore")


def _assemble(
    cells: pd.DataFrame,
    dims: list[str],
    k: int,
    survey: SurveyPart | None,
    users: pd.DataFrame | None,
    user_weeks: pd.DataFrame | None,
    segments: pd.Series | None,
    extra: dict[str, set[tuple[tuple[str, ...], str]]],
    figures: Mapping[str, float | None] | None = None,
) -> ClientCube:
    """Every table of the cube, over cells whose suppression is decided."""
    counts = [c for c in ("n", "licensed") if c in cells]
    constructs, types = pd.DataFrame(), pd.DataFrame()
    usage = weekly = by_segment = organisation = None
    if survey is not None:
        constructs, types = survey_tables(survey, dims, cells, k, extra)
    if users is not None:
        binary = binary_breakdowns(users, dims, cells, k, extra)
        usage = usage_table(users, dims, cells, k, extra, binary)
        organisation = organisation_table(users, dims, cells, k, extra, binary, figures)
        if user_weeks is not None:
            weekly = weekly_table(users, user_weeks, dims, cells, k, extra)
    if segments is not None and survey is not None:
        by_segment = segments_table(survey.people, segments, dims, cells, k, extra)
    # a withheld cell keeps its place but not its size: its counts go blank too
    cells = cells.copy()
    cells[counts] = cells[counts].astype("float64")
    cells.loc[cells["suppressed"], counts] = float("nan")
    return ClientCube(dims, cells, constructs, types, k, usage, weekly, by_segment, organisation)


def _widen(
    cube: ClientCube,
    exposures: tuple[Exposure, ...],
    extra: dict[str, set[tuple[tuple[str, ...], str]]],
    withheld_cells: set[tuple[str, ...]],
    seen: dict[str, int],
) -> bool:
    """Withhold one more figure per exposure: the smallest released one that bears on it.

    A figure bears on an exposure when its cell overlaps the exposure's cells (same
    value or (all) on every dimension) and, for a breakdown, it counts the exposure's
    category (else any of the breakdown: its parts elsewhere can pin it). An exposure
    still there after three rounds, or with no such figure left, withholds the smallest
    overlapping cell
    instead (every figure of it): the audit passes at the latest when nothing is
    released. Returns whether anything was added.
    """
    rows = pd.DataFrame(cube.document()["figures"])
    rows = rows[~rows["withheld"]]
    dims = list(cube.dimensions)
    keys = [tuple(str(v) for v in row) for row in rows[dims].to_numpy()]
    weight = rows["value"].where(rows["table"].isin(COUNT_TABLES), rows["value"] * rows["base"])
    added = False
    for exposure in exposures:
        seen[exposure.quantity] = seen.get(exposure.quantity, 0) + 1
        near = pd.Series(
            [any(_overlap(key, cell) for cell in exposure.cells) for key in keys], rows.index
        )
        figures = near & (rows["partition"] == exposure.partition)
        same = figures & (rows["category"] == exposure.category)
        if same.any():  # the exposure's own category first, then any of the breakdown
            figures = same
        cell_level = exposure.partition == "people" or seen[exposure.quantity] > 3
        if not cell_level and figures.any():
            pick = rows.loc[weight[figures].idxmin()]
            entry = (tuple(str(pick[d]) for d in dims), str(pick["category"]))
            added |= entry not in extra.setdefault(exposure.partition, set())
            extra[exposure.partition].add(entry)
            continue
        cells = near & (rows["measure"] == "people")
        if cells.any():
            pick = rows.loc[weight[cells].idxmin()]
            key = tuple(str(pick[d]) for d in dims)
            added |= key not in withheld_cells
            withheld_cells.add(key)
    return added


def _overlap(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    return all(a == b or ALL in (a, b) for a, b in zip(one, other, strict=True))
