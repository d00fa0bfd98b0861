import random

import pytest
from conftest import property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.article.model import article_from_mapping
from newscli.select.stories import dedupe, group_stories, normalise_url


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.kotatv.com/2023/12/21/study/", "kotatv.com/2023/12/21/study"),
        ("http://kotatv.com/2023/12/21/study", "kotatv.com/2023/12/21/study"),
        ("https://www.kotatv.com/2023/12/21/study/?outputType=amp", "kotatv.com/2023/12/21/study"),
        (
            "https://www-kotatv-com.cdn.ampproject.org/c/s/www.kotatv.com/2023/12/21/study/",
            "kotatv.com/2023/12/21/study",
        ),
        ("https://amp.theguardian.com/tech/x", "theguardian.com/tech/x"),
        ("https://www.theguardian.com/tech/x?ref=upstract.com", "theguardian.com/tech/x"),
        ("https://x.example/a/amp/", "x.example/a"),
        ("https://X.Example/a?utm_source=rss&utm_medium=feed&id=7#xtor=RSS", "x.example/a?id=7"),
        # a fragment naming a part of the page is kept (a live blog's post: h68 1, h69 4),
        # a page's own places, trackers' and text fragments are not (h69 3)
        ("https://x.example/live/#post-1", "x.example/live#post-1"),
        ("https://x.example/live#/post?id=101", "x.example/live#/post?id=101"),
        ("https://X.Example/a?utm_source=rss&id=7#top", "x.example/a?id=7"),
        ("https://x.example/a#more-1234", "x.example/a"),
        ("https://x.example/a#comments", "x.example/a"),
        ("https://x.example/a#ixzz8AbCdEf", "x.example/a"),
        ("https://x.example/a#.VxYz12Ab.twitter", "x.example/a"),
        ("https://x.example/a#:~:text=storm", "x.example/a"),
        ("https://x.example/a#Echobox=1699&ref=rss", "x.example/a"),
        ("https://x.example/a#sthash.AbCdEf12.dpuf", "x.example/a"),  # (h70 6)
        ("https://x.example/a#storylink=cpy", "x.example/a"),
        ("https://x.example/a#_=_", "x.example/a"),
        ("https://x.example/a#gsc.tab=0", "x.example/a"),
        ("https://x.example/live#post-1:~:text=Georgia", "x.example/live#post-1"),
        ("https://x.example/a?b=2&a=1", "x.example/a?a=1&b=2"),
        ("mailto:someone@x.example", None),
        ("not a url", None),
    ],
)
def test_normalise_url(url: str, key: str | None) -> None:
    assert normalise_url(url) == key


def art(path: str, **data):
    return article_from_mapping(path, {"title": path, **data})


def test_same_story_by_url_variant_and_by_related() -> None:
    a = art("a.md", webUrl="https://www.one.example/story/", quality=50)
    b = art("b.md", ampWebUrl="https://one.example/story?outputType=amp", quality=70)
    c = art(
        "c.md",
        webUrl="https://two.example/x",
        related=[{"title": "t", "webUrl": "https://www.one.example/story?utm_source=a"}],
    )
    d = art("d.md", webUrl="https://three.example/other", quality=99)
    kept, duplicates = dedupe([a, b, c, d])
    assert sorted(k.path for k in kept) == ["b.md", "d.md"]
    assert duplicates == {"b.md": ["a.md", "c.md"]}


def test_best_is_quality_then_heat_then_newest() -> None:
    url = {"webUrl": "https://s.example/1", "title": "Council approves the budget"}
    older = art("older.md", quality=60, heat=5, publishedDateTime="2025-01-01T01:00Z", **url)
    newer = art("newer.md", quality=60, heat=5, publishedDateTime="2025-01-01T02:00Z", **url)
    hotter = art("hotter.md", quality=60, heat=9, publishedDateTime="2025-01-01T00:00Z", **url)
    better = art("better.md", quality=61, heat=-1, **url)
    assert group_stories([older, newer, hotter])[0].kept.path == "hotter.md"
    assert group_stories([older, newer])[0].kept.path == "newer.md"
    assert group_stories([older, newer, hotter, better])[0].kept.path == "better.md"


URLS = [f"https://{h}.example/{p}" for h in ("a", "b", "www.a") for p in ("x", "y", "x/")]


@settings(max_examples=property_examples(100), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(URLS),
            st.lists(st.sampled_from(URLS), max_size=2),
            st.none() | st.integers(0, 100),
        ),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_dedupe_does_not_depend_on_file_order(specs, rnd: random.Random) -> None:
    articles = [
        art(f"{i:02}.md", webUrl=url, quality=q, related=[{"webUrl": r} for r in related])
        for i, (url, related, q) in enumerate(specs)
    ]
    kept, duplicates = dedupe(articles)
    shuffled = articles[:]
    rnd.shuffle(shuffled)
    kept2, duplicates2 = dedupe(shuffled)
    assert sorted(a.path for a in kept) == sorted(a.path for a in kept2)
    assert duplicates == duplicates2
    covered = [a.path for a in kept] + [p for ps in duplicates.values() for p in ps]
    assert sorted(covered) == sorted(a.path for a in articles)  # a partition


@settings(max_examples=property_examples(100), deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(URLS), st.lists(st.sampled_from(URLS), max_size=2)),
        min_size=2,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_which_articles_a_join_names_does_not_depend_on_file_order(
    specs, rnd: random.Random
) -> None:
    """h37: `clusters`' "joined with" changed with the order of the paths given (the
    URL joins took the first article in that order)."""
    articles = [
        art(
            f"{i:02}.md",
            title=f"Harbour cranes story {i}",
            webUrl=url,
            related=[{"webUrl": r} for r in related],
        )
        for i, (url, related) in enumerate(specs)
    ]

    def links(given: list) -> list:
        return sorted(
            sorted((link.a.path, link.b.path, link.by) for link in story.links)
            for story in group_stories(given)
        )

    shuffled = articles[:]
    rnd.shuffle(shuffled)
    assert links(shuffled) == links(articles)


def test_a_list_naming_two_stories_names_one_in_any_file_order() -> None:
    """CI (3.13, the property above): a list naming two stories, joined already, named
    the one whose first article came first in the order the files were given."""
    specs = [
        *[("https://a.example/x", [])] * 6,
        ("https://a.example/x", ["https://b.example/x"]),
        ("https://a.example/y", ["https://a.example/x", "https://b.example/x"]),
        ("https://b.example/x", []),
    ]
    articles = [
        art(f"{i:02}.md", title=f"Harbour cranes story {i}", webUrl=url,
            related=[{"webUrl": r} for r in related])
        for i, (url, related) in enumerate(specs)
    ]  # fmt: skip

    def links(given: list) -> list:
        return sorted(
            sorted((link.a.path, link.b.path, link.by) for link in story.links)
            for story in group_stories(given)
        )

    found = {str(links(random.Random(seed).sample(articles, len(articles)))) for seed in range(40)}
    assert len(found) == 1 and "'related'" in found.pop()
