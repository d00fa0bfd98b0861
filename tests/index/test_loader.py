import os
from pathlib import Path

import pytest
from conftest import HOSTILE, article_text, write

from newscli.article.reading import load_file
from newscli.errors import PathNotFoundError
from newscli.index.discovery import discover
from newscli.index.loader import load_paths

# Every invalid fixture and a fragment of the reason it must be reported with.
EXPECTED_INVALID = {
    "alias-bomb.md": "anchors are not allowed",
    "alias-merge.md": "anchors are not allowed",
    "anchor-only.md": "anchors are not allowed",
    "bad-date.md": "publishedDateTime: not an RFC 3339",
    "bad-indentation.md": "invalid YAML",
    "broken-yaml.md": "invalid YAML",
    "control-character.md": "unacceptable character #x0007",
    "deep-nesting.md": "nests deeper",
    "duplicate-keys.md": "duplicate key 'published'",
    "empty-file.md": "no front matter",
    "empty-front-matter.md": "front matter is empty",
    "explicit-tag.md": "tags are not allowed",
    "front-matter-list.md": "not a mapping",
    "front-matter-scalar.md": "not a mapping",
    "heat-inf.md": "heat: expected a finite integer",
    "images-not-list.md": "images: expected a list of mappings",
    "impossible-date.md": "day is out of range",
    "local-tag.md": "tags are not allowed",
    "no-front-matter.md": "no front matter",
    "not-utf8.md": "not valid UTF-8",
    "nul-byte.md": "unacceptable character #x0000",
    "provider-string.md": "provider: expected a mapping",
    "published-null.md": "published: expected true or false",
    "published-string.md": "published: expected true or false",
    "python-tag.md": "tags are not allowed",
    "quality-bool.md": "quality: expected an integer",
    "quality-float.md": "quality: expected an integer",
    "quality-nan.md": "quality: expected a finite integer",
    "quality-out-of-range.md": "outside 0-100",
    "quality-string.md": "quality: expected an integer",
    "title-int.md": "title: expected a string",
    "title-missing.md": "title: missing",
    "topics-numbers.md": "topics: expected a list of strings",
    "topics-string.md": "topics: expected a list of strings",
    "unterminated.md": "not terminated",
}


def test_every_invalid_fixture_is_reported_with_its_reason() -> None:
    result = load_paths([str(HOSTILE / "invalid")])
    assert result.articles == []
    reasons = {Path(p.path).name: p.reason for p in result.problems}
    assert sorted(reasons) == sorted(EXPECTED_INVALID)
    for name, fragment in EXPECTED_INVALID.items():
        assert fragment in reasons[name], (name, reasons[name])


def test_every_valid_fixture_loads() -> None:
    result = load_paths([str(HOSTILE / "valid")])
    assert result.problems == []
    names = sorted(Path(a.path).name for a in result.articles)
    assert names == sorted(os.listdir(HOSTILE / "valid"))


def test_bom_and_crlf_files_read_like_plain_ones() -> None:
    for name in ("bom.md", "crlf.md", "bom-crlf.md"):
        article = load_file(str(HOSTILE / "valid" / name))
        assert article.title == "Fixture article"
        assert article.quality == 50
        assert article.topics == ("Testing",)


def test_recursive_discovery_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ["b.md", "a.markdown", "sub/c.md", "sub/deeper/d.MD", "notes.txt"]:
        write(tmp_path / rel, article_text())
    write(tmp_path / ".hidden" / "e.md", article_text())
    write(tmp_path / ".dotfile.md", article_text())
    files = discover([str(tmp_path)], [])
    rel = [os.path.relpath(f.path, tmp_path) for f in files]
    assert rel == ["a.markdown", "b.md", "sub/c.md", "sub/deeper/d.MD"]


def test_cache_keys_are_resolved_paths_however_the_folder_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ["b.md", "sub/c.md"]:
        write(tmp_path / "feeds" / rel, article_text())
    (tmp_path / "link").symlink_to(tmp_path / "feeds")
    monkeypatch.chdir(tmp_path)
    real = [os.path.realpath(tmp_path / "feeds" / rel) for rel in ["b.md", "sub/c.md"]]
    for spelling in ["feeds", "feeds/", "./feeds//", str(tmp_path / "feeds"), "link/"]:
        files = discover([spelling], [])
        assert [f.key for f in files] == real, spelling
        assert files[0].path.startswith(spelling.rstrip("/")), spelling


