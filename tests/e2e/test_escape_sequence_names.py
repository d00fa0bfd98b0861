"""A file whose name holds an escape sequence is never shown on stdout as another,
existing file's name: its controls are written as escapes (``\\x1b``), as error lines
write them, in `validate`'s report (text and TSV), `list`'s TSV (its default columns and
`--columns path`), `clusters --format tsv` (path and the one it joined), `show`'s File
line and `undo`'s lines. (h84 1: they removed the sequence whole, and `validate` blamed
the valid `bad.md` beside the broken `bad<ESC>]0;x<BEL>.md`.) JSON keeps the name exact."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_in_terminal

NEWSCLI = str(Path(sys.executable).parent / "newscli")
HOSTILE = "bad\x1b]0;x\x07.md"
SHOWN = "bad\\x1b]0;x\\x07.md"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
    }
    return subprocess.run(
        [NEWSCLI, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


def test_an_invalid_file_is_not_reported_as_its_valid_neighbour(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "bad.md").write_text("---\ntitle: fine\n---\n")
    (feeds / HOSTILE).write_text("---\ntitle: [broken\n---\n")
    text = _run(tmp_path, "validate", "feeds")
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith(f"feeds/{SHOWN}:3: invalid YAML")
    assert "feeds/bad.md" not in text.stdout and "\x1b" not in text.stdout
    tsv = _run(tmp_path, "validate", "feeds", "--format", "tsv").stdout.splitlines()
    assert [row.split("\t")[0] for row in tsv] == ["path", f"feeds/{SHOWN}"]
    records = json.loads(_run(tmp_path, "validate", "feeds", "--format", "json").stdout)["files"]
    assert {r["path"] for r in records} == {"feeds/bad.md", f"feeds/{HOSTILE}"}


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_listings_show_and_undo_write_the_sequence_as_escapes(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    url = 'webUrl: "https://x.example/a"\n'
    (feeds / "bad.md").write_text(f"---\ntitle: Storm closes the coast road\n{url}---\n")
    (feeds / HOSTILE).write_text(f"---\ntitle: Storm closes the coast road again\n{url}---\n")
    listed = _run(tmp_path, "list", "feeds").stdout.splitlines()
    assert sorted(row.split("\t")[-1] for row in listed[1:]) == ["feeds/bad.md", f"feeds/{SHOWN}"]
    paths = _run(tmp_path, "list", "feeds", "--columns", "path").stdout.splitlines()
    assert sorted(paths[1:]) == ["feeds/bad.md", f"feeds/{SHOWN}"]
    rows = [
        r.split("\t")
        for r in _run(tmp_path, "clusters", "feeds", "--format", "tsv").stdout.splitlines()
    ]
    assert {(r[7], r[9]) for r in rows[1:]} <= {
        ("feeds/bad.md", f"feeds/{SHOWN}"), (f"feeds/{SHOWN}", "feeds/bad.md"),
        ("feeds/bad.md", ""), (f"feeds/{SHOWN}", ""),
    }  # fmt: skip
    assert len(rows) == 3, rows  # (one story of the two: the same URL)
    shown = _run(tmp_path, "show", str(feeds / HOSTILE)).stdout
    assert SHOWN in shown and "\x1b" not in shown
    assert _run(tmp_path, "publish", "feeds", "--all", "-q").returncode == 0
    undone = _run(tmp_path, "undo")
    assert undone.returncode == 0
    assert f"feeds/{SHOWN}" in undone.stdout + undone.stderr
    assert "\x1b" not in undone.stdout + undone.stderr


def test_a_terminal_table_of_paths_writes_the_sequence_as_escapes(tmp_path: Path) -> None:
    """`list --columns path` on a terminal (a table): the same (it removed the sequence)."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "bad.md").write_text("---\ntitle: fine\n---\n")
    (feeds / HOSTILE).write_text("---\ntitle: also fine\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    code, screen = run_in_terminal(
        "list", "feeds", "--columns", "path,title", env=env, cwd=tmp_path
    )
    assert code == 0
    assert f"feeds/{SHOWN}" in screen and "feeds/bad.md" in screen
    assert "]0;x" not in screen.replace(f"feeds/{SHOWN}", "")
