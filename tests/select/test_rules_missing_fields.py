"""h48, h49: a config rule naming a field only some files have stopped every command
(exit 2, "unknown field") once no file read had it: the cron export of a quiet day,
or after the last sponsored article was deleted. A rule is a standing policy: a field
no article has is missing in every article. And newscli's own `rejected` and
`rejectedReason` are names one may always give. Installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write

RULES = 'rules:\n  exclude:\n    - "sponsored = true"\n    - "sourceFeed.region = \\"EU\\""\n'


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_rule_on_a_field_no_file_has_excludes_nothing(tmp_path: Path, cache: list[str]) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "news.md", "---\ntitle: news\n---\n")
    config = write(tmp_path / "c.yaml", RULES)
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_STATE_DIR": str(tmp_path)}

    def titles() -> list[str]:
        run = run_cli("export", str(feeds), *cache, "--config", str(config), "-f", "jsonl",
                      env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        return sorted(json.loads(line)["title"] for line in run.stdout.splitlines())

    assert titles() == ["news"]
    write(feeds / "ad.md", "---\ntitle: ad\nsponsored: true\n---\n")
    write(feeds / "eu.md", "---\ntitle: eu\nsourceFeed: {region: EU}\n---\n")
    assert titles() == ["news"]  # the rules apply where the fields are
    empty = tmp_path / "empty"
    empty.mkdir()
    run = run_cli("export", str(empty), *cache, "--config", str(config), "--fail-if-empty",
                  env=env)  # fmt: skip
    assert run.returncode == 4, run.stderr  # nothing new, not a usage error
    publish = run_cli("publish", str(feeds / "news.md"), *cache, "--config", str(config),
                      env=env)  # fmt: skip
    assert publish.returncode == 0, publish.stderr


def test_a_rule_s_syntax_error_is_still_an_error(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", "---\ntitle: a\n---\n")
    config = write(tmp_path / "c.yaml", 'rules:\n  exclude:\n    - "sponsored ="\n')
    run = run_cli("list", str(tmp_path / "feeds"), "--config", str(config))
    assert run.returncode == 2 and "rules.exclude[0]" in run.stderr


def test_rejected_and_its_reason_can_always_be_named(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", "---\ntitle: a\n---\n")
    picked = run_cli("export", str(feeds), "--fields", "title,rejected,rejectedReason",
                     "-f", "jsonl")  # fmt: skip
    assert picked.returncode == 0, picked.stderr
    assert json.loads(picked.stdout) == {"title": "a", "rejected": None, "rejectedReason": None}
    listed = run_cli("list", str(feeds), "--where", "not rejected", "--format", "tsv",
                     "--columns", "title")  # fmt: skip
    assert (listed.returncode, listed.stdout) == (0, "title\na\n"), listed.stderr


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_null_finds_an_empty_list_as_a_missing_one(tmp_path: Path, cache: list[str]) -> None:
    """h48: a file without `topics` (or `categories`) has [], and `topics = null` did not
    find it, while `tags = null` found a file without tags: an empty list is none."""
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", "---\ntitle: A\n---\n")
    write(feeds / "b.md", "---\ntitle: B\ntopics: [X]\ntags: [t]\ncategories: [c]\n---\n")
    write(feeds / "c.md", "---\ntitle: C\ntags: []\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for where, titles in (("tags = null", "A C"), ("categories = null", "A C"),
                          ("topics = null", "A C"), ("topics != null", "B"),
                          ("tags != null", "B"), ("not topics", "A C")):  # fmt: skip
        run = run_cli("list", str(feeds), *cache, "--where", where, "--format", "tsv",
                      "--columns", "title", env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert " ".join(sorted(run.stdout.split()[1:])) == titles, where
