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


def imported_names(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement binds (``from .a import b`` in ``glossary.m``: ``glossary.a.b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    return [f"{source}.{alias.name}" for alias in node.names]


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in import_nodes(tree):
        # ``from pkg import sub`` imports the module pkg.sub; ``from pkg import name``, pkg itself
        for target in imported_names(name, path, node):
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
    assert {"glossary.cli.entries", "glossary.cli.normalize", "glossary.cli.tm", "glossary.cli.serve"} <= set(commands)
    for module in commands:
        cli_imports = {m for m in graph[module] if m == "glossary.cli" or m.startswith("glossary.cli.")}
        assert cli_imports <= {"glossary.cli._base"}, f"{module} imports {sorted(cli_imports)}"
    assert not {m for m in graph["glossary.cli._base"] if m.startswith("glossary.cli")}


# ---------------------------------------------------------------------- private names and SQL

#: The store layer: the only modules whose string literals may hold SQL (issue 15: "SQL appears
#: in one module, two at most if the TM's full-text index earns its own"): the store's tables, the
#: TM's full-text index, and the index file beside the store (a database of its own).
STORE_LAYER = {"glossary.store", "glossary.store.tm_index", "glossary.store.index_file"}
#: Words that start an SQL statement, as the package writes them.
SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ", "ALTER ", "PRAGMA ")
#: The namedtuple API: public despite its underscore (``row._replace(...)``).
NAMEDTUPLE_API = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})
#: (importer, private module) pairs allowed, and why.
PRIVATE_IMPORTS = {
    ("glossary", "glossary._version"): "the package re-exports its version, which the build writes",
    ("glossary.cli._base", "glossary._version"): "glossary --version",
    ("glossary.tbx", "glossary._version"): "the version written in an exported file's header",
    ("glossary.tmx", "glossary._version"): "the version written in an exported file's header",
    ("glossary.batch", "glossary._version"): "the version in the store digest Dask workers and resumed runs compare",
    ("glossary.server", "glossary._version"): "the version in the OpenAPI document the server serves",
    ("glossary.transliteration", "glossary._fit"): "the C kernel of transliteration's own fit pass",
    ("glossary.cli", "glossary.cli._base"): "the CLI package's shared module (app, consoles, --db)",
    ("glossary.cli.entries", "glossary.cli._base"): "a command group over the CLI's shared module",
    ("glossary.cli.normalize", "glossary.cli._base"): "a command group over the CLI's shared module",
    ("glossary.cli.tm", "glossary.cli._base"): "a command group over the CLI's shared module",
    ("glossary.cli.serve", "glossary.cli._base"): "a command group over the CLI's shared module",
    ("glossary.store", "glossary.store._sqlite_utils"): "sqlite-utils, loaded without NumPy",
    ("glossary.store.tm_index", "glossary.store._sqlite_utils"): "sqlite-utils, loaded without NumPy",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own_private_names(tree: ast.Module) -> set[str]:
    """The private names a module defines: its functions, classes and globals, and the attributes
    its code sets (``self._x = …``) or its classes declare.  A leading underscore marks a name
    private to its module, so the module's own code may use it on any object."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if _private(n)}


def private_uses(name: str, path: Path, modules: dict[str, Path]) -> list[str]:
    """Where a module uses another module's private names: ``obj._x`` on a receiver other than
    ``self``/``cls`` with ``_x`` not its own, and imports of private names or modules outside
    :data:`PRIVATE_IMPORTS`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    own = _own_private_names(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            receiver = node.value
            if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"):
                continue
            if node.attr in own or node.attr in NAMEDTUPLE_API:
                continue
            found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    for node in import_nodes(tree):
        for target in imported_names(name, path, node):
            module = _known(target, modules)
            parts = target.split(".")
            private_module = module is not None and any(_private(p) for p in module.split(".")[1:])
            private_name = module is not None and target != module and _private(parts[-1])
            allowed = (name, module) in PRIVATE_IMPORTS and not private_name
            if module is not None and module != name and (private_module or private_name) and not allowed:
                found.append(f"{name}:{node.lineno}: imports {target}")
    return found


def sql_literals(path: Path) -> list[str]:
    """String literals (f-string parts included) that hold the start of an SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        f"{path.name}:{node.lineno}: {node.value.strip()[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(w in node.value for w in SQL_WORDS)
    ]


def statement_calls(path: Path) -> list[str]:
    """Calls of ``.execute``/``.executemany``/``.executescript`` (running SQL on a connection)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        f"{path.name}:{node.lineno}: {ast.unparse(node.func)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "executescript")
    ]


def test_the_private_name_check_sees_what_it_should(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text(
        "from .b import _helper\nfrom . import _fit\n"
        "class A:\n    def __init__(self):\n        self._mine = 1\n"
        "    def f(self, g, other: 'A'):\n"
        "        g._write()\n        other._mine\n        self._anything\n        row._replace(a=1)\n",
        encoding="utf-8",
    )
    modules = {m: src for m in ("glossary.a", "glossary.b", "glossary._fit")}
    assert private_uses("glossary.a", src, modules) == [
        "glossary.a:7: g._write",
        "glossary.a:1: imports glossary.b._helper",
        "glossary.a:2: imports glossary._fit",
    ]
    assert private_uses("glossary.transliteration", src, modules) == [  # _fit: its own kernel
        "glossary.transliteration:7: g._write",
        "glossary.transliteration:1: imports glossary.b._helper",
    ]


def test_no_module_uses_another_modules_private_names() -> None:
    """exchange and the TM write through ``Glossary.writer`` and the store layer, not ``g._write``."""
    modules = package_modules()
    found = [
        use
        for name, path in modules.items()
        if path.suffix == ".py"
        for use in private_uses(name, path, modules)
    ]
    assert not found, "private names used from another module:\n" + "\n".join(found)


def test_sql_lives_in_the_store_layer_only() -> None:
    modules = package_modules()
    assert set(modules) >= STORE_LAYER
    outside = [
        hit
        for name, path in modules.items()
        if path.suffix == ".py" and name not in STORE_LAYER
        for hit in [*sql_literals(path), *statement_calls(path)]
    ]
    assert not outside, "SQL outside the store layer:\n" + "\n".join(outside)
    inside = [hit for name in STORE_LAYER for hit in sql_literals(modules[name])]
    assert len(inside) > 50  # the check reads what it should
