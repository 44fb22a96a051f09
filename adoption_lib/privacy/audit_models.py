"""The disclosure audit's integer programs: one attacker model per population and breakdown.

:mod:`adoption_lib.privacy.audit` builds these from the released rows and the truth;
each :class:`Family` (a breakdown) and :class:`PeopleModel` (head counts of both
populations, and non-respondents) lists the quantities a reader could target and
:func:`check_targets` bounds them with ``scipy.optimize.milp`` (HiGHS).
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
from adoption_lib.privacy.release import COUNT_TABLES  # the release's schema, not its rules

#: the category of people not in any released category of a breakdown
REST = "(rest)"
#: seconds HiGHS may spend on one bound
TIME_LIMIT = 20.0


@dataclass
class Model:
    """One attacker's integer program: unknowns and the released constraints on them."""

    size: int
    rows: list[np.ndarray] = field(default_factory=list)
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)

    constraints: list[LinearConstraint] | None = None

    def add(self, coefficients: np.ndarray, low: float, high: float) -> None:
        """Constrain ``low <= coefficients @ x <= high`` (one released figure)."""
        self.rows.append(coefficients)
        self.low, self.high, self.constraints = [*self.low, low], [*self.high, high], None

    def bound(self, target: np.ndarray, minimise: bool) -> tuple[float, np.ndarray | None]:
        """The least (or greatest) ``target @ x`` over whole x >= 0 that fit, and that x."""
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
            return (-math.inf if minimise else math.inf), None
        if result.x is None:
            # HiGHS's presolve may say "infeasible or unbounded": the released figures
            # are consistent (the truth fits them), so a feasible problem is unbounded
            if self._feasible():
                return (-math.inf if minimise else math.inf), None
            raise AuditError(f"the released figures contradict each other ({result.message})")
        return sign * float(result.fun), np.round(result.x)

    def _feasible(self) -> bool:
        result = milp(
            np.zeros(self.size),
            constraints=self.constraints,
            integrality=np.ones(self.size),
            bounds=Bounds(0, np.inf),
            options={"time_limit": TIME_LIMIT},
        )
        return result.x is not None


class Lattice:
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
        """A cell as the audit names it: ``(department=Service, role=(all))``."""
        return "(" + ", ".join(f"{d}={v}" for d, v in zip(self.dims, key, strict=True)) + ")"

    def key_of(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        """The cell key of a released row."""
        return tuple(str(row[d]) for d in self.dims)


def counted_truth(
    truth: Mapping[str, pd.DataFrame], population: str, dims: list[str], lattice: Lattice
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


class Family:
    """One breakdown of one population: unknowns per finest cell and category."""

    def __init__(
        self,
        lattice: Lattice,
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
        """Bound this breakdown's quantities, given its rows and the head counts."""
        model = Model(self.size)
        for row in people[~people["withheld"]].to_dict("records"):
            key = self.lattice.key_of(row)
            model.add(self._vector(key, self.categories), row["value"], row["value"])
        released: list[tuple[tuple[str, ...], str]] = []
        for row in self.rows[~self.rows["withheld"]].to_dict("records"):
            key, category = self.lattice.key_of(row), str(row["category"])
            vector = self._vector(key, [category])
            if row["table"] in COUNT_TABLES:  # counts of people
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
        return check_targets(model, self.truth, targets.values(), k, p)


class PeopleModel:
    """Head counts of both populations, and licensed users who did not answer."""

    def __init__(
        self,
        lattice: Lattice,
        truth: Mapping[str, pd.DataFrame],
        dims: list[str],
        people: pd.DataFrame,
    ) -> None:
        self.lattice, self.people = lattice, people
        self.populations = sorted(people["population"].unique())
        width = len(lattice.finest)
        self.truth = np.concatenate(
            [
                np.bincount(
                    counted_truth(truth, pop, dims, lattice)["_finest"], minlength=width
                ).astype(float)
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
        """Bound head counts, their nested differences and the non-respondents."""
        model = Model(len(self.truth))
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
        return check_targets(model, self.truth, targets.values(), k, p)

    def _block(self, population: str) -> slice:
        start = self.populations.index(population) * self.width
        return slice(start, start + self.width)


def check_targets(
    model: Model,
    truth: np.ndarray,
    targets: Any,
    k: int,
    p: int,
) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Bound each target whose true count is 1..k-1; list those bounded too tightly.

    Every solution found is a whole assignment that fits everything released, so it
    also settles every other target it already takes far enough from its truth: one
    solve pushing all targets down at once, then one per target still open, each
    settling others on the way (the exposures are still each target's own bounds).
    """
    small = []
    considered = 0
    for text, vector, meta in targets:
        considered += 1
        true = round(float(vector @ truth))
        if 0 < true < k:  # the audit's own test of small, apart from the suppression's
            small.append((text, vector, meta, true))
    if not small:
        return 0, considered, []
    vectors = np.array([s[1] for s in small])
    true = np.array([s[3] for s in small], dtype=float)
    floor, ceiling = np.maximum(0.0, true - p), true + p
    low_ok = np.zeros(len(small), dtype=bool)
    high_ok = np.zeros(len(small), dtype=bool)
    low = np.full(len(small), np.nan)
    high = np.full(len(small), np.nan)

    def settle(x: np.ndarray | None) -> None:
        if x is not None:
            values = vectors @ x
            low_ok[values <= floor + 1e-6] = True
            high_ok[values >= ceiling - 1e-6] = True

    total = vectors.sum(axis=0)
    settle(model.bound(total, minimise=True)[1])
    capped = Model(
        model.size, [*model.rows, total], [*model.low, 0.0], [*model.high, ceiling.sum()]
    )
    settle(capped.bound(total, minimise=False)[1])  # all up at once, within reach
    for minimise, ok, bound in ((True, low_ok, low), (False, high_ok, high)):
        for i in range(len(small)):
            if not ok[i]:
                bound[i], x = model.bound(vectors[i], minimise=minimise)
                settle(x)
                if x is None:  # unbounded above: nothing pins it from this side
                    ok[i] = True
    found = []
    for i in np.flatnonzero(~(low_ok & high_ok)):
        for minimise, bound in ((True, low), (False, high)):
            if np.isnan(bound[i]):
                bound[i] = model.bound(vectors[i], minimise=minimise)[0]
        text, _, meta, _ = small[i]
        found.append((text, int(true[i]), float(low[i]), float(high[i]), meta))
    return len(small), considered, found
