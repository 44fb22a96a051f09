"""The attacks of issue 17 on the client HTML itself, as a client receives it.

The attacker reads every table of every client HTML page of both demo waves with
``pandas.read_html``: the motivation mix and usage by department, the organisation's
counts and habits, the comment themes and the data-quality counts. It knows nothing
else, and its arithmetic (:mod:`tests.attacker`) recovers no group of 1..k-1 people.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

from adoption_lib.labels import TYPES, USAGE_BANDS, USAGE_SEGMENTS, display_name, in_words
from adoption_lib.reports.views import COLUMN_WORDS
from tests.attacker import ALL, Figure, attack

K = 5
DIMS = ("department", "role")
#: the client's usage table by department: its share columns and the breakdown of each
DEPARTMENT_SHARES = {"active_30d_share": "active_30d", "effective_share": "effective"}
#: the organisation's counts of licensed users (usage.html) and the partition of each
ORGANISATION_COUNTS = {
    "active in 30 days": ("activation", "active_30d"),
    "dormant": ("activation", "dormant"),
    "never activated": ("activation", "never_activated"),
    "effective users": ("effective", "effective"),
}
CATEGORIES = {
    "type": len(TYPES),
    "active_30d": 2,
    "effective": 2,
    "activation": 3,
    "band": len(USAGE_BANDS),
    "usage_segment": len(USAGE_SEGMENTS),
}


#: a client table's header in words -> the code the attacker's arithmetic names it by
#: (what a reader sees: "Department", "WIIFM", "Active use (of licensed users)")
WORDS = {
    **{display_name(in_words(code)): code for code in (*TYPES, *DIMS)},
    **{words: code for code, words in COLUMN_WORDS.items()},
}


def _tables(page: Path) -> list[pd.DataFrame]:
    """Every table of a page, its header flattened to the names a reader sees, as codes."""
    try:
        tables = pd.read_html(StringIO(page.read_text()))
    except ValueError:  # a page without a table
        return []
    for table in tables:
        table.columns = [
            next(
                (str(p) for p in reversed(c if isinstance(c, tuple) else (c,))
                 if not str(p).startswith("Unnamed")),
                "",
            )
            for c in table.columns
        ]  # fmt: skip
        table.columns = [WORDS.get(c, c) for c in table.columns]
    return tables


def _share(text: object) -> float | None:
    text = str(text).strip()
    return float(text[:-1]) / 100 if text.endswith("%") else None


def _count(text: object) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:  # "withheld", "too few people to show", "n/a"
        return None


def _cell(**values: str) -> tuple[tuple[str, str], ...]:
    return tuple((d, values.get(d, ALL)) for d in DIMS)


def html_figures(client: Path) -> tuple[list[Figure], dict]:
    """What a client reads in the client HTML pages: figures of people and cell sizes."""
    figures: list[Figure] = []
    sizes: dict[tuple, dict[str, float]] = {}
    organisation = _cell()
    for page in sorted(client.glob("*.html")):
        for table in _tables(page):
            columns = set(table.columns)
            if "department" in columns and "n" in columns:  # motivation mix by department
                for row in table.to_dict("records"):
                    cell, base = _cell(department=row["department"]), _count(row["n"])
                    sizes.setdefault(cell, {})["respondents"] = base
                    for t in TYPES:
                        if t in row and (share := _share(row[t])) is not None:
                            figures.append(Figure(cell, "respondents", "type", t, base, share))
            if "department" in columns and "licensed" in columns:  # usage by department
                for row in table.to_dict("records"):
                    cell, base = _cell(department=row["department"]), _count(row["licensed"])
                    sizes.setdefault(cell, {})["licensed_users"] = base
                    for column, partition in DEPARTMENT_SHARES.items():
                        if (share := _share(row.get(column))) is not None:
                            figures.append(
                                Figure(cell, "licensed_users", partition, partition, base, share)
                            )
            if columns == {"figure", "value"}:  # the organisation's usage figures
                values = dict(zip(table["figure"], table["value"], strict=True))
                licensed = _count(values.get("licensed users"))
                if licensed is not None:
                    sizes.setdefault(organisation, {})["licensed_users"] = licensed
                    for label, (partition, category) in ORGANISATION_COUNTS.items():
                        if (count := _count(values.get(label))) is not None:
                            figures.append(
                                Figure(organisation, "licensed_users", partition, category,
                                       licensed, count, is_count=True)
                            )  # fmt: skip
            if {"kind", "name", "share"} <= columns:  # bands and usage segments
                licensed = sizes.get(organisation, {}).get("licensed_users")
                for row in table.to_dict("records"):
                    partition = "band" if row["kind"] == "frequency band" else "usage_segment"
                    if licensed and (share := _share(row["share"])) is not None:
                        figures.append(
                            Figure(organisation, "licensed_users", partition, str(row["name"]),
                                   licensed, share)
                        )  # fmt: skip
    for page in sorted(client.glob("*.html")):  # themes count among the kept respondents
        for table in _tables(page):
            if list(table.columns) == ["", "responses"]:
                kept = dict(zip(table[""], table["responses"], strict=True)).get("kept")
                if (respondents := _count(kept)) is not None:
                    sizes.setdefault(organisation, {})["respondents"] = respondents
    respondents = sizes.get(organisation, {}).get("respondents")
    for page in sorted(client.glob("*.html")):
        for table in _tables(page):
            if set(table.columns) == {"theme", "respondents"} and respondents:
                for theme, shown in zip(table["theme"], table["respondents"], strict=True):
                    if (count := _count(shown)) is not None:
                        figures.append(
                            Figure(organisation, "respondents", f"theme.{theme}", "mentions",
                                   respondents, count, is_count=True)
                        )  # fmt: skip
    return figures, sizes


@pytest.mark.parametrize("wave", ["baseline", "day90"])
def test_the_client_html_recovers_nothing(demo_reports, wave: str) -> None:
    _folder, outs = demo_reports
    figures, sizes = html_figures(outs[wave] / "client")
    # the attacker does read the pages: each kind of figure is there to attack
    partitions = {f.partition for f in figures}
    assert {"type", "active_30d", "effective", "activation", "band"} <= partitions
    assert any(p.startswith("theme.") for p in partitions)
    assert len(figures) > 25 and len(sizes) >= 7
    themes = {p: 2 for p in partitions if p.startswith("theme.")}  # mentioned it, or not
    assert attack(figures, sizes, K, {**CATEGORIES, **themes}) == []


def test_the_html_attacker_reads_a_planted_leak(tmp_path: Path) -> None:
    # a page as the client HTML lays it out, with a theme all but 2 respondents mention
    # and a department whose shown types leave one type of 1 respondent
    page = tmp_path / "planted.html"
    page.write_text(
        "<table><thead><tr><th></th><th>responses</th></tr></thead><tbody>"
        "<tr><th>kept</th><td>100</td></tr></tbody></table>"
        "<table><thead><tr><th>theme</th><th>respondents</th></tr></thead><tbody>"
        "<tr><th>routines</th><td>98</td></tr></tbody></table>"
        "<table><thead><tr><th>department</th><th>commitment</th><th>compliance</th>"
        "<th>wiifm</th><th>mixed</th><th>low</th><th>unclassified</th><th>n</th></tr></thead>"
        "<tbody><tr><th>Marketing</th><td>withheld</td><td>24%</td><td>33%</td><td>29%</td>"
        "<td>12%</td><td>0%</td><td>42</td></tr></tbody></table>"
    )
    figures, sizes = html_figures(tmp_path)
    found = attack(figures, sizes, K, {**CATEGORIES, "theme.routines": 2})
    assert any("theme.routines" in f and f.startswith("completion") for f in found), found
    assert any("'Marketing'" in f and f.startswith("completion") for f in found), found
