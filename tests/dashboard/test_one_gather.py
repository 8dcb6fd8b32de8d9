"""One gather per page, at the view: nothing below a view starts upstream work side by side, so
gathers never nest (docs/architecture.md). Read from the source (ast), as test_layers does."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "activity", "billing", "catalog", "dashboard", "referrals")
STARTERS = {"gather", "page_gather", "submit"}  # the calls that run reads side by side
# Besides the views, only the module that defines them.
ALLOWED = {"dashboard/concurrency.py"}


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py")


def _starts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in STARTERS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}()")
    return found


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py")) if "migrations" not in p.parts]


def test_only_views_gather():
    offenders = [
        start
        for path in _sources()
        if not _is_view_module(path) and str(path.relative_to(ROOT)) not in ALLOWED
        for start in _starts(path)
    ]
    assert offenders == []


def test_the_walk_finds_the_views_gathers():
    """The walk sees a gather where there is one (so the test above cannot pass by seeing nothing)."""
    assert any("page_gather()" in start for start in _starts(ROOT / "accounts" / "security_views.py"))
    assert any("gather()" in start for start in _starts(ROOT / "dashboard" / "views.py"))


def test_no_task_is_kept_below_the_views():
    """No futures stashed on the caller or the request: a read is a callable in the page's gather."""
    offenders = [
        f"{path.relative_to(ROOT)}"
        for path in _sources()
        if str(path.relative_to(ROOT)) not in ALLOWED
        and any(
            isinstance(node, ast.Attribute | ast.Name)
            and (getattr(node, "attr", None) or getattr(node, "id", None)) == "Task"
            for node in ast.walk(ast.parse(path.read_text(), str(path)))
        )
    ]
    assert offenders == []
