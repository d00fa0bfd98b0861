"""Every example in README.md, run through the installed `newscli` command.

Each line of an `sh` block is an example (lines that do not start a command continue
the one above); each `yaml` block is loaded as the config file; the `markdown` article
is validated; the `--where` error block is the stderr of the expression it shows.
Adding an example to the README adds a test here. `cron` blocks are the cron section's
own test (tests/e2e/test_readme.py). A few examples cannot run as written: they are in
MAPPED, each with what runs instead and why.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import feedparser
import html5lib
import pytest
import yaml
from conftest import NEWSCLI, REPO, SAMPLES, write
from readme_blocks import Block, Example, blocks, config_example, examples

BLOCKS = blocks()
EXAMPLES = [example for block in BLOCKS if block.lang == "sh" for example in examples(block)]
# languages with a rule here ("cron": h3's; "text": the review screen, below)
RULES = {"sh", "yaml", "markdown", "", "cron", "text"}


@dataclass(frozen=True)
class Mapped:
    """What runs instead of an example that cannot run as written, and why."""

    command: str | None  # None: not run here
    why: str
    cwd: Path | None = None  # None: the example's folder


FEEDS = REPO / "tests" / "fixtures" / "feeds"
VENV = "python3 -m venv .venv && .venv/bin/pip install -q "
MAPPED = {
    VENV + ". && .venv/bin/newscli list sample_feeds": Mapped(
        "newscli list sample_feeds", "the install is the tests' installed command"
    ),
    VENV + "-e '.[test]' && .venv/bin/python -m pytest": Mapped(None, "it is this test run"),
    "newscli import https://news.example/rss.xml https://news.example/feed.json --into feeds "
    "--topic World": Mapped(
        f"newscli import {FEEDS}/harbor-ledger-rss20.xml {FEEDS}/lantern-jsonfeed.json "
        "--into feeds --topic World",
        "no network here: the same kinds of feed, from files",
    ),
    "newscli import exports/aggregator.json --into feeds --quality 60 --dry-run": Mapped(
        f"newscli import {FEEDS}/upstream-aggregator.json --into feeds --quality 60 --dry-run",
        "the fixture's aggregator document",
    ),
    "newscli import --quiet --wait 300": Mapped(
        None, "the config's sources are on the network: tests/cli/test_import_cli.py"
    ),
    "python3 bench/run.py --sizes 10000,100000 --runs 7": Mapped(
        "python3 bench/run.py --help", "the benchmark takes many minutes; its options", REPO
    ),
}


@pytest.fixture(scope="session")
def command_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH on which `newscli` is the installed console script (pip wires `pip install
    -e .` and `pip install .` the same way) and `python3` is this environment's."""
    assert NEWSCLI.is_file(), (
        f"{NEWSCLI} not found: the README examples run the installed command; install the "
        f"checkout first ({sys.executable} -m pip install -e '.[test]')"
    )
    shims = tmp_path_factory.mktemp("bin")
    (shims / "python3").symlink_to(sys.executable)
    path = os.pathsep.join([str(shims), str(NEWSCLI.parent), os.environ.get("PATH", "")])
    assert shutil.which("newscli", path=path) == str(NEWSCLI)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where an example runs: sample_feeds/ and a copy as feeds/ (several examples say
    `feeds`), and site/ (the README's config writes site/ai.xml)."""
    shutil.copytree(SAMPLES, tmp_path / "sample_feeds")
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    (tmp_path / "site").mkdir()
    return tmp_path


def bash(command: str, cwd: Path, path: str) -> subprocess.CompletedProcess[str]:
    """Run a README example as a user's shell would, a failure in a pipe included."""
    env = {**os.environ, "PATH": path, "COLUMNS": "100"}
    env.pop("NEWSCLI_DEBUG", None)
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def clean(result: subprocess.CompletedProcess[str], code: int = 0) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert ("newscli: error" in result.stderr) == (code != 0), result.stderr


@dataclass
class Shape:
    """The parts of an example's first command line: newscli's arguments, a pipe's
    command, the file it writes."""

    argv: list[str]
    pipe: list[str]
    file: str | None

    @classmethod
    def of(cls, line: str) -> Shape:
        lexer = shlex.shlex(line, posix=True, punctuation_chars="|>&;<")
        lexer.whitespace_split = True
        tokens = list(lexer)
        argv: list[str] = []
        pipe: list[str] = []
        file = None
        target = argv
        for i, token in enumerate(tokens):
            if token == "|":
                target = pipe
            elif token == ">":
                file = tokens[i + 1]
            elif token not in ("<<<",) and (i == 0 or tokens[i - 1] != ">"):
                target.append(token)
        for flag in ("-o", "--output"):
            if flag in argv:
                file = argv[argv.index(flag) + 1]
        return cls(argv, pipe, file)

    def option(self, *names: str) -> str | None:
        for name in names:
            if name in self.argv:
                return self.argv[self.argv.index(name) + 1]
        return None


def check_output(shape: Shape, text: str) -> None:
    """The output parses as what the command promises."""
    assert text.strip(), "no output"
    command = shape.argv[1]
    fmt = shape.option("--format", "-f")
    if shape.pipe:
        if shape.pipe[0] == "jq":
            json_values(text)
        elif shape.pipe[0] == "cut":
            assert len({line.count("\t") for line in text.splitlines()}) == 1
        else:
            assert all(line.strip() for line in text.splitlines())
        return
    if command == "export":
        check_export(fmt or ("template" if shape.option("--template") else "json"), shape, text)
    elif fmt == "json":
        json.loads(text)
    elif command in ("list", "fields", "clusters", "stats", "presets"):
        rows = [line.split("\t") for line in text.splitlines()]  # piped: TSV
        assert len(rows[0]) > 1 and len({len(row) for row in rows}) == 1
        assert rows[0] == [cell.lower() for cell in rows[0]]  # a header row
    elif command in ("publish", "unpublish"):
        for line in text.splitlines():
            assert re.fullmatch(r".+\.md: published (true|false) -> (true|false)", line)
    elif command == "validate":
        assert re.fullmatch(r"\d+ files? checked: \d+ valid, \d+ invalid.*", text.splitlines()[-1])


def check_export(fmt: str, shape: Shape, text: str) -> None:
    fields = shape.option("--fields")
    title = shape.option("--feed-title")
    if fmt == "json":
        records = json.loads(text)
        assert isinstance(records, list) and records
        if fields:
            assert all(sorted(r) == sorted(fields.split(",")) for r in records)
    elif fmt == "jsonl":
        assert all(isinstance(json.loads(line), dict) for line in text.splitlines())
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        assert len(rows) > 1 and len({len(row) for row in rows}) == 1
        assert rows[0] == (fields.split(",") if fields else rows[0]) and "title" in rows[0]
    elif fmt in ("atom", "rss"):
        feed = feedparser.parse(text.encode())
        assert not feed.bozo and feed.entries
        assert feed.feed.title == (title or "newscli export")
    elif fmt == "jsonfeed":
        feed = json.loads(text)
        assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["items"]
    elif fmt == "email":
        message = email.message_from_string(text, policy=email.policy.default)
        assert message.get_content_type() == "multipart/alternative"
        assert message["Subject"] == title and message["To"] == shape.option("--to")
    elif fmt == "html" or (shape.option("--template") or "").endswith(".html"):
        tree = html5lib.HTMLParser(strict=True).parse(text)
        assert tree.find(".//{http://www.w3.org/1999/xhtml}article") is not None
    else:
        assert fmt == "markdown" or shape.option("--template"), f"no check for --format {fmt}"
        assert text.startswith(f"# {title}\n" if title else "# ")


def json_values(text: str) -> list[object]:
    """Every JSON value in text (jq prints one after another)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def needs(command: str) -> None:
    for tool in ("jq", "cut"):
        if re.search(rf"\b{tool}\b", command) and shutil.which(tool) is None:
            pytest.skip(f"the example needs {tool}, which is not installed")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_readme_shell_example(example: Example, folder: Path, command_path: str) -> None:
    command, cwd = example.command, folder
    if command in MAPPED:
        mapped = MAPPED[command]
        if mapped.command is None:
            pytest.skip(f"not run: {mapped.why}")
        command, cwd = mapped.command, mapped.cwd or folder
    needs(command)
    if "--preset" in command or command.startswith("newscli presets"):
        write(folder / "newscli.yaml", config_example())
    result = bash(command, cwd, command_path)
    clean(result)
    lines = command.splitlines()
    first = next(line for line in lines if line.startswith(("newscli ", "python3 ")))
    script = [line for line in lines if line is not first]
    if command.startswith("python3 "):
        assert all(option in result.stdout for option in re.findall(r"--\w+", example.command))
        return
    shape = Shape.of(first)
    assert shape.argv[0] == "newscli", f"an example that is no newscli command: {first}"
    if script:  # a script around the command: it says something; the output is written
        assert result.stdout.strip()
    elif shape.file is not None:
        assert result.stdout == ""
    if shape.file is not None:
        name = shape.file
        if name.startswith("$"):  # a shell variable: the script's assignment names it
            (value,) = [v for k, _, v in (ln.partition("=") for ln in script) if k == name[1:]]
            name = value.strip('"')
        written = cwd / name
        if script and not written.exists():  # the script handed it on (moved it)
            moved = [p for p in cwd.rglob(f"*{written.suffix}") if "feeds" not in p.parts]
            assert len(moved) == 1, moved
            written = moved[0]
        check_output(shape, written.read_text(encoding="utf-8"))
    else:
        check_output(shape, result.stdout)


def test_readme_review_screen_is_the_golden_capture() -> None:
    """The `text` block is the 80x24 review screen its test captures
    (tests/review/test_review_screens.py)."""
    [block] = [b for b in BLOCKS if b.lang == "text"]
    golden = REPO / "tests" / "golden" / "review" / "screen-80x24.txt"
    assert block.text == golden.read_text(encoding="utf-8")


def test_the_exceptions_are_still_in_the_readme() -> None:
    assert set(MAPPED) <= {example.command for example in EXAMPLES}


def test_every_block_has_a_rule() -> None:
    assert {block.lang for block in BLOCKS} <= RULES
    assert len(EXAMPLES) >= 30  # the extraction finds the README's examples


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.lang == "yaml"], ids=lambda b: f"README:{b.line}"
)
def test_readme_config_example(block: Block, folder: Path, command_path: str) -> None:
    loaded = yaml.safe_load(block.text)
    write(folder / "newscli.yaml", block.text)
    result = bash("newscli presets", folder, command_path)
    clean(result)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["preset", "options"]
    names = [row[0] for row in rows[1:]]
    assert names == (["(default feeds)"] if loaded.get("feeds") else []) + list(loaded["presets"])
    for name in loaded["presets"]:
        listed = bash(f"newscli list --preset {name}", folder, command_path)
        clean(listed)
        check_output(Shape.of(f"newscli list --preset {name}"), listed.stdout)


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.lang == "markdown"], ids=lambda b: f"README:{b.line}"
)
def test_readme_article_example_is_a_valid_article(
    block: Block, folder: Path, command_path: str
) -> None:
    write(folder / "article.md", block.text)
    clean(bash("newscli validate article.md", folder, command_path))
    exported = bash("newscli export article.md", folder, command_path)
    clean(exported)
    [record] = json.loads(exported.stdout)
    assert record["title"] == yaml.safe_load(block.text.split("---")[1])["title"]


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.lang == "" and b.text.startswith("newscli: error: --where")],
    ids=lambda b: f"README:{b.line}",
)
def test_readme_where_error_example(block: Block, folder: Path, command_path: str) -> None:
    """The error block is what `--where` with the expression under it prints; `...`
    stands for the rest of a line."""
    expression = block.text.splitlines()[1].strip()
    result = bash(f"newscli list feeds --where {shlex.quote(expression)}", folder, command_path)
    clean(result, 2)
    pattern = ".*".join(re.escape(part) for part in block.text.split("..."))
    assert re.fullmatch(pattern, result.stderr), result.stderr


def test_the_where_blocks_are_checked() -> None:
    """The plain blocks are the --where grammar (tests/cli/test_help_readme.py) and the
    --where error example (above); another one needs a rule."""
    plain = [b for b in BLOCKS if b.lang == ""]
    assert all(":=" in b.text or b.text.startswith("newscli: error: --where") for b in plain)
    assert len(plain) == 2
