"""The disclosure audit: what a reader of the released cube can work out, by arithmetic.

This module shares no code with the suppression (:mod:`adoption_lib.privacy.suppression`,
:mod:`adoption_lib.privacy.breakdowns`): it is the independent check that the
suppression did its job. It plays an attacker who holds ``client/cube.json`` and
nothing else, and who may add, subtract and combine every released figure.

The attacker's unknowns are the finest cells: the people in each combination of the
client dimensions (and, for a breakdown, in each category of it). Everything released
constrains them: a cell's head count is a sum of finest cells; a share of people is a
count between ``base * (share - precision / 2)`` and ``base * (share + precision / 2)``;
counts are whole and never negative. With integer programming (``scipy.optimize.milp``,
HiGHS) the audit bounds every quantity the attacker could target:

* every cell of the lattice, in every category of every breakdown, withheld or not;
* every difference of two released cells one inside the other (nesting by the finest
  cells they hold, so a role that exists in one department only is seen as nested),
  the complement of a released category in its cell among them;
* for each cell, licensed users minus respondents (the people who did not answer), when
  every respondent is a licensed user.

Where such a quantity truly counts x = 1..k-1 people, the bounds must reach
``max(0, x - p)`` and ``x + p`` (p: the protection level); otherwise it is an
:class:`Exposure`. The truth x comes from the person-level tables, the bounds from the
released figures alone. Means and shares of item answers are not counts of people and
do not enter the model. Our own model because tau-Argus is a desktop program; its audit
(bounds by linear programming) is what is done here, with integers and rounded shares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from adoption_lib.errors import AuditError

#: the category of people not in any released category of a breakdown
REST = "(rest)"
#: seconds HiGHS may spend on one bound
TIME_LIMIT = 20.0


@dataclass(frozen=True)
class Exposure:
    """A quantity the released figures pin too closely around its true count."""

    population: str
    partition: str
    quantity: str
    true: int
    low: float
    high: float
    #: the cells the quantity is about (one, or an outer and an inner one)
    cells: tuple[tuple[str, ...], ...] = ()
    #: its category (None for a complement, or a head count)
    category: str | None = None

    def describe(self) -> str:
        """One line naming the quantity, its true count and the attacker's bounds."""
        return (
            f"{self.population} / {self.partition}: {self.quantity} is {self.true}, "
            f"and the released figures bound it to [{self.low:g}, {self.high:g}]"
        )


@dataclass(frozen=True)
class AuditReport:
    """What the audit checked and what it found."""

    k: int
    protection: int
    #: quantities bounded (those whose true count is 1 to k-1)
    checked: int
    #: quantities considered in all, small or not
    considered: int
    exposures: tuple[Exposure, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        """Whether no quantity is exposed."""
        return not self.exposures


@dataclass
class _Model:
    """One attacker's integer program: unknowns and the released constraints on them."""

    size: int
    rows: list[np.ndarray] = field(default_factory=list)
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)

    constraints: list[LinearConstraint] | None = None

    def add(self, coefficients: np.ndarray, low: float, high: float) -> None:
        self.rows.append(coefficients)
        self.low, self.high, self.constraints = [*self.low, low], [*self.high, high], None

    def bound(self, target: np.ndarray, minimise: bool) -> float:
        """The least (or greatest) value of ``target @ x`` over whole x >= 0 that fit."""
        sign = 1.0 if minimise else -1.0
        if self.constraints is None:
            self.constraints = []
            if self.rows:
                matrix = sparse.csr_array(np.vstack(self.rows))
                self.constraints = [LinearConstraint(matrix, self.low, self.high)]
        result = milp(
            sign * target,
            constraints=self.constraints,
            integrality=np.ones(self.size),
            bounds=Bounds(0, np.inf),
            options={"time_limit": TIME_LIMIT, "presolve": True},
        )
        if result.status == 3:  # unbounded: nothing released limits it
            return -math.inf if minimise else math.inf
        if result.x is None:
            raise AuditError(f"the released figures contradict each other ({result.message})")
        return sign * float(result.fun)


