"""story.id (stories.attach): each member's key read from its story data, in batches,
is its smallest normalised URL, its time and its story data's sum, else its path, with and
without the index cache, for articles with several URLs, none, or a URL that only normalises."""

import hashlib
import os
from pathlib import Path

import pytest
from conftest import run_cli, write

from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.story_cache import data_sum
from newscli.select import stories
from newscli.select.fields import STORY_VALUES
from newscli.select.story_data import story_data

ARTICLES = {
    "a": 'webUrl: "https://www.x.example/z/?utm_source=q"\noriginalUrl: "https://x.example/b"',
    "b": 'webUrl: "https://x.example/b"',  # the same story as a (a's smaller URL)
    "c": "",  # no URL: its path names it
    "d": 'webUrl: "https://y.example/d"\nampWebUrl: "https://y.example/d/amp"',
}


@pytest.mark.parametrize("cached", [False, True])
def test_story_ids_from_story_data_are_member_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    monkeypatch.setattr(stories, "KEY_BATCH", 3)  # batches end inside the folder
    for n, (name, urls) in enumerate(ARTICLES.items()):
        text = f'---\ntitle: "Story {name} {n}"\npublishedDateTime: 2025-01-01T0{n}:00:00Z\n'
        write(tmp_path / "f" / f"{name}.md", text + urls + "\n---\n")
    cache = IndexCache.open(str(tmp_path / "cache"))[0] if cached else None
    try:
        for _ in range(2 if cached else 1):  # cold, then from the cache's stored data
            articles = load_paths([str(tmp_path / "f")], cache=cache, jobs=1).articles
            grouped = stories.group_stories(articles)
            stories.attach(grouped)
            ids = {Path(path).stem: values["id"] for path, values in STORY_VALUES.items()}
            expected = {Path(a.path).stem: stories.story_id(s) for s in grouped for a in s.articles}
            assert ids == expected and len(set(ids.values())) == 3  # a and b: one story
            keys = stories.member_keys(articles)
            digest = data_sum(story_data(articles[:1])[0]).hex()  # its URL, time, data
            assert keys[0] == f"x.example/b\x001735689600000000\x00{digest}"
            assert keys[2].endswith("/f/c.md")
    finally:
        if cache is not None:
            cache.close()


def test_story_id_of_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """A file without a URL is named by its path; a name that is not UTF-8 (its bytes
    kept as surrogates) gave an internal error on every story.id query: now its bytes
    make the id (the same with and without the cache, and from the cache's rows)."""
    folder = tmp_path / "f"
    folder.mkdir()
    name = os.fsdecode(b"bad\xffname.md")
    (folder / name).write_text("---\ntitle: Weird name\n---\n", encoding="utf-8")
    write(folder / "ok.md", '---\ntitle: Fine one\nwebUrl: "https://x.example/1"\n---\n')
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        run_cli("list", str(folder), "--columns", "path,story.id", *more, env=env)
        for more in ([], [], ["--no-cache"])
    ]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    key = os.path.normpath(str(folder / name)).encode("utf-8", "surrogateescape")
    assert hashlib.sha1(key).hexdigest()[:12] in runs[0].stdout


SECTION = [  # three stories an outlet's feed gave its section's page as their link (h54)
    ("w1", "Earthquake hits northern Chile", "08", "https://paper3.example/world/"),
    ("w2", "Elections called in Portugal", "09", "https://paper3.example/world/?utm_source=rss"),
    ("w3", "Floods displace thousands in Bangladesh", "10", "https://www.paper3.example/world"),
]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("dated", ["hours", "one instant", "none"])
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_stories_sharing_a_url_that_joined_nothing_have_ids_of_their_own(
    tmp_path: Path, cache: list[str], dated: str
) -> None:
    """h54: the three had one story.id (made of the URL alone), so `--where 'story.id =
    ...'` selected all three, and a template's stories printed one id thrice; h57: the
    same without dates (an undated member is named by its URL and its path); h59: the
    same with one date and no time (named by its URL, its time and its story data)."""
    for name, title, hour, url in SECTION:
        when = {
            "hours": f"publishedDateTime: 2025-09-01T{hour}:00:00Z\n",
            "one instant": "publishedDateTime: 2025-09-01\n",
            "none": "",
        }[dated]
        write(tmp_path / "sect" / f"{name}.md", f'---\ntitle: "{title}"\n{when}'
              f"webUrl: {url}\n---\n")  # fmt: skip
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm (the ids from the cache's rows)
        listed = run_cli("list", "sect", "--format", "tsv", "--columns", "path,story.id,story.size",
                         *cache, cwd=tmp_path, env=env)  # fmt: skip
        rows = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
        assert [size for _, _, size in rows] == ["1", "1", "1"], listed.stdout
        assert len({story_id for _, story_id, _ in rows}) == 3, listed.stdout
        path, first, _ = rows[0]
        picked = run_cli("list", "sect", "--where", f"story.id = '{first}'", "--format", "tsv",
                         "--columns", "path", *cache, cwd=tmp_path, env=env)  # fmt: skip
        assert picked.stdout.splitlines()[1:] == [path], picked.stdout


def test_a_damaged_sum_in_the_cache_gives_the_same_ids(tmp_path: Path) -> None:
    """story.id names a member by its story data's sum; the cache's stored sum is used
    only while it is the sum of the stored data (a damaged one: the data is made again),
    so the ids are those made without the cache."""
    import sqlite3

    for name, title, _, url in SECTION:
        write(tmp_path / "sect" / f"{name}.md", f'---\ntitle: "{title}"\n'
              f"publishedDateTime: 2025-09-01\nwebUrl: {url}\n---\n")  # fmt: skip
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    argv = ["list", "sect", "--format", "tsv", "--columns", "path,story.id"]
    cold = run_cli(*argv, cwd=tmp_path, env=env)
    db = sqlite3.connect(tmp_path / "cache" / "index.sqlite3")
    with db:
        changed = db.execute("UPDATE story_data3 SET sum = x'00'").rowcount
    db.close()
    assert changed == 3
    warm = run_cli(*argv, cwd=tmp_path, env=env)
    plain = run_cli(*argv, "--no-cache", cwd=tmp_path, env=env)
    assert cold.returncode == warm.returncode == plain.returncode == 0, warm.stderr
    assert warm.stdout == plain.stdout == cold.stdout
    assert len({line.split("\t")[1] for line in plain.stdout.splitlines()[1:]}) == 3
