"""h111 MED: a front-matter key that holds dots itself (`"a.b": v5`, a spreadsheet-like
`"=HYPERLINK(\\"http://e.example\\")"`) was listed by `fields` and given a CSV column,
but its value was never found: the cell, `--columns` and `--where` had nothing. It is
now found where the path's next key is missing; a nested value (`a: {b: 2}`) still
wins, as the README says. Through the installed command, warm and without the cache."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "k.md").write_text(
        '---\ntitle: dotted\n"a.b": v5\n"x.y": {z: deep}\n"=F(\\"e.example\\")": yes\n---\n',
        encoding="utf-8",
    )
    (keys / "n.md").write_text(
        '---\ntitle: both\n"a.b": flat\na: {b: nested}\n---\n', encoding="utf-8"
    )
    (keys / "o.md").write_text("---\ntitle: none\n---\n", encoding="utf-8")
    # h112, h113: beside another key of its first part (a mapping, a number, null)
    (keys / "s.md").write_text(
        '---\ntitle: beside\n"a.b": side\na: {c: 1}\n"x.": xd\n"y..z": yz\ny: {z: 1}\n---\n',
        encoding="utf-8",
    )
    (keys / "u.md").write_text('---\ntitle: nul\n"a.b": un\na: null\n---\n', encoding="utf-8")
    return keys


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["warm", "no-cache"])
def test_a_key_holding_dots_is_found(folder: Path, cache: list[str]) -> None:
    for _ in range(2):  # (the first run fills the cache, the second reads it)
        done = run_cli("export", str(folder), "-f", "csv", "--fields",
                       'title,a.b,x.y.z,=F("e.example")', *cache)  # fmt: skip
        assert done.returncode == 0, done.stderr
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert (rows["dotted"]["a.b"], rows["dotted"]["x.y.z"]) == ("v5", "deep")
    assert rows["dotted"]['\'=F("e.example")'] == "true"
    assert rows["both"]["a.b"] == "nested"  # the nested value wins
    assert rows["none"]["a.b"] == ""
    assert (rows["beside"]["a.b"], rows["nul"]["a.b"]) == ("side", "un")
    shown = run_cli("list", str(folder), "--columns", "title,a.b", "--sort", "title", *cache)
    assert shown.stdout.splitlines()[1:] == [
        "beside\tside",
        "both\tnested",
        "dotted\tv5",
        "none\t",
        "nul\tun",
    ]
    odd = run_cli("export", str(folder), "--fields", "title,x.,y..z", "--where",
                  'title = "beside"', "--format", "json", *cache)  # fmt: skip
    assert odd.stdout.split() == ["[", '{"title":"beside","x.":"xd","y..z":"yz"}', "]"]
    for where, title in [('a.b = "v5"', "dotted"), ('x.y.z = "deep"', "dotted"),
                         ('a.b = "nested"', "both"), ('a.b = "side"', "beside")]:  # fmt: skip
        found = run_cli("list", str(folder), "--where", where, "--columns", "title", *cache)
        assert found.returncode == 0, found.stderr
        assert found.stdout.splitlines()[1:] == [title], where
