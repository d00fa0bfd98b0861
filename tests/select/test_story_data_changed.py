"""Story data of an article whose export text changed since it was loaded (another run
stored its new version): made from its title and excerpt alone, never stopping the run
(h158 MED: a grouping of every loaded article stopped whole exports, html, email and
--dedupe, under churn)."""

from __future__ import annotations

from typing import Any

import pytest

from newscli.article.model import Article
from newscli.article.record import StoredText
from newscli.errors import ArticleChangedError
from newscli.select.story_data import story_data


class Stored:
    """A store whose text is of another version than the one selected."""

    def export(self, key: str) -> tuple[str, bytes]:
        return '{"title":"New","webUrl":"https://news.example/new"}', b"new"

    def prefetch(self, keys: Any) -> None:
        return None

    def forget(self, key: str) -> None:
        return None


def test_story_data_of_an_article_changed_since_loaded_is_its_title_alone() -> None:
    text = StoredText(Stored(), "/feeds/a.md", str, "feeds/a.md", version=b"old")
    article = Article(path="feeds/a.md", data={}, title="Old title", export_text=text)
    with pytest.raises(ArticleChangedError):
        text()
    (data,) = story_data([article])
    assert data[0] == ()  # (no URL of either version)
    same = Article(path="feeds/a.md", data={}, title="Old title")
    assert data == story_data([same])[0]
