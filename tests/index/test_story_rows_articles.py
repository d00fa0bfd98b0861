"""story_rows.articles: the Articles of the files asked for, from their cache rows as
a load makes them, read by name folder by folder; None as soon as one is not there as walked
(another version, an invalid file, no row)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, write

from newscli.article.model import Article
from newscli.index import story_rows
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths


def _walked(tmp_path: Path) -> tuple[IndexCache, story_rows.Walked, dict[str, Article]]:
    for folder, count in (("big", 90), ("small", 3)):  # more and fewer than FEW files
        for i in range(count):
            write(tmp_path / "feeds" / folder / f"a{i:03}.md", article_text(title=f"{folder} {i}"))
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None
    loaded = load_paths([str(tmp_path / "feeds")], cache=cache)
    assert len(loaded.articles) == 93
    files = story_rows.walked_files(loaded.groups, set())
    return cache, files, {a.path: a for a in loaded.articles}


def _values(article: Article) -> list[Any]:
    return [getattr(article, f.name) for f in fields(article) if f.name != "export_text"]


@pytest.mark.parametrize("at_once", [1, 7, 500])  # names a query: a folder in many or one
def test_the_articles_asked_for_are_those_a_load_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: int
) -> None:
    monkeypatch.setattr(story_rows, "NAMED_AT_ONCE", at_once)
    cache, files, loaded = _walked(tmp_path)
    asked = [i for i in range(len(files.paths)) if i % 3 != 1]
    made = story_rows.articles(cache, files, asked)
    assert made is not None and sorted(made) == asked
    for i, article in made.items():
        assert article.path == files.paths[i]
        assert _values(article) == _values(loaded[article.path])
    cache.close()


@pytest.mark.parametrize("at_once", [7, 500])
def test_a_file_not_as_walked_gives_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: int
) -> None:
    monkeypatch.setattr(story_rows, "NAMED_AT_ONCE", at_once)
    cache, files, _ = _walked(tmp_path)
    every = list(range(len(files.paths)))
    for n in (0, len(every) - 1):  # in the big folder, in the small one
        stamps = list(files.stamps)
        stamps[n] = stamps[n]._replace(mtime_ns=stamps[n].mtime_ns + 1)
        assert story_rows.articles(cache, files._replace(stamps=stamps), every) is None
        keys = list(files.keys)
        keys[n] = keys[n][:-3] + "-gone.md"  # no row at all
        assert story_rows.articles(cache, files._replace(keys=keys), every) is None
    assert story_rows.articles(cache, files, every) is not None
    cache.close()
