"""seccal.core is the leaf every package imports: it imports no other seccal package."""

from __future__ import annotations

import ast
from pathlib import Path

import seccal.core

ALLOWED = ("seccal.core", "seccal.errors")


def test_core_imports_only_itself_and_errors() -> None:
    root = Path(seccal.core.__file__).parent
    found = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if name.startswith("seccal") and not name.startswith(ALLOWED):
                    found.append(f"{path.name}: {name}")
    assert len(list(root.glob("*.py"))) >= 7
    assert found == []
