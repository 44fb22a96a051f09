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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from adoption_lib.privacy.audit_models import Family, Lattice, PeopleModel, counted_truth


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
    lattice = Lattice(figures, dims, str(document.get("all", "(all)")))
    half = float(document.get("share_precision") or 0.0) / 2
    exposures: list[Exposure] = []
    checked = considered = 0
    people = figures[figures["measure"] == "people"]
    # a population the cube counts as nobody everywhere (no survey) has no truth to check
    empty = people.groupby("population")["value"].apply(lambda v: bool((v.fillna(0) == 0).all()))
    nobody = [pop for pop, none in empty.items() if none and pop not in truth]
    people = people[~people["population"].isin(nobody)]
    for population in sorted(people["population"].unique()):
        counted = counted_truth(truth, population, dims, lattice)
        partitions = figures[(figures["population"] == population) & figures["partition"].notna()]
        for partition in sorted(set(partitions["partition"]) - {"people"}):
            rows = partitions[partitions["partition"] == partition]
            family = Family(lattice, counted, rows, partition, half)
            c, n, found = family.audit(k, p, people[people["population"] == population])
            checked, considered = checked + c, considered + n
            exposures += [
                Exposure(population, partition, q, t, lo, hi, cells, category)
                for q, t, lo, hi, (cells, category) in found
            ]
    c, n, found = PeopleModel(lattice, truth, dims, people).audit(k, p)
    checked, considered = checked + c, considered + n
    exposures += [
        Exposure(pop, "people", q, t, lo, hi, cells) for q, t, lo, hi, (cells, pop) in found
    ]
    return AuditReport(k, p, checked, considered, tuple(exposures))
