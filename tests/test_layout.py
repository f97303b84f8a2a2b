"""The layout DESIGN.md promises, read from the source with `ast` (nothing is imported): no import circle between
modules, no app importing an app on a floor above its own, and no module grown past ~450 lines."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# incubator is the bottom floor; cohorts stands on it; the three apps above it stand side by side and import none of
# each other. Any other package of the project (a demo seeder's) stands on top of them all.
FLOOR = {"incubator": 0, "cohorts": 1, "applications": 2, "mentoring": 2, "workspaces": 2}
TOP_FLOOR = 3
MAX_LINES = 450


def floor(module: str) -> int:
    return FLOOR.get(module.split(".")[0], TOP_FLOOR)


def is_seeder(module: str) -> bool:
    """The demo and scale seeders fill every app with data: they may import any app."""
    return floor(module) == TOP_FLOOR or any(
        part.startswith(("demo", "seed_")) or part == "scale" for part in module.split(".")
    )


def is_source(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "migrations" not in parts and not path.name.startswith("test_") and path.name != "conftest.py"


def packages() -> list[str]:
    """The project's top-level packages: the apps, and any other but the tests."""
    return sorted(
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in ("tests", ".venv", ".data")
    )


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            if is_source(path):
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found[name.removesuffix(".__init__")] = path
    return found


def resolve(name: str) -> str | None:
    """The project module `name` is, or lives in (`applications.models.Call` → `applications.models`)."""
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


def imported_names(module: str, path: Path) -> set[str]:
    """Every module-level and function-level import, as dotted names (`from a import b` gives `a.b`)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@cache
def graph() -> dict[str, set[str]]:
    edges = {}
    for module, path in modules().items():
        targets = {resolve(name) for name in imported_names(module, path)}
        edges[module] = {target for target in targets if target and target != module}
    return edges


def circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph()[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph()):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_project():
    assert set(FLOOR) <= set(packages())
    assert "cohorts.models" in graph()["applications.models"]
    assert "applications.services" in graph()["applications.submission"]  # `from a import b`, b a function
    assert "incubator.tasks" in graph()["incubator.notifications"]
    assert is_seeder("applications.scoring.demo") and is_seeder("incubator.management.commands.seed_scale")


def test_no_import_circle():
    assert circles() == []


def test_no_app_imports_an_app_above_it():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph().items()
        if not is_seeder(module)
        for target in targets
        if module.split(".")[0] != target.split(".")[0] and floor(target) >= floor(module)
    )
    assert upward == []


def long_modules() -> list[str]:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and not {".venv", ".data", "node_modules"} & set(path.parts)
    }
    return sorted(f"{name} ({count} lines)" for name, count in lengths.items() if count > MAX_LINES)


def test_no_module_over_450_lines():
    assert long_modules() == []
