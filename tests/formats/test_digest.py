"""newscli.formats.digest: the Markdown digest, grouped by topic, with inert text."""

from __future__ import annotations

from typing import Any

import pytest

from newscli.article.model import Article, article_from_mapping
from newscli.formats.digest import OTHER, TOPIC_SECTIONS, group_by_topic, markdown, md_text, md_url


def make(path: str = "a.md", **data: Any) -> Article:
    return article_from_mapping(path, {"title": path, **data})


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
        ("[a](b) <c> {d} #e +f !g |h ~i", r"\[a\]\(b\) \<c\> \{d\} \#e \+f \!g \|h \~i"),
        ("back\\slash", "back\\\\slash"),
        ("Q&amp;A &#60;b&#62;", r"Q\&amp;A \&\#60;b\&\#62;"),
        ("- list", r"\- list"),
        ("=== rule", r"\=== rule"),
        ("  trimmed  ", "trimmed"),
        ("line\nbreak\x1b[31m", "line break"),
        ("", ""),
        (None, ""),
    ],
)
def test_md_text(text: str | None, escaped: str) -> None:
    assert md_text(text) == escaped


def test_md_url_keeps_a_link_target_whole() -> None:
    assert md_url("https://a.example/x (1) y") == "https://a.example/x%20%281%29%20y"


def test_group_by_topic() -> None:
    a = make("a.md", topics=["space", "AI"])
    b = make("b.md", topics=["Space", "space", "Climate"])
    c = make("c.md")
    groups = group_by_topic([a, b, c])
    assert [(t, [x.path for x in members]) for t, members in groups] == [
        ("AI", ["a.md"]),
        ("Climate", ["b.md"]),
        ("space", ["a.md", "b.md"]),  # the first spelling seen, each article once
        (OTHER, ["c.md"]),
    ]
    assert group_by_topic([a]) == [("AI", [a]), ("space", [a])]  # no "Other" when empty


def test_an_article_is_listed_under_its_first_ten_topics_at_most() -> None:
    """h43: an article of 3,000 topics was repeated under each, and the newsletter
    passed its 512 MiB bound: none was sent. Its first TOPIC_SECTIONS distinct topics,
    in its own order, spellings alike counted once."""
    topics = ["Zed", "zed", *(f"T{n:02}" for n in range(20))]
    many, other = make("m.md", topics=topics), make("o.md", topics=["T15", "T05"])
    groups = dict(group_by_topic([many, other]))
    assert TOPIC_SECTIONS == 10
    assert sorted(t for t, members in groups.items() if many in members) == [
        "T00", "T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "Zed"
    ]  # fmt: skip
    assert groups["T15"] == [other] and groups["T05"] == [many, other]


def test_markdown_digest() -> None:
    articles = [
        make(
            "a.md",
            title="Rates [held]",
            webUrl="https://news.example/a (b)",
            provider={"name": "Harbor", "domain": "harbor.example"},
            publishedDateTime="2025-03-14T23:30:00-02:00",
            excerpt="*Big* news",
            topics=["Economy"],
        ),
        make(
            "b.md", title="No link", webUrl="javascript:alert(1)", provider={"domain": "d.example"}
        ),
        make("c.md", title="", topics=["Economy"]),
    ]
    assert markdown(articles, "This *week*").splitlines() == [
        "# This \\*week\\*",
        "",
        "## Economy",
        "",
        r"- **[Rates \[held\]](https://news.example/a%20%28b%29)** — Harbor, 2025-03-15",
        r"  \*Big\* news",
        "- **(untitled)**",
        "",
        "## Other",
        "",
        "- **No link** — d.example",
    ]


def test_markdown_without_articles() -> None:
    assert markdown([], "Empty") == "# Empty\n\nNo articles.\n"
