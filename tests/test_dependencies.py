"""The README's list of run-time dependencies is pyproject.toml's (h29: Textual, which
`pip install` brings, was missing from it)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_readme_names_every_run_time_dependency_and_no_other() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.MULTILINE | re.DOTALL)
    assert block, "pyproject.toml has no dependencies list"  # (tomllib: Python 3.11+)
    specs = re.findall(r'^\s*"([^"]+)"', block[1], re.MULTILINE)
    required = {re.split(r"[<>=!~ \[;]", spec)[0].lower() for spec in specs}
    assert len(required) >= 4
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"^- Dependencies: ([^;]+);", readme, re.MULTILINE)
    assert listed, "the README's Development section lists no dependencies"
    named = {name.strip().lower() for name in listed[1].replace("\n", " ").split(",")}
    assert named == required
