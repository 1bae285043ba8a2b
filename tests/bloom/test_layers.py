"""Imports between the platform (``bloom``) and the program modules run one way.

The graph is read from the source, not from ``sys.modules``: an edge is an ``import`` run when
the module is first imported (at the top, or in an ``if``, ``try``, ``with`` or class body at
the top), never one inside a function (an ``AppConfig.ready``, a lazy import) nor one under
``TYPE_CHECKING``. Importing ``a.b.c`` runs ``a`` and ``a.b`` first, so those are edges too,
except for the importer's own packages, which are already running. Names looked up at run time
(``include("cases.urls")``, ``apps.get_model``) are not imports and are not in the graph.
"""

import ast
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = ("bloom",)
PROGRAMS = ("cases", "phases", "assistance", "outreach", "training")


def project_modules(root: Path, packages) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name (a package by its own name)."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_on_import(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when a module whose top level is ``body`` is imported."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from run_on_import(node.body)
            yield from run_on_import(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from run_on_import(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from run_on_import(node.body)


def _named(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Every dotted name ``node`` may import: the module and, for ``from m import x``, ``m.x`` too."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # from . import x, from ..models import y
        here = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join([*here[: len(here) - node.level + 1], *([node.module] if node.module else [])])
    else:
        base = node.module
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path, packages) -> dict[str, set[str]]:
    """Each module of ``packages`` and the modules of ``packages`` that importing it runs."""
    modules = project_modules(root, packages)
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        parts = name.split(".")
        own_packages = {".".join(parts[:i]) for i in range(1, len(parts))}
        for node in run_on_import(ast.parse(path.read_text(), filename=str(path)).body):
            for imported in _named(node, name, is_package):
                steps = imported.split(".")
                for i in range(1, len(steps) + 1):
                    target = ".".join(steps[:i])
                    if target in modules and target != name and target not in own_packages:
                        graph[name].add(target)
    return graph


def _in(module: str, packages) -> bool:
    return module.partition(".")[0] in packages


def _path(graph: dict[str, set[str]], start: str, arrived, within=None) -> list[str] | None:
    """The shortest chain of imports from ``start`` to a module for which ``arrived`` is true."""
    came_from = {start: None}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph[module], key=lambda t: (-t.count("."), t)):  # the deepest module first
            if target in came_from or (within is not None and target not in within):
                continue
            came_from[target] = module
            if arrived(target):
                chain = [target]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            queue.append(target)
    return None


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def cycles_across(graph: dict[str, set[str]], first=PLATFORM, second=PROGRAMS) -> list[list[str]]:
    """Import cycles that pass through a module of ``first`` and one of ``second``, each as the chain of
    modules from the first back to itself: one for each module of ``first`` not on a cycle found already."""
    reach = {module: _reachable(graph, module) for module in graph}
    cycles, on_one = [], set()
    for start in sorted(m for m in graph if _in(m, first)):
        if start in on_one or start not in reach[start]:
            continue
        there = _path(graph, start, lambda m, start=start: _in(m, second) and start in reach[m])
        if there:
            cycle = there + _path(graph, there[-1], lambda m, start=start: m == start)[1:]
            on_one.update(cycle)
            cycles.append(cycle)
    return cycles


def detours(graph: dict[str, set[str]], first=PLATFORM, second=PROGRAMS) -> list[list[str]]:
    """Chains from a module of ``second`` through what it imports of ``first`` and on to ``second`` again."""
    found = []
    for module in sorted(graph):
        if not _in(module, second):
            continue
        for target in sorted(t for t in graph[module] if _in(t, first)):
            onward = _path(graph, target, lambda m: _in(m, second))
            if onward:
                found.append([module, *onward])
    return found


# The project ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT, PLATFORM + PROGRAMS)


def test_no_import_cycle_runs_through_the_platform_and_a_program_module(graph):
    assert [" -> ".join(cycle) for cycle in cycles_across(graph)] == []


def test_what_a_program_module_imports_from_the_platform_imports_no_program_module(graph):
    # The stronger rule that keeps cycles out: a platform module that a program leans on (the report
    # registry, the printouts' language, the PDF renderer) reaches no program module itself.
    assert [" -> ".join(chain) for chain in detours(graph)] == []


def test_the_graph_has_the_imports_the_code_makes(graph):
    assert {"bloom.reports.builders", "bloom.reports.printouts", "cases.models"} <= graph["cases.printouts"]
    assert "cases.printouts" in graph["phases.printouts"]
    assert "cases.tallies" in graph["bloom.reports.funders"]
    # Lazy imports inside functions are not edges: the registry takes the funder reports in ready().
    assert "bloom.reports.program_builders" not in graph["bloom.reports.builders"]


# The checker itself, on planted trees ------------------------------------------------------------


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


PACKAGES = {"bloom/__init__.py": "", "bloom/reports/__init__.py": "", "phases/__init__.py": ""}


def test_a_planted_cycle_is_reported_import_by_import(tmp_path):
    root = plant(
        tmp_path,
        {
            **PACKAGES,
            "bloom/reports/printouts.py": "from phases.models import Goal\n",
            "phases/models.py": "from phases import views\n",
            "phases/views.py": "from bloom.reports import printouts\n",
        },
    )

    cycles = cycles_across(import_graph(root, ("bloom", "phases")), first=("bloom",), second=("phases",))

    assert cycles == [["bloom.reports.printouts", "phases.models", "phases.views", "bloom.reports.printouts"]]


def test_a_detour_through_the_platform_is_reported_even_without_a_cycle(tmp_path):
    # The shape before the printouts moved: a program view imports a platform module that imports a program model.
    root = plant(
        tmp_path,
        {
            **PACKAGES,
            "bloom/reports/printouts.py": "import phases.models\n",
            "phases/models.py": "",
            "phases/views/__init__.py": "",
            "phases/views/journey.py": "from bloom.reports import printouts\n",
        },
    )
    graph = import_graph(root, ("bloom", "phases"))

    assert cycles_across(graph, first=("bloom",), second=("phases",)) == []
    assert detours(graph, first=("bloom",), second=("phases",)) == [
        ["phases.views.journey", "bloom.reports.printouts", "phases.models"]
    ]


def test_imports_in_functions_and_for_type_checking_only_are_not_edges(tmp_path):
    root = plant(
        tmp_path,
        {
            **PACKAGES,
            "bloom/reports/builders.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from phases.models import Goal\n"
                "def ready():\n    from phases import models\n"
                "try:\n    from . import pdf\nexcept ImportError:\n    pdf = None\n"
            ),
            "bloom/reports/pdf.py": "",
            "phases/models.py": "from bloom.reports.builders import ready\n",
        },
    )

    graph = import_graph(root, ("bloom", "phases"))

    assert graph["bloom.reports.builders"] == {"bloom.reports.pdf"}
    assert graph["phases.models"] == {"bloom", "bloom.reports", "bloom.reports.builders"}
    assert cycles_across(graph, first=("bloom",), second=("phases",)) == []
