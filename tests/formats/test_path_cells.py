"""A path in a table, CSV, TSV or HTML cell is escaped, never cleaned (h94 MED, h93 LOW):
cleaning dropped an escape sequence or a bidi control from a file name, so the cell named
another, existing file (`bad<ESC>]0;x<BEL>.md` as `bad.md`, beside a real `bad.md`), as
`list`'s TSV already did not. Through the installed command; the real parsers (csv, the
HTML's text) read the cells back."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from conftest import run_cli, write

HOSTILE = "bad\x1b]0;x\x07.md"
SHOWN = "./bad\\x1b]0;x\\x07.md"


def _folder(tmp_path: Path) -> Path:
    write(tmp_path / HOSTILE, "---\ntitle: hostile\npublishedDateTime: 2025-03-02T00:00:00Z\n---\n")
    write(
        tmp_path / "bad.md", "---\ntitle: innocent\npublishedDateTime: 2025-03-01T00:00:00Z\n---\n"
    )
    return tmp_path


@pytest.mark.parametrize("fields", [[], ["--fields", "title,path"]], ids=["default", "fields"])
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_path_cell_names_its_own_file(tmp_path: Path, fmt: str, fields: list[str]) -> None:
    done = run_cli("export", ".", "--format", fmt, *fields, "--no-cache", cwd=_folder(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert {row["title"]: row["path"] for row in rows} == {"hostile": SHOWN, "innocent": "./bad.md"}
    assert "\x1b" not in done.stdout


def test_an_html_field_names_its_own_file(tmp_path: Path) -> None:
    done = run_cli("export", ".", "--format", "html", "--fields", "path", "--no-cache",
                   cwd=_folder(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = re.findall(r'<p class="fields">path: ([^<]*)</p>', done.stdout)
    assert sorted(shown) == sorted([SHOWN, "./bad.md"])


def test_the_clusters_table_names_the_file_joined_with(tmp_path: Path) -> None:
    title = "Dam bursts after heavy rain{} villages flooded downstream"
    write(tmp_path / "a.md", f'---\ntitle: "{title.format(",")}"\n'
          "publishedDateTime: 2025-03-01T10:00:00Z\n---\n")  # fmt: skip
    write(tmp_path / "c\u202e.md", f'---\ntitle: "{title.format(";")}"\n'
          "publishedDateTime: 2025-03-01T11:00:00Z\n---\n")  # fmt: skip
    done = run_cli("clusters", ".", "--format", "table", "--no-cache", cwd=tmp_path,
                   env={"COLUMNS": "150"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "similar 1.00 · c\\u202e.md" in done.stdout and "\u202e" not in done.stdout


def test_a_backslash_in_a_name_is_written_twice(tmp_path: Path) -> None:
    """h95 MED: `bs<ESC>.md` and a file named `bs\\x1b.md` (a backslash, then x1b) were
    both shown `bs\\x1b.md`, and so were a name with the byte 0xff and one spelled
    `\\udcff`: a backslash in a name is now written twice, so no two paths read alike
    (list, export's CSV and TSV, validate's report)."""
    article = "---\ntitle: t{}\npublishedDateTime: 2025-03-0{}T00:00:00Z\n---\n"
    names = [b"bs\x1b.md", b"bs\\x1b.md", b"e\xffz.md", b"e\\udcffz.md"]
    for n, name in enumerate(names):
        (tmp_path / os.fsdecode(name)).write_bytes(article.format(n, n + 1).encode())
    (tmp_path / os.fsdecode(b"inv\x1b.md")).write_bytes(b"---\ntitle: [\n---\n")
    (tmp_path / "inv\\x1b.md").write_bytes(article.format(9, 9).encode())
    shown = {"./bs\\x1b.md", "./bs\\\\x1b.md", "./e\\udcffz.md", "./e\\\\udcffz.md",
             "./inv\\\\x1b.md"}  # fmt: skip
    for args in (["list", ".", "--format", "tsv", "--columns", "path"],
                 ["export", ".", "--format", "tsv", "--fields", "path"],
                 ["export", ".", "--format", "csv", "--fields", "path"]):  # fmt: skip
        done = run_cli(*args, "--no-cache", cwd=tmp_path)
        assert set(done.stdout.split()[1:]) == shown, args
    report = run_cli("validate", ".", "--no-cache", cwd=tmp_path)
    assert report.returncode == 1
    assert "./inv\\x1b.md:" in report.stdout and "./inv\\\\x1b.md:" not in report.stdout
