"""Which module may import which: the import directions of docs/architecture.md.

Every module under tsunagu/ is parsed (never imported) and every ``import`` and
``from … import`` it holds is collected, the lazy ones inside functions included, with
relative imports resolved. The contracts:

- ``tsunagu.lib`` imports no tsunagu app: only the standard library, Django and
  third-party packages;
- no product module imports ``tsunagu.bench…`` or ``tsunagu.demo…``;
- inside the apps the layers point one way: models import no views, forms or services;
  services and queries import no views;
- no name with a leading underscore is imported from another module: what two modules
  share is public and documented where it lives;
- the modules' imports have no cycle: neither those that run at import time nor, through
  an import inside a function, the ones moved there to dodge one (imports under
  ``if TYPE_CHECKING:`` never run and count for the other contracts only).

A small broken tree at the end proves that each check finds what it should.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # the folder holding tsunagu/

# The tools beside the product: they may use the apps and each other (the benchmarks
# build on the demo's directory), and no product module may import them.
TOOLING = ("tsunagu.bench", "tsunagu.demo")

# Imports of a tool from a product module that cannot move yet, each with its reason.
# Keep it empty: a new entry needs a reason a reviewer accepts.
OUTSIDE_ALLOWED: set[str] = set()


@dataclass(frozen=True)
class Import:
    importer: str  # the module holding the statement
    target: str  # the tsunagu module it reaches (or the external top-level name)
    names: tuple[str, ...]  # the names taken with `from … import`
    line: int
    when: str  # "import" (runs when the module is imported), "lazy" (in a function), "typing"

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        when = "" if self.when == "import" else f" [{self.when}]"
        return f"{self.importer}:{self.line} imports {self.target}{names}{when}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules(root: Path = ROOT) -> dict[str, Path]:
    return {
        module_name(path, root): path
        for path in sorted((root / "tsunagu").rglob("*.py"))
        if "migrations" not in path.parts
    }


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _known(name: str, known: dict[str, Path]) -> str | None:
    """The tsunagu module `name` is, or lives in (a name inside a module)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, when: str):
    """Yield (import statement, when it runs) under `node`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, when
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, "typing" if when == "typing" else "lazy")
        elif isinstance(child, ast.If) and _type_checking(child):
            # For annotations only: never run, so never part of a cycle.
            for statement in child.body:
                yield from _walk(ast.Module(body=[statement], type_ignores=[]), "typing")
            for statement in child.orelse:
                yield from _walk(ast.Module(body=[statement], type_ignores=[]), when)
        else:
            yield from _walk(child, when)


@cache
def imports(root: Path = ROOT) -> tuple[Import, ...]:
    known = modules(root)
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, when in _walk(tree, "import"):
            line = node.lineno
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _known(alias.name, known) or alias.name.split(".")[0]
                    found.append(Import(name, target, (), line, when))
                continue
            source = _resolve(name, is_package, node.module, node.level)
            base = _known(source, known)
            if base is None:
                found.append(Import(name, source.split(".")[0], (), line, when))
                continue
            # `from package import module` reaches the module; other names the package.
            plain = []
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    found.append(Import(name, submodule, (), line, when))
                else:
                    plain.append(alias.name)
            if plain or base != source:
                found.append(Import(name, base, tuple(plain), line, when))
    return tuple(found)


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _app(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else None


LAYERS = ("models", "forms", "services", "queries", "views")
FORBIDDEN_LAYERS = {
    "models": {"views", "forms", "services"},
    "services": {"views"},
    "queries": {"views"},
}


def _layer(module: str) -> str | None:
    """models, forms, services, queries or views: from the module's own name
    (category_views is a view) or the package it is in (grants/services/…)."""
    app = _app(module)
    if app is None:
        return None
    for part in module[len(app) + 1 :].split("."):
        for layer in LAYERS:
            if part == layer or part.endswith("_" + layer):
                return layer
    return None


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


# The contracts: each lists the imports that break it ("module:line imports …").


def lib_violations(root: Path = ROOT) -> list[str]:
    return [
        str(found)
        for found in imports(root)
        if _inside(found.importer, "tsunagu.lib")
        and _inside(found.target, "tsunagu")
        and not _inside(found.target, "tsunagu.lib")
    ]


def _reaches_tooling(found: Import, package: str) -> bool:
    return _inside(found.target, package) and not any(
        _inside(found.importer, tool) for tool in TOOLING
    )


def tooling_violations(package: str, root: Path = ROOT) -> list[str]:
    return [
        str(found)
        for found in imports(root)
        if _reaches_tooling(found, package) and found.importer not in OUTSIDE_ALLOWED
    ]


def layer_violations(root: Path = ROOT) -> list[str]:
    return [
        str(found)
        for found in imports(root)
        if _layer(found.target) in FORBIDDEN_LAYERS.get(_layer(found.importer) or "", set())
    ]


def private_violations(root: Path = ROOT) -> list[str]:
    return [
        str(found)
        for found in imports(root)
        if found.target != found.importer
        and _inside(found.target, "tsunagu")
        and any(_private(name) for name in found.names)
    ]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path) per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)

    cycles = []
    for group in groups:
        start = min(group)
        # Breadth-first from start back to start, inside the group: the shortest cycle.
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            node = queue.pop(0)
            for succ in sorted(graph[node] & group):
                if succ == start:
                    cycle = [*paths[node], start]
                    break
                if succ not in paths:
                    paths[succ] = [*paths[node], succ]
                    queue.append(succ)
        cycles.append(cycle or sorted(group))
    return sorted(cycles)


def import_graph(*, lazy: bool, root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the tsunagu modules it imports: at import time only, or also inside
    functions (`lazy`). Imports for annotations only (`if TYPE_CHECKING:`) never run."""
    known = modules(root)
    runs = {"import", "lazy"} if lazy else {"import"}
    graph: dict[str, set[str]] = {name: set() for name in known}
    for found in imports(root):
        if found.when in runs and found.target in known and found.target != found.importer:
            graph[found.importer].add(found.target)
    return graph


