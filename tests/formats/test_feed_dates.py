"""Feeds and digests are functions of their articles: never of the clock.

The cron recipe rewrites the feed on every run; with nothing new it must come out
byte-identical (HTTP caches, rsync and readers then see no change).
"""

from pathlib import Path

import feedparser
import pytest
from conftest import write
from typer.testing import CliRunner

from newscli.cli import app

CLOCKS = ("2025-03-20T00:00:00Z", "2031-07-01T12:34:56Z")


def export(folder: Path, fmt: str, now: str) -> str:
    result = CliRunner().invoke(
        app,
        ["export", str(folder), "-f", fmt, "--now", now, "--no-cache"]
        + (["--feed-link", "https://news.example/"] if fmt == "rss" else []),
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def feeds_folder(tmp_path: Path, dated: bool = True) -> Path:
    folder = tmp_path / "feeds"
    folder.mkdir()
    if dated:
        write(folder / "a.md", '---\ntitle: "Dated"\npublishedDateTime: 2025-03-14T09:12:00Z\n'
              "updatedDateTime: 2025-03-15T10:00:00Z\n---\n")  # fmt: skip
        write(folder / "b.md", '---\ntitle: "Older"\npublishedDateTime: 2025-03-01\n---\n')
    write(folder / "c.md", '---\ntitle: "No date at all"\nwebUrl: "https://x.example/c"\n---\n')
    return folder


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("fmt", ["rss", "atom", "markdown"])
@pytest.mark.parametrize("case", ["dated", "undated", "empty"])
def test_the_same_articles_give_the_same_bytes_whatever_the_clock(
    tmp_path: Path, fmt: str, case: str
) -> None:
    folder = feeds_folder(tmp_path, dated=case == "dated")
    if case == "empty":
        (folder / "c.md").unlink()
    first, second = (export(folder, fmt, now) for now in CLOCKS)
    assert first == second
    assert "2031" not in first and "2025-03-20" not in first and "20 Mar 2025" not in first


def test_feed_dates_come_from_the_newest_article(tmp_path: Path) -> None:
    folder = feeds_folder(tmp_path)
    rss = feedparser.parse(export(folder, "rss", CLOCKS[1]))
    assert not rss.bozo
    assert rss.feed.updated == "Sat, 15 Mar 2025 10:00:00 GMT"  # lastBuildDate
    atom = feedparser.parse(export(folder, "atom", CLOCKS[1]))
    assert not atom.bozo
    assert atom.feed.updated == "2025-03-15T10:00:00Z"
    undated = next(e for e in atom.entries if e.title == "No date at all")
    assert undated.updated == "1970-01-01T00:00:00Z"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "lastBuildDate" not in export(empty, "rss", CLOCKS[0])
    assert feedparser.parse(export(empty, "atom", CLOCKS[0])).feed.updated == (
        "1970-01-01T00:00:00Z"
    )
