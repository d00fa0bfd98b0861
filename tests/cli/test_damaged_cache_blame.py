"""application.damaged_cache blames a JSONDecodeError that ends a run on the index
cache: a stored record damaged under SQLite's notice (h122). That is right only while
every other JSON newscli reads (the journal, an import's state, a JSON feed) is read
where ValueError is caught (h126 LOW). This test keeps it so: each ``json.loads`` or
``json.load`` in newscli is in a module whose JSON text is the cache's, or inside a
``try`` that catches ValueError (or JSONDecodeError, or Exception)."""

from __future__ import annotations

import ast
from pathlib import Path

import newscli

# The modules that parse text read from the cache's rows (export JSON, field maps,
# story data, problems): a failure there is the cache's.
CACHE_TEXT = {
    "article/record.py",
    "article/field_map.py",
    "formats/records.py",
    "formats/tabular.py",
    "select/fields.py",
    "index/story_cache.py",
    "index/problems.py",
}
CAUGHT = {"ValueError", "JSONDecodeError", "Exception", "BaseException"}


def _catches(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {k.attr if isinstance(k, ast.Attribute) else getattr(k, "id", "") for k in kinds}
    return bool(names & CAUGHT)


def _uncaught_loads(tree: ast.AST) -> list[int]:
    """The lines of json.loads/json.load calls no enclosing try catches ValueError in."""
    found: list[int] = []

    def visit(node: ast.AST, caught: bool) -> None:
        if isinstance(node, ast.Try):
            inner = caught or any(map(_catches, node.handlers))
            for child in node.body:
                visit(child, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, caught)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            caught = False  # (a function runs where it is called, not where defined)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("loads", "load")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "json"
            and not caught
        ):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, caught)

    visit(tree, False)
    return found


def test_json_outside_the_cache_is_read_where_its_errors_are_caught() -> None:
    root = Path(newscli.__file__).parent
    uncaught = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name in CACHE_TEXT:
            continue
        lines = _uncaught_loads(ast.parse(path.read_text(encoding="utf-8")))
        uncaught += [f"{name}:{line}" for line in lines]
    assert uncaught == []


def test_the_check_finds_an_uncaught_load_and_passes_a_caught_one() -> None:
    tree = ast.parse(
        "import json\n"
        "def a(t):\n    return json.loads(t)\n"
        "def b(t):\n    try:\n        return json.loads(t)\n    except ValueError:\n"
        "        return None\n"
        "def c(t):\n    try:\n        return json.loads(t)\n    except OSError:\n"
        "        return None\n"
        "try:\n    f = lambda t: json.loads(t)\nexcept ValueError:\n    pass\n"
    )
    assert _uncaught_loads(tree) == [3, 11, 15]


def test_each_cache_module_named_reads_json_uncaught() -> None:
    """A module named here whose JSON is all read where its errors are caught (or that
    reads none now) is taken out of the list, so that the list stays the exceptions."""
    root = Path(newscli.__file__).parent
    for name in CACHE_TEXT:
        assert _uncaught_loads(ast.parse((root / name).read_text(encoding="utf-8"))), name
