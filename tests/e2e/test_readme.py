"""The README's cron recipe is run exactly as written (paths swapped for a temp folder,
the newscli path for this environment's installed command): the feed is a view of the
published state, byte-identical when nothing is new, repaired after a failed write."""

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from conftest import REPO, write

NEWSCLI = Path(sys.executable).parent / "newscli"


def readme_blocks() -> tuple[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    config = re.search(r"## Configuration and presets.*?```yaml\n(.*?)```", text, re.S)
    cron = re.search(r"<!-- cron-example -->\n```cron\n(.*?)\n```", text, re.S)
    assert config and cron
    return config.group(1), cron.group(1)


def article(
    title: str, age: timedelta | None, quality: int, topic: str = "AI", **extra: str
) -> str:
    when = None if age is None else datetime.now(timezone.utc) - age
    lines = [
        "---",
        f'title: "{title}"',
        f"publishedDateTime: {'null' if when is None else f'{when:%Y-%m-%dT%H:%M:%SZ}'}",
        f'webUrl: "https://news.example/{title.lower().replace(" ", "-")}"',
        f'excerpt: "{title}: {"what happened, who said what, and why it matters. " * 3}"',
        f"quality: {quality}",
        f"topics: [{topic}]",
        *(f"{key}: {value}" for key, value in extra.items()),
        "---",
        "Body.",
        "",
    ]
    return "\n".join(lines)


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_readme_cron_recipe_keeps_the_feed_a_view_of_the_published_state(tmp_path: Path) -> None:
    config, cron_line = readme_blocks()
    schedule, command = cron_line.split(" cd ", 1)
    assert schedule == "*/10 * * * *"
    command = ("cd " + command).replace("/opt/newscli/.venv/bin/newscli", str(NEWSCLI))
    command = command.replace("/srv/news", str(tmp_path))
    assert "/srv/" not in command and "/opt/" not in command
    (tmp_path / "newscli.yaml").write_text(config, encoding="utf-8")
    feeds, feed, log = tmp_path / "feeds", tmp_path / "site" / "ai.xml", tmp_path / "newscli.log"
    hour = timedelta(hours=1)
    write(feeds / "chips.md", article("Chip rules", 3 * hour, 82))
    write(feeds / "model.md", article("Open model", 5 * hour, 75))
    write(feeds / "earlier.md", article("Earlier pick", 72 * hour, 90, published="true"))
    write(feeds / "undated.md", article("Undated pick", None, 85, published="true"))
    write(feeds / "weak.md", article("Weak AI piece", hour, 40))
    write(feeds / "rates.md", article("Rate decision", hour, 95, topic="Economy"))
    write(feeds / "late.md", article("Late arrival", 240 * hour, 88))  # dated 10 days ago
    (tmp_path / "site").mkdir()  # (h1: -o creates missing folders; then this can go)
    # cron's bare environment, with the test's own cache and undo journal (never the
    # journal of whoever runs the tests)
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "NEWSCLI_STATE_DIR": str(tmp_path / "state")}  # fmt: skip

    def run(prefix: str = "", fails: bool = False) -> list[str]:
        result = subprocess.run(
            ["bash", "-c", prefix + command], cwd=REPO, env=env, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert result.stdout == result.stderr == ""  # cron mail stays empty
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo and parsed.feed.title == "AI picks"
        titles = [e.title for e in parsed.entries]
        marked = {p.name for p in feeds.glob("*.md") if "\npublished: true\n" in p.read_text()}
        in_feed = {p.name for p in feeds.glob("*.md") if article_title(p) in titles}
        ai_picks = {"chips.md", "model.md", "earlier.md", "undated.md", "new.md"}
        if not fails:  # after every run that could write it
            assert marked & ai_picks <= in_feed  # nothing marked is missing from the feed
        return titles

    assert run() == ["Chip rules", "Open model", "Earlier pick", "Undated pick"]
    assert log.read_text() == ""
    assert (tmp_path / "published.log").read_text().splitlines() == [
        f"feeds/{name}.md: published false -> true" for name in ("chips", "model")
    ]
    first = feed.read_bytes()
    assert run() == ["Chip rules", "Open model", "Earlier pick", "Undated pick"]
    assert feed.read_bytes() == first  # nothing new: the same bytes

    # A new article; the feed cannot be written this time (files over 1 KiB fail): it is
    # marked, the previous feed stays whole, and the next run repairs the feed.
    write(feeds / "new.md", article("Fresh chip news", hour / 6, 77))
    assert run("ulimit -f 1; ", fails=True) == [
        "Chip rules",
        "Open model",
        "Earlier pick",
        "Undated pick",
    ]
    assert feed.read_bytes() == first
    assert "cannot write site/ai.xml" in log.read_text()
    assert "\npublished: true\n" in (feeds / "new.md").read_text()
    assert run() == ["Fresh chip news", "Chip rules", "Open model", "Earlier pick", "Undated pick"]
    assert not list((tmp_path / "site").glob(".newscli-*"))
    assert "published: true" not in (feeds / "late.md").read_text()


def article_title(path: Path) -> str:
    match = re.search(r'^title: "(.*)"$', path.read_text(), re.M)
    assert match
    return match.group(1)
