"""An attacker who knows only what was released: the arithmetic of issue 17, rerun.

Independent of the workbook's suppression and of its audit: plain interval arithmetic
on released figures, the attacks a client's analyst could do by hand.

* **completion**: a cell's size minus its shown categories gives the one not shown;
* **nesting**: a cell minus a cell inside it (department minus its end users), in head
  counts and per category;
* **populations**: licensed users minus respondents, the people who did not answer;
* **homogeneity**: a share of 0% or 100% says something of every member.

A released share is taken as an interval (its rounding); a figure is *recovered* when
the attack pins a count of people to within 1..k-1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

ALL = "(all)"


@dataclass(frozen=True)
class Figure:
    """One released figure of people: a cell, a breakdown's category, a share or a count."""

    cell: tuple[tuple[str, str], ...]  # (dimension, value) pairs, "(all)" included
    population: str
    partition: str
    category: str
    base: float  # people in the cell
    value: float  # a share of them, or a count
    is_count: bool = False
    precision: float = 0.01

    def people(self) -> tuple[float, float]:
        """The interval of people the figure can stand for."""
        if self.is_count:
            return self.value, self.value
        half = self.precision / 2
        low = math.ceil(self.base * (self.value - half) - 1e-9)
        high = math.floor(self.base * (self.value + half) + 1e-9)
        return max(low, 0), min(high, self.base)


def _small(interval: tuple[float, float], k: int) -> bool:
    low, high = interval
    return low >= 1 and high <= k - 1


def _inside(inner: tuple, outer: tuple) -> bool:
    pairs = dict(outer)
    return inner != outer and all(pairs[d] in (ALL, v) for d, v in inner)


def attack(
    figures: list[Figure],
    sizes: dict[tuple[tuple[str, str], ...], dict[str, float]],
    k: int,
    categories: dict[str, int],
) -> list[str]:
    """Every small group the four attacks recover, as sentences (empty: nothing).

    Parameters
    ----------
    figures
        Released figures of people.
    sizes
        Per cell, the released people per population.
    k
        The threshold.
    categories
        Per partition, how many categories it has in all (to know a completion).
    """
    found = []
    by_cell: dict[tuple, dict[tuple[str, str], list[Figure]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in figures:
        by_cell[f.cell][(f.population, f.partition)].append(f)
        if f.value in (0.0, 1.0) and not f.is_count and f.base > 0:
            found.append(f"homogeneity: {f.partition} {f.category} is {f.value:.0%} of {f.cell}")
    for cell, parts in by_cell.items():
        for (_population, partition), shown in parts.items():
            if len(shown) == categories.get(partition, math.inf) - 1:
                low = sum(f.people()[0] for f in shown)
                high = sum(f.people()[1] for f in shown)
                base = shown[0].base
                missing = (base - high, base - low)
                if _small(missing, k):
                    found.append(
                        f"completion: the one {partition} not shown in {cell} is {missing}"
                    )
    for inner, inner_parts in by_cell.items():
        for outer, outer_parts in by_cell.items():
            if not _inside(inner, outer):
                continue
            for key, shown in inner_parts.items():
                outside = {f.category: f for f in outer_parts.get(key, [])}
                for f in shown:
                    if f.category in outside:
                        o_low, o_high = outside[f.category].people()
                        i_low, i_high = f.people()
                        if _small((o_low - i_high, o_high - i_low), k):
                            found.append(
                                f"nesting: {f.partition} {f.category} in {outer} minus {inner}"
                            )
    for inner, inner_counts in sizes.items():
        for outer, outer_counts in sizes.items():
            if _inside(inner, outer):
                for population, count in inner_counts.items():
                    if (
                        population in outer_counts
                        and 1 <= outer_counts[population] - count <= k - 1
                    ):
                        found.append(f"nesting: {population} in {outer} minus {inner}")
    for cell, counts in sizes.items():
        if {"respondents", "licensed_users"} <= set(counts):
            unanswered = counts["licensed_users"] - counts["respondents"]
            if 1 <= unanswered <= k - 1:
                found.append(f"populations: {unanswered:g} did not answer in {cell}")
    return found
