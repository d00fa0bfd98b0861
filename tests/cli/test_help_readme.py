"""`--help` against README.md: every command and option documented there, no help text
sending a pip-installed user to the README, and `newscli help where` equal to it."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from readme_blocks import blocks, readme_text, section
from typer.testing import CliRunner

from newscli.cli import COMMAND_MODULES, app, every_command
from newscli.cli.options import SHARED

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
COMMANDS = every_command()
SHARED_NAMES = {name for name, _, _ in SHARED}
# Options every command has, documented once for all in the Commands section.
UNIVERSAL = {"--help", "-h"}


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env=ENV, prog_name="newscli")
    assert result.exit_code == 0, result.output
    return result.output


def options_of(command: object) -> set[str]:
    params = getattr(command, "params", [])
    return {o for p in params for o in [*p.opts, *p.secondary_opts] if o.startswith("-")}


def chunks(text: str) -> list[tuple[str, str]]:
    """(heading, the heading and its text up to the next heading) for every heading."""
    found = list(re.finditer(r"^#{1,6} (.*)$", text, re.M))
    ends = [m.start() for m in found[1:]] + [len(text)]
    return [(m.group(1), text[m.start() : end]) for m, end in zip(found, ends, strict=True)]


def mentioned(option: str, text: str) -> bool:
    """The option appears in code (`--x`, `--x N`, `-t T`, ... or after a comma in one)."""
    return re.search(rf"[`/ ]{re.escape(option)}(?![\w-])", text) is not None


def test_every_command_is_in_the_commands_table_and_nothing_else() -> None:
    table = dict(chunks(readme_text()))["Commands"]  # up to its first subsection
    rows = re.findall(r"^\| (`[^|]+`) \|", table, re.M)
    named = {name for row in rows for name in re.findall(r"`([a-z]+)`", row)} - {"command"}
    assert named == set(COMMANDS) == set(COMMAND_MODULES)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_of_a_command_is_in_the_readme(name: str) -> None:
    """Shared options in the "Selecting articles" table, the others in a section whose
    heading names the command."""
    text = readme_text()
    selecting = section("Selecting articles")
    own = "".join(body for heading, body in chunks(text) if re.search(rf"\b{name}\b", heading))
    command = COMMANDS[name]
    missing = []
    for param in command.params:
        for option in [*param.opts, *param.secondary_opts]:
            if not option.startswith("-") or option in UNIVERSAL:
                continue
            where = selecting if param.name in SHARED_NAMES else own + selecting
            if not mentioned(option, where):
                missing.append(option)
    assert missing == [], f"{name}: not in the README's table or section: {missing}"


def test_every_option_of_the_app_is_in_the_readme() -> None:
    text = help_text()
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text.split("Commands:")[0]))
    assert {"--version", "--install-completion", "--show-completion", "--help"} <= options
    readme = readme_text()
    assert [o for o in sorted(options) if not mentioned(o, readme)] == []
    assert mentioned("-h", readme)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_every_option(name: str) -> None:
    text = help_text(name)
    shown = set(re.findall(r"(?<![\w-])--?[a-zA-Z][\w-]*", text.split("Options:")[1]))
    assert options_of(COMMANDS[name]) <= shown


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("args", [[], *[[name] for name in sorted(COMMANDS)]], ids=str)
def test_no_help_text_sends_the_user_to_the_readme(args: list[str]) -> None:
    assert "readme" not in help_text(*args).lower()


def test_where_help_is_the_readme_section() -> None:
    result = run_cli("help", "where")
    assert result.returncode == 0 and result.stderr == ""
    printed = result.stdout
    part = section("`--where` expressions")
    grammar = [b.text for b in blocks(part) if b.lang == "" and ":=" in b.text]
    assert len(grammar) == 1 and grammar[0] in printed
    error = [b.text for b in blocks(part) if b.text.startswith("newscli: error:")]
    assert len(error) == 1 and error[0] in printed
    # The rules, word for word (README bold and line breaks aside).
    rules = re.findall(r"^- \*\*.*?(?=^\S|\Z)", part, re.M | re.S)
    assert len(rules) >= 4
    flat = " ".join(printed.split())
    for rule in rules:
        assert " ".join(rule.replace("**", "").split()) in flat
    # The examples it shows are the README's.
    examples = re.findall(r"^  (newscli .*)$", printed, re.M)
    assert examples and all(example in part for example in examples)


def test_help_without_topic_lists_the_topics_and_an_unknown_one_is_a_usage_error() -> None:
    listed = run_cli("help")
    assert listed.returncode == 0
    assert listed.stdout == "where\tthe --where expression language (newscli help where)\n"
    wrong = run_cli("help", "wher")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr == "newscli: error: help: unknown topic 'wher' (topics: where)\n"
    command = run_cli("help", "list")  # (h49: as git takes it)
    assert command.returncode == 2 and command.stderr == (
        "newscli: error: help: unknown topic 'list' (topics: where); `newscli list --help` "
        "explains that command\n"
    )


def test_the_where_option_points_to_help_where() -> None:
    assert "newscli help where" in " ".join(help_text("list").split())


def test_the_readme_sort_row_names_every_key_and_its_default_direction() -> None:
    """The README's `--sort` row lists every sort key, and which sort descending
    without a direction, as the code has them."""
    from newscli.select.query import DESCENDING_BY_DEFAULT, SORT_KEYS

    row = next(line for line in readme_text().splitlines() if line.startswith("| `--sort KEY"))
    listed, directions = row.split("Without a direction,", 1)
    assert set(re.findall(r"`([a-z.]+)`", listed)) >= set(SORT_KEYS)
    descending = directions.split("sort descending", 1)[0]
    assert set(re.findall(r"`([a-z.]+)`", descending)) == DESCENDING_BY_DEFAULT


def test_where_help_is_laid_out_for_the_terminal_s_width() -> None:
    """h56: its prose was laid out for 80 columns whatever the width (19 lines wider
    than 80); the examples, grammar and error it shows stay as they are."""
    for columns in (60, 80):
        printed = run_cli("help", "where", env={"COLUMNS": str(columns)}).stdout
        prose = [
            line for line in printed.splitlines()
            if not line.startswith((" ", "newscli: error:")) and ":=" not in line
        ]  # fmt: skip
        assert prose and max(map(len, prose)) <= columns, [ln for ln in prose if len(ln) > columns]
    narrow = run_cli("help", "where", env={"COLUMNS": "60"}).stdout
    wide = run_cli("help", "where", env={"COLUMNS": "100"}).stdout
    assert " ".join(narrow.split()) == " ".join(wide.split())  # the same words
