"""The exception tree drawn in qa/errors.py is the one the code defines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import qa.errors

_NODE = re.compile(r"^([│├└─ ]*)([A-Z]\w*Error)\b")


def drawn() -> dict[str, str | None]:
    """Each class in the docstring's tree, with the class it hangs from."""
    parents: dict[str, str | None] = {}
    path: list[tuple[int, str]] = []
    for line in (qa.errors.__doc__ or "").splitlines():
        match = _NODE.match(line)
        if not match:
            continue
        depth, name = len(match.group(1)), match.group(2)
        while path and path[-1][0] >= depth:
            path.pop()
        parents[name] = path[-1][1] if path else None
        path.append((depth, name))
    return parents


def defined() -> dict[str, str | None]:
    """Every class of qa/ that derives from NewsqaError, with its base, read from the source
    (so no module has to be imported for its exceptions to count)."""
    bases: dict[str, str] = {}
    for path in Path(qa.errors.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.bases:
                base = node.bases[0]
                if isinstance(base, ast.Name):
                    bases[node.name] = base.id
    tree: dict[str, str | None] = {"NewsqaError": None}
    while grown := {n: b for n, b in bases.items() if b in tree and n not in tree}:
        tree |= grown
    return tree


def test_the_drawn_tree_is_the_defined_tree() -> None:
    assert drawn() == defined()


def test_every_class_of_the_errors_module_is_drawn() -> None:
    classes = {n for n, v in vars(qa.errors).items() if isinstance(v, type)}
    assert classes <= set(drawn())
