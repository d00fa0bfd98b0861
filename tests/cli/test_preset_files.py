"""A preset's files (`paths`/`feeds`, `output`, `template`, `cache-dir`) are relative to
the config file's folder, as its top-level `feeds` are: a cron job or a script running
from another folder with `--config` reads and writes the same files. `-` stays standard
output and a built-in template's name stays the built-in template."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli, write

CONFIG = """\
presets:
  feed:
    paths: [sf]
    format: json
    output: out/picks.json
    cache-dir: cache
  mail:
    feeds: sf
    template: mine.md
  builtin:
    paths: [sf]
    template: digest.md
    output: "-"
"""


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    conf, elsewhere = tmp_path / "conf", tmp_path / "elsewhere"
    shutil.copytree(SAMPLES, conf / "sf")
    (conf / "out").mkdir()
    elsewhere.mkdir()
    write(conf / "newscli.yaml", CONFIG)
    write(conf / "mine.md", "{{ counts.articles }} articles\n")
    return conf, elsewhere


def test_preset_files_are_the_config_folders_from_anywhere(tmp_path: Path) -> None:
    conf, elsewhere = _setup(tmp_path)
    config = ["--config", "../conf/newscli.yaml"]
    made = run_cli("export", *config, "--preset", "feed", cwd=elsewhere)
    assert (made.returncode, made.stdout, made.stderr) == (0, "", "")
    records = json.loads((conf / "out" / "picks.json").read_text())
    assert len(records) == len(list(SAMPLES.rglob("*.md")))
    assert (conf / "cache").is_dir() and not (elsewhere / "cache").exists()
    assert list(elsewhere.iterdir()) == []
    mine = run_cli("export", *config, "--preset", "mail", cwd=elsewhere)
    assert (mine.returncode, mine.stdout) == (0, f"{len(records)} articles\n"), mine.stderr
    built_in = run_cli("export", *config, "--preset", "builtin", cwd=elsewhere)
    assert built_in.returncode == 0 and built_in.stdout.startswith("# "), built_in.stderr
    # The same runs from the config's own folder, the file found there: the same files.
    (conf / "out" / "picks.json").unlink()
    again = run_cli("export", "--preset", "feed", cwd=conf)
    assert again.returncode == 0 and json.loads((conf / "out" / "picks.json").read_text())


def test_the_presets_listing_shows_the_files_a_run_opens(tmp_path: Path) -> None:
    _, elsewhere = _setup(tmp_path)
    listed = run_cli("presets", "--config", "../conf/newscli.yaml", cwd=elsewhere)
    assert listed.returncode == 0, listed.stderr
    rows = dict(line.split("\t", 1) for line in listed.stdout.splitlines()[1:])
    assert rows["feed"] == (
        "../conf/sf --format json --output ../conf/out/picks.json --cache-dir ../conf/cache"
    )
    assert rows["mail"] == "../conf/sf --template ../conf/mine.md"
    assert rows["builtin"] == "../conf/sf --template digest.md --output -"
    config = ["--config", "../conf/newscli.yaml"]
    shown = run_cli("presets", *config, "--format", "json", cwd=elsewhere)
    presets = json.loads(shown.stdout)["presets"]
    assert presets["mail"] == {"feeds": "../conf/sf", "template": "../conf/mine.md"}
