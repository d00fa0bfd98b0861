import io
from pathlib import Path

import pytest
from conftest import HOSTILE, check_golden
from rich.console import Console

from newscli.index.loader import load_paths
from newscli.select.query import Selection, select
from newscli.terminal.render import article_table


def render(articles, width: int, skipped: int = 0) -> str:
    console = Console(width=width, no_color=True, record=True, file=io.StringIO())
    console.print(article_table(articles, width, skipped))
    return console.export_text()


def test_sample_table_matches_golden(in_repo: Path) -> None:
    articles = select(load_paths(["sample_feeds"]).articles, Selection())
    check_golden("sample_feeds.table.txt", render(articles, 120))


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160, 250])
def test_table_fits_the_width(in_repo: Path, width: int) -> None:
    articles = select(load_paths(["sample_feeds"]).articles, Selection())
    lines = render(articles, width, skipped=2).splitlines()
    assert max(len(line) for line in lines) <= width
    footer = " ".join(line.strip() for line in lines[-3:])
    assert "18 articles (2 invalid files skipped, see stderr)" in footer
    assert "Title" in lines[0] and "Date (UTC)" in lines[0]


def test_hostile_titles_are_shown_literally() -> None:
    articles = load_paths([str(HOSTILE / "valid")]).articles
    text = render(articles, 200)
    assert "[bold red]Boom[/] [link=https://evil.example]click[/link] [/]" in text
    assert "RED click evil end" in text
    assert not any(c in text for c in "\x1b\x07\u202e")


@pytest.mark.parametrize("width", [50, 60, 80, 120, 200])
def test_clusters_and_field_tables_fit_and_keep_small_columns(in_repo: Path, width: int) -> None:
    from newscli.select.stories import group_stories
    from newscli.terminal.render import clusters_table, field_table

    articles = select(load_paths(["sample_feeds"]).articles, Selection())
    stories = [s for s in group_stories(articles) if s.duplicates]
    for table in (
        clusters_table(stories, width),
        field_table(articles, ["date", "quality", "provider.domain", "title"], None, width),
    ):
        console = Console(width=width, no_color=True, record=True, file=io.StringIO())
        console.print(table)
        lines = console.export_text().splitlines()
        assert max(len(line) for line in lines) <= width
        header = lines[0].split()
        assert header[0] in ("#", "date")
        assert ("Q" in header) or ("quality" in header)


def test_a_caption_wraps_to_the_screen_not_to_a_narrow_table(in_repo: Path) -> None:
    """h35: under a table narrower than its caption, the caption was wrapped to the
    table's width, a letter at a time ("18" / "article" / "s")."""
    from newscli.terminal.render import field_table

    articles = select(load_paths(["sample_feeds"]).articles, Selection())
    for width, caption in ((120, ["18 articles"]), (5, ["18", "arti…"])):
        console = Console(width=width, no_color=True, record=True, file=io.StringIO())
        console.print(field_table(articles, ["quality"], None, width))
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        assert max(len(line) for line in lines) <= width
        assert lines[-len(caption) :] == caption
        assert lines[0] == ("quality" if width > 7 else "…lity") and lines[2] == "84"


def test_the_clusters_table_names_the_article_each_one_joined(in_repo: Path) -> None:
    """h85 L1: the table said why an article joined but not with which, as TSV and JSON
    do (`with`): its Why cell names that article's provider."""
    from newscli.formats.records import clusters_tsv
    from newscli.select.stories import group_stories
    from newscli.terminal.render import clusters_table

    articles = select(load_paths(["sample_feeds"]).articles, Selection())
    stories = [s for s in group_stories(articles) if s.duplicates]
    console = Console(width=200, no_color=True, record=True, file=io.StringIO())
    console.print(clusters_table(stories, 200))
    text = console.export_text()
    by_path = {a.path: a for a in articles}
    rows = [line.split("\t") for line in clusters_tsv(stories).splitlines()[1:]]
    joins = [(row[6], row[8], row[9]) for row in rows if row[1] == "false"]
    assert joins
    for title, why, with_path in joins:  # (cross-checked with TSV's columns)
        line = next(line for line in text.splitlines() if title in line)
        assert line.rstrip().endswith(f"{why} · {by_path[with_path].provider_name}"), line


def test_a_provider_name_of_removed_characters_is_named_by_its_file() -> None:
    """h86 L1: a provider name made only of characters the terminal never shows (a
    zero-width space, a direction mark, a soft hyphen, an escape sequence) left the Why
    cell `related · ` with nothing after it: the file's name stands in, as for no name."""
    from newscli.article.model import article_from_mapping
    from newscli.terminal.render import _named

    for name in ("\u200b\u200e\u00ad", "\x1b[31m", "  ", ""):
        data = {"title": "t", "provider": {"name": name}}
        assert _named(article_from_mapping("feeds/odd0.md", data)) == "odd0.md", repr(name)
    data = {"title": "t", "provider": {"name": "AP\x1b[31m"}}
    assert _named(article_from_mapping("feeds/ap.md", data)) == "AP"


@pytest.mark.parametrize("width", [1, 2, 3, 5, 8, 9, 11, 12, 20, 33])
def test_every_table_fits_a_narrow_terminal(in_repo: Path, width: int) -> None:
    """h131 LOW: the grid's check against rich drew each table at its own width. Drawn
    on a console wider than the width it was fitted to (rich would crop a line too
    long), no row passes that width wherever its columns can have one cell each (a cell
    cut to `…`, where rich's Table squeezed columns to nothing); the caption is the
    console's, wrapped to it."""
    from rich.cells import cell_len

    from newscli.select.stories import group_stories
    from newscli.terminal.render import article_tables, clusters_table, field_table

    articles = select(load_paths(["sample_feeds", str(HOSTILE)]).articles, Selection())
    stories = [s for s in group_stories(articles) if s.duplicates]
    names = ["date", "quality", "provider", "story.id", "title", "path"]
    tables = list(article_tables(articles, width))  # (columns dropped down to the title)
    if width >= 5:  # (#, the star and the title, at least)
        tables.append(clusters_table(stories, width))
    if width >= 2 * len(names) - 1:
        tables.append(field_table(articles, names, None, width))
    for table in tables:
        console = Console(width=400, no_color=True, record=True, file=io.StringIO())
        console.print(table.table)
        lines = console.export_text().splitlines()
        assert lines and all(sum(map(cell_len, line)) <= width for line in lines), lines[:3]
