"""The package's layout: no import cycles among its modules, and CLI command groups that import
only the shared CLI module and the library (issue 15).

The import graph is read from the source (the AST), so imports inside functions count;
imports under ``if TYPE_CHECKING:`` do not, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import glossary

ROOT = Path(glossary.__file__).resolve().parent
PACKAGE = "glossary"


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    """Every module of the package: its ``.py`` files and its compiled extensions (``_fit``)."""
    found = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
    for p in sorted([*ROOT.rglob("*.so"), *ROOT.rglob("*.pyd")]):
        found.setdefault(module_name(p.with_name(p.name.split(".")[0] + ".py")), p)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.orelse:
                yield from import_nodes(ast.Module(body=[stmt], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from import_nodes(child)


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The deepest package module ``name`` lies in (``glossary.tm.DEFAULT`` -> ``glossary.tm``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in import_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # ``from pkg import sub`` imports the module pkg.sub; ``from pkg import name``, pkg itself
            targets = [f"{source}.{alias.name}" for alias in node.names]
        for target in targets:
            module = _known(target, modules)
            if module is not None and module != name:
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    return {
        name: imported_modules(name, path, modules) if path.suffix == ".py" else set()
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (``[a, b, …, a]``), or None if the graph is acyclic."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_local_imports_and_skips_type_checking(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .b import B\n"
        "def f():\n    from .c import g\n    import glossary.d\n",
        encoding="utf-8",
    )
    modules = {m: src for m in ("glossary.a", "glossary.b", "glossary.c", "glossary.d")}
    assert imported_modules("glossary.a", src, modules) == {"glossary.c", "glossary.d"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert {"glossary", "glossary.glossary", "glossary.cli", "glossary.cli._base"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cli_command_groups_import_only_the_shared_module_and_the_library() -> None:
    graph = import_graph()
    commands = [m for m in graph if m.startswith("glossary.cli.") and m.rpartition(".")[2][0] != "_"]
    assert {"glossary.cli.entries", "glossary.cli.normalize", "glossary.cli.tm"} <= set(commands)
    for module in commands:
        cli_imports = {m for m in graph[module] if m == "glossary.cli" or m.startswith("glossary.cli.")}
        assert cli_imports <= {"glossary.cli._base"}, f"{module} imports {sorted(cli_imports)}"
    assert not {m for m in graph["glossary.cli._base"] if m.startswith("glossary.cli")}
