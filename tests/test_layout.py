"""The package layout: imports go one way, down the stages an article passes through.

Reads every module's imports (top level and inside functions) with `ast`, so a lazy
import counts like any other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "newscli"

SHARED = {"errors", "sanitize", "wording", "__init__"}  # top-level modules every stage may use
# What each stage may import besides itself and the shared modules.
ALLOWED: dict[str, set[str]] = {
    "shared": set(),
    "article": set(),
    "index": {"article"},
    "select": {"index", "article"},
    "formats": {"select", "index", "article"},
    "edit": {"index", "article"},
    "terminal": {"formats", "select", "edit", "index", "article"},
    "ingest": {"select", "edit", "index", "article"},  # import: sources into article files
    "config": {"article"},  # the config file: read by cli only, parsed with article's YAML
    # the interactive review queue (a Textual app), started by cli only
    "review": {"terminal", "formats", "select", "edit", "index", "article"},
    "cli": {
        "terminal",
        "formats",
        "select",
        "edit",
        "index",
        "article",
        "config",
        "ingest",
        "review",
    },
    "__main__": {"cli"},
}
THIRD_PARTY_ONLY_IN = {
    "typer": {"cli"},
    "click": set(),
    "rich": {"cli", "terminal", "review"},
    "textual": {"review"},
}


def stage_of(module: str) -> str:
    """The stage of a dotted newscli module name (`newscli.index.cache` -> `index`)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "shared"
    name = parts[1]
    if name in SHARED:
        return "shared"
    return name


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        name = ".".join(relative.parts)
        found.append((name.removesuffix(".__init__"), path))
    return found


def imports(path: Path, module: str) -> list[tuple[str, int]]:
    """Every imported module name (absolute) with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            names.append((base, node.lineno))
            # `from newscli import config` imports the module newscli.config, and
            # `from newscli import terminal` the stage package newscli.terminal
            names += [
                (f"{base}.{alias.name}", node.lineno)
                for alias in node.names
                if base == "newscli"
                and (
                    (PACKAGE / f"{alias.name}.py").exists()
                    or (PACKAGE / alias.name / "__init__.py").exists()
                )
            ]
    return names


def module_violations(module: str, path: Path) -> list[str]:
    """The imports of one module that break the rules, as `file:line: what` lines."""
    found = []
    own = stage_of(module)
    for name, line in imports(path, module):
        where = f"{path.name if not path.is_relative_to(REPO) else path.relative_to(REPO)}:{line}"
        top = name.split(".")[0]
        if top in THIRD_PARTY_ONLY_IN and own not in THIRD_PARTY_ONLY_IN[top]:
            found.append(f"{where}: {own} imports {top}")
        if top != "newscli" or name == "newscli":
            continue
        target = stage_of(name)
        if target in (own, "shared"):
            continue
        if target not in ALLOWED[own]:
            found.append(f"{where}: {own} imports {name} ({target})")
    return found


def violations() -> list[str]:
    return [line for module, path in modules() for line in module_violations(module, path)]


def test_every_stage_folder_is_known() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders <= set(ALLOWED), folders - set(ALLOWED)
    assert {"article", "index", "select", "formats", "terminal", "edit", "cli"} <= folders


def test_imports_go_down_the_stages() -> None:
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """An upward import (and a lazy rich import) in an article module must be reported."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from newscli.select.query import Query\n\ndef f():\n    import rich\n", encoding="utf-8"
    )
    found = module_violations("newscli.article.planted", planted)
    assert found == [
        "planted.py:1: article imports newscli.select.query (select)",
        "planted.py:4: article imports rich",
    ]


def test_stage_packages_say_what_they_may_import() -> None:
    for folder in PACKAGE.iterdir():
        init = folder / "__init__.py"
        if not init.exists():
            continue
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc, f"{init} has no docstring"
        assert "May import" in doc, init
        if folder.name != "cli":  # cli's package holds the entry point
            # no re-exports: a stage package holds nothing but its docstring
            assert all(isinstance(node, ast.Expr) for node in tree.body), init


def test_tests_mirror_the_stage_folders() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    test_folders = {p.name for p in (REPO / "tests").iterdir() if p.is_dir()}
    assert stages <= test_folders


def test_headless_modules_load_no_ui_library() -> None:
    """The core stages import in a fresh interpreter without typer, rich or click."""
    core = [
        name
        for name, _ in modules()
        if stage_of(name) in {"article", "index", "select", "formats", "edit", "shared"}
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "statement",
    ["from newscli import terminal", "from .. import select", "from newscli import cli, select"],
)
def test_the_check_sees_a_stage_imported_from_the_package(statement: str, tmp_path: Path) -> None:
    """`from newscli import terminal` imports the stage package newscli.terminal. (Planted
    outside the package: another worker checks the package meanwhile.)"""
    planted = tmp_path / "_planted_for_test.py"
    planted.write_text(f"def f():\n    {statement}\n", encoding="utf-8")
    found = module_violations("newscli.index._planted_for_test", planted)
    assert any("_planted_for_test.py:2: index imports newscli." in v for v in found), found


LONGEST = 700  # lines: a module read in one sitting (the longest today: about 650)


def test_every_module_reads_in_one_sitting() -> None:
    """No module of the package is longer than LONGEST lines (similarity.py reached 785:
    its merge became select/story_merge.py)."""
    sizes = {
        str(path.relative_to(REPO)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100  # (the package's modules were found)
    assert {path: n for path, n in sizes.items() if n > LONGEST} == {}


# The repository's top level: the brief's five entries, and the project's own folders.
TOP_LEVEL = {
    ".ci", ".gitignore", "README.md", "pyproject.toml", "newscli", "tests", "sample_feeds",
    "docs", "bench",
}  # fmt: skip


def test_the_repository_holds_no_stray_output() -> None:
    """What git tracks at the top level is the project's (a49a856 committed a manual
    import's feeds/, cache/, state/ and cut.xml: a clone's `cp -r sample_feeds feeds`
    then made feeds/sample_feeds/ and the README's next example failed)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    names = {name.split("/")[0] for name in listed.stdout.decode().split("\0") if name}
    assert "README.md" in names  # (the listing is the repository's)
    assert names - TOP_LEVEL == set()
