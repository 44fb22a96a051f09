"""Packaging contracts: environment.yml agrees with pyproject.toml; README, Makefile and CI agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_and_pip() -> tuple[list[str], list[str]]:
    conda, pip = [], []
    for dep in ENVIRONMENT["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
        else:
            conda.append(dep)
    return conda, pip


def test_environment_python_satisfies_requires_python() -> None:
    conda, _ = _conda_and_pip()
    python = next(d for d in conda if d.startswith("python"))
    version = python.split("=", 1)[1].strip("=")
    assert Version(version) in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_environment_installs_this_folder_with_an_existing_extra() -> None:
    conda, pip = _conda_and_pip()
    assert "pip" in conda
    assert pip == ["-e .[test,spark]"]
    assert {"test", "spark"} <= set(PYPROJECT["project"]["optional-dependencies"])
    # Spark needs a JVM, which pip cannot install: conda-forge's openjdk 17
    assert "openjdk=17" in conda


def test_environment_lists_nothing_that_pyproject_does_not_allow() -> None:
    """Any conda package besides python and pip must match a pyproject dependency's range."""
    conda, _ = _conda_and_pip()
    declared = {
        Requirement(r).name.lower(): Requirement(r)
        for r in PYPROJECT["project"]["dependencies"]
        + [r for extra in PYPROJECT["project"]["optional-dependencies"].values() for r in extra]
    }
    for dep in conda:
        name, _, pin = dep.partition("=")
        if name in ("python", "pip", "openjdk"):
            continue
        assert name.lower() in declared, f"{name} is in environment.yml but not in pyproject.toml"
        if pin:
            assert Version(pin.strip("=")) in declared[name.lower()].specifier


def test_every_dependency_has_a_compatible_range() -> None:
    for spec in (
        PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    ):
        req = Requirement(spec)
        ops = {s.operator for s in req.specifier}
        assert ">=" in ops and "<" in ops, f"{spec}: pin a compatible range (>=low,<next-major)"


def test_console_script_and_extras() -> None:
    assert PYPROJECT["project"]["scripts"]["adoption"] == "adoption_lib.cli:main"
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"test", "spark", "dev"} <= set(extras)
    test_names = {Requirement(r).name for r in extras["test"]}
    assert {"pytest", "nbval", "playwright", "hypothesis", "ruff"} <= test_names


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S)
    assert first_block is not None
    commands = [
        line for line in first_block.group(1).splitlines() if line and not line.startswith("#")
    ]
    assert commands == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command_and_requires_the_browser() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci
    assert "export REQUIRE_BROWSER=1" in ci and "export REQUIRE_SPARK=1" in ci
    assert "export REQUIRE_LIBREOFFICE=1" in ci and "libreoffice-calc-nogui" in ci
    assert re.search(r"^make test$", ci, re.M)
    assert "apt-get update" in ci and "chromium" in ci


def test_makefile_installs_what_environment_installs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert 'pip install --quiet -e ".[test,spark]"' in makefile
    for target in ("demo:", "test:", "serve:", "bench:", "bench-large:"):
        assert re.search(rf"^{target}", makefile, re.M), target
