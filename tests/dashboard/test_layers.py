"""Imports run one way: core <- apps <- site (docs/architecture.md). Read from the source (ast), so
an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The core: the upstream client and what every app shares. It imports no app and no site module.
CORE = (
    "dashboard.upstream",
    "dashboard.billing_calendar",
    "dashboard.caller",
    "dashboard.concurrency",
    "dashboard.countries",
    "dashboard.env",
    "dashboard.feedback",
    "dashboard.htmx",
    "dashboard.listing",
    "dashboard.logging",
    "dashboard.money",
    "dashboard.platform_text",
    "dashboard.preferences",
    "dashboard.readcache",
    "dashboard.regions",
    "dashboard.reporting",
    "dashboard.requestid",
    "dashboard.templatetags",
)


def _packages() -> list[str]:
    """Every top-level package of the dashboard: the site and core (``dashboard``) and the apps. The
    sandbox imitates the platform and imports none of them; the tests and the bench are tools."""
    return sorted(
        p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in ("tests", "bench", "sandbox")
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in _packages():
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(resolve(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(kept + ([node.module] if node.module else []))
                for alias in node.names:
                    targets.add(resolve(f"{base}.{alias.name}") if f"{base}.{alias.name}" in modules else resolve(base))
        graph[name] = {t for t in targets if t and t != name}
    return graph


def _layer(module: str) -> str:
    if module == "dashboard" or any(module == c or module.startswith(c + ".") for c in CORE):
        return "core"
    top = module.split(".")[0]
    return "site" if top == "dashboard" else top


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_known_imports():
    graph = _import_graph()
    assert (
        "dashboard.upstream.http" in graph["accounts.session"]
        or "dashboard.upstream.tokens" in graph["accounts.session"]
    )
    assert "billing.summary" in graph["dashboard.middleware"]
    assert _layer("dashboard.upstream.http") == "core"
    assert _layer("dashboard.views") == "site"
    assert _layer("billing.views") == "billing"
    assert _layer("referrals.views") == "referrals"
    assert "referrals.services" in graph["referrals.views"]


def test_no_module_imports_run_in_a_circle():
    assert _cycles(_import_graph()) == []


def test_the_core_imports_no_app_and_no_site_module():
    graph = _import_graph()
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _layer(module) == "core"
        for target in targets
        if _layer(target) != "core"
    )
    assert wrong == []


def test_apps_never_import_the_site():
    graph = _import_graph()
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _layer(module) not in ("core", "site")
        for target in targets
        if _layer(target) == "site"
    )
    assert wrong == []


# No ring is left: accounts and billing read the activity feed, and the Activity page, which signs in
# through accounts, is a site page (dashboard/activity_views.py).
KNOWN_RINGS: list[list[str]] = []


def test_no_ring_between_packages():
    graph = _import_graph()
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        packages.setdefault(_layer(module), set()).update(_layer(t) for t in targets if _layer(t) != _layer(module))
    assert _cycles(packages) == KNOWN_RINGS


def test_a_ring_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
