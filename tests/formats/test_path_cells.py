"""A path in a table, CSV, TSV or HTML cell is escaped, never cleaned (h94 MED, h93 LOW):
cleaning dropped an escape sequence or a bidi control from a file name, so the cell named
another, existing file (`bad<ESC>]0;x<BEL>.md` as `bad.md`, beside a real `bad.md`), as
`list`'s TSV already did not. Through the installed command; the real parsers (csv, the
HTML's text) read the cells back."""

from __future__ import annotations

import csv
import io
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
