"""FileData (an article's export JSON and typed front matter, read on demand): what it
reads again from the file must be the version the run selected (h155 F3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import article_text, write

from newscli.errors import ArticleChangedError
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths

IMAGES = '\nimages:\n  - url: "https://img.example/{}.jpg"\n---\n'


def _article(title: str, image: str) -> str:
    return article_text(title=title).replace("\n---\n", IMAGES.format(image))


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no cache"])
@pytest.mark.parametrize("change", ["rewritten", "removed", "same text"])
def test_the_typed_front_matter_read_again_is_of_the_version_selected(
    tmp_path: Path, cached: bool, change: str
) -> None:
    """`--fields title,images` takes images from the file, parsed again as the record
    is written: a file rewritten since the selection gave a title of one version and
    images of another. Now the typed front matter is checked against the version
    selected (the cache's, or the text kept without one): another raises, and the
    outputs leave the article out. Fails without the check."""
    path = write(tmp_path / "feeds" / "a.md", _article("Old title", "old"))
    cache = None
    if cached:
        cache, _ = IndexCache.open(str(tmp_path / "cache"))
        load_paths([str(tmp_path / "feeds")], cache=cache, jobs=1)  # (stored)
    (article,) = load_paths([str(tmp_path / "feeds")], cache=cache, jobs=1).articles
    if change == "rewritten":
        path.write_text(_article("New title", "new"))
    elif change == "removed":
        path.unlink()
    else:
        path.write_text(path.read_text())
        os.utime(path, ns=(1, 1))
    if change == "same text":
        assert article.data["images"] == [{"url": "https://img.example/old.jpg"}]
        return
    with pytest.raises(ArticleChangedError, match=r"a\.md: changed since this run selected it"):
        article.data["images"]
