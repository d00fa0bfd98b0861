"""Noncharacters in a title (h94 LOW): U+FFFE, U+FFFF, U+1FFFE and U+FDD0 reached the
HTML newsletter, CSV, TSV and Markdown as they were (an HTML parser stops at them: a
strict html5lib parse failed); RSS and Atom replaced them. Every format for people and
spreadsheets now shows U+FFFD there, as for a control character; JSON keeps the value.
Through the installed command, in a warm run too (the cache keeps TSV and CSV cells)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli, write

NON = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff]")


@pytest.mark.parametrize("fmt", ["html", "csv", "tsv", "markdown", "rss", "atom", "json"])
def test_no_noncharacter_reaches_people(tmp_path: Path, fmt: str) -> None:
    title = '"nonchar \\uFFFE \\uFFFF \\U0001FFFE \\uFDD0 end"'
    write(tmp_path / "a.md", f"---\ntitle: {title}\npublishedDateTime: 2025-03-01T00:00:00Z\n"
          "webUrl: https://n.example/1\n---\n")  # fmt: skip
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    args = ["export", ".", "--format", fmt, "--feed-link", "https://me.example/"]
    if fmt not in ("rss", "atom"):
        args = args[:-2]
    for _ in ("cold", "warm"):
        done = run_cli(*args, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        if fmt == "json":  # (the value exactly)
            (record,) = json.loads(done.stdout)
            assert record["title"] == "nonchar \ufffe \uffff \U0001fffe \ufdd0 end"
            continue
        assert not NON.search(done.stdout)
        assert "nonchar \ufffd \ufffd \ufffd \ufffd end" in done.stdout
