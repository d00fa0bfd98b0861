"""--dedupe with --mark-published and --unpublished: a story ships once.

Stories are made of every article loaded (filters never split or join a story);
--mark-published marks every article of each exported story; --unpublished --dedupe
leaves out each story with a published article. Run as real commands, with the index
cache warm (where --unpublished could be tested in SQL before loading).
"""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import run_cli, write

from newscli.article.model import Article, article_from_mapping
from newscli.select.query import Query, Selection, run_query

STORY = "https://www.harbor.example/2025/03/chip-rules/"


def article(
    title: str,
    outlet: str,
    quality: int,
    *,
    published: bool = False,
    url_field: str = "webUrl",
    url: str = "",
    related: str = "",
    date: str = "2025-03-14T09:00:00Z",
) -> str:
    url = url or f"https://{outlet}/" + title.lower().replace(" ", "-")
    lines = [
        "---",
        f'title: "{title}"',
        f"publishedDateTime: {date}",
        f'{url_field}: "{url}"',
        f"quality: {quality}",
        f"published: {str(published).lower()}",
        f"provider: {{name: {outlet}, domain: {outlet}}}",
        "topics: [AI]",
    ]
    if related:
        lines += ["related:", f'  - webUrl: "{related}"']
    return "\n".join([*lines, "---", "Body.", ""])


def three_outlets(feeds: Path, best_published: bool = False) -> None:
    """One story told by three outlets (same normalised URL twice, a related link once),
    and an unrelated article."""
    write(feeds / "harbor.md", article("Chip rules", "harbor.example", 90, url=STORY,
                                       published=best_published))  # fmt: skip
    write(
        feeds / "amp-copy.md",
        article("Chip rules amp", "amp.example", 70, url_field="ampWebUrl",
                url="https://amp.harbor.example/2025/03/chip-rules/amp?utm_source=x"),
    )  # fmt: skip
    write(feeds / "wire.md", article("Wire on chip rules", "wire.example", 60, related=STORY))
    write(feeds / "other.md", article("Unrelated", "other.example", 80, date="2025-03-13"))


def published(path: Path) -> bool:
    return "\npublished: true\n" in path.read_text()