def audit_release(
    document: Mapping[str, Any],
    truth: Mapping[str, pd.DataFrame],
    protection: int | None = None,
) -> AuditReport:
    """Bound every small quantity a reader of the released cube could work out.

    Parameters
    ----------
    document
        ``client/cube.json`` as read: ``dimensions``, ``all``, ``min_group_size``,
        ``share_precision`` and ``figures`` (the rows of
        :func:`adoption_lib.privacy.release.release_rows`).
    truth
        Per population (``respondents``, ``licensed_users``), one row per person: a
        column per client dimension and one per breakdown (``partition``) holding the
        person's category.
    protection
        The protection level p; ``min_group_size`` by default.

    Returns
    -------
    AuditReport
        Passed when no quantity of 1 to k-1 people is bounded tighter than p either side.

    Raises
    ------
    AuditError
        When the truth lacks a population or breakdown the cube releases, or the
        released figures contradict each other.
    """
    dims = list(document["dimensions"])
    k = int(document["min_group_size"])
    p = int(protection if protection is not None else k)
    figures = pd.DataFrame(list(document["figures"]))
    if figures.empty:
        return AuditReport(k, p, 0, 0)
    lattice = _Lattice(figures, dims, str(document.get("all", "(all)")))
    half = float(document.get("share_precision") or 0.0) / 2
    exposures: list[Exposure] = []
    checked = considered = 0
    people = figures[figures["measure"] == "people"]
    # a population the cube counts as nobody everywhere (no survey) has no truth to check
    empty = people.groupby("population")["value"].apply(lambda v: bool((v.fillna(0) == 0).all()))
    nobody = [pop for pop, none in empty.items() if none and pop not in truth]
    people = people[~people["population"].isin(nobody)]
    for population in sorted(people["population"].unique()):
        counted = _counted(truth, population, dims, lattice)
        partitions = figures[(figures["population"] == population) & figures["partition"].notna()]
        for partition in sorted(set(partitions["partition"]) - {"people"}):
            rows = partitions[partitions["partition"] == partition]
            family = _Family(lattice, counted, rows, partition, half)
            c, n, found = family.audit(k, p, people[people["population"] == population])
            checked, considered = checked + c, considered + n
            exposures += [
                Exposure(population, partition, q, t, lo, hi, cells, category)
                for q, t, lo, hi, (cells, category) in found
            ]
    c, n, found = _PeopleModel(lattice, truth, dims, people).audit(k, p)
    checked, considered = checked + c, considered + n
    exposures += [
        Exposure(pop, "people", q, t, lo, hi, cells) for q, t, lo, hi, (cells, pop) in found
    ]
    return AuditReport(k, p, checked, considered, tuple(exposures))


