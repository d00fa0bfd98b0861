"""`export --dedupe --fields ...,duplicates`: the other articles of each story, as the
whole records list them under "duplicates" (h26: `--fields duplicates` was an unknown
field, so a script wanting only a few fields lost the story's other articles). The
installed command; the whole records are the independent source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as newscli


def _article(title: str, url: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\npublishedDateTime: '2025-03-01T10:00:00Z'\n"
        f"originalUrl: {url}\nquality: 50\n{extra}---\n\nBody.\n"
    )


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dedupe_fields") / "feeds"
    folder.mkdir()
    (folder / "a.md").write_text(
        _article("Council approves budget", "https://x.example/s", "heat: 9\n")
    )
    (folder / "b.md").write_text(_article("Council approves budget again", "https://x.example/s"))
    (folder / "c.md").write_text(_article("Alone", "https://x.example/t", "duplicates: own\n"))
    return folder


def _export(feeds: Path, *args: str) -> tuple[int, str, str]:
    env = {"NEWSCLI_CACHE_DIR": str(feeds.parent / "cache")}
    done = newscli("export", str(feeds), *args, env=env)
    return done.returncode, done.stdout, done.stderr


def test_duplicates_as_the_whole_records_list_them(feeds: Path) -> None:
    code, whole, err = _export(feeds, "--dedupe")
    assert (code, err) == (0, "")
    expected = [{"title": r["title"], "duplicates": r["duplicates"]} for r in json.loads(whole)]
    assert [len(r["duplicates"]) for r in expected] == [1, 0]  # a story of two, one alone
    code, out, err = _export(feeds, "--dedupe", "--fields", "title,duplicates")
    assert (code, err) == (0, "")
    assert json.loads(out) == expected
    code, out, err = _export(feeds, "--dedupe", "--fields", "duplicates,title", "--format", "jsonl")
    assert (code, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == expected and all(list(r) == ["duplicates", "title"] for r in lines)


def test_a_files_own_duplicates_field_without_dedupe(feeds: Path) -> None:
    code, out, err = _export(feeds, "--fields", "title,duplicates", "--sort", "title")
    assert (code, err) == (0, "")
    assert [r["duplicates"] for r in json.loads(out)] == ["own", None, None]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_duplicates_is_for_json_only(feeds: Path, fmt: str) -> None:
    code, out, err = _export(feeds, "--dedupe", "--fields", "title,duplicates", "--format", fmt)
    said = (
        "newscli: error: --fields: 'duplicates' (a list of paths) is for --format json or jsonl\n"
    )
    assert (code, out, err) == (2, "", said)


def test_without_dedupe_and_no_file_having_it(tmp_path: Path, feeds: Path) -> None:
    (tmp_path / "a.md").write_text((feeds / "a.md").read_text())
    done = newscli("export", str(tmp_path), "--fields", "duplicates", "--no-cache")
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown field 'duplicates'; with --dedupe, JSON records have it" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_list_columns_take_duplicates_as_export_fields_do(
    tmp_path: Path, feeds: Path, fmt: str
) -> None:
    """h93 LOW: `list --format json` prints what export does, --columns as --fields, but
    `--columns title,duplicates` after --dedupe was an unknown field (where no file has
    a field of that name: c.md has one)."""
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text((feeds / name).read_text())
    args = ["--dedupe", "--no-cache", "--format", fmt]
    exported = newscli("export", str(tmp_path), *args, "--fields", "title,duplicates")
    assert (exported.returncode, exported.stderr) == (0, "")
    assert '"duplicates":["' in exported.stdout
    listed = newscli("list", str(tmp_path), *args, "--columns", "title,duplicates")
    assert (listed.returncode, listed.stderr, listed.stdout) == (0, "", exported.stdout)
