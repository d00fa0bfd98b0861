"""Why an article joined its story: the evidence that joined it and the article it was
joined to, with that pair's own score (never a side's first article, never the score
against the story's core)."""

from __future__ import annotations

from typing import Any

from newscli.article.model import Article, article_from_mapping
from newscli.formats.records import clusters_tsv
from newscli.select.similarity import words
from newscli.select.stories import group_stories

HERBALIFE = "Herbalife news: four need to know facts about the company"
JETBLUE = "American Airlines and JetBlue end interline agreement"


def art(name: str, title: str, hour: int, **extra: Any) -> Article:
    data = {
        "title": title,
        "webUrl": f"https://{name}.example/story",
        "publishedDateTime": f"2014-03-10T{hour:02d}:00:00Z",
        "provider": {"name": f"Outlet {name}"},
        **extra,
    }
    return article_from_mapping(f"{name}.md", data)


def corpus() -> list[Article]:
    related = [{"title": "Herbalife", "webUrl": "https://a.example/story"}]
    return [
        art("a", HERBALIFE, 1),
        art("b", "American Airlines and JetBlue divorce", 2, related=related),
        art("c", "American Airlines, JetBlue end interline agreement", 3),
        art("d", JETBLUE, 4),
        art("e", "American Airlines and JetBlue to end interline agreement", 5),
    ]


def test_each_reason_names_the_evidence_and_the_article_it_joined() -> None:
    articles = corpus()
    titles = {a.path: a.title for a in articles}
    (story,) = [s for s in group_stories(articles) if s.duplicates]
    assert {a.path for a in story.articles} == set(titles)
    joined = {path: (via.path, link) for path, (via, link) in story.joined().items()}
    assert len(joined) == 4
    assert joined["a.md"][0] == "b.md" and joined["a.md"][1].reason() == "related"
    for path, (via, link) in joined.items():
        if path == "a.md":
            continue
        assert link.by == "similar", (path, via)
        shared = words(titles[path]) & words(titles[via])
        assert shared and "herbal" not in shared, (path, via)  # titles that do match
        assert link.score is not None and 0 < link.score <= 1
        if words(titles[path]) == words(titles[via]):
            assert link.score == 1.0  # their own cosine, not one with the whole story
    assert sum(link.score == 1.0 for _, link in joined.values()) >= 2  # c, d, e: same words


def test_clusters_table_says_a_related_with_b() -> None:
    rows = [line.split("\t") for line in clusters_tsv(group_stories(corpus())).splitlines()[1:]]
    reasons = {row[7]: (row[8], row[9]) for row in rows if row[1] == "false"}
    assert reasons["a.md"] == ("related", "b.md")
    assert len(reasons) == 4  # the kept article (e, the newest) has no reason
    for path in {"b.md", "c.md", "d.md", "e.md"} & set(reasons):
        assert reasons[path][0].startswith("similar "), path
        assert reasons[path][1] in {"b.md", "c.md", "d.md", "e.md"} - {path}


def _chain_and_url(n: int) -> list[Article]:
    """n articles in a `related` chain and n of one URL: the two sides share only the
    numbers 10 and up, which the first members of each side do not have (h10)."""
    found = []
    for i in range(n):
        related = [{"webUrl": f"https://c.example/{i + 1}"}] if i < n - 1 else []
        data = {
            "title": f"Chain item {i} unique{i} words{i} here{i}",
            "publishedDateTime": f"2025-03-01T00:00:{i:02d}Z",
            "webUrl": f"https://c.example/{i}",
            "related": related,
        }
        found.append(article_from_mapping(f"c{i:05}.md", data))
    for i in range(n):
        data = {
            "title": f"Same url story {i} zq{i}",  # ("url story": two words, one article)
            "publishedDateTime": "2025-03-02T00:00:00Z",
            "webUrl": f"https://www.same.example/x?utm_source={i}",
        }
        found.append(article_from_mapping(f"u{i:05}.md", data))
    return found


def test_a_similar_join_names_a_pair_that_shares_words_beyond_the_first_members() -> None:
    """The sides joined by words their first members (4 and 16) do not have: the pair
    named shares a word and has its own cosine (it was the first pair, score 0.00)."""
    articles = _chain_and_url(15)
    titles = {a.path: a.title for a in articles}
    stories = [s for s in group_stories(articles) if s.duplicates]
    similar = [
        (path, via.path, link)
        for s in stories
        for path, (via, link) in s.joined().items()
        if link.by == "similar"
    ]
    assert similar, "the sides were not joined: the case tests nothing"
    for path, via, link in similar:
        assert words(titles[path]) & words(titles[via]), (path, via)
        assert link.score is not None and link.score > 0, (path, via)
