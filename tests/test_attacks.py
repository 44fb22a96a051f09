"""The attacks of issue 17, rerun by an attacker who sees only what a client sees.

Through the dashboard's widget messages (the board's HTML for every selection of every
wave, exactly what a visitor's browser receives) and through the released cube of both
waves and both seeds, the attacker of :mod:`tests.attacker` recovers nothing. It would
have, before: its own tests below show it finds each planted leak.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.config.waves import for_wave
from adoption_lib.dashboard.view import choices, redrawn
from adoption_lib.dashboard.waves import dashboard_data
from adoption_lib.pipeline import run
from adoption_lib.synthetic import DEMO_SEED
from tests.attacker import ALL, Figure, attack

K = 5
KPIS = {
    "Licensed users": ("licensed_users", None),
    "Survey respondents": ("respondents", None),
    "Active use (of licensed users)": ("licensed_users", "active_30d"),
    "Effective use (of licensed users)": ("licensed_users", "effective"),
}
BAR = re.compile(
    r"<span>([^<]+)</span><div class='bar-track'>(?:<div class='bar' style='width:([\d.]+)%;"
    r"[^']*'></div>)?</div><span class='bar-value'>([^<]+)</span>"
)


def _section(html: str, title: str) -> str:
    start = html.find(f"<h2>{title}</h2>")
    return "" if start < 0 else html[start : html.find("</section>", start)]


def board_figures(html: str, cell: tuple) -> tuple[list[Figure], dict[str, float], list[str]]:
    """What one widget message shows: figures of people, cell sizes, and width problems."""
    mine = html[html.find("This selection") :] if "This selection" in html else ""
    values = dict(
        (label, value)
        for value, label in re.findall(
            r"<span class='value'>([^<]+)</span><span class='label'>([^<]+)</span>", mine
        )
    )
    sizes = {
        KPIS[label][0]: float(values[label])
        for label in ("Licensed users", "Survey respondents")
        if label in values and values[label].isdigit()
    }
    figures, problems = [], []
    for label in ("Active use (of licensed users)", "Effective use (of licensed users)"):
        shown = values.get(label, "")
        if shown.endswith("%") and "licensed_users" in sizes:
            partition = KPIS[label][1]
            figures.append(
                Figure(cell, "licensed_users", partition, partition, sizes["licensed_users"],
                       float(shown[:-1]) / 100)
            )  # fmt: skip
    for name, width, shown in BAR.findall(_section(html, "Motivation mix")):
        if shown.endswith("%") and "respondents" in sizes:
            share = float(shown[:-1]) / 100
            figures.append(Figure(cell, "respondents", "type", name, sizes["respondents"], share))
            if width and abs(float(width) - float(shown[:-1])) > 1e-9:
                problems.append(f"{cell}: bar {name} is {width}% wide, labelled {shown}")
    for name, _width, shown in BAR.findall(_section(html, "Adoption segments")):
        if shown.isdigit() and "respondents" in sizes:
            figures.append(
                Figure(cell, "respondents", "segment", name, sizes["respondents"], float(shown),
                       is_count=True)
            )  # fmt: skip
    return figures, sizes, problems


@pytest.fixture(scope="module")
def demo_waves(generated: dict[int, Path]):
    return dashboard_data(generated[DEMO_SEED])


def test_widget_messages_recover_nothing(demo_waves) -> None:
    options = choices(demo_waves["day90"])
    dims = list(options)
    for wave in demo_waves:
        figures, sizes, problems = [], {}, []
        for values in itertools.product(*(options[d] for d in dims)):
            selection = dict(zip(dims, values, strict=True))
            html = redrawn(demo_waves, wave, selection)
            assert "Traceback" not in html
            cell = tuple(selection.items())
            shown, size, wrong = board_figures(html, cell)
            figures += shown
            problems += wrong
            if size:
                sizes[cell] = size
        assert len(figures) > 20 and len(sizes) > 5  # the board does show figures
        assert problems == []
        # the dashboard shows five of the six types (unclassified, usually none, is not
        # shown): an attacker who takes it as zero completes the mix from five
        found = attack(figures, sizes, K, {"type": 5, "segment": 6, "active_30d": 2})
        assert found == [], found[:5]


@pytest.mark.parametrize("seed", [DEMO_SEED, 7])
@pytest.mark.parametrize("wave", ["baseline", "day90"])
def test_the_released_cube_recovers_nothing(
    generated: dict[int, Path], seed: int, wave: str
) -> None:
    result = run(for_wave(load_engagement(generated[seed]), wave))
    document = result.cube.document()
    figures, sizes = cube_figures(document)
    assert len(figures) > 100
    partitions = {"type": 7, "segment": 6, "band": 5, "usage_segment": 5, "activation": 3,
                  "effective": 2}  # fmt: skip
    assert attack(figures, sizes, document["min_group_size"], partitions) == []


def cube_figures(document: dict) -> tuple[list[Figure], dict]:
    """The figures of people and the cell sizes of a released cube, for the attacker."""
    dims = document["dimensions"]
    figures, sizes = [], {}
    for row in document["figures"]:
        if row["withheld"] or row["partition"] is None:
            continue
        cell = tuple((d, row[d]) for d in dims)
        if row["partition"] == "people":
            sizes.setdefault(cell, {})[row["population"]] = row["value"]
            continue
        counted = row["table"] in ("segments", "organisation")
        figures.append(
            Figure(cell, row["population"], row["partition"], str(row["category"]),
                   float(row["base"]), float(row["value"]), is_count=counted,
                   precision=document["share_precision"])
        )  # fmt: skip
    return figures, sizes


def test_the_attacker_finds_each_planted_leak() -> None:
    org = (("d", ALL), ("r", ALL))
    service, users = (("d", "Service"), ("r", ALL)), (("d", "Service"), ("r", "u"))
    complete = [
        Figure(service, "p", "active_30d", "active", 40, 0.975),  # 39 of 40: 1 is not
    ]
    assert attack(complete, {}, K, {"active_30d": 2})[0].startswith("completion")
    nested = [
        Figure(service, "p", "band", "daily", 50, 0.4),  # 20 of 50
        Figure(users, "p", "band", "daily", 40, 0.45),  # 18 of 40: 2 of the other 10
    ]
    assert any(f.startswith("nesting") for f in attack(nested, {}, K, {"band": 5}))
    homogeneous = [Figure(org, "p", "active_30d", "active", 6, 1.0)]
    assert attack(homogeneous, {}, K, {"active_30d": 2})[0].startswith("homogeneity")
    population = {service: {"respondents": 11, "licensed_users": 12}}
    assert attack([], population, K, {})[0].startswith("populations")
    heads = {service: {"licensed_users": 42}, users: {"licensed_users": 38}}
    assert attack([], heads, K, {})[0].startswith("nesting: licensed_users")