def cycles(*, lazy: bool, root: Path = ROOT) -> list[str]:
    return [" → ".join(cycle) for cycle in _cycles(import_graph(lazy=lazy, root=root))]


def _say(problems: list[str]) -> str:
    return "\n".join(problems)


def test_lib_imports_no_app():
    problems = lib_violations()
    assert problems == [], _say(problems)


@pytest.mark.parametrize("package", TOOLING)
def test_product_imports_neither_bench_nor_demo(package):
    problems = tooling_violations(package)
    assert problems == [], _say(problems)


def test_outside_allowed_lists_only_what_is_there():
    # An exception for a module that has moved or gone is removed with it.
    assert set(modules()) >= OUTSIDE_ALLOWED


def test_layers_point_one_way():
    problems = layer_violations()
    assert problems == [], _say(problems)


def test_no_private_name_is_imported_from_another_module():
    problems = private_violations()
    assert problems == [], _say(problems)


def test_no_import_cycle_at_module_level():
    problems = cycles(lazy=False)
    assert problems == [], "import cycles:\n" + _say(problems)


def test_no_cycle_is_hidden_in_a_lazy_import():
    # An import moved into a function to dodge a cycle still ties the two modules
    # together: move what both need to where it belongs instead.
    problems = cycles(lazy=True)
    assert problems == [], "import cycles through an import inside a function:\n" + _say(problems)


# The checks themselves, on a small tree that breaks every contract once: a check that
# finds nothing here would pass on any tree.

BROKEN_TREE = {
    "tsunagu/__init__.py": "",
    "tsunagu/lib/__init__.py": "",
    "tsunagu/lib/dates.py": "import datetime\nfrom django.db import models\n"
    "from tsunagu.shop.models import Item\n",
    "tsunagu/bench/__init__.py": "",
    "tsunagu/bench/run.py": "from tsunagu.shop import models\n",
    "tsunagu/demo/__init__.py": "",
    "tsunagu/demo/shop.py": "",
    "tsunagu/shop/__init__.py": "",
    "tsunagu/shop/models.py": "from typing import TYPE_CHECKING\n"
    "if TYPE_CHECKING:\n    from .forms import ItemForm\n"
    "def price():\n    from tsunagu.shop.queries import cheapest\n",
    "tsunagu/shop/forms.py": "from . import models\n",
    "tsunagu/shop/queries.py": "from .models import Item\nfrom .helpers import _round\n",
    "tsunagu/shop/helpers.py": "def _round(): ...\n",
    "tsunagu/shop/services/__init__.py": "",
    "tsunagu/shop/services/orders.py": "def go():\n    from ...bench.run import main\n"
    "from ..shop_views import page\n",
    "tsunagu/shop/shop_views.py": "import tsunagu.demo.shop\nfrom .services import orders\n",
}


@pytest.fixture
def broken_tree(tmp_path):
    for name, text in BROKEN_TREE.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checks_find_what_a_broken_tree_does(broken_tree):
    root = broken_tree
    assert lib_violations(root) == ["tsunagu.lib.dates:3 imports tsunagu.shop.models (Item)"]
    assert tooling_violations("tsunagu.bench", root) == [
        "tsunagu.shop.services.orders:2 imports tsunagu.bench.run (main) [lazy]"
    ]
    assert tooling_violations("tsunagu.demo", root) == [
        "tsunagu.shop.shop_views:1 imports tsunagu.demo.shop"
    ]
    assert layer_violations(root) == [
        "tsunagu.shop.models:3 imports tsunagu.shop.forms (ItemForm) [typing]",
        "tsunagu.shop.services.orders:3 imports tsunagu.shop.shop_views (page)",
    ]
    assert private_violations(root) == [
        "tsunagu.shop.queries:2 imports tsunagu.shop.helpers (_round)"
    ]
    # services.orders ↔ shop_views runs at import time; models → queries only lazily,
    # and models → forms only for annotations (no cycle: forms → models is one way).
    assert cycles(lazy=False, root=root) == [
        "tsunagu.shop.services.orders → tsunagu.shop.shop_views → tsunagu.shop.services.orders"
    ]
    assert cycles(lazy=True, root=root) == [
        "tsunagu.shop.models → tsunagu.shop.queries → tsunagu.shop.models",
        "tsunagu.shop.services.orders → tsunagu.shop.shop_views → tsunagu.shop.services.orders",
    ]


def test_the_walk_sees_the_real_tree():
    # What the contracts read of tsunagu/ itself: its modules, relative imports resolved.
    assert "tsunagu.records.models" in modules()
    assert "tsunagu.reports.renderers.xlsx" in modules()
    assert any(found.when == "lazy" for found in imports())
    assert _layer("tsunagu.cases.need_views") == "views"
    assert _layer("tsunagu.records.category_forms") == "forms"
    assert _layer("tsunagu.reports.engine") is None
