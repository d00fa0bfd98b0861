"""The outputs made from templates: HTML newsletter, email, Markdown digest, a user's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newscli.article.model import Article
from newscli.formats.feeds import FeedInfo
from newscli.formats.templating import context as contexts
from newscli.select.story_rules import StoryRules

if TYPE_CHECKING:
    from newscli.select.stories import Story

HTML = "newsletter.html"
TEXT = "email.txt"
MARKDOWN = "digest.md"


@dataclass(frozen=True)
class Selection:
    """What a template is given: the selected articles in export order, ``stories``
    (every article of their stories, after --dedupe the others too), the feed, the clock,
    the grouping and the --fields."""

    articles: Sequence[Article]
    feed: FeedInfo
    now: datetime
    group_by: str = "topic"
    fields: Sequence[str] = ()
    stories: Sequence[Article] | None = field(default=None)
    story_rules: StoryRules | None = None  # what joins a story (--same-story, ...)
    grouped: Sequence[Story] | None = None  # the stories the selection was made with

    def context(self) -> dict[str, Any]:
        return contexts.build(
            self.articles,
            feed=self.feed,
            now=self.now,
            group_by=self.group_by,
            fields=self.fields,
            story_articles=self.stories,
            story_rules=self.story_rules,
            stories=self.grouped,
        )


def render(template: str, selection: Selection, *, html: bool = False) -> str:
    """A template (a file or a built-in name) rendered with the selection's context;
    ``html`` (the output is HTML): every value escaped, whatever the template's name."""
    from newscli.formats.templating import engine

    return engine.render(template, selection.context(), html=html)


def email(selection: Selection, *, to: str, sender: str | None, html_template: str = HTML) -> str:
    """The MIME message: the text part from email.txt, the HTML part from the
    newsletter (or ``html_template``)."""
    from newscli.formats import email_digest
    from newscli.formats.templating import engine

    values = selection.context()
    text = engine.render(TEXT, values)
    html = engine.render(html_template, values, html=True)  # HTML, whatever the name
    return email_digest.message(
        selection.feed.title, text, html, to=to, sender=sender, now=selection.now
    )
