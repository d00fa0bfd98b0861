"""README.md cut into its fenced blocks and the shell examples in them (for the tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

README = Path(__file__).resolve().parent.parent / "README.md"

_FENCE = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_HEADING = re.compile(r"^#{1,6} (.*)$", re.M)
# A line starting with one of these begins a new example; any other line (a `case`
# block, an indented line) continues the example above it.
_STARTS = ("newscli ", "python3 ")


@dataclass(frozen=True)
class Block:
    """A fenced block: its language (`sh`, `yaml`, ... or ""), text and place."""

    lang: str
    text: str
    line: int  # the README line of the opening fence
    section: str  # the heading above it


@dataclass(frozen=True)
class Example:
    """One shell example: a command line (with any lines that continue it)."""

    command: str
    line: int
    section: str

    @property
    def id(self) -> str:
        return f"README:{self.line}:{self.command.splitlines()[0][:60]}"


def readme_text() -> str:
    return README.read_text(encoding="utf-8")


def blocks(text: str | None = None) -> list[Block]:
    text = readme_text() if text is None else text
    headings = [(m.start(), m.group(1)) for m in _HEADING.finditer(text)]
    found = []
    for match in _FENCE.finditer(text):
        section = next((h for at, h in reversed(headings) if at < match.start()), "")
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(match.group(1), match.group(2), line, section))
    return found


def examples(block: Block) -> list[Example]:
    """The examples of an `sh` block: comment lines dropped, continuation lines joined,
    set-up lines before the first command run with it."""
    found: list[Example] = []
    prelude: list[str] = []  # set-up lines before a block's first command (`rm -f x`)
    for offset, raw in enumerate(block.text.splitlines(), start=1):
        line = raw.rstrip()
        if not line or line.lstrip().startswith("#"):
            continue
        if line.startswith(_STARTS):
            command = "\n".join([*prelude, line])
            found.append(Example(command, block.line + offset - len(prelude), block.section))
            prelude = []
        elif not found:
            prelude.append(line)
        else:
            last = found[-1]
            found[-1] = Example(f"{last.command}\n{line}", last.line, last.section)
    return found


def config_example() -> str:
    """The README's config file example: the yaml block that defines presets."""
    for block in blocks():
        if block.lang == "yaml" and "presets" in (yaml.safe_load(block.text) or {}):
            return block.text
    raise AssertionError("README.md has no yaml block with presets")


def section(title_part: str, text: str | None = None) -> str:
    """The text of the first section whose heading contains ``title_part``, up to the
    next heading of the same or a higher level."""
    text = readme_text() if text is None else text
    for match in re.finditer(r"^(#{1,6}) (.*)$", text, re.M):
        if title_part in match.group(2):
            level = len(match.group(1))
            rest = text[match.end() :]
            end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
            return rest[: end.start()] if end else rest
    raise AssertionError(f"README.md has no section about {title_part!r}")
