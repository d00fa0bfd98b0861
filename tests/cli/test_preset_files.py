"""A preset's files (`paths`/`feeds`, `output`, `template`, `cache-dir`) are relative to
the config file's folder, as its top-level `feeds` are: a cron job or a script running
from another folder with `--config` reads and writes the same files. `-` stays standard
output and a built-in template's name stays the built-in template."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
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


def test_a_leading_tilde_is_the_home_folder_not_a_folder_named_tilde(tmp_path: Path) -> None:
    """`~/site/ai.xml` in a config file is the home's site/ai.xml, as the shell would
    read it; before, it was joined to the config's folder and a folder named `~` was
    made there (that a later `rm -r ~` would take for the home)."""
    conf, elsewhere = _setup(tmp_path)
    home = tmp_path / "home"
    shutil.copytree(SAMPLES, home / "news")
    (home / "site").mkdir()
    write(conf / "newscli.yaml", (
        "feeds: [~/news]\n"
        "sources: [~/lists/outlets.opml]\n"
        "presets:\n"
        "  feed:\n"
        "    paths: [~/news]\n"
        "    format: json\n"
        "    output: ~/site/picks.json\n"
        "    cache-dir: ~/cache\n"
    ))  # fmt: skip
    config, env = ["--config", "../conf/newscli.yaml"], {"HOME": str(home)}
    made = run_cli("export", *config, "--preset", "feed", cwd=elsewhere, env=env)
    assert (made.returncode, made.stdout, made.stderr) == (0, "", "")
    assert len(json.loads((home / "site" / "picks.json").read_text())) == len(
        list(SAMPLES.rglob("*.md"))
    )
    assert (home / "cache").is_dir()
    assert not (conf / "~").exists() and list(elsewhere.iterdir()) == []
    listed = run_cli("presets", *config, "--format", "json", cwd=elsewhere, env=env)
    shown = json.loads(listed.stdout)
    assert shown["feeds"] == [str(home / "news")]
    assert shown["presets"]["feed"]["output"] == str(home / "site" / "picks.json")
    # the config's own feeds and sources: the home's too
    listed = run_cli("list", *config, "--format", "tsv", cwd=elsewhere, env=env)
    assert listed.returncode == 0 and str(home / "news") in listed.stdout, listed.stderr
    imported = run_cli("import", *config, "-n", cwd=elsewhere, env=env)
    assert f"{home}/lists/outlets.opml: no such file" in imported.stderr, imported.stderr

    # A home that does not exist: refused, naming the key, nothing made
    write(conf / "newscli.yaml", "presets:\n  feed:\n    output: ~nosuchuser-h20/o.json\n")
    refused = run_cli("export", *config, "--preset", "feed", cwd=elsewhere, env=env)
    assert (refused.returncode, refused.stdout) == (2, ""), refused.stderr
    assert refused.stderr == (
        "newscli: error: ../conf/newscli.yaml: presets.feed.output: no home folder for the "
        "user 'nosuchuser-h20' ('~nosuchuser-h20/o.json')\n"
    )
    assert not (conf / "~nosuchuser-h20").exists()


def test_an_output_naming_a_folder_is_refused_as_on_the_command_line(tmp_path: Path) -> None:
    """`output: site/` (or `site/.`) names a folder: export refuses it before any folder
    is made, as `-o site/` is. The preset's file was normalised when joined to the
    config's folder, which dropped the `/`, and export wrote a file named `site`."""
    conf, elsewhere = _setup(tmp_path)
    config = ["--config", "../conf/newscli.yaml"]
    for output in ("site/", "site/."):
        write(conf / "newscli.yaml", f"presets:\n  feed:\n    paths: [sf]\n    output: {output}\n")
        listed = run_cli("presets", *config, cwd=elsewhere)
        assert listed.stdout.splitlines()[1] == f"feed\t../conf/sf --output ../conf/{output}"
        refused = run_cli("export", *config, "--preset", "feed", cwd=elsewhere)
        assert (refused.returncode, refused.stdout) == (1, ""), refused.stderr
        assert refused.stderr == (
            f"newscli: error: cannot write ../conf/{output}: it names a folder, not a file\n"
        )
        assert not (conf / "site").exists()


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_set_unset_and_tag_take_a_presets_paths_as_publish_does(tmp_path: Path) -> None:
    """Their paths end their other arguments (no PATH of their own): the preset's are
    used when the command line names none, and never when it names some."""
    conf, elsewhere = _setup(tmp_path)
    config = ["--config", "../conf/newscli.yaml", "--preset", "mail", "--all", "--dry-run"]
    count = len(list((conf / "sf").rglob("*.md")))
    for command in (["publish"], ["set", "quality=7"], ["tag", "add", "Zeta"], ["unset", "heat"]):
        run = run_cli(*command, *config, cwd=elsewhere)
        assert run.returncode == 0, (command, run.stderr)
        assert run.stderr.startswith("newscli: would change "), run.stderr
        assert sum(map(int, re.findall(r"\d+", run.stderr.splitlines()[-1]))) == count
    one = run_cli("set", "quality=7", "../conf/sf/rate-decision.md", *config, cwd=elsewhere)
    assert one.returncode == 0 and one.stdout.count("\n") == 1, one.stderr
    write(conf / "bad.yaml", "presets:\n  p:\n    paths: [true]\n")
    bad = run_cli("tag", "add", "X", "--config", "../conf/bad.yaml", "--preset", "p", cwd=elsewhere)
    assert (bad.returncode, bad.stderr) == (
        2,
        "newscli: error: ../conf/bad.yaml: presets.p.paths: expected text, not the boolean "
        "true (quote it)\n",
    )
