"""What an error line names (h30, h31), through the installed command: a path holding a
line break or an escape sequence stays on its one line, written as escapes (a missing
path, an import source, `--config`, a link's target), while a --where error keeps its
caret lines; an output under a dangling link
names where the link points; an empty or blank --cache-dir or output is a usage error,
from the command line or a preset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("newscli: imported")]
    assert len(lines) == 1 and lines[0].startswith("newscli: error: "), stderr
    return lines[0]


def test_a_line_break_in_a_path_stays_on_the_error_s_line(tmp_path: Path) -> None:
    missing = run_cli("list", "miss\ning", cwd=tmp_path)
    assert missing.returncode == 1
    assert _one_error_line(missing.stderr) == "newscli: error: no such file or folder: miss\\ning"
    source = run_cli("import", "src\nx.xml", "--into", "feeds", cwd=tmp_path)
    assert source.returncode == 1
    assert _one_error_line(source.stderr) == "newscli: error: src\\nx.xml: no such file"
    config = run_cli("list", str(SAMPLES), "--config", "c\nx.yaml", cwd=tmp_path)
    assert config.returncode == 2
    assert _one_error_line(config.stderr) == (
        "newscli: error: c\\nx.yaml: no such configuration file"
    )
    os.symlink(tmp_path / "no\nwhere" / "x.json", tmp_path / "link")
    link = run_cli("export", str(SAMPLES), "-o", "link", cwd=tmp_path)
    assert link.returncode == 1
    assert _one_error_line(link.stderr).endswith(
        f"{tmp_path}/no\\nwhere/x.json, whose folder does not exist"
    )
    # an escape sequence is shown, not dropped (h31: the error named an existing "a")
    (tmp_path / "a").mkdir()
    hidden = run_cli("list", "\x1b]0;x\x07a", cwd=tmp_path)
    assert _one_error_line(hidden.stderr) == (
        "newscli: error: no such file or folder: \\x1b]0;x\\x07a"
    )
    # a --where error keeps its two caret lines
    where = run_cli("list", str(SAMPLES), "--where", 'title =~ "("', cwd=tmp_path)
    assert where.returncode == 2
    assert where.stderr.splitlines()[1:] == ['  title =~ "("', "           ^"]


def test_an_output_under_a_dangling_link_names_where_it_points(tmp_path: Path) -> None:
    os.symlink(tmp_path / "nowhere", tmp_path / "dl")
    for output in ("dl/out.json", "dl/sub/out.json"):
        result = run_cli("export", str(SAMPLES), "-o", output, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (1, ""), result.stderr
        assert result.stderr == (
            f"newscli: error: cannot write {output}: dl is a link to {tmp_path}/nowhere, "
            "which does not exist\n"
        )
    assert not (tmp_path / "nowhere").exists()  # no folder made where a link points


@pytest.mark.parametrize("blank", ["", "  "])
def test_an_empty_or_blank_cache_dir_is_a_usage_error(tmp_path: Path, blank: str) -> None:
    for args in (["list", str(SAMPLES)], ["validate", str(SAMPLES)],
                 ["import", "x.xml", "--into", "feeds"]):  # fmt: skip
        result = run_cli(*args, "--cache-dir", blank, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), (args, result.stderr)
        assert result.stderr == "newscli: error: --cache-dir: needs a folder name\n"
    write(tmp_path / "c.yaml", f'presets:\n  c:\n    cache-dir: "{blank}"\n')
    for args in (["presets"], ["list", str(SAMPLES), "--preset", "c"]):
        result = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), (args, result.stderr)
        assert result.stderr == "newscli: error: c.yaml: presets.c.cache-dir: needs a folder name\n"
    assert not (tmp_path / "feeds").exists()


def test_a_blank_output_is_a_usage_error_and_no_file(tmp_path: Path) -> None:
    result = run_cli("export", str(SAMPLES), "-o", "  ", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == (
        "newscli: error: -o: '  ' is only blanks, not a file name ('-' is stdout)\n"
    )
    write(tmp_path / "c.yaml", 'presets:\n  o:\n    output: " "\n')
    for args in (["presets"], ["export", str(SAMPLES), "--preset", "o"]):
        result = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "presets.o.output: ' ' is only blanks" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_into_and_cache_dir_through_a_dangling_link_name_its_target(tmp_path: Path) -> None:
    """h31: "cannot create dl: File exists" (as -o said before)."""
    os.symlink("nowhere", tmp_path / "dl")
    write(tmp_path / "f.json", '[{"title": "T", "webUrl": "https://t.example/1"}]')
    into = run_cli("import", "f.json", "--into", "dl", cwd=tmp_path)
    assert into.returncode == 1
    assert "newscli: error: dl is a link to nowhere, which does not exist\n" in into.stderr
    cache = run_cli("list", str(SAMPLES), "--cache-dir", "dl", cwd=tmp_path)
    assert cache.returncode == 0, cache.stderr
    assert (
        cache.stderr == "newscli: cache disabled: dl is a link to nowhere, which does not exist\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_a_cache_dir_that_is_a_file_or_a_link_loop_says_so(tmp_path: Path) -> None:
    """h37: "cannot create cf: File exists", and a loop called a link to nothing."""
    write(tmp_path / "cf", "a file\n")
    os.symlink("loop", tmp_path / "loop")
    for folder, said in (
        ("cf", "cannot create cf: it is a file, not a folder"),
        ("cf/sub", "cannot create cf/sub: cf is a file, not a folder"),
        ("loop", "loop is a link that leads back to itself (a loop)"),
    ):
        for command in ("list", "clusters"):  # (h80 7: clusters said it twice)
            cache = run_cli(command, str(SAMPLES), "--cache-dir", folder, cwd=tmp_path)
            assert cache.returncode == 0 and cache.stdout, cache.stderr
            assert cache.stderr == f"newscli: cache disabled: {said}\n"


def test_a_blank_cache_variable_is_a_usage_error_where_the_cache_is_used(
    tmp_path: Path,
) -> None:
    """h80 7: NEWSCLI_CACHE_DIR="  " made a cache folder named two blanks wherever the
    run was (cron's folder), while --cache-dir "  " is a usage error."""
    blank = {"NEWSCLI_CACHE_DIR": "  "}
    for command in ("list", "clusters"):
        result = run_cli(command, str(SAMPLES), cwd=tmp_path, env=blank)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr == (
            "newscli: error: NEWSCLI_CACHE_DIR: only blanks, not a folder name (unset it "
            "for the default cache)\n"
        )
    assert list(tmp_path.iterdir()) == []
    write(tmp_path / "f.json", '[{"title": "T", "webUrl": "https://t.example/1"}]')
    imported = run_cli("import", "f.json", "--into", "into", cwd=tmp_path, env=blank)
    assert (imported.returncode, imported.stdout) == (2, ""), imported.stderr  # (h82 4)
    assert "NEWSCLI_CACHE_DIR: only blanks" in imported.stderr
    (tmp_path / "f.json").unlink()
    assert list(tmp_path.iterdir()) == []
    unused = run_cli("list", str(SAMPLES), "--no-cache", cwd=tmp_path, env=blank)
    assert unused.returncode == 0 and unused.stdout and not unused.stderr, unused.stderr
    named = run_cli("list", str(SAMPLES), "--cache-dir", "c", cwd=tmp_path, env=blank)
    assert named.returncode == 0 and not named.stderr, named.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["c"]


@pytest.mark.parametrize("blank", ["   ", "\t"])  # ("" is not given: its own message)
def test_a_blank_into_is_a_usage_error(tmp_path: Path, blank: str) -> None:
    write(tmp_path / "f.json", '[{"title": "T", "webUrl": "https://t.example/1"}]')
    result = run_cli("import", "f.json", "--into", blank, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == "newscli: error: --into: needs a folder name\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_a_state_folder_that_is_a_file_is_one_error_after_the_import(tmp_path: Path) -> None:
    """h31: an internal error (FileExistsError), no summary."""
    write(tmp_path / "f.json", '[{"title": "T", "webUrl": "https://t.example/1"}]')
    write(tmp_path / "st", "")
    result = run_cli("import", "f.json", "--into", "feeds", cwd=tmp_path,
                     env={"NEWSCLI_STATE_DIR": str(tmp_path / "st")})  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.startswith("feeds/") and result.stdout.count("\n") == 1
    assert result.stderr == (
        f"newscli: error: cannot save the import state (cannot create {tmp_path}/st: it is "
        "a file, not a folder): the next run downloads every source in full\n"
        "newscli: imported 1 new article from 1 source (0 already there, 1 without a date "
        "it could read, filed under today)\n"
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("pattern", ["[[:alpha:]]", "[a&&b]", "[a--b]"])
def test_a_pattern_the_engine_warns_of_is_refused(tmp_path: Path, pattern: str) -> None:
    """h31: its FutureWarning reached stderr raw (a traceback with warnings as errors),
    and the pattern matched something else."""
    for args in (["--match", pattern], ["--where", f'title =~ "{pattern}"']):
        result = run_cli("list", str(SAMPLES), *args, cwd=tmp_path,
                         env={"PYTHONWARNINGS": "error"})  # fmt: skip
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"newscli: error: {args[0]}: invalid regular expression: possible")
        assert "Warning" not in result.stderr


@pytest.mark.parametrize("topic", ["", "  ", "A\nB"])
def test_an_empty_blank_or_two_line_topic_is_a_usage_error(tmp_path: Path, topic: str) -> None:
    """h31: `--topic ''` wrote `topics: [""]` into every imported file."""
    write(tmp_path / "f.json", '[{"title": "T", "webUrl": "https://t.example/1"}]')
    result = run_cli("import", "f.json", "--into", "feeds", "--topic", topic, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == (
        f"newscli: error: --topic: {topic!r} is no topic (a topic is a word or words on one line)\n"
    )
    assert not (tmp_path / "feeds").exists()


def test_show_names_why_a_link_cannot_be_read(tmp_path: Path) -> None:
    """h42: a looping link was "no such file or folder"."""
    os.symlink("loop", tmp_path / "loop")
    os.symlink("nowhere", tmp_path / "dangling")
    for name, said in (
        ("loop", "loop: cannot read: Too many levels of symbolic links"),
        ("dangling", "dangling: cannot read: No such file or directory"),
    ):
        result = run_cli("show", name, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (1, f"newscli: error: {said}\n")
