"""--search folds case as --match's IGNORECASE does for a Turkish capital I (h99 LOW:
"İstanbul" casefolds to "i" + U+0307, so `--search istanbul` found none of it)."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("needle", ["istanbul", "İSTANBUL", "İstanbul", "ISTANBUL"])
def test_search_finds_istanbul(tmp_path: Path, needle: str) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: İstanbul news\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Ankara news\n---\n", encoding="utf-8")
    done = run_cli("list", str(tmp_path), "--search", needle, "--format", "tsv", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[-1] for line in done.stdout.splitlines()[1:]] == [
        str(tmp_path / "a.md")
    ]


def _turkish(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Bridge opens\ntopics: [İstanbul]\ncategory: İç\n---\n", encoding="utf-8"
    )
    (folder / "b.md").write_text(
        "---\ntitle: Port opens\ntopics: [istanbul, Ankara]\n---\n", encoding="utf-8"
    )
    (folder / "c.md").write_text("---\ntitle: Mine opens\ntopics: [İzmir]\n---\n", encoding="utf-8")


def _names(done: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(Path(line.split("\t")[-1]).name for line in done.stdout.splitlines()[1:])


@pytest.mark.parametrize("cache", ["--no-cache", "cold", "warm"])
@pytest.mark.parametrize("topic", ["istanbul", "İstanbul", "ISTANBUL", "İSTANBUL"])
def test_topics_fold_a_turkish_capital_i_as_search_does(
    tmp_path: Path, topic: str, cache: str
) -> None:
    """--topic, --exclude-topic and the cache's topic keys fold "İ" as --search does:
    "İstanbul" and "istanbul" are one topic (h101 LOW: `--topic istanbul` left out the
    article tagged "İstanbul", which `--search`, `--match` and `stats` count with it)."""
    _turkish(tmp_path / "feeds")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    flags = ["--no-cache"] if cache == "--no-cache" else []
    if cache == "warm":
        run_cli("list", str(tmp_path / "feeds"), env=env)
    base = ["list", str(tmp_path / "feeds"), "--format", "tsv", *flags]
    done = run_cli(*base, "--topic", topic, env=env)
    assert done.returncode == 0, done.stderr
    assert _names(done) == ["a.md", "b.md"]
    done = run_cli(*base, "--exclude-topic", topic, env=env)
    assert _names(done) == ["c.md"]
    done = run_cli(*base, "--topic", "izmir", env=env)
    assert _names(done) == ["c.md"]


def test_one_topic_for_stats_tag_and_where(tmp_path: Path) -> None:
    """stats counts "İstanbul" and "istanbul" as one topic, `tag add` of "istanbul" to
    a file tagged "İstanbul" leaves it as it is, and --where compares strings folded."""
    feeds = tmp_path / "feeds"
    _turkish(feeds)
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    done = run_cli("stats", str(feeds), "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    counts = {t["name"]: t["count"] for t in json.loads(done.stdout)["topics"]}
    assert counts == {"İstanbul": 2, "Ankara": 1, "İzmir": 1}
    before = (feeds / "a.md").read_bytes()
    done = run_cli("tag", "add", "istanbul", str(feeds / "a.md"), env=env)
    assert done.returncode == 0, done.stderr
    assert (feeds / "a.md").read_bytes() == before
    done = run_cli("list", str(feeds), "--format", "tsv", "--where", 'category = "iç"', env=env)
    assert _names(done) == ["a.md"]


def test_providers_fold_a_turkish_capital_i(tmp_path: Path) -> None:
    """--provider and the stories' outlets fold "İ" as topics do: "İstanbul Haber" and
    "istanbul haber" are one outlet."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for name, provider in [("a", "İstanbul Haber"), ("b", "istanbul haber"), ("c", "Ankara")]:
        (feeds / f"{name}.md").write_text(
            f"---\ntitle: Bridge over the strait opens to traffic\nprovider:\n"
            f"  name: {provider}\npublishedDateTime: 2025-01-01T0{'abc'.index(name)}:00:00Z\n"
            f"url: https://example.com/{name}\n---\n",
            encoding="utf-8",
        )
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    done = run_cli("list", str(feeds), "--format", "tsv", "--provider", "ISTANBUL HABER", env=env)
    assert done.returncode == 0, done.stderr
    assert _names(done) == ["a.md", "b.md"]
    done = run_cli("export", str(feeds), "--fields", "story.outlets,story.size", env=env)
    assert done.returncode == 0, done.stderr
    assert {(r["story.outlets"], r["story.size"]) for r in json.loads(done.stdout)} == {(2, 3)}


@pytest.mark.parametrize("cache", ["--no-cache", "warm"])
def test_a_topic_written_decomposed_is_the_topic_composed(tmp_path: Path, cache: str) -> None:
    """h104: "Café" written with a combining accent (NFD) was another topic than "café"
    (NFC): `--topic café` missed it, stats listed two "Café" rows, and `tag add` of the
    one to a file holding the other wrote both."""
    nfd = unicodedata.normalize("NFD", "Café")
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "a.md").write_text(f"---\ntitle: A\ntopics: [{nfd}]\n---\n", encoding="utf-8")
    (feeds / "b.md").write_text("---\ntitle: B\ntopics: [café]\n---\n", encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    flags = ["--no-cache"] if cache == "--no-cache" else []
    if cache == "warm":
        run_cli("list", str(feeds), env=env)
    done = run_cli("list", str(feeds), "--format", "tsv", "--topic", "CAFÉ", *flags, env=env)
    assert _names(done) == ["a.md", "b.md"]
    done = run_cli("stats", str(feeds), "--format", "json", *flags, env=env)
    assert [t["count"] for t in json.loads(done.stdout)["topics"]] == [2]
    before = (feeds / "b.md").read_bytes()
    assert run_cli("tag", "add", nfd, str(feeds / "b.md"), env=env).returncode == 0
    assert (feeds / "b.md").read_bytes() == before


def test_stats_counts_providers_as_provider_matches_them(tmp_path: Path) -> None:
    """h105 F4: stats listed "Café Times" composed and decomposed as two rows, and
    "ISTANBUL Post" apart from "İstanbul Post", which --provider selects together."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    names = [
        "Café Times",
        unicodedata.normalize("NFD", "Café Times"),
        "ISTANBUL Post",
        "İstanbul Post",
    ]
    for n, name in enumerate(names):
        (feeds / f"{n}.md").write_text(
            f"---\ntitle: T{n}\nprovider:\n  name: {name}\n---\n", encoding="utf-8"
        )
    done = run_cli("stats", str(feeds), "--format", "json", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert [p["count"] for p in json.loads(done.stdout)["providers"]] == [2, 2]


def test_stats_counts_a_domain_as_provider_matches_it(tmp_path: Path) -> None:
    """h109: a provider given by its domain alone, written three ways, was three rows
    (one of them a whole URL), which `--provider ist.example` selects together."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n, domain in enumerate(["https://www.ist.example/", "IST.example", "amp.ist.example/path"]):
        (feeds / f"{n}.md").write_text(
            f"---\ntitle: T{n}\nprovider:\n  domain: {domain}\n---\n", encoding="utf-8"
        )
    done = run_cli("stats", str(feeds), "--format", "json", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["providers"] == [{"name": "ist.example", "count": 3}]
    chosen = run_cli(
        "list", str(feeds), "--format", "tsv", "--provider", "ist.example", "--no-cache"
    )
    assert len(chosen.stdout.splitlines()) == 4  # (the header and all three)
