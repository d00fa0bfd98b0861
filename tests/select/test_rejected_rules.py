"""Rejected articles and the config's exclude rules: left out of every selecting
command, the same cold, warm and --no-cache; --rejected, --include-rejected, --no-rules;
a bad rule is a config error naming the file and key."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import run_cli, write

from newscli.article.model import article_from_mapping
from newscli.errors import InvalidArticleError
from newscli.select.query import Query, Selection, run_query


def paths_of(stdout: str) -> list[str]:
    rows = [line.split("\t") for line in stdout.splitlines()]
    return sorted(row[-1] for row in rows[1:])


def listing(cwd: Path, *args: str, cache: Path) -> list[str]:
    result = run_cli("list", "feeds", *args, cwd=cwd, env={"NEWSCLI_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    return paths_of(result.stdout)


@pytest.mark.slow
def test_rejected_cold_warm_and_no_cache_agree(feeds: Path, tmp_path: Path) -> None:
    everything = listing(tmp_path, cache=tmp_path / "c0")
    gone = ["feeds/rate-decision.md", "feeds/sleep-study.md"]
    result = run_cli("reject", *gone, "--reason", "off topic", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    kept = [p for p in everything if p not in gone]
    cases = [
        ((), kept),
        (("--rejected",), gone),
        (("--include-rejected",), everything),
        (("--rejected", "--min-quality", "60"), gone),
    ]
    for n, (options, want) in enumerate(cases):
        cache = tmp_path / f"c{n + 1}"
        cold = listing(tmp_path, *options, cache=cache)
        warm = listing(tmp_path, *options, cache=cache)
        plain = listing(tmp_path, *options, "--no-cache", cache=cache)
        assert cold == warm == plain == want, options


def test_a_rejection_is_seen_by_a_warm_cache_and_unreject_takes_it_back(
    feeds: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = listing(tmp_path, cache=cache)  # the cache is warm now
    assert run_cli("reject", "feeds/rate-decision.md", cwd=tmp_path).returncode == 0
    assert "feeds/rate-decision.md" not in listing(tmp_path, cache=cache)
    shown = run_cli("show", "feeds/rate-decision.md", cwd=tmp_path, env={"COLUMNS": "100"})
    assert "rejected" in shown.stdout
    back = run_cli("unreject", "feeds/rate-decision.md", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert "rejected true -> (none)" in back.stdout
    assert listing(tmp_path, cache=cache) == before
    assert b"rejected" not in (feeds / "rate-decision.md").read_bytes()


def test_the_options_exclude_each_other(feeds: Path, tmp_path: Path) -> None:
    result = run_cli("list", "feeds", "--rejected", "--include-rejected", cwd=tmp_path)
    assert result.returncode == 2 and "exclude each other" in result.stderr


def test_selection_leaves_rejected_out_by_default() -> None:
    kept = article_from_mapping("a.md", {"title": "a"})
    gone = article_from_mapping("b.md", {"title": "b", "rejected": True})
    unset = article_from_mapping("c.md", {"title": "c", "rejected": None})  # not rejected
    with pytest.raises(InvalidArticleError, match="rejected: expected true or false"):
        article_from_mapping("d.md", {"title": "d", "rejected": "yes"})  # (h36: was kept)
    now = datetime.now(timezone.utc)

    def run(selection: Selection) -> list[str]:
        return [a.path for a in run_query([kept, gone, unset], Query(selection), now).articles]

    assert sorted(run(Selection())) == ["a.md", "c.md"]
    assert run(Selection(rejected=True)) == ["b.md"]
    assert sorted(run(Selection(rejected=None))) == ["a.md", "b.md", "c.md"]


RULES = """rules:
  exclude:
    - quality < 70
    - provider.domain in ["orbitreport.example"]
"""


def test_rules_apply_to_every_selecting_command(feeds: Path, tmp_path: Path) -> None:
    everything = listing(tmp_path, cache=tmp_path / "c")
    write(tmp_path / "newscli.yaml", RULES)
    cache = tmp_path / "c2"
    cold = listing(tmp_path, cache=cache)
    warm = listing(tmp_path, cache=cache)
    plain = listing(tmp_path, "--no-cache", cache=cache)
    assert cold == warm == plain
    assert 0 < len(cold) < len(everything)
    assert listing(tmp_path, "--no-rules", cache=cache) == everything
    full = run_cli("list", "feeds", "--no-rules", "--columns", "quality,path", cwd=tmp_path)
    rows = [line.split("\t") for line in full.stdout.splitlines()[1:]]
    assert sorted(p for q, p in rows if int(q or 0) >= 70) != []
    assert all(int(q) >= 70 for q, p in rows if p in cold)
    # an edit command selects through the rules too
    dry = run_cli("set", "status=held", "feeds", "--all", "--dry-run", cwd=tmp_path)
    assert sorted(line.split(":")[0] for line in dry.stdout.splitlines()) == cold
    rules = run_cli("rules", cwd=tmp_path)
    assert rules.returncode == 0
    assert rules.stdout == (
        'exclude: quality < 70\nexclude: provider.domain in ["orbitreport.example"]\n'
    )


def test_a_rule_that_does_not_parse_is_a_config_error(feeds: Path, tmp_path: Path) -> None:
    write(tmp_path / "newscli.yaml", "rules:\n  exclude:\n    - quality >= 10\n    - quality <\n")
    for argv in (["list", "feeds"], ["rules"], ["set", "a=b", "feeds", "--all"]):
        result = run_cli(*argv, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("newscli: error: newscli.yaml: rules.exclude[1]: ")
        assert result.stdout == ""
    write(tmp_path / "newscli.yaml", "rules:\n  exclude: 3\n")
    bad = run_cli("list", "feeds", cwd=tmp_path)
    assert bad.returncode == 2 and "rules.exclude: expected a list" in bad.stderr
