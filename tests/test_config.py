"""Config file, presets, and the scripting contract (exit codes through real processes)."""

import fcntl
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

from newscli import config
from newscli.config import ConfigError


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    write(
        tmp_path / "newscli.yaml",
        "feeds: [feeds]\n"
        "presets:\n"
        "  ai:\n"
        "    topic: [AI]\n"
        "    min-quality: 60\n"
        "    unpublished: true\n"
        "    sort: quality\n"
        "    format: jsonl\n"
        "    fields: title,quality\n"
        "  space:\n"
        "    topic: Space\n"
        "    limit: 2\n"
        "    columns: quality,title\n",
    )
    return tmp_path


def cli(workspace: Path, *args: str, env: dict[str, str] | None = None):
    return run_cli(*args, cwd=workspace, env=env)


def test_default_feeds_and_preset(workspace: Path) -> None:
    listing = cli(workspace, "list", "--preset", "space")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.splitlines() == [
        "quality\ttitle",
        "61\tMoon lander makes it: first images from the south pole",
        "95\tPrivate lunar lander touches down near the south pole",
    ]
    exported = cli(workspace, "export", "--preset", "ai")
    assert exported.stdout.splitlines() == [
        '{"title":"Regulators draft new export rules for AI accelerator chips","quality":82}',
        '{"title":"Chipmakers brace for licensing regime on AI hardware","quality":67}',
    ]


def test_command_line_overrides_the_preset(workspace: Path) -> None:
    result = cli(workspace, "export", "--preset", "ai", "--min-quality", "80", "-f", "json")
    assert result.stdout.splitlines() == [
        "[",
        '{"title":"Regulators draft new export rules for AI accelerator chips","quality":82}',
        "]",
    ]
    more = cli(workspace, "list", "--preset", "space", "--limit", "3", "--topic", "health")
    assert len(more.stdout.splitlines()) == 4  # header + 3, topic from the command line


def test_explicit_paths_win_over_default_feeds(workspace: Path) -> None:
    other = workspace / "other"
    write(other / "only.md", "---\ntitle: Only one\n---\n")
    result = cli(workspace, "list", str(other))
    assert [line.split("\t")[6] for line in result.stdout.splitlines()[1:]] == ["Only one"]


def test_presets_command(workspace: Path) -> None:
    result = cli(workspace, "presets")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "preset\toptions",
        "(default feeds)\tfeeds",
        "ai\t--topic AI --min-quality 60 --unpublished --sort quality --format jsonl "
        "--fields title,quality",
        "space\t--topic Space --limit 2 --columns quality,title",
    ]


def test_xdg_config_is_found(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    write(xdg / "newscli" / "config.yaml", f"feeds: [{SAMPLES}]\n")
    result = run_cli("list", "--limit", "1", cwd=tmp_path, env={"XDG_CONFIG_HOME": str(xdg)})
    assert result.returncode == 0
    assert result.stdout.count("\n") == 2


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("presets: {a: {colour: red}}\n", ["--preset", "a"], "presets.a.colour: unknown option"),
        ("presets: {a: {min-quality: 500}}\n", ["--preset", "a"], "presets.a.min-quality:"),
        ("presets: {a: {topic: AI}}\n", ["--preset", "b"], "unknown preset 'b' (presets: a)"),
        ("feeds: [x\n", [], "invalid YAML"),
        ("colour: red\n", [], "unknown key 'colour'"),
        ("feeds: 5\n", [], "feeds: expected a list of folders"),
        ("presets: [a]\n", [], "presets: expected a mapping"),
        ("- just a list\n", [], "expected a mapping with feeds and presets"),
        ("a: &x 1\n", [], "anchors are not allowed"),
        ("a: " + "[" * 30 + "]" * 30 + "\n", [], "the config file nests deeper than 20"),
        ("presets:\n" + "  p: {limit: 1}\n" * 80_000, [], "the config file is larger than"),
    ],
)
def test_config_errors_name_the_file_and_key(
    tmp_path: Path, text: str, args: list[str], message: str
) -> None:
    path = write(tmp_path / "bad.yaml", text)
    result = run_cli("list", str(SAMPLES), "--config", str(path), *args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"newscli: error: {path}: ")
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert "front matter" not in result.stderr  # (the YAML reader's words for articles)
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("list", str(SAMPLES), "--config", str(tmp_path / "none.yaml"))
    assert result.returncode == 2
    assert "no such configuration file" in result.stderr


