"""A quality or heat that YAML 1.1 (which newscli reads files with) and YAML 1.2 read
as different things is refused, naming both (h136 LOW: `quality: 1:30` was taken as 90,
base 60; `017` as 15, octal, where YAML 1.2 reads 17; `5_0` as 50, where YAML 1.2 reads
text). Forms both read alike (`0x32`, `+5`, `007`) are taken; other fields keep YAML
1.1's value, as before. Through the installed command, with the cache and without."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from newscli.article.frontmatter_yaml import fast_load_yaml, load_yaml_full
from newscli.article.yaml_scalars import Yaml11Int


@pytest.mark.parametrize(
    ("written", "value"),
    [("1:30", 90), ("017", 15), ("5_0", 50), ("0b101", 5), ("-0x10", -16), ("+0_1", 1)],
)
@pytest.mark.parametrize("field", ["quality", "heat"])
@pytest.mark.parametrize("cache", ["--no-cache", None])
def test_a_number_yaml_12_reads_otherwise_is_refused(
    tmp_path: Path, written: str, value: int, field: str, cache: str | None
) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: t\n{field}: {written}\n---\n", "utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: u\nquality: 50\n---\n", "utf-8")
    args = ["export", str(tmp_path), "--format", "jsonl", "--cache-dir", str(tmp_path / "c")]
    for _ in range(2):  # (the second run from the cache, where it is used)
        done = run_cli(*args, *([cache] if cache else []))
        assert done.returncode == 0
        assert [json.loads(line)["title"] for line in done.stdout.splitlines()] == ["u"]
        assert done.stderr == (
            f"{tmp_path / 'a.md'}: {field}: {written!r} is {value} in YAML 1.1 but not in"
            " YAML 1.2; write the number in plain decimal digits\n"
        )


@pytest.mark.parametrize(("written", "value"), [("0x32", 50), ("+5", 5), ("007", 7), ("00", 0)])
def test_a_number_both_read_alike_is_taken(tmp_path: Path, written: str, value: int) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: t\nquality: {written}\n---\n", "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "jsonl", "--no-cache")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["quality"] == value


def test_other_fields_keep_yaml_11s_value(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: t\nscore: 1:30\n017: x\n---\n", "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "jsonl", "--no-cache")
    assert (done.returncode, done.stderr) == (0, "")
    want = {"title": "t", "score": 90, "15": "x", "path": str(tmp_path / "a.md")}
    assert json.loads(done.stdout) == want


@pytest.mark.parametrize("written", ["1:30", "017", "5_0", "0x1F", "12", "007"])
def test_the_fast_path_and_the_loader_mark_alike(written: str) -> None:
    text = f"a: {written}\nb: [{written}]\n"
    fast, full = fast_load_yaml(text), load_yaml_full(text)
    marked = written in ("1:30", "017", "5_0")
    assert [type(full["a"]) is Yaml11Int, type(full["b"][0]) is Yaml11Int] == [marked] * 2
    if fast is not None:  # (the fast path declines some forms: the loader reads them)
        assert fast == full
        assert [type(fast["a"]), type(fast["b"][0])] == [type(full["a"]), type(full["b"][0])]
