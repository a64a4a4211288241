"""The layout holds: no import cycles, a pure domain, services by feature, no package too big."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "tracker"
IMPURE = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "wtforms")
OUTER_LAYERS = ("tracker.models", "tracker.services", "tracker.web", "tracker.extensions", "tracker.database")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def imported_names(name: str) -> set[str]:
    """Every module this one imports, at the top or inside a function, type-checking imports included."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from package import module` names the module; its package is loading anyway.
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


def tracker_imports(name: str) -> set[str]:
    return {other for other in imported_names(name) if other in MODULES and other != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_tracker_imports_itself_through_others() -> None:
    graph = defaultdict(set, {name: tracker_imports(name) for name in MODULES})
    assert cycles(graph) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("tracker.domain")))
def test_the_domain_is_pure(name: str) -> None:
    """No web framework, no database, no models or services: plain values in, plain values out."""
    outside = {
        other
        for other in imported_names(name)
        if other.split(".")[0] in IMPURE or other.startswith(OUTER_LAYERS)
    }
    assert outside == set()


def test_services_never_reach_into_the_web_layer() -> None:
    for name in MODULES:
        if name.startswith("tracker.services"):
            assert not any(other.startswith("tracker.web") for other in imported_names(name)), name


def lines_by_package() -> dict[str, int]:
    """Lines of code in each package's own modules (its sub-packages counted on their own)."""
    lines: dict[str, int] = defaultdict(int)
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        lines[package] += len(path.read_text().splitlines())
    return lines


def test_no_package_holds_a_third_of_the_code() -> None:
    lines = lines_by_package()
    total = sum(lines.values())
    largest = max(lines, key=lines.__getitem__)
    assert lines[largest] < total / 3, f"{largest} holds {lines[largest]:,} of {total:,} lines"


def test_features_with_several_services_have_their_own_package() -> None:
    """No flat prefix families (`import_*`, `digest_*`, `dashboard_*`) among the top-level services."""
    top = [n.rpartition(".")[2] for n in MODULES if n.count(".") == 2 and n.startswith("tracker.services.")]
    prefixes = defaultdict(list)
    for module in top:
        prefixes[module.split("_")[0]].append(module)
    assert {prefix: names for prefix, names in prefixes.items() if len(names) > 1} == {}
