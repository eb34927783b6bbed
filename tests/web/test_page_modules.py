"""How the pages are built (issue 14): no page module imports an API route module (they share
the presenters, app/presenters/), and a presenter never writes an audit row (the services that
read do)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _route_modules() -> set[str]:
    """The API modules that define routes (an ``APIRouter``)."""
    return {
        f"app.api.{path.stem}"
        for path in (ROOT / "app" / "api").glob("*.py")
        if "APIRouter(" in path.read_text(encoding="utf-8")
    }


def test_the_route_modules_are_found() -> None:
    assert {"app.api.proposals", "app.api.complaints"} <= _route_modules()


def test_no_page_or_presenter_imports_an_api_route_module() -> None:
    routes = _route_modules()
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & routes)
        for folder in ("app/web", "app/presenters")
        for path in (ROOT / folder).glob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def _calls(path: Path) -> set[str]:
    """The names called in a module: ``audit.record(...)`` gives "record"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_a_presenter_writes_no_audit_row() -> None:
    for path in (ROOT / "app" / "presenters").glob("*.py"):
        assert not {"services.audit", "services.audit.record"} & _imports(path), path
        assert not {"record", "record_reads"} & _calls(path), path
