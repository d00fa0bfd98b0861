"""CSV and TSV header cells are field names taken from the files: inert cells too (a
leading ' before a formula start, one line each), like every data cell."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import run_cli, write

KEYS = '---\ntitle: ok\n"=HYPERLINK(\\"http://evil\\")": 1\n"-danger": 2\n"line\\nkey": 3\n---\n'


def test_hostile_field_names_are_inert_header_cells(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "keys.md", KEYS)
    for fmt, dialect in (("csv", csv.excel), ("tsv", csv.excel_tab)):
        result = run_cli("export", "feeds", "--format", fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        header, row = list(csv.reader(io.StringIO(result.stdout, newline=""), dialect))
        extra = header[len(header) - 3 :]
        # (a line break as its escape, as --fields' hints name it: h99)
        assert extra == ["'-danger", '\'=HYPERLINK("http://evil")', "line\\nkey"], (fmt, extra)
        assert row[len(row) - 3 :] == ["2", "1", "3"]  # the values stay under their names
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header)


def test_past_200_extra_columns_those_most_articles_have_stay(tmp_path: Path) -> None:
    """h58: the order of the cut was untested (the rarest kept passed): one file with
    250 junk keys, three with `editorNote`; the header keeps `editorNote`."""
    junk = "".join(f"junk{n:03}: {n}\n" for n in range(250))
    write(tmp_path / "f" / "junk.md", f"---\ntitle: J\n{junk}---\n")
    for n in range(3):
        write(tmp_path / "f" / f"n{n}.md", f"---\ntitle: N{n}\neditorNote: checked\n---\n")
    run = run_cli("export", "f", "--format", "csv", "--no-cache", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    header = next(csv.reader(io.StringIO(run.stdout)))
    assert "editorNote" in header and sum(h.startswith("junk") for h in header) == 199
    assert "51 fields" in run.stderr or "left out" in run.stderr, run.stderr
