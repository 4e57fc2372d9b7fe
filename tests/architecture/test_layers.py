"""The package's layers are its data flow, and imports point only down them.

    foundation (errors, paths, settings) → io → contracts → analysis → synth → report → pipeline → cli

A module may import its own layer and the layers before it, never one after it.
``analysis/`` is pure: no IPython, matplotlib or seaborn, and no file writes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pilotbook"
LAYERS = ("foundation", "io", "contracts", "analysis", "synth", "report", "pipeline", "cli")
FOUNDATION = {"pilotbook", "pilotbook.errors", "pilotbook.paths", "pilotbook.settings"}


def layer_of(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    parts = module.split(".")
    if parts[0] != "pilotbook" or len(parts) < 2:
        raise ValueError(module)
    return "cli" if parts[1] == "cli" else parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of ``source``, a module of ``package``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            if target in FOUNDATION | {"pilotbook"} or target.count(".") == 1:
                # ``from pilotbook.report import figures``: the imported names may be modules
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names
                          if (PACKAGE.parent / f"{target}.{a.name}".replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / f"{target}.{a.name}".replace(".", "/")).is_dir()]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_layers_exist():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS) - {"foundation", "cli"}


def upward_imports(source: str, module: str, package: str | None = None) -> list[str]:
    """The imports of ``module`` (given as its source; ``package``: where its relative imports
    start, default its parent) that point to a later layer."""
    own = LAYERS.index(layer_of(module))
    upward = []
    for line, target in imports_in(source, module.rpartition(".")[0] if package is None else package):
        if not target.startswith("pilotbook") or target == "pilotbook":
            continue
        if LAYERS.index(layer_of(target)) > own:
            upward.append(f"line {line}: {target} ({layer_of(target)})")
    return upward


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    module = module_name(path)
    package = module if path.name == "__init__.py" else None
    upward = upward_imports(path.read_text(encoding="utf-8"), module, package)
    assert not upward, f"{path.relative_to(PACKAGE)} ({layer_of(module_name(path))}) imports upward: {upward}"


ANALYSIS = sorted((PACKAGE / "analysis").rglob("*.py"))
WRITES = re.compile(r"\.(write_text|write_bytes|to_csv|to_json|to_excel|savefig|mkdir)\(|open\([^)]*['\"][wa]b?['\"]")


@pytest.mark.parametrize("path", ANALYSIS, ids=lambda p: p.name)
def test_analysis_is_pure(path):
    drawing = [t for _, t in imports_of(path) if t.split(".")[0] in {"IPython", "matplotlib", "seaborn", "myst_nb"}]
    assert not drawing, f"analysis/{path.name} imports {drawing}: drawing and display belong in report/"
    writes = [n + 1 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if WRITES.search(line)]
    assert not writes, f"analysis/{path.name} writes files (lines {writes}): only the exhibit publisher writes"


def test_the_checker_sees_an_upward_import():
    """The rule can fail: analysis/ importing report/ or pipeline/ is caught, in absolute and
    relative form; importing io/ or the foundation is not."""
    bad = "from pilotbook.report import figures\nfrom ..pipeline.plan import make_plan\nimport pilotbook.cli\n"
    found = upward_imports(bad, "pilotbook.analysis.results")
    assert [f.split(": ")[1].split(" ")[0] for f in found] == [
        "pilotbook.report", "pilotbook.report.figures", "pilotbook.pipeline.plan", "pilotbook.cli"]
    good = "from pilotbook.io.catalog import load\nfrom pilotbook import settings\nfrom . import disclosure\n"
    assert upward_imports(good, "pilotbook.analysis.results") == []
