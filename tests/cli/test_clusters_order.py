"""`newscli clusters`: paging applies once, to the stories; --sort orders the stories by
their kept articles (newest first by default), through the installed command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, write

from newscli.index.loader import load_paths
from newscli.select.query import parse_sort
from newscli.select.stories import clusters as clusters_of

NEWSCLI = Path(sys.executable).parent / "newscli"

# Three stories of two articles each, plus a lone article (never a cluster). The kept
# articles (a1, b1, c1: the better quality) give a different order for every sort key.
# One URL's copies of one title are published within hours (a day apart they would be a
# recurring headline's days: select/url_copies.py).
STORIES = {
    # name: (title, date, quality, heat, provider)
    "a1": ("Alpha", "2025-03-10T10:00:00Z", 90, 10, "Zeta"),
    "a2": ("Alpha again", "2025-03-10T11:00:00Z", 40, 5, "Other"),
    "b1": ("Bravo", "2025-03-10T12:00:00Z", 50, 500, "Mid"),
    "b2": ("Bravo again", "2025-03-10T13:00:00Z", 30, 5, "Other"),
    "c1": ("Charlie", "2025-03-10T08:00:00Z", 70, 200, "Able"),
    "c2": ("Charlie again", "2025-03-10T15:00:00Z", 20, 5, "Other"),
    "d1": ("Delta alone", "2025-03-10T20:00:00Z", 99, 999, "Solo"),
}


def _article(name: str) -> str:
    title, date, quality, heat, provider = STORIES[name]
    story = name[0]
    tracking = "?utm_source=feed" if name.endswith("2") else ""
    return (
        f'---\ntitle: "{title}"\npublishedDateTime: {date}\nquality: {quality}\n'
        f"heat: {heat}\nprovider:\n  name: {provider}\n"
        f'webUrl: "https://news.example/{story}{tracking}"\n---\n'
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for name in STORIES:
        write(tmp_path / "feeds" / f"{name}.md", _article(name))
    return tmp_path


def clusters(corpus: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("clusters", "feeds", "--no-cache", *args, cwd=corpus)
    assert result.returncode == 0, result.stderr
    return result


def kept(corpus: Path, *args: str) -> list[str]:
    """The kept article of each story shown, in order."""
    stories = json.loads(clusters(corpus, *args, "--format", "json").stdout)
    return [Path(story["kept"]).stem for story in stories]


def test_default_order_is_newest_kept_article_first(corpus: Path) -> None:
    assert kept(corpus) == ["b1", "a1", "c1"]


SORTED = {
    "date": ["b1", "a1", "c1"],
    "date:asc": ["c1", "a1", "b1"],
    "quality": ["a1", "c1", "b1"],
    "quality:asc": ["b1", "c1", "a1"],
    "heat": ["b1", "c1", "a1"],
    "title": ["a1", "b1", "c1"],
    "provider": ["c1", "b1", "a1"],
    "provider:desc": ["a1", "b1", "c1"],
}


def test_sort_orders_stories_by_their_kept_article(corpus: Path) -> None:
    articles = load_paths([str(corpus / "feeds")]).articles
    for sort, expected in SORTED.items():
        stories = clusters_of(articles, parse_sort([sort]))
        assert [Path(s.kept.path).stem for s in stories] == expected, sort
    for sort in ("quality:asc", "provider", "title"):  # the command passes --sort on
        assert kept(corpus, "--sort", sort) == SORTED[sort], sort


def test_offset_and_limit_page_the_stories_once(corpus: Path) -> None:
    assert kept(corpus, "--offset", "1") == ["a1", "c1"]
    assert kept(corpus, "--offset", "1", "--limit", "1") == ["a1"]
    assert kept(corpus, "--offset", "2") == ["c1"]
    assert kept(corpus, "--offset", "3") == []
    assert kept(corpus, "--limit", "2") == ["b1", "a1"]
    assert kept(corpus, "--sort", "quality", "--offset", "1", "--limit", "1") == ["c1"]


def test_each_story_lists_its_kept_article_first(corpus: Path) -> None:
    stories = json.loads(clusters(corpus, "--format", "json").stdout)
    assert [[Path(a["path"]).stem for a in s["articles"]] for s in stories] == [
        ["b1", "b2"],
        ["a1", "a2"],
        ["c1", "c2"],
    ]
    assert [s["story"] for s in stories] == [1, 2, 3]
    rows = [line.split("\t") for line in clusters(corpus, "--sort", "title").stdout.splitlines()]
    assert rows[0][:2] == ["story", "kept"]
    assert [(r[0], r[1], Path(r[7]).stem) for r in rows[1:]] == [
        ("1", "true", "a1"), ("1", "false", "a2"),
        ("2", "true", "b1"), ("2", "false", "b2"),
        ("3", "true", "c1"), ("3", "false", "c2"),
    ]  # fmt: skip
