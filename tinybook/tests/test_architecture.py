"""The layers of docs/architecture.md hold in the code.

Every import counts, at module level or inside a function (an import moved into a function
to dodge a cycle is still the cycle); tests and migrations are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "tinybook"

# Bottom to top (docs/architecture.md). An app imports the project package and apps of lower
# layers only; apps of one layer do not import each other. A new app takes its place here.
LAYERS = [
    {"tinybook"},
    {"sms"},
    {"users"},
    {"articles"},
    {"payments", "accounts"},
    {"interactions", "rewards", "relations"},
    {"ranking"},
    {"portal"},
]


def _packages() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir()
                  if p.is_dir() and ((p / "apps.py").exists() or (p / "settings.py").exists()))


def _sources(package: str):
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path, module: str) -> set[str]:
    """Every module name an import statement in ``path`` may refer to, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph():
    """(app edges {(a, b): [where]}, module edges {module: {module of the same app}})."""
    packages = set(_packages())
    modules = {_module_name(p): p for pkg in packages for p in _sources(pkg)}
    app_edges: dict[tuple[str, str], list[str]] = {}
    module_edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        app = module.split(".")[0]
        for name in _imported(path, module):
            top = name.split(".")[0]
            if top in packages and top != app:
                app_edges.setdefault((app, top), []).append(f"{path.relative_to(ROOT)}")
            elif top == app and name in modules and name != module:
                module_edges[module].add(name)
    return app_edges, module_edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def test_every_app_has_a_layer():
    layered = set().union(*LAYERS)
    assert set(_packages()) <= layered, f"add {set(_packages()) - layered} to LAYERS and docs/architecture.md"


def test_apps_import_only_the_project_package_and_lower_layers():
    level = {app: n for n, layer in enumerate(LAYERS) for app in layer}
    app_edges, _ = _graph()
    upward = {f"{a} -> {b}": where[:3] for (a, b), where in app_edges.items() if level[b] >= level[a]}
    assert upward == {}


def test_the_project_package_imports_no_app():
    app_edges, _ = _graph()
    assert [b for (a, b) in app_edges if a == PROJECT] == []


def test_no_import_cycle_between_modules_of_an_app():
    _, module_edges = _graph()
    assert _cycles(module_edges) == []


def test_the_checker_sees_a_cycle_when_there_is_one():
    assert _cycles({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}) == [["a.x", "a.y", "a.z"]]
    assert _cycles({"a.x": {"a.y"}, "a.y": set()}) == []