def test_explicit_file_is_loaded_whatever_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / ".draft.txt", article_text(title="Draft"))
    assert load_paths([str(path)]).articles[0].title == "Draft"


def test_symlink_loops_terminate_and_files_are_loaded_once(tmp_path: Path) -> None:
    write(tmp_path / "feed" / "a.md", article_text())
    os.symlink(tmp_path / "feed", tmp_path / "feed" / "loop")
    os.symlink(tmp_path / "feed" / "a.md", tmp_path / "feed" / "alias.md")
    result = load_paths([str(tmp_path / "feed"), str(tmp_path / "feed" / "a.md")])
    assert [os.path.basename(a.path) for a in result.articles] == ["a.md"]


def test_broken_symlink_is_reported(tmp_path: Path) -> None:
    os.symlink(tmp_path / "missing.md", tmp_path / "dangling.md")
    result = load_paths([str(tmp_path)])
    assert [p.reason for p in result.problems] == ["cannot read: broken symbolic link"]


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.md", article_text(title="Readable"))
    secret = write(tmp_path / "secret.md", article_text())
    real_open = os.open

    def deny(file, *args, **kwargs):  # tests run as root, so chmod 000 would not stop us
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("os.open", deny)
    result = load_paths([str(tmp_path)])
    assert [a.title for a in result.articles] == ["Readable"]
    assert result.problems[0].reason == "cannot read: Permission denied"


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    found = load_paths([str(tmp_path)]).problems  # never opened: one line, and on
    assert [(p.path, p.reason) for p in found] == [(str(fifo), "not a regular file")]
    result = load_paths([str(fifo)])
    assert result.problems[0].reason == "not a regular file"


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(PathNotFoundError):
        load_paths([str(tmp_path / "nope")])


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with open(path, "wb") as handle:
        handle.write(article_text().encode())
        handle.truncate(17 << 20)
    result = load_paths([str(path)])
    assert "larger than 16 MiB" in result.problems[0].reason


def test_file_that_grew_since_its_size_was_taken_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newscli.article.reading as reading

    path = write(tmp_path / "a.md", article_text(title="T" * 5000))
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 10  # st_size: what the file held a moment ago
        return os.stat_result(info)

    monkeypatch.setattr(reading.os, "fstat", stale_fstat)
    assert reading.read_bytes(str(path)) == path.read_bytes()
    assert load_file(str(path)).title == "T" * 5000


def test_a_file_named_before_its_folder_keeps_its_cache_row(tmp_path: Path) -> None:
    """`newscli list F/one/a.md F`: the walk of F leaves a.md out of its folder's files
    (it was found first), so the cache's pruning must count it as walked: its row kept,
    nothing parsed again (it was deleted on every run; a warm story field then lost
    the file: found by the day's review)."""
    from newscli.index.cache import IndexCache

    for name in ("a", "b"):
        write(tmp_path / "F" / "one" / f"{name}.md", article_text(title=f"Title {name}"))
    write(tmp_path / "F" / "c.md", article_text(title="Title c"))
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None
    paths = [str(tmp_path / "F" / "one" / "a.md"), str(tmp_path / "F")]
    first = load_paths(paths, cache=cache, jobs=1)
    assert first.parsed == 3 and len(first.articles) == 3
    for _ in range(2):
        again = load_paths(paths, cache=cache, jobs=1)
        assert again.parsed == 0
        assert [a.path for a in again.articles] == [a.path for a in first.articles]
    # A change below F still prunes what is gone, and only that.
    (tmp_path / "F" / "c.md").unlink()
    gone = load_paths(paths, cache=cache, jobs=1)
    assert gone.parsed == 0 and len(gone.articles) == 2
    assert load_paths(paths, cache=cache, jobs=1).parsed == 0
    cache.close()
