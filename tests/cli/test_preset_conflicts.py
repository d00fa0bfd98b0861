"""h50: the command line wins over a preset, also over the preset's opposite flag
(`--include-rejected` over `rejected: true` was "exclude each other", exit 2, while
`--unpublished` over `published: true` won); a preset holding both `published` and
`unpublished` is refused (the key written last won, unsaid). Installed command."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, write


def _feeds(tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds"
    write(feeds / "kept.md", "---\ntitle: kept\n---\n")
    write(feeds / "out.md", "---\ntitle: out\nrejected: true\n---\n")
    return feeds


def _titles(run_stdout: str) -> list[str]:
    return sorted(json.loads(line)["title"] for line in run_stdout.splitlines())


def test_the_command_line_wins_over_the_presets_opposite_flag(tmp_path: Path) -> None:
    feeds = _feeds(tmp_path)
    config = write(tmp_path / "c.yaml", "presets:\n  rj: {rejected: true}\n"
                   "  all: {include-rejected: true}\n")  # fmt: skip
    base = ["export", str(feeds), "-f", "jsonl", "--config", str(config)]
    alone = run_cli(*base, "--preset", "rj")
    assert alone.returncode == 0 and _titles(alone.stdout) == ["out"], alone.stderr
    wins = run_cli(*base, "--preset", "rj", "--include-rejected")
    assert wins.returncode == 0 and _titles(wins.stdout) == ["kept", "out"], wins.stderr
    other = run_cli(*base, "--preset", "all", "--rejected")
    assert other.returncode == 0 and _titles(other.stdout) == ["out"], other.stderr
    both = run_cli(*base, "--rejected", "--include-rejected")  # (both typed: still refused)
    assert both.returncode == 2


def test_published_and_unpublished_in_one_preset_are_refused(tmp_path: Path) -> None:
    feeds = _feeds(tmp_path)
    config = write(tmp_path / "c.yaml", "presets:\n  s: {published: true, unpublished: true}\n")
    said = (f"newscli: error: {config}: presets.s: published and unpublished exclude each "
            "other (`published: false` is `unpublished: true`)\n")  # fmt: skip
    for args in (["list", str(feeds), "--preset", "s"], ["presets"]):
        run = run_cli(*args, "--config", str(config))
        assert (run.returncode, run.stderr) == (2, said)


def test_a_preset_s_text_is_taken_as_written(tmp_path: Path) -> None:
    """h50: YAML 1.1 read `feed-title: 24:7` as the number 1447, `topic: 007` as 7: the
    feed went out titled "1447". A plain number that YAML 1.1 reads otherwise than its
    digits stays its text: a text option takes it so, a number option refuses it."""
    text = "presets:\n  b: {feed-title: 24:7, topic: 007, feed-description: 1_000, "
    config = write(tmp_path / "c.yaml", text + "search: +5, limit: 5}\n  n: {limit: 0x10}\n")
    listed = run_cli("presets", "--config", str(config), "--format", "tsv")
    assert listed.returncode == 2 and "presets.n.limit" in listed.stderr  # (0x10: no 16)
    config.write_text(config.read_text().split("  n:")[0])
    listed = run_cli("presets", "--config", str(config), "--format", "tsv")
    assert listed.returncode == 0, listed.stderr
    assert "--feed-title 24:7 --topic 007 --feed-description 1_000 --search +5 --limit 5" in (
        listed.stdout
    )