def export(feeds: Path, *options: str) -> tuple[list[dict], str]:
    result = run_cli("export", str(feeds), "--unpublished", "--dedupe", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_a_story_ships_once_and_every_article_of_it_is_marked(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    three_outlets(feeds)
    export(feeds)  # the cache is warm from here on
    items, stderr = export(feeds, "--mark-published")
    assert [(i["title"], i["duplicates"]) for i in items] == [
        ("Chip rules", [f"{feeds}/amp-copy.md", f"{feeds}/wire.md"]),
        ("Unrelated", []),
    ]
    assert "changed 4, already true 0, refused 0" in stderr
    assert all(published(feeds / name) for name in ("harbor.md", "amp-copy.md", "wire.md"))
    assert export(feeds, "--mark-published")[0] == []
    # A new article of the same story does not ship it again; a new story ships.
    write(feeds / "late.md", article("Late take", "late.example", 95, related=STORY))
    write(feeds / "fresh.md", article("Fresh", "fresh.example", 50))
    assert [i["title"] for i in export(feeds, "--mark-published")[0]] == ["Fresh"]
    assert not published(feeds / "late.md")


def test_a_story_whose_best_article_is_published_does_not_ship_again(tmp_path: Path) -> None:
    """How stories were left by --mark-published before it marked whole stories."""
    feeds = tmp_path / "feeds"
    three_outlets(feeds, best_published=True)
    for _ in range(2):  # cold, then from the cache
        assert [i["title"] for i in export(feeds)[0]] == ["Unrelated"]
    # Without --dedupe each unpublished article is its own item, as before.
    plain = run_cli("export", str(feeds), "--unpublished")
    assert len(json.loads(plain.stdout)) == 3


def test_a_published_article_that_fails_the_other_filters_still_counts(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "good.md", article("Good take", "good.example", 85, url=STORY))
    write(feeds / "weak.md", article("Weak take", "weak.example", 30, url=STORY, published=True))
    assert export(feeds, "--min-quality", "70")[0] == []
    # And a member below the bound is marked with its story, so it never ships alone.
    (feeds / "weak.md").write_text(article("Weak take", "weak.example", 30, url=STORY))
    items, _ = export(feeds, "--min-quality", "70", "--mark-published")
    assert [(i["title"], i["duplicates"]) for i in items] == [("Good take", [f"{feeds}/weak.md"])]
    assert published(feeds / "weak.md") and published(feeds / "good.md")
    assert export(feeds)[0] == []


def test_with_stories_lists_every_article_of_the_selected_stories(tmp_path: Path) -> None:
    def make(name: str, quality: int, topic: str, url: str) -> Article:
        data = {"title": name, "quality": quality, "topics": [topic], "webUrl": url}
        return article_from_mapping(name, data)

    articles = [
        make("a", 90, "AI", STORY),
        make("b", 50, "Space", STORY + "?utm_medium=x"),
        make("c", 70, "AI", "https://c.example/x"),
        make("d", 10, "Space", "https://d.example/y"),
    ]
    query = Query(Selection(topics=("AI",)), dedupe=True)
    now = datetime(2025, 3, 20, tzinfo=timezone.utc)
    result = run_query(articles, query, now)
    assert [a.path for a in result.articles] == ["a", "c"]
    assert result.duplicates == {"a": ["b"]}
    assert [a.path for a in result.with_stories()] == ["a", "b", "c"]
    limited = run_query(articles, Query(Selection(topics=("AI",)), dedupe=True, limit=1), now)
    assert [a.path for a in limited.with_stories()] == ["a", "b"]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_rejected_or_rule_excluded_member_is_left_alone_and_said(tmp_path: Path) -> None:
    """An article of a selected story that the selection leaves out as rejected, or by a
    config rule, is a curator's decision: `--story` and `--mark-published --dedupe` leave
    it alone and say so (h25: `publish a.md --story` published the rejected b.md);
    --include-rejected edits it."""
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", article("Chip rules", "harbor.example", 90, url=STORY))
    write(feeds / "b.md", article("Chip rules copy", "wire.example", 60, url=STORY))
    write(feeds / "c.md", article("Chip rules again", "spam.example", 50, url=STORY))
    config = tmp_path / "config.yaml"
    config.write_text("rules:\n  exclude:\n    - provider.domain == 'spam.example'\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_STATE_DIR": str(tmp_path)}
    reject = run_cli("reject", str(feeds / "b.md"), "--reason", "spam", env=env)
    assert reject.returncode == 0, reject.stderr
    before = {p.name: p.read_bytes() for p in feeds.iterdir()}
    run = run_cli("publish", str(feeds / "a.md"), "--story", "--config", str(config), env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{feeds}/a.md: published false -> true\n"
    assert f"note: {feeds}/b.md, of a selected story: rejected; left alone" in run.stderr
    assert f"note: {feeds}/c.md, of a selected story: left out by the config's" in run.stderr
    assert (feeds / "b.md").read_bytes() == before["b.md"]
    assert (feeds / "c.md").read_bytes() == before["c.md"]
    assert run_cli("undo", env=env).returncode == 0
    quiet = run_cli("publish", str(feeds / "a.md"), "--story", "-q", env=env)  # (cron)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr  # h27
    assert run_cli("undo", env=env).returncode == 0
    out = tmp_path / "out.json"
    args = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    shipped = run_cli(*args, "--config", str(config), "-q", env=env)
    assert shipped.returncode == 0 and shipped.stderr == "", shipped.stderr
    assert [Path(a["path"]).name for a in json.loads(out.read_text())] == ["a.md"]
    assert "published: true" in (feeds / "a.md").read_text()
    assert (feeds / "c.md").read_bytes() == before["c.md"]
    assert (feeds / "b.md").read_bytes() == before["b.md"]
    assert run_cli("undo", env=env).returncode == 0
    every = run_cli("publish", str(feeds / "a.md"), "--story", "--include-rejected", env=env)
    assert every.returncode == 0, every.stderr
    assert "published: true" in (feeds / "b.md").read_text()


def test_reject_story_keeps_a_members_reason_and_a_named_member_is_said_once(
    tmp_path: Path,
) -> None:
    """h26: `reject a.md --story --reason duplicate` wrote its reason over b.md's own
    (b rejected before); a rejected member named too was said twice (its refusal and
    the note)."""
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", article("Chip rules", "harbor.example", 90, url=STORY))
    write(feeds / "b.md", article("Chip rules copy", "wire.example", 60, url=STORY))
    write(feeds / "c.md", article("Chip rules again", "other.example", 50, url=STORY))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_STATE_DIR": str(tmp_path)}
    first = run_cli("reject", str(feeds / "b.md"), "--reason", "plagiarised", env=env)
    assert first.returncode == 0, first.stderr
    again = run_cli("reject", str(feeds / "a.md"), "--story", "--reason", "duplicate", env=env)
    assert again.returncode == 0, again.stderr
    assert "rejectedReason: plagiarised" in (feeds / "b.md").read_text()
    assert "rejectedReason: duplicate" in (feeds / "c.md").read_text()
    assert f"note: {feeds}/b.md, of a selected story: already rejected" in again.stderr
    assert run_cli("undo", env=env).returncode == 0  # a and c back; b rejected as before
    named = run_cli("set", "quality=99", str(feeds / "a.md"), str(feeds / "b.md"), "--story",
                    env=env)  # fmt: skip
    assert named.returncode == 1  # b is refused: named, and rejected
    assert named.stderr.count(f"{feeds}/b.md") == 1, named.stderr
    assert "quality: 99" in (feeds / "a.md").read_text()
    assert "quality: 99" in (feeds / "c.md").read_text()
