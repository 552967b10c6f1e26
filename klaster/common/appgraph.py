"""Which of Klaster's apps import which, and the imports that break the layers.

Every app sits on a layer (`LAYERS`, the one place they are declared). An app may import itself,
apps on its own layer and apps on lower layers, never an app above it; the apps may not import
each other in a cycle; and no app imports another app's private names (``_date_text``, a module
``_helpers``) or another app's management-command modules. Test modules (``tests/``,
``test_*.py``, ``conftest.py``) and migrations are not looked at.

The graph is read from the source with `ast`, without importing it, so it can be drawn for any
checkout (``klaster appgraph --root DIR``). Imports at module level and inside functions both
count. Plain Python: no Django here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "klaster"

# Lowest first. `core` is pure Python; `common` holds the Django helpers every domain app uses;
# the top composes several domains (the dashboard, the GDPR erasure, the demo, the URLs).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("common",),
    ("accounts", "jobs", "imports"),
    ("members",),
    ("trackrecord",),
    ("calls",),
    ("events", "partners"),
    ("consortia", "marketplace"),
    ("portal", "demo", "web"),
)


@dataclass(frozen=True)
class Import:
    """One import of another app: where it is written and what it imports."""

    path: str  # relative to the root, with forward slashes
    line: int
    source: str  # the importing app
    target: str  # the imported app
    module: str  # the imported module, e.g. ``klaster.members.selectors``
    name: str = ""  # the imported name, for ``from module import name``

    def __str__(self) -> str:
        what = f"{self.module} import {self.name}" if self.name else self.module
        return f"{self.path}:{self.line}: {what}"


@dataclass
class AppGraph:
    """The apps, their imports of each other and what breaks the rules."""

    apps: list[str]
    imports: list[Import]
    cycles: list[list[str]] = field(default_factory=list)
    upward: list[Import] = field(default_factory=list)
    private: list[Import] = field(default_factory=list)
    commands: list[Import] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)

    def edges(self) -> dict[str, set[str]]:
        """app -> the other apps it imports."""
        found: dict[str, set[str]] = {app: set() for app in self.apps}
        for found_import in self.imports:
            found.setdefault(found_import.source, set()).add(found_import.target)
        return found

    def problems(self) -> list[str]:
        """Every broken rule, one line each; empty when the graph follows the layers."""
        return (
            [f"app not on any layer: {app}" for app in self.undeclared]
            + [f"cycle among: {', '.join(cycle)}" for cycle in self.cycles]
            + [f"upward import: {item}" for item in self.upward]
            + [f"private name of another app: {item}" for item in self.private]
            + [f"management command of another app: {item}" for item in self.commands]
        )


def layer_of(app: str, layers: Sequence[Sequence[str]] = LAYERS) -> int | None:
    """The index of `app`'s layer (0 is the lowest), or None if no layer declares it."""
    for index, layer in enumerate(layers):
        if app in layer:
            return index
    return None


def _is_test_or_migration(relative: Path) -> bool:
    parts = relative.parts
    return (
        "tests" in parts
        or "migrations" in parts
        or relative.name == "conftest.py"
        or relative.name.startswith("test_")
    )


# Underscored by Django's convention but public, documented API (the model's `Options`).
_PUBLIC_UNDERSCORED = frozenset({"_meta"})


def _is_private(name: str) -> bool:
    return (
        name.startswith("_")
        and not (name.startswith("__") and name.endswith("__"))
        and name not in _PUBLIC_UNDERSCORED
    )


def _module_of(path: Path, package_dir: Path, package: str) -> str:
    parts = path.relative_to(package_dir).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((package, *parts))


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a ``from ... import`` names, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _imports_in(
    path: Path, root: Path, package_dir: Path, package: str, apps: set[str]
) -> list[Import]:
    """The imports of other apps (sub-packages of `package`) in one source file."""
    relative = path.relative_to(package_dir)
    source = relative.parts[0]
    module = _module_of(path, package_dir, package)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    shown_path = path.relative_to(root).as_posix()
    found: list[Import] = []
    # Names bound to another app's module, to see ``module._private`` uses too.
    bound: dict[str, str] = {}

    def app_of(name: str) -> str | None:
        parts = name.split(".")
        return parts[1] if len(parts) > 1 and parts[0] == package and parts[1] in apps else None

    def add(node: ast.stmt, target_module: str, name: str = "") -> None:
        target = app_of(target_module)
        if target and target != source:
            found.append(Import(shown_path, node.lineno, source, target, target_module, name))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name)
                if alias.asname and app_of(alias.name) not in (None, source):
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, relative.name == "__init__.py")
            for alias in node.names:
                if base == package:  # ``from klaster import members``
                    add(node, f"{package}.{alias.name}")
                    continue
                add(node, base, alias.name)
                if app_of(base) not in (None, source):
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and _is_private(node.attr)
        ):
            target_module = bound[node.value.id]
            found.append(
                Import(
                    shown_path,
                    node.lineno,
                    source,
                    app_of(target_module) or "",
                    target_module,
                    node.attr,
                )
            )
    return found