class _Lattice:
    """The public structure: every released cell and the finest cells it holds."""

    def __init__(self, figures: pd.DataFrame, dims: list[str], all_value: str) -> None:
        keys = sorted({tuple(str(v) for v in row) for row in figures[dims].to_numpy()})
        self.dims, self.all = dims, all_value
        self.finest = [key for key in keys if all_value not in key]
        self.cells = keys
        self.members = {
            key: np.array(
                [all(a in (all_value, b) for a, b in zip(key, f, strict=True)) for f in self.finest]
            )
            for key in keys
        }

    def name(self, key: tuple[str, ...]) -> str:
        return "(" + ", ".join(f"{d}={v}" for d, v in zip(self.dims, key, strict=True)) + ")"

    def key_of(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(str(row[d]) for d in self.dims)


def _counted(
    truth: Mapping[str, pd.DataFrame], population: str, dims: list[str], lattice: _Lattice
) -> pd.DataFrame:
    """The population's people with their finest cell's position (``_finest``)."""
    if population not in truth:
        raise AuditError(f"the audit has no person-level truth for {population}")
    frame = truth[population]
    missing = [d for d in dims if d not in frame]
    if missing:
        raise AuditError(f"the {population} truth lacks the dimension(s) {', '.join(missing)}")
    position = {key: i for i, key in enumerate(lattice.finest)}
    keys = [tuple(str(v) for v in row) for row in frame[dims].to_numpy()]
    unknown = sorted({key for key in keys if key not in position})
    if unknown:
        raise AuditError(
            f"{len(unknown)} finest cell(s) of {population}, such as {unknown[0]}, are not in "
            "the released cube"
        )
    return frame.assign(_finest=[position[key] for key in keys])


class _Family:
    """One breakdown of one population: unknowns per finest cell and category."""

    def __init__(
        self,
        lattice: _Lattice,
        counted: pd.DataFrame,
        rows: pd.DataFrame,
        partition: str,
        half: float,
    ) -> None:
        if partition not in counted:
            raise AuditError(f"the audit has no person-level truth for the breakdown {partition}")
        self.lattice, self.rows, self.half = lattice, rows, half
        self.categories = [*sorted({str(c) for c in rows["category"].dropna()}), REST]
        category = counted[partition].astype("string").fillna(REST)
        category = category.where(category.isin(self.categories), REST)
        grid = pd.crosstab(counted["_finest"], category).reindex(
            index=range(len(lattice.finest)), columns=self.categories, fill_value=0
        )
        self.truth = grid.to_numpy().ravel()  # finest-major, category-minor
        self.size = len(self.truth)

    def _vector(self, key: tuple[str, ...], categories: list[str]) -> np.ndarray:
        members = self.lattice.members[key]
        chosen = np.isin(self.categories, categories)
        return np.outer(members, chosen).ravel().astype(float)

    def audit(self, k: int, p: int, people: pd.DataFrame) -> tuple[int, int, list[tuple[Any, ...]]]:
        model = _Model(self.size)
        for row in people[~people["withheld"]].to_dict("records"):
            key = self.lattice.key_of(row)
            model.add(self._vector(key, self.categories), row["value"], row["value"])
        released: list[tuple[tuple[str, ...], str]] = []
        for row in self.rows[~self.rows["withheld"]].to_dict("records"):
            key, category = self.lattice.key_of(row), str(row["category"])
            vector = self._vector(key, [category])
            if row["table"] == "segments":  # counts of people
                low = high = float(row["value"])
            else:  # a share, released rounded
                base = float(row["base"])
                low = math.ceil(base * (row["value"] - self.half) - 1e-9)
                high = math.floor(base * (row["value"] + self.half) + 1e-9)
            model.add(vector, low, high)
            released.append((key, category))
        targets: dict[bytes, tuple[str, np.ndarray, Any]] = {}
        name = self.lattice.name
        for key in self.lattice.cells:
            for category in self.categories:
                vector = self._vector(key, [category])
                text = f"{category} in {name(key)}"
                targets.setdefault(vector.tobytes(), (text, vector, ((key,), category)))
        for key, category in released:
            rest = [c for c in self.categories if c != category]
            vector = self._vector(key, rest)
            text = f"not {category} in {name(key)}"
            targets.setdefault(vector.tobytes(), (text, vector, ((key,), None)))
            for outer, other in released:
                if other != category or outer == key:
                    continue
                inner, whole = self.lattice.members[key], self.lattice.members[outer]
                if (inner <= whole).all() and not (inner == whole).all():
                    vector = self._vector(outer, [category]) - self._vector(key, [category])
                    text = f"{category} in {name(outer)} minus {name(key)}"
                    targets.setdefault(vector.tobytes(), (text, vector, ((outer, key), category)))
        return _check(model, self.truth, targets.values(), k, p)


class _PeopleModel:
    """Head counts of both populations, and licensed users who did not answer."""

    def __init__(
        self,
        lattice: _Lattice,
        truth: Mapping[str, pd.DataFrame],
        dims: list[str],
        people: pd.DataFrame,
    ) -> None:
        self.lattice, self.people = lattice, people
        self.populations = sorted(people["population"].unique())
        width = len(lattice.finest)
        self.truth = np.concatenate(
            [
                np.bincount(_counted(truth, pop, dims, lattice)["_finest"], minlength=width).astype(
                    float
                )
                for pop in self.populations
            ]
        )
        self.width = width

    def _vector(self, population: str, key: tuple[str, ...]) -> np.ndarray:
        vector = np.zeros(self.width * len(self.populations))
        start = self.populations.index(population) * self.width
        vector[start : start + self.width] = self.lattice.members[key]
        return vector

    def audit(self, k: int, p: int) -> tuple[int, int, list[tuple[Any, ...]]]:
        model = _Model(len(self.truth))
        released: dict[str, list[tuple[str, ...]]] = {pop: [] for pop in self.populations}
        for row in self.people[~self.people["withheld"]].to_dict("records"):
            key = self.lattice.key_of(row)
            model.add(self._vector(row["population"], key), row["value"], row["value"])
            released[row["population"]].append(key)
        targets: dict[bytes, tuple[str, np.ndarray, Any]] = {}
        name = self.lattice.name
        for population in self.populations:
            for key in self.lattice.cells:
                vector = self._vector(population, key)
                text = f"{population} in {name(key)}"
                targets.setdefault(vector.tobytes(), (text, vector, ((key,), population)))
            for inner in released[population]:
                for outer in released[population]:
                    a, b = self.lattice.members[inner], self.lattice.members[outer]
                    if outer != inner and (a <= b).all() and not (a == b).all():
                        vector = self._vector(population, outer) - self._vector(population, inner)
                        text = f"{population} in {name(outer)} minus {name(inner)}"
                        meta = ((outer, inner), population)
                        targets.setdefault(vector.tobytes(), (text, vector, meta))
        pair = {"respondents", "licensed_users"}
        if pair <= set(self.populations):
            respondents = self._block("respondents")
            licensed = self._block("licensed_users")
            if (self.truth[respondents] <= self.truth[licensed]).all():
                for f in range(self.width):  # a survey of licensed users: R <= L
                    row = np.zeros(len(self.truth))
                    row[licensed.start + f], row[respondents.start + f] = 1.0, -1.0
                    model.add(row, 0.0, np.inf)
                for key in self.lattice.cells:
                    vector = self._vector("licensed_users", key) - self._vector("respondents", key)
                    text = f"licensed users who did not answer in {name(key)}"
                    meta = ((key,), "licensed_users")
                    targets.setdefault(vector.tobytes(), (text, vector, meta))
        return _check(model, self.truth, targets.values(), k, p)

    def _block(self, population: str) -> slice:
        start = self.populations.index(population) * self.width
        return slice(start, start + self.width)


def _check(
    model: _Model,
    truth: np.ndarray,
    targets: Any,
    k: int,
    p: int,
) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Bound each target whose true count is 1..k-1; list those bounded too tightly."""
    found = []
    checked = considered = 0
    for text, vector, meta in targets:
        considered += 1
        true = round(float(vector @ truth))
        if not 0 < true < k:
            continue
        checked += 1
        low = model.bound(vector, minimise=True)
        high = model.bound(vector, minimise=False) if low <= max(0, true - p) else math.nan
        if math.isnan(high) or not (low <= max(0, true - p) and high >= true + p):
            if math.isnan(high):
                high = model.bound(vector, minimise=False)
            found.append((text, true, low, high, meta))
    return checked, considered, found
