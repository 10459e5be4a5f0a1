"""One typing style in the rule module (mypy --strict checks the types themselves, scripts/test):
postponed annotations, builtin generics and `X | None`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
OLD_STYLE = {"Optional", "Union", "List", "Dict", "Tuple", "Set", "FrozenSet", "Type"}


@pytest.mark.parametrize("path", sorted(KNOWLEDGE.rglob("*.py")), ids=lambda path: path.name)
def test_module_uses_the_one_typing_style(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for module, name in imported if module == "typing"} & OLD_STYLE
    annotated = any(isinstance(node, (ast.FunctionDef, ast.AnnAssign)) for node in ast.walk(tree))
    assert not annotated or ("__future__", "annotations") in imported