def _cycles(apps: Iterable[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of apps that import each other round in a circle (the strongly connected
    components of more than one app, by Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(edges.get(app, ())):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(apps):
        if app not in index:
            visit(app)
    return sorted(groups)


def app_graph(
    root: Path, package: str = PACKAGE, layers: Sequence[Sequence[str]] = LAYERS
) -> AppGraph:
    """Read the apps under ``root/package`` and check them against `layers`.

    Parameters
    ----------
    root : the project root (the directory that holds the package).
    package : the top-level package whose sub-packages are the apps.
    layers : the apps on each layer, lowest first.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for app, text in {"a": "from pkg.b import x\\n", "b": "import pkg.a\\n"}.items():
    ...     (root / "pkg" / app).mkdir(parents=True)
    ...     _ = (root / "pkg" / app / "__init__.py").write_text(text)
    >>> app_graph(root, "pkg", [["a"], ["b"]]).problems()
    ['cycle among: a, b', 'upward import: pkg/a/__init__.py:1: pkg.b import x']
    """
    root = Path(root)
    package_dir = root / package
    apps = sorted(
        child.name
        for child in package_dir.iterdir()
        if child.is_dir() and any(child.glob("*.py"))  # a namespace package is an app too
    )
    imports: list[Import] = []
    for app in apps:
        for path in sorted((package_dir / app).rglob("*.py")):
            if not _is_test_or_migration(path.relative_to(package_dir / app)):
                imports.extend(_imports_in(path, root, package_dir, package, set(apps)))
    graph = AppGraph(apps=apps, imports=imports)
    graph.undeclared = [app for app in apps if layer_of(app, layers) is None]
    graph.cycles = _cycles(apps, graph.edges())
    for found in imports:
        source_layer, target_layer = layer_of(found.source, layers), layer_of(found.target, layers)
        if source_layer is not None and target_layer is not None and target_layer > source_layer:
            graph.upward.append(found)
        if any(_is_private(part) for part in found.module.split(".")) or _is_private(found.name):
            graph.private.append(found)
        if ".management.commands" in f"{found.module}.{found.name}":
            graph.commands.append(found)
    return graph


def report(graph: AppGraph, *, sites: bool = False) -> str:
    """The graph as text: each app and the apps it imports, then what breaks the rules."""
    lines = ["Apps and the other apps they import (test and migration modules left out):"]
    edges = graph.edges()
    for app in graph.apps:
        layer = layer_of(app)
        where = "?" if layer is None else str(layer)
        lines.append(f"  [{where}] {app} -> {', '.join(sorted(edges[app])) or '(none)'}")
        if sites:
            lines.extend(f"        {item}" for item in graph.imports if item.source == app)
    sections = (
        ("Apps on no layer", graph.undeclared),
        (
            "Cycles (apps that import each other round in a circle)",
            [", ".join(c) for c in graph.cycles],
        ),
        ("Upward imports (against the layers)", graph.upward),
        ("Private names of other apps", graph.private),
        ("Management-command modules of other apps", graph.commands),
    )
    for title, items in sections:
        shown = _one_line_per_statement(items)
        lines.append(f"{title}: {len(shown) or 'none'}")
        lines.extend(f"  {line}" for line in shown)
    return "\n".join(lines)


def _one_line_per_statement(items: Sequence[Import | str]) -> list[str]:
    """``from m import a, b`` once, not once per name."""
    names: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, Import) and item.name:
            names.setdefault(f"{item.path}:{item.line}: {item.module} import", []).append(item.name)
        else:
            names.setdefault(str(item), [])
    return [f"{key} {', '.join(found)}" if found else key for key, found in names.items()]