def test_a_config_path_that_is_no_regular_file_says_what_it_is(tmp_path: Path) -> None:
    """A directory, a device or a FIFO given as --config: one line saying what it is
    (not "no such configuration file", which sends one looking for a missing file), and
    nothing read from it (a FIFO with no writer would block)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    other = "not a regular file (a device, FIFO or socket): not read as a configuration file"
    cases = [
        (tmp_path, "a directory, not a configuration file"),
        ("/dev/zero", other),  # (read, it would never end)
        (fifo, other),
    ]
    for path, why in cases:
        result = run_cli("list", str(SAMPLES), "--config", str(path))
        assert result.returncode == 2, path
        assert result.stderr == f"newscli: error: {path}: {why}\n"
        assert result.stdout == ""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_the_null_device_is_an_empty_config(tmp_path: Path) -> None:
    """`--config /dev/null` (new-user pass: it was refused as a device) is the empty
    configuration an empty file is: no feeds, presets or rules, and ./newscli.yaml left
    unread; a link to it too, and before the command. Other devices are still refused,
    unopened (test above)."""
    write(tmp_path / "newscli.yaml", "feeds: [elsewhere]\npresets:\n  p:\n    limit: 1\n")
    write(tmp_path / "empty.yaml", "")
    os.symlink("/dev/null", tmp_path / "null")
    commands = [
        ["list", str(SAMPLES), "--format", "tsv"],
        ["list", "--format", "tsv"],  # no feeds: this folder, which holds no article
        ["presets", "--format", "tsv"],
        ["list", str(SAMPLES), "--preset", "p"],
    ]
    for command in commands:
        empty = run_cli(*command, "--config", "empty.yaml", cwd=tmp_path)
        assert "elsewhere" not in empty.stderr
        for null in ("/dev/null", "null"):
            for args in ([*command, "--config", null], ["--config", null, *command]):
                result = run_cli(*args, cwd=tmp_path)
                said = (result.returncode, result.stdout, result.stderr.replace(null, "empty.yaml"))
                assert said == (empty.returncode, empty.stdout, empty.stderr), args
    assert empty.stderr == "newscli: error: empty.yaml: unknown preset 'p' (presets: none)\n"


def test_an_empty_config_name_is_an_error_not_the_default_file(tmp_path: Path) -> None:
    """`--config "$UNSET"` must not quietly read ./newscli.yaml (new-user pass)."""
    write(tmp_path / "newscli.yaml", "feeds: [elsewhere]\n")  # would say: no such folder
    for args in (["list", str(SAMPLES), "--config", ""], ["--config", "", "list", str(SAMPLES)]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert result.stderr == "newscli: error: --config needs a file name\n"
        assert result.stdout == ""


def test_a_file_whose_size_says_empty_is_still_read() -> None:
    """Files of /proc report a size of 0 but have text: it is read and checked."""
    result = run_cli("list", str(SAMPLES), "--config", "/proc/self/status")
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: /proc/self/status: ")


def test_config_module_directly(tmp_path: Path) -> None:
    assert config.load(None).presets == {}
    path = write(tmp_path / "c.yaml", "feeds: feeds\n")
    assert config.load(str(path)).feeds == (str(tmp_path / "feeds"),)
    with pytest.raises(ConfigError, match="unknown preset"):
        config.load(str(path)).preset("x")


def test_quiet_and_verbose(workspace: Path) -> None:
    write(workspace / "feeds" / "broken.md", "---\ntitle: [\n---\n")
    write(workspace / "feeds" / "broken2.md", "no front matter\n")
    normal = cli(workspace, "list")
    assert normal.stderr.count("\n") == 2 and "broken.md: invalid YAML" in normal.stderr
    quiet = cli(workspace, "list", "--quiet")
    assert quiet.stderr == ""  # errors only
    assert quiet.stdout == normal.stdout
    verbose = cli(workspace, "list", "-v")
    assert "newscli: 20 files:" in verbose.stderr and "2 invalid; 18 selected" in verbose.stderr
    strict_quiet = cli(workspace, "list", "--quiet", "--strict")
    assert strict_quiet.returncode == 1
    assert strict_quiet.stderr.startswith("newscli: error: 2 invalid files;")


def test_exit_codes_of_every_documented_case(workspace: Path, tmp_path: Path) -> None:
    feeds = workspace / "feeds"
    assert cli(workspace, "list").returncode == 0
    assert cli(workspace, "list", "--topic", "none-such").returncode == 0
    empty = cli(workspace, "export", "--topic", "none-such", "--fail-if-empty")
    assert empty.returncode == 4 and empty.stdout == "[]\n"
    assert "nothing was selected" in empty.stderr
    assert cli(workspace, "list", str(tmp_path / "missing")).returncode == 1
    assert cli(workspace, "list", "--min-quality", "x").returncode == 2
    assert cli(workspace, "list", "--preset", "nope").returncode == 2
    write(feeds / "bad.md", "---\ntitle: [\n---\n")
    assert cli(workspace, "export", "--strict").returncode == 1
    fd = os.open(feeds / ".newscli.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        locked = cli(workspace, "export", "--mark-published", "--topic", "AI", "-o", "x.json")
        assert locked.returncode == 3
    finally:
        os.close(fd)
    assert cli(workspace, "validate").returncode == 1


def test_nothing_on_stderr_or_stdout_besides_the_result(workspace: Path) -> None:
    result = cli(workspace, "export", "--preset", "ai", "-f", "json", "-o", "out.json")
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
    assert (workspace / "out.json").read_text().startswith("[\n")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_completion_of_presets_topics_and_commands(workspace: Path) -> None:
    def complete(words: str, cword: int) -> list[str]:
        env = {"_NEWSCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        result = run_cli(cwd=workspace, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert complete("newscli list --preset ", 3) == ["ai", "space"]
    assert complete("newscli export --topic Sp", 3) == ["Space", "Sports"]
    assert "presets" in complete("newscli pre", 1)
    assert "--fail-if-empty" in complete("newscli list --fa", 2)


def test_completion_offers_no_hidden_characters_and_bash_only_plain_words(
    tmp_path: Path,
) -> None:
    """h42: bash's completion script split `my preset` in two and expanded a topic
    `/etc/pass*` into a file; an OSC sequence in a preset name reached the terminal."""
    write(tmp_path / "newscli.yaml", 'feeds: [feeds]\npresets:\n  "my preset": {limit: 1}\n'
          '  "*": {limit: 1}\n  morning: {limit: 2}\n  "\\e]0;PWN\\a": {limit: 3}\n')  # fmt: skip
    write(
        tmp_path / "feeds" / "s.md",
        '---\ntitle: s\ntopics: ["Spa ce", "/etc/pass*", AI, "ok:colon", "x=y"]\n---\n',
    )  # fmt: skip (h117: bash ends a word at ":" and "=")

    def complete(shell: str, words: str) -> str:
        env = {"_NEWSCLI_COMPLETE": f"complete_{shell}", "COMP_WORDS": words,
               "COMP_CWORD": "3", "_TYPER_COMPLETE_ARGS": words,
               "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
        result = run_cli(cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert complete("bash", "newscli list --preset ").split() == ["morning"]
    assert complete("bash", "newscli list --topic ").split() == ["AI"]
    zsh = complete("zsh", "newscli list --preset ")
    assert '"my preset"' in zsh and "\x1b" not in zsh and "PWN" not in zsh


def test_presets_shows_a_name_s_hidden_characters_escaped(tmp_path: Path) -> None:
    """h42: a preset named by an escape sequence was a blank cell, "a\\u202eb" was "ab"
    (h90: each is written as bash takes it, for --preset)."""
    write(tmp_path / "newscli.yaml",
          'presets:\n  "\\e]0;PWN\\a": {limit: 3}\n  "a\\u202eb": {limit: 4}\n')  # fmt: skip
    result = run_cli("presets", "--format", "table", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "$'\\e]0;PWN\\x07'" in result.stdout and "$'a\\xe2\\x80\\xaeb'" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_fields_shows_a_key_s_hidden_characters_escaped(tmp_path: Path) -> None:
    """h42: the keys "\\u200b" and "" were two blank cells, and "\\x1b[31mkey" read "key";
    h153: "  " was a blank cell too."""
    write(tmp_path / "k.md", '---\ntitle: t\n"\\u200b": zw\n"": e\n"\\e[31mkey": r\n'
          '"  ": b\n---\n')  # fmt: skip
    result = run_cli("fields", "k.md", "--format", "table", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    firsts = [line[:11].strip() for line in result.stdout.splitlines() if "found in" in line]
    assert firsts == ['""', "\\x1b[31mkey", '"  "', "\\u200b"]
    tsv = run_cli("fields", "k.md", "--format", "tsv", "--no-cache", cwd=tmp_path).stdout
    assert '\n"  "\tstring\tfound in the files\n' in tsv
