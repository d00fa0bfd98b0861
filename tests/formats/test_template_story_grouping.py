"""Templates (html, markdown, --template) show the stories that story.id and --dedupe
see: the grouping of every loaded article, never a second grouping of the articles
being written (which can join or split stories differently)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from conftest import run_cli, write

from newscli.article.model import Article, article_from_mapping
from newscli.formats.feeds import FeedInfo
from newscli.formats.templating.context import build
from newscli.select.stories import Story

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "uci-news-dev.csv"
ROWS = 400  # enough rows for a regrouping of a page to differ from the whole grouping
NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def _corpus(folder: Path) -> None:
    """The first rows of the development headlines as files, every other one tagged AI,
    times spread over one day (deterministic)."""
    with DEV.open(encoding="utf-8", newline="") as handle:
        rows = [row for _, row in zip(range(ROWS), csv.DictReader(handle), strict=False)]
    for n, row in enumerate(rows):
        minute = n * 1439 // ROWS
        text = (
            f"---\ntitle: {json.dumps(row['TITLE'].replace(chr(92), ''))}\n"
            f"webUrl: {json.dumps(row['URL'].replace(chr(92), ''))}\n"
            f"publishedDateTime: 2014-03-10T{minute // 60:02d}:{minute % 60:02d}:00Z\n"
            f"provider:\n  name: {json.dumps(row['PUBLISHER'])}\n  domain: {row['HOSTNAME']}\n"
            f"topics: [{'AI' if n % 2 else 'Markets'}]\n---\nbody\n"
        )
        write(folder / f"{int(row['ID']):05d}.md", text)


def test_templates_group_as_story_id_and_dedupe_do(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    _corpus(folder)
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    limit = "60"
    digest = run_cli(
        "export", str(folder), "--dedupe", "--limit", limit, "--format", "markdown",
        "--group-by", "story", env=env,
    )  # fmt: skip
    assert digest.returncode == 0, digest.stderr
    sections = [line for line in digest.stdout.splitlines() if line.startswith("## ")]
    items = [line for line in digest.stdout.splitlines() if line.startswith("- ")]
    assert len(items) == int(limit)
    assert len(sections) == len(items)  # after --dedupe, one article per section

    template = write(
        tmp_path / "t.txt",
        "{% for s in stories %}{% for a in s.articles %}"
        '{{ s.number }} {{ a.record["story.id"] }} {{ a.story }}\n'
        "{% endfor %}{% endfor %}",
    )
    shown = run_cli(
        "export", str(folder), "--topic", "AI", "--template", str(template),
        "--fields", "path,story.id", env=env,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    lines = [line.split() for line in shown.stdout.splitlines() if line.strip()]
    assert len(lines) == ROWS // 2
    ids_of, numbers_of = defaultdict(set), defaultdict(set)
    for number, story_id, item_number in lines:
        assert number == item_number
        ids_of[number].add(story_id)
        numbers_of[story_id].add(number)
    assert all(len(ids) == 1 for ids in ids_of.values())  # never two stories in one
    assert all(len(numbers) == 1 for numbers in numbers_of.values())  # never split
    assert len(ids_of) < len(lines)  # some stories do have several AI articles

    # Nothing in the query names a story: the template's stories are still those of
    # story.id (of every article, not of the AI articles alone).
    numbered = write(
        tmp_path / "n.txt", "{% for a in articles %}{{ a.path }} {{ a.story }}\n{% endfor %}"
    )
    plain = run_cli("export", str(folder), "--topic", "AI", "--template", str(numbered), env=env)
    assert plain.returncode == 0, plain.stderr
    ids = run_cli(
        "export", str(folder), "--topic", "AI", "--fields", "path,story.id", env=env
    )  # fmt: skip
    story_id = {r["path"]: r["story.id"] for r in json.loads(ids.stdout)}
    pairs = {tuple(line.split()) for line in plain.stdout.splitlines() if line.strip()}
    assert len(pairs) == ROWS // 2
    matched = {(number, story_id[path]) for path, number in pairs}
    assert len(matched) == len(set(story_id.values())) == len({n for n, _ in matched})


def _art(path: str, title: str) -> Article:
    data = {"title": title, "webUrl": f"https://{path}.example/x", "provider": {"name": path}}
    return article_from_mapping(path, data)


def test_context_uses_the_grouping_it_is_given() -> None:
    """The stories given (as --dedupe made them over every article) decide the numbers,
    the story sections and "also covered by"; nothing is grouped again."""
    a, b, c = _art("a", "Alpha"), _art("b", "Beta"), _art("c", "Gamma")
    given = [Story(a, (c,)), Story(b, ())]  # a and c: one story, whatever their text
    values = build([a, b, c], feed=FeedInfo("T"), now=NOW, group_by="story", stories=given)
    assert [i["story"] for i in values["articles"]] == [1, 2, 1]
    assert [[i["path"] for i in g["articles"]] for g in values["groups"]] == [["a", "c"], ["b"]]
    assert values["articles"][0]["also_covered_by"] == ["c"]
    assert values["counts"]["stories"] == 2
