"""The package's layers: every import points down the stages, never up, never round.

``LAYERS`` lists the stages from the bottom. A module may import from its own package
and from any lower layer; two packages of one layer (``survey`` and ``usage``) may not
import each other. Imports inside functions are only for optional heavy dependencies
and for the command line loading a command's module, each with a comment saying so.
The checker is run on the package, and on a copy with a planted upward import that it
must catch.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "adoption_lib"

#: bottom first; a name is a top-level module or package of adoption_lib
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "log", "labels", "json_numbers", "locations", "cell_text", "timings"),
    ("metrics",),  # the headline figures' registry, worded with labels
    ("privacy",),
    ("config", "__init__"),  # the package root re-exports load_engagement
    ("inputs",),
    ("survey", "usage"),
    ("assessment",),
    ("diagnosis",),
    ("summary",),
    ("pipeline",),
    ("remeasure",),
    ("reports",),
    ("dashboard",),
    ("synthetic",),
    ("demo",),
    ("cli",),
)

#: third-party modules an import inside a function may load: optional, heavy extras
OPTIONAL = {"pyspark", "playwright"}
#: where an import inside a function may load one of our own modules: command dispatch
DISPATCH = {"cli"}
#: elsewhere, one of our own modules may be imported inside a function only to keep a
#: heavy library (scipy, statsmodels) off the usage scan's memory peak, and said so
HEAVY_OWN = "heavy"
#: a comment on the import's line or the line above must say why it is inside a function
WHY = ("optional", "dispatch", "heavy")

#: the code's modules that are not under the size limit's reach
MAX_LINES = 400


def _sources(root: Path) -> dict[str, str]:
    """Every module's source, keyed by its dotted name under ``adoption_lib``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path.read_text(encoding="utf-8")
    return out


def _top(module: str) -> str:
    return module.split(".")[0]


def _layer(module: str) -> int:
    for index, names in enumerate(LAYERS):
        if _top(module) in names:
            return index
    raise AssertionError(f"adoption_lib.{module} is in no layer: add it to LAYERS")


def _imports(source: str) -> Iterator[tuple[str, int, bool]]:
    """(imported adoption_lib module, line, inside a function) for each import."""

    def walk(node: ast.AST, inside: bool) -> Iterator[tuple[str, int, bool]]:
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.module, child.lineno, inside
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child.lineno, inside
            yield from walk(child, nested)

    yield from walk(ast.parse(source), False)


def _own(name: str) -> str | None:
    if name == "adoption_lib":
        return "__init__"
    return name.removeprefix("adoption_lib.") if name.startswith("adoption_lib.") else None


def layer_violations(sources: dict[str, str]) -> list[str]:
    """Upward imports, imports between sibling packages, and unexplained lazy imports."""
    problems = []
    for module, source in sources.items():
        lines = source.splitlines()
        for name, line, inside in _imports(source):
            own = _own(name)
            where = f"adoption_lib.{module} line {line}: imports {name}"
            if inside:
                why = " ".join(lines[max(line - 2, 0) : line]).lower()
                allowed = (own is not None and (_top(module) in DISPATCH or HEAVY_OWN in why)) or (
                    own is None and name.split(".")[0] in OPTIONAL
                )
                if not allowed:
                    problems.append(f"{where} inside a function")
                elif "#" not in why or not any(word in why for word in WHY):
                    problems.append(f"{where} inside a function without a comment saying why")
            if own is None or _top(own) == _top(module):
                continue
            if _layer(own) > _layer(module):
                problems.append(f"{where}, a higher layer")
            elif _layer(own) == _layer(module) and "__init__" not in (_top(own), _top(module)):
                problems.append(f"{where}, a sibling package of the same layer")
    return problems


def import_cycles(sources: dict[str, str]) -> list[list[str]]:
    """Cycles between modules (Tarjan's strongly connected components)."""
    graph = {m: set() for m in sources}
    for module, source in sources.items():
        for name, _, _ in _imports(source):
            own = _own(name)
            if own is None:
                continue
            target = own if own in sources else own.rsplit(".", 1)[0]
            if target in sources and target != module and target != "__init__":
                graph[module].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return _sources(PACKAGE)


def test_every_import_points_down_the_layers(sources: dict[str, str]) -> None:
    assert layer_violations(sources) == []


def test_no_module_imports_round_in_a_cycle(sources: dict[str, str]) -> None:
    assert import_cycles(sources) == []


def test_the_checker_catches_a_planted_upward_import(sources: dict[str, str]) -> None:
    planted = dict(sources)
    planted["config.schema"] += "\nfrom adoption_lib.reports.run import run_reports\n"
    problems = layer_violations(planted)
    assert problems == [
        f"adoption_lib.config.schema line {len(planted['config.schema'].splitlines())}: "
        "imports adoption_lib.reports.run, a higher layer"
    ]


def test_the_checker_catches_siblings_a_lazy_import_and_a_cycle(sources: dict[str, str]) -> None:
    planted = dict(sources)
    planted["survey.items"] += "\nfrom adoption_lib.usage.trends import BANDS\n"
    planted["usage.groups"] += "\ndef late():\n    from adoption_lib.privacy import cube\n"
    planted["privacy.nesting"] += "\nimport adoption_lib.privacy.retention\n"
    planted["privacy.retention"] += "\nimport adoption_lib.privacy.nesting\n"
    problems = layer_violations(planted)
    assert any("survey.items" in p and "sibling package" in p for p in problems)
    assert any("usage.groups" in p and "inside a function" in p for p in problems)
    assert ["privacy.nesting", "privacy.retention"] in import_cycles(planted)


def test_no_module_is_over_the_size_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


#: packages whose __init__ re-exports: the console script's entry point, the demo generator
REEXPORTING = {"cli", "synthetic"}

#: what a dashboard visitor's kernel and a report notebook's kernel import
LIGHT = (
    "adoption_lib.dashboard.view",
    "adoption_lib.dashboard.waves",
    "adoption_lib.reports.bundle",
    "adoption_lib.reports.stored",
    "adoption_lib.reports.views",
    "adoption_lib.reports.figures",
    "adoption_lib.reports.progress_views",
    "adoption_lib.reports.progress_data",
)
#: what those kernels must not load: the pipeline's engines and the report runner's
HEAVY = ("duckdb", "ibis", "scipy", "statsmodels", "pingouin", "papermill", "voila")


def test_each_package_names_its_modules_and_imports_nothing(sources: dict[str, str]) -> None:
    for names in LAYERS:
        for name in names:
            init = PACKAGE / name / "__init__.py"
            if not init.is_file() or name in REEXPORTING:
                continue
            tree = ast.parse(init.read_text(encoding="utf-8"))
            declared = [n for n in tree.body if isinstance(n, ast.Assign)]
            assert [t.id for n in declared for t in n.targets] == ["__all__"], name
            assert not [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)], name
            listed = ast.literal_eval(declared[0].value)
            modules = {p.stem for p in (PACKAGE / name).glob("*.py")} - {"__init__"}
            packages = {p.name for p in (PACKAGE / name).iterdir() if (p / "__init__.py").is_file()}
            assert sorted(listed) == sorted(modules | packages), name


def test_the_kernels_modules_load_no_engine() -> None:
    # a dashboard visitor's kernel reads the released cube from a cache: it never loads
    # DuckDB, scipy or the report runner (a cache miss is filled by a child process)
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in LIGHT)
        + f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
