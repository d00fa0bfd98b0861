"""`newscli help TOPIC`: what a pip-installed user would otherwise find only in the README."""

import re
from typing import Annotated, Optional

import typer

from newscli.cli.application import EXIT_USAGE, app
from newscli.terminal.output import Output

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)

# The README's "`--where` expressions" section, as plain text (tests keep the two equal).
WHERE = """\
--where EXPR keeps the articles for which EXPR holds (repeated, each must hold).
Examples:

  newscli list sample_feeds --where 'quality >= 70 and not published'
  newscli list sample_feeds --where 'topics contains "AI" and age < 7d' --now 2025-03-20T00:00:00Z
  newscli list sample_feeds --where 'title =~ "\\b(moon|lunar)\\b" and date >= 2025-01-01'

A small language, parsed (never `eval`ed):

expr    := and ("or" and)*
and     := unary ("and" unary)*
unary   := "not" unary | primary
primary := "(" expr ")" | operand [op operand | "in" "[" literal, ... "]" | "contains" operand]
op      := "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~"
operand := FIELD | literal
literal := number | "string" | 'string' | true | false | null
         | date (2025-03-20, 2025-03-20T08:00:00Z) | duration (30s, 90m, 24h, 7d, 2w)

- Fields are those `newscli fields PATH` lists: front-matter keys, nested keys
  (`provider.domain`, `sourceFeed.region`), keys inside lists (`images.url`,
  `related.provider.domain`, any key the items have, `images.width`: each gives a
  list), and derived ones: `date` (= publishedDateTime),
  `age` (now minus date, a duration), `url` (webUrl, else originalUrl), `path`.
  Each key of a name begins with a letter (of any script) or `_`, then letters, digits,
  `_` or `-` (a key with a space, or one that begins with a digit, cannot be named).
  Keywords are case-insensitive; field names are not.
- Comparison: text compares case-insensitively; `=~` / `!~` search with a
  case-insensitive Python regular expression (a backslash is kept as written, `"\\d+"`,
  except in `\\\\`, one backslash, and `\\"`, a quote: a literal backslash is `"\\\\\\\\"`);
  a list field `= x` or `contains x` when one element equals x, and `< x` (`<=`, `>`,
  `>=`, `=~`) when one element compares so (`images.width >= 800`: some image is that
  wide); a text field
  `contains x` when x is a substring; `x in [...]` when x (or one of its elements)
  is in the list; a field alone is true when it is set and not false/empty/zero.
  Dates compare with dates (a quoted date works too), durations with durations. A date
  alone is an instant here, midnight UTC: `date <= 2025-03-06` ends at that midnight;
  write `date < 2025-03-07` for the whole day (unlike `--until`).
- Missing values satisfy no comparison, not even `!=` or `!~`; test for them with
  `= null` / `!= null`. `heat` of `-1` counts as missing, and so does an empty list
  (a file without `topics` has `[]`: `topics != "AI"` leaves it out, as `tags != "AI"`
  leaves out a file without `tags`). `not (quality > 50)` includes
  articles without a quality.
- Errors are usage errors (exit 2) that show the expression and a caret under
  the error (a tab, a line break or another control character is shown escaped, as
  `\\t`, `\\n` or `\\x1b`, and a wide character counts two columns; an expression
  wider than 100 columns is shown cut around the error, `…` at each cut end). An
  unknown field (here, or in `--columns`, `--fields`; an unknown `--sort` key too)
  names the closest known one; `newscli fields PATH` lists them all. A field is known
  when it is in that list or some article read has it, even null in each (`embargo:
  null`; `newscli fields` lists only fields with a value); `rejected` and `rejectedReason`
  (`newscli reject`'s) always are; a config rule is never refused for one
  (`newscli rules --help`):

newscli: error: --where: unknown field 'qualty'; did you mean 'quality'? (`newscli fields PATH` lists them all)
  quality > 5 and qualty < 9
                  ^
"""

TOPICS = {"where": WHERE}

HELP_EPILOG = """\b
Examples:
  newscli help where
  newscli list --help
Each command explains its options with --help."""


TOPIC_LINES = {"where": "the --where expression language (newscli help where)"}


@app.command("help", epilog=HELP_EPILOG)
def help_command(
    topic: Annotated[
        Optional[str],
        typer.Argument(metavar="TOPIC", help="where: the --where expression language."),
    ] = None,
) -> None:
    """Explain a topic: where (the --where language). No TOPIC: list them."""
    out = Output()
    if topic is None:  # (h49: a bare "where" said nothing of what it was)
        out.result("".join(f"{name}\t{TOPIC_LINES[name]}\n" for name in TOPICS))
        return
    text = TOPICS.get(topic.lower())
    if text is None:
        from newscli.cli import COMMAND_MODULES

        known = topic in COMMAND_MODULES  # (h49: `help list`, as git would take it)
        hint = f"; `newscli {topic} --help` explains that command" if known else ""
        out.error(f"help: unknown topic {topic!r} (topics: {', '.join(TOPICS)}){hint}")
        raise typer.Exit(EXIT_USAGE)
    import shutil

    out.result(laid_out(text, min(100, shutil.get_terminal_size().columns)))


def laid_out(text: str, width: int) -> str:
    """A topic's text for a terminal ``width`` columns wide (h56: its prose was laid
    out for 80 whatever the width): each paragraph and `- ` point of prose wrapped
    (backticks kept: they mark what is typed); the examples, the grammar and the error
    shown (blocks that begin with a space, hold `:=`, or are the error) as they are."""
    import textwrap

    width = max(width, 40)
    found: list[str] = []
    for block in text.split("\n\n"):
        if block.startswith(("  ", "newscli: error:")) or ":=" in block:
            found.append(block)
            continue
        points = re.split(r"\n(?=- )", block)
        wrapped = []
        for point in points:
            words = " ".join(point.split())
            bullet = words.startswith("- ")
            wrapped.append(
                textwrap.fill(
                    words.removeprefix("- ") if bullet else words,
                    width,
                    initial_indent="- " if bullet else "",
                    subsequent_indent="  " if bullet else "",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        found.append("\n".join(wrapped))
    return "\n\n".join(found)
