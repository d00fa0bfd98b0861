"""stats counts each distinct topic list once (issue 15): the same counts and spellings
as counting article by article."""

from collections import Counter
from typing import Any

from conftest import property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.article.model import Article
from newscli.formats import stats

TOPIC = st.sampled_from(["AI", "ai", "Ai", "Space", "", "(None)", "(none)", "Straße", "STRASSE"])


def by_article(articles: list[Article]) -> list[dict[str, Any]]:
    """The topics of stats.compute, counted article by article (the former code)."""
    topics = [t for a in articles for t in dict.fromkeys(t.casefold() for t in a.topics)]
    spelled = {t.casefold(): t for a in reversed(articles) for t in reversed(a.topics)}
    counter: Counter[str] = Counter()
    names: dict[str, str] = {}
    for value in (spelled[t] for t in topics):
        label = value if value else "(none)"
        names.setdefault(label.casefold(), label)
        counter[label.casefold()] += 1
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"name": names[key], "count": count} for key, count in ordered]


@settings(max_examples=property_examples(40), deadline=None)
@given(st.lists(st.lists(TOPIC, max_size=4), max_size=12))
def test_topic_counts_are_those_of_each_article(lists: list[list[str]]) -> None:
    articles = [Article(f"{i}.md", "t", {}, topics=tuple(t)) for i, t in enumerate(lists)]
    assert stats.compute(articles)["topics"] == by_article(articles)
