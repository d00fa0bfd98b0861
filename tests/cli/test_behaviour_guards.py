"""Behaviours the README promises, each pinned at its boundaries (issue 12, section 2).

Each test here was checked by breaking the code it guards on purpose and watching it
fail; the docstrings say which change it catches.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, run_cli, write

import newscli.edit.atomic as atomic
import newscli.edit.editing as editing
import newscli.edit.locking as locking
from newscli.article.model import Article, article_from_mapping
from newscli.article.timeparse import parse_duration, parse_moment, parse_timestamp
from newscli.errors import InvalidArticleError, QueryError
from newscli.formats.feeds import FeedInfo, atom, rss, web_url
from newscli.formats.tabular import csv_chunks, spreadsheet_cell
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.sanitize import clean
from newscli.select.query import Query, Selection, run_query, select, sort_articles
from newscli.select.stories import dedupe, normalise_url
from newscli.select.where import compile_where

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def make(path: str = "x.md", **data: Any) -> Article:
    return article_from_mapping(path, {"title": path, **data})


def holds(expression: str, article: Article, extra: dict[str, str] | None = None) -> bool:
    return compile_where(expression, extra)(article, NOW)


# --- --match ---------------------------------------------------------------------------


def test_match_is_case_insensitive_both_ways() -> None:
    """Breaks if re.IGNORECASE is dropped from --match."""
    upper = make("u.md", title="MOON LANDER TOUCHES DOWN")
    lower = make("l.md", title="quiet week", excerpt="a moon lander in the excerpt")
    other = make("o.md", title="Markets", excerpt="Nothing lunar")
    chosen = select([upper, lower, other], Selection(match=r"\bMoon\s+Lander\b"))
    assert {a.path for a in chosen} == {"u.md", "l.md"}
    assert select([upper], Selection(match="^moon lander touches down$")) == [upper]
    assert select([other], Selection(match="moon")) == []


def test_match_on_the_command_line_is_case_insensitive(tmp_path: Path) -> None:
    write(tmp_path / "a.md", article_text(title="SOLAR Storm"))
    write(tmp_path / "b.md", article_text(title="Rain"))
    result = run_cli("list", str(tmp_path), "--match", "solar", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert [row.split("\t")[6] for row in rows] == ["SOLAR Storm"]


# --- the default order -----------------------------------------------------------------


def test_date_ties_are_broken_by_path_whatever_the_load_order() -> None:
    """Breaks if the path is dropped from the default sort key (the order of loading,
    z before a here, would show through)."""
    same = "2025-03-01T10:00:00Z"
    loaded = [
        make("feeds/z.md", publishedDateTime=same),
        make("feeds/m.md", publishedDateTime="2025-03-02T00:00:00Z"),
        make("feeds/b.md"),  # no date: last
        make("feeds/a/y.md", publishedDateTime=same),
        make("feeds/a.md"),
        make("feeds/old.md", publishedDateTime="1960-01-01T00:00:00Z"),  # before 1970
    ]
    expected = [
        "feeds/m.md", "feeds/a/y.md", "feeds/z.md", "feeds/old.md", "feeds/a.md", "feeds/b.md"
    ]  # fmt: skip
    assert [a.path for a in sort_articles(loaded, ())] == expected
    assert [a.path for a in select(loaded, Selection())] == expected
    assert [a.path for a in run_query(loaded, Query(), NOW).articles] == expected


def test_date_ties_by_path_on_the_command_line(tmp_path: Path) -> None:
    """The walk loads a folder's own files before its subfolders' (z.md before
    a/y.md), and named files in the order given: the output is still in path order."""
    feeds = tmp_path / "feeds"
    same = "2025-03-01T10:00:00Z"
    write(feeds / "z.md", article_text(title="Z", date=same))
    write(feeds / "a" / "y.md", article_text(title="Y", date=same))
    write(feeds / "c.md", article_text(title="C", date=same))
    for args in ([str(feeds)], [str(feeds / "z.md"), str(feeds / "c.md"), str(feeds / "a")]):
        result = run_cli("list", *args, "--format", "tsv")
        assert result.returncode == 0, result.stderr
        titles = [row.split("\t")[6] for row in result.stdout.splitlines()[1:]]
        assert titles == ["Y", "C", "Z"], args


# --- --where ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "quality", "expected"),
    [
        ("quality <= 50", 50, True),
        ("quality <= 50", 51, False),
        ("quality <= 50", 49, True),
        ("quality >= 50", 50, True),
        ("quality >= 50", 49, False),
        ("quality >= 50", 51, True),
        ("quality < 50", 50, False),
        ("quality > 50", 50, False),
        ("50 >= quality", 50, True),
        ("50 <= quality", 50, True),
    ],
)
def test_where_bounds_at_exactly_the_bound(expression: str, quality: int, expected: bool) -> None:
    """Breaks if <= / >= become strict (or the reverse)."""
    assert holds(expression, make(quality=quality)) is expected


def test_where_date_and_age_bounds_at_exactly_the_bound() -> None:
    at = make(publishedDateTime="2025-03-13T00:00:00Z")  # exactly 7 days before NOW
    assert holds("date >= 2025-03-13T00:00:00Z", at)
    assert holds("date <= 2025-03-13", at)
    assert not holds("date < 2025-03-13", at)
    assert not holds("date > 2025-03-13T00:00:00Z", at)
    assert holds("age >= 7d", at) and holds("age <= 1w", at)
    assert not holds("age < 7d", at) and not holds("age > 1w", at)


def test_not_regex_on_a_missing_value_is_false() -> None:
    """Missing values satisfy no comparison, `!~` included. Breaks if `!~` treats a
    missing value as "does not match"."""
    bare = make()  # no excerpt, no provider
    assert not holds("excerpt !~ 'x'", bare)
    assert not holds("excerpt =~ 'x'", bare)
    assert not holds("provider.name !~ 'x'", bare)
    assert holds("not (excerpt =~ 'x')", bare)
    assert holds("excerpt = null", bare)
    present = make(excerpt="something")
    assert holds("excerpt !~ 'x'", present)
    assert not holds("excerpt !~ 'some'", present)


def test_true_is_not_equal_to_one() -> None:
    """YAML true and 1 are different values (Python says True == 1). Breaks if the
    boolean check in equality is dropped."""
    extra = {"flag": "any"}
    yes, one, zero, no = (make(flag=v) for v in (True, 1, 0, False))
    assert holds("flag = true", yes, extra) and not holds("flag = 1", yes, extra)
    assert holds("flag = 1", one, extra) and not holds("flag = true", one, extra)
    assert not holds("flag = 0", no, extra) and not holds("flag = false", zero, extra)
    assert holds("flag != 1", yes, extra) and holds("flag != true", one, extra)
    assert not holds("flag in [1, 2]", yes, extra) and holds("flag in [1, 2]", one, extra)
    listed = make(flag=[1, 2])
    assert not holds("flag contains true", listed, {"flag": "list"})
    assert holds("flag contains 1", listed, {"flag": "list"})


def test_true_is_not_one_in_a_whole_query() -> None:
    articles = [make("a.md", flag=True), make("b.md", flag=1)]
    query = Query(Selection(where="flag = 1"))
    assert [a.path for a in run_query(articles, query, NOW).articles] == ["b.md"]
    query = Query(Selection(where="flag = true"))
    assert [a.path for a in run_query(articles, query, NOW).articles] == ["a.md"]


# --- story URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "https://m.news.example/a/story",
        "https://M.News.Example/a/story/",
        "http://www.news.example/a/story?utm_source=x",
        "https://news.example/a/story?UTM_source=x",
        "https://m.news.example/a/story?UTM_SOURCE=rss&Utm_Medium=feed",
        "https://news.example/a/story?utm_Campaign=1#ref=rss",  # (a fragment of parameters)
    ],
)
def test_mobile_hosts_and_utm_parameters_in_any_case_are_ignored(variant: str) -> None:
    """Breaks if `m.` is not stripped or the tracking test is case-sensitive."""
    assert normalise_url(variant) == "news.example/a/story"


def test_other_parameters_and_hosts_still_count() -> None:
    base = normalise_url("https://news.example/a/story")
    assert normalise_url("https://news.example/a/story?id=3") != base
    assert normalise_url("https://news.example/a/story?UTMsource=x") != base  # no underscore
    assert normalise_url("https://mx.news.example/a/story") != base
    assert normalise_url("https://news.example.m/a/story") != base


def test_mobile_and_tracked_urls_make_one_story() -> None:
    articles = [
        make("a.md", webUrl="https://m.news.example/s?UTM_Source=app", quality=10),
        make("b.md", originalUrl="https://www.news.example/s/", quality=90),
        make("c.md", webUrl="https://news.example/other", quality=50),
    ]
    kept, duplicates = dedupe(articles)
    assert sorted(a.path for a in kept) == ["b.md", "c.md"]
    assert duplicates == {"b.md": ["a.md"]}


# --- clean() ---------------------------------------------------------------------------


def test_unicode_line_and_paragraph_separators_are_line_breaks() -> None:
    """U+2028 / U+2029 become spaces like \\n. Breaks if they are dropped from the
    line-break class (they would pass through raw)."""
    assert clean("a\u2028b\u2029c") == "a b c"
    assert clean("\u2028") == " "
    assert clean("x\r\ny\x85z\u2029") == "x  y z "
    for char in "\u2028\u2029":
        assert char not in clean(f"title{char}injected: line")


# --- publish verification --------------------------------------------------------------


def test_a_published_line_inside_a_quoted_scalar_is_no_key(
    tmp_path: Path, under_lock: None
) -> None:
    """The only `published:` line continues a quoted title: rewriting it would parse,
    but change the title (and not set the flag; h91: where it read `true` already, it
    was rewritten to itself and the article never marked). The parsed front matter has
    no `published` key: one is added, the title kept."""
    path = write(tmp_path / "a.md", '---\ntitle: "Hello\npublished: true\n  world"\n---\n')
    editing.set_published(str(path), True)
    assert (
        path.read_bytes()
        == b'---\ntitle: "Hello\npublished: true\n  world"\npublished: true\n---\n'
    )


def test_an_edit_that_parses_but_changes_another_field_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, under_lock: None
) -> None:
    """The result sets `published` as asked but also changes the title: refused.
    Breaks if verification looks only at `published` (or only at parsing)."""
    path = write(tmp_path / "a.md", "---\ntitle: Old\npublished: false\n---\nbody\n")
    before = path.read_bytes()
    real = editing.rewrite_published

    def sloppy(raw: bytes, value: bool, present: bool = False) -> bytes:
        return real(raw, value, present).replace(b"title: Old", b"title: New")

    import newscli.edit.transforms as transforms  # publish's transform lives there

    monkeypatch.setattr(transforms, "rewrite_published", sloppy)
    with pytest.raises(editing.EditRefusedError, match="could not be verified"):
        editing.set_published(str(path), True)
    assert path.read_bytes() == before
    monkeypatch.setattr(transforms, "rewrite_published", real)
    assert editing.set_published(str(path), True).changed
    assert path.read_bytes() == before.replace(b"published: false", b"published: true")


# --- atomic replace --------------------------------------------------------------------


def test_the_folder_is_fsynced_after_the_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data is fsynced before the rename and the folder after it (so the rename
    itself survives a crash). Breaks if the folder fsync is dropped or moved."""
    target = tmp_path / "out.json"
    target.write_text("old")
    opened: dict[int, str] = {}
    events: list[tuple[str, str]] = []
    real_open, real_fsync, real_replace = os.open, os.fsync, os.replace

    def spy_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        opened[fd] = os.fspath(path)
        return fd

    def spy_fsync(fd: int) -> None:
        events.append(("fsync", opened.get(fd, "?")))
        real_fsync(fd)

    def spy_replace(src: Any, dst: Any) -> None:
        events.append(("replace", os.fspath(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "replace", spy_replace)
    atomic.write_atomic(str(target), b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"new"
    assert len(events) == 3, events
    (kind1, tmp), (kind2, replaced), (kind3, folder) = events
    assert kind1 == "fsync" and Path(tmp).parent == tmp_path and tmp != str(target)
    assert (kind2, replaced) == ("replace", str(target))
    assert (kind3, Path(folder)) == ("fsync", tmp_path)


# --- locks -----------------------------------------------------------------------------


def _lock_both(first: str, second: str, mine: Any, theirs: Any, wait: float) -> None:
    """Child process: lock [first, second]; after taking a first lock, signal and give
    the other process a moment to take its own first lock (the deadlock window)."""
    real = locking._acquire
    taken = 0

    def acquire(folder: str, deadline: float) -> int:
        nonlocal taken
        fd = real(folder, deadline)
        taken += 1
        if taken == 1:
            mine.set()
            theirs.wait(1.0)
        return fd

    locking._acquire = acquire  # type: ignore[assignment]
    try:
        with locking.folder_locks([first, second], wait=wait):
            pass
    except locking.LockBusyError:
        os._exit(3)
    os._exit(0)


def test_two_processes_locking_folders_in_opposite_order_do_not_deadlock(
    tmp_path: Path,
) -> None:
    """Breaks if the folders are locked in the order given instead of a fixed order:
    each process would hold one lock and wait for the other's until --wait runs out."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    ctx = multiprocessing.get_context("fork")
    first_in, second_in = ctx.Event(), ctx.Event()
    wait = 5.0
    procs = [
        ctx.Process(target=_lock_both, args=(str(a), str(b), first_in, second_in, wait)),
        ctx.Process(target=_lock_both, args=(str(b), str(a), second_in, first_in, wait)),
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=30)
    stuck = [p for p in procs if p.is_alive()]
    for proc in stuck:
        proc.kill()
        proc.join()
    assert not stuck, "a process hung"
    assert [p.exitcode for p in procs] == [0, 0]
    assert time.monotonic() - started < wait


# --- durations and offsets -------------------------------------------------------------


def test_a_week_is_seven_days() -> None:
    """Breaks if `w` is not 604800 seconds."""
    assert parse_duration("1w") == timedelta(days=7)
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration("1W") == parse_duration("7d") == parse_duration("168h")
    assert parse_moment("1w", NOW) == datetime(2025, 3, 13, tzinfo=timezone.utc)
    week = [make("in.md", publishedDateTime="2025-03-13T00:00:00Z")]
    week.append(make("out.md", publishedDateTime="2025-03-12T23:59:59Z"))
    since = parse_moment("1w", NOW)
    assert [a.path for a in select(week, Selection(since=since))] == ["in.md"]


@pytest.mark.parametrize("offset", ["+25:00", "-25:00", "+24:00", "+2500", "+23:60", "+99"])
def test_an_impossible_utc_offset_is_rejected(offset: str) -> None:
    """Breaks if offsets of 24 hours or more (or 60 minutes) are accepted."""
    with pytest.raises(ValueError, match="offset"):
        parse_timestamp(f"2025-01-01T00:00:00{offset}")
    with pytest.raises(InvalidArticleError, match="publishedDateTime"):
        make(publishedDateTime=f"2025-01-01T00:00:00{offset}")


def test_the_largest_utc_offsets_are_accepted() -> None:
    assert parse_timestamp("2025-01-01T23:59:00+23:59") == datetime(
        2025, 1, 1, 0, 0, tzinfo=timezone.utc
    )
    assert parse_timestamp("2025-01-01T00:00:00-23:59") == datetime(
        2025, 1, 1, 23, 59, tzinfo=timezone.utc
    )


# --- CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("\r=1+1", "' =1+1"),
        ("\rplain", "' plain"),
        ("\tplain", "' plain"),
        ("=1+1", "'=1+1"),
        ("a\r=1", "a =1"),  # not at the start: one line, no guard needed
        ("plain", "plain"),
    ],
)
def test_a_cell_starting_with_cr_is_guarded(text: str, cell: str) -> None:
    """Breaks if CR is dropped from the formula starts (the cleaned cell starts with a
    space, so only the raw text shows the CR)."""
    assert spreadsheet_cell(text) == cell


def test_a_cr_title_is_guarded_in_a_csv_export() -> None:
    article = make("a.md", title="\r=cmd|' /C calc'!A0", quality=5)
    text = "".join(csv_chunks([article], ["title", "quality"], NOW))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["title", "quality"], ["' =cmd|' /C calc'!A0", "5"]]


# --- feed links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript://news.example/%0aalert(1)",
        "ftp://news.example/a",
        "data:text/html,<b>x</b>",
        "/relative/path",
        "//news.example/no-scheme",
        "news.example/a",
        "https://",
        "https://news.example/a\x07b",
        "https://news.example/\x1b[31mred",
        "https://news.example/a\tb",
        "https://news.example/a\nb",
        "https://news.example/\u202eevil",
        "https://news.example/a\x85b",
        "",
        None,
    ],
)
def test_feed_links_refuse_anything_but_absolute_http_urls(url: str | None) -> None:
    """Breaks if the scheme test or the control-character test is dropped."""
    assert web_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://news.example/a", "HTTP://news.example/a?b=1#c", " https://x.example/ "]
)
def test_feed_links_keep_absolute_http_urls(url: str) -> None:
    assert web_url(url) == url.strip()


def test_bad_urls_become_no_link_in_feeds() -> None:
    bad = make("bad.md", webUrl="javascript:alert(1)")
    ctl = make("ctl.md", webUrl="https://news.example/a\x07b")
    good = make("good.md", webUrl="https://news.example/good")
    info = FeedInfo(link="ftp://news.example/")
    with pytest.raises(QueryError):  # RSS needs a channel link: ftp: is none
        rss([bad, ctl, good], info)
    channel = ET.fromstring(rss([bad, ctl, good], FeedInfo(link="https://n.example/")))
    channel = channel.find("channel")
    assert channel is not None
    links = [item.findtext("link") for item in channel.iter("item")]
    assert links == [None, None, "https://news.example/good"]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(atom([bad, ctl, good], info))
    hrefs = [
        [link.get("href") for link in e.findall("a:link", ns)] for e in feed.iterfind("a:entry", ns)
    ]
    assert hrefs == [[], [], ["https://news.example/good"]]
    ids = [e.findtext("a:id", namespaces=ns) for e in feed.iterfind("a:entry", ns)]
    assert ids[0].startswith("tag:") and ids[1].startswith("tag:")  # type: ignore[union-attr]
    assert ids[2] == "https://news.example/good"


# --- field types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"provider": {"name": "X", "domain": 5}}, "provider.domain"),
        ({"provider": {"domain": ["a.example"]}}, "provider.domain"),
        ({"provider": {"domain": True}}, "provider.domain"),
        ({"provider": {"name": 3}}, "provider.name"),
        ({"provider": "X"}, "provider"),
        ({"tags": "news"}, "tags"),
        ({"tags": ["a", 1]}, "tags"),
        ({"tags": [None]}, "tags"),
        ({"tags": {"a": 1}}, "tags"),
        ({"categories": "news"}, "categories"),
    ],
)
def test_provider_domain_and_tags_have_their_types_checked(
    data: dict[str, Any], field: str
) -> None:
    """Breaks if provider.domain or tags is no longer type-checked."""
    with pytest.raises(InvalidArticleError) as caught:
        make(**data)
    assert caught.value.field == field
    assert caught.value.reason.startswith(f"{field}: expected ")


def test_well_typed_provider_and_tags_are_kept() -> None:
    article = make(provider={"name": "X", "domain": "x.example"}, tags=["a", "b"])
    assert article.provider_domain == "x.example"
    assert make(tags=None, provider={"domain": None}).provider_domain is None


# --- the cache sees every change -------------------------------------------------------


def _open_cache(folder: Path) -> IndexCache:
    cache, warning = IndexCache.open(str(folder))
    assert cache is not None and warning is None
    return cache


def _titles(paths: list[Path], cache: IndexCache) -> list[str]:
    result = load_paths([str(p) for p in paths], cache=cache, jobs=1)
    assert result.problems == []
    return [a.title for a in result.articles]


def _rewrite_in_place(path: Path, text: str) -> None:
    """New content, same inode, same mtime: only the size tells."""
    info = path.stat()
    with open(path, "r+", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.truncate()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (info.st_ino, info.st_mtime_ns)
    assert after.st_size != info.st_size


@pytest.mark.parametrize("named", [False, True], ids=["in-a-folder", "named-file"])
def test_a_file_changed_only_in_size_is_read_again(tmp_path: Path, named: bool) -> None:
    """Breaks if the size is left out of the stamps the cache compares."""
    path = write(tmp_path / "feeds" / "a.md", article_text(title="Short"))
    target = [path if named else path.parent]
    cache = _open_cache(tmp_path / "cache")
    assert _titles(target, cache) == ["Short"]
    assert _titles(target, cache) == ["Short"]  # now from the cache
    _rewrite_in_place(path, article_text(title="A much longer title"))
    assert _titles(target, cache) == ["A much longer title"]


@pytest.mark.parametrize("named", [True, False], ids=["named-file", "in-a-folder"])
def test_a_file_with_a_new_inode_is_read_again(tmp_path: Path, named: bool) -> None:
    """Same size, same mtime, new inode (replaced by a rename): read again. Breaks if
    the inode is left out of the stamps a named file is checked against."""
    path = write(tmp_path / "feeds" / "a.md", article_text(title="Old A"))
    target = [path if named else path.parent]
    cache = _open_cache(tmp_path / "cache")
    assert _titles(target, cache) == ["Old A"]
    assert _titles(target, cache) == ["Old A"]
    info = path.stat()
    keep = tmp_path / "old-inode.md"
    os.link(path, keep)  # the old inode stays in use, so it cannot be reused
    fresh = write(tmp_path / "feeds" / ".new", article_text(title="New B"))
    os.utime(fresh, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(fresh, path)
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert after.st_ino != info.st_ino
    assert _titles(target, cache) == ["New B"]
