"""Dependencies point one way: api/web → services → store/moderation → domain."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "rejoinder"

# layer -> layers it must never import
FORBIDDEN = {
    "domain": {"store", "services", "api", "web", "cli", "moderation", "notify", "live",
               "importers", "analysis", "app"},
    "store": {"services", "api", "web", "cli", "moderation", "notify", "app"},
    "moderation": {"services", "api", "web", "cli", "store", "app"},
    "analysis": {"services", "api", "web", "cli", "store", "app"},
    "services": {"api", "web", "cli", "app"},
    "live": {"services", "api", "web", "cli", "store", "app"},
    "importers": {"api", "web", "cli", "app"},
    "notify": {"api", "web", "cli", "app"},
    "api": {"cli", "web"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "rejoinder" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_no_backward_imports():
    problems = []
    for layer, banned in FORBIDDEN.items():
        folder = PACKAGE / layer
        for path in folder.rglob("*.py"):
            wrong = imports_of(path) & banned
            if wrong:
                problems.append(f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}")
    assert not problems, "\n".join(problems)


def test_no_module_grows_into_a_god_module():
    too_long = [
        f"{p.relative_to(PACKAGE)}: {n} lines"
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    ]
    assert not too_long, too_long
