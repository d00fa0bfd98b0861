"""stats counts each distinct topic list once (issue 15): the same counts and spellings
as counting article by article."""

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.article.model import Article
from newscli.formats import stats

TOPIC = st.sampled_from(["AI", "ai", "Ai", "Space", "", "(None)", "(none)", "Straße", "STRASSE"])


def by_article(articles: list[Article]) -> list[dict[str, Any]]:
    """The topics of stats.compute, counted article by article (the former code)."""
    topics = [t for a in articles for t in dict.fromkeys(t.casefold() for t in a.topics)]
    spelled = {t.casefold(): t for a in reversed(articles) for t in reversed(a.topics)}
    counter: Counter[str] = Counter()
    names: dict[str, str | None] = {}
    for value in (spelled[t] for t in topics):
        label = value if value else None  # (h111: none is null, apart from "(none)")
        key = "" if label is None else label.casefold()
        names.setdefault(key, label)
        counter[key] += 1
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"name": names[key], "count": count} for key, count in ordered]


@settings(max_examples=property_examples(40), deadline=None)
@given(st.lists(st.lists(TOPIC, max_size=4), max_size=12))
def test_topic_counts_are_those_of_each_article(lists: list[list[str]]) -> None:
    articles = [Article(f"{i}.md", "t", {}, topics=tuple(t)) for i, t in enumerate(lists)]
    assert stats.compute(articles)["topics"] == by_article(articles)


def test_topics_are_counted_as_topic_filters_match_them(tmp_path: Path) -> None:
    """h99: `stats` trimmed topics, so "AI " counted as AI (4 of 8 files) while
    `--topic AI` found 2; each topic now counts as the filter matches it."""
    import json

    from conftest import run_cli

    names = ["AI", "ai", "AI ", " AI", "A\u200bI", "A\u00adI", "\u202eIA", "\uff21\uff29"]
    for number, topic in enumerate(names):
        text = f"---\ntitle: T{number}\ntopics: [{json.dumps(topic)}]\n---\n"
        (tmp_path / f"a{number}.md").write_text(text, encoding="utf-8")
    stats = run_cli("stats", str(tmp_path), "--format", "json", "--no-cache")
    counted = {item["name"]: item["count"] for item in json.loads(stats.stdout)["topics"]}
    found = run_cli("list", str(tmp_path), "--topic", "AI", "--format", "tsv", "--no-cache")
    assert counted["AI"] == found.stdout.count("\n") - 1 == 2
    assert sum(counted.values()) == len(names)


def test_no_value_is_null_apart_from_a_value_written_none(tmp_path: Path) -> None:
    """h111 LOW: articles without a provider or type were counted under the name
    "(none)", the same row as a provider or type written "(none)", in JSON too.
    JSON now says null for them, a row apart; a table and TSV show "(none)"."""
    import json

    from conftest import run_cli

    folder = tmp_path / "none"
    folder.mkdir()
    (folder / "a.md").write_text(
        '---\ntitle: a\nprovider: {name: "(none)"}\ntype: "(none)"\ntopics: ["(none)"]\n---\n',
        encoding="utf-8",
    )
    (folder / "b.md").write_text("---\ntitle: b\n---\n", encoding="utf-8")
    done = run_cli("stats", str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    for section in ("providers", "types"):
        rows = sorted(summary[section], key=lambda row: row["name"] or "")
        assert rows == [{"name": None, "count": 1}, {"name": "(none)", "count": 1}], section
    assert summary["topics"] == [{"name": "(none)", "count": 1}]  # (none counts no topic)
    # (h112 LOW: a table and TSV showed two "(none)" rows: the value is in quotes)
    tsv = run_cli("stats", str(folder), "--format", "tsv").stdout.splitlines()
    for section in ("providers", "types"):
        assert [r for r in tsv if r.startswith(f"{section}\t")] == [
            f"{section}\t(none)\t1",
            f'{section}\t"(none)"\t1',
        ]
    assert 'topics\t"(none)"\t1' in tsv
    table = run_cli("stats", str(folder), "--format", "table").stdout
    assert table.count('"(none)"') == 3 and table.count("(none)") == 5, table


@pytest.mark.parametrize(
    ("types", "rows"),
    [
        # h121 LOW: "(none)" and a zero-width space read as the row of the articles
        # without a type; its hidden character is written as an escape, as `show` does
        (['"(none)\\u200b"', None], ["types\t(none)\t1", "types\t(none)\\u200b\t1"]),
        # h123 LOW: a real ESC and the typed text `\x1b` read alike; a backslash is
        # written twice where one would read as an escape, as `rules` writes it
        (['"\\e[31mred"', "'\\x1b[31mred'"],
         ["types\t\\\\x1b[31mred\t1", "types\t\\x1b[31mred\t1"]),
    ],
    ids=["hidden", "typed-escape"],
)  # fmt: skip
def test_names_that_would_read_alike_are_told_apart(
    tmp_path: Path, types: list[str | None], rows: list[str]
) -> None:
    from conftest import run_cli

    for number, value in enumerate(types):
        kind = f"type: {value}\n" if value is not None else ""
        (tmp_path / f"{number}.md").write_text(f"---\ntitle: t\n{kind}---\n", encoding="utf-8")
    tsv = run_cli("stats", str(tmp_path), "--format", "tsv").stdout.splitlines()
    assert sorted(r for r in tsv if r.startswith("types\t")) == sorted(rows)
