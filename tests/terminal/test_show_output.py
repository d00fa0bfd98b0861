"""`newscli show`: piped output is full text (no width limit, no trailing spaces, whole
URLs); a missing quality and a missing heat are shown alike, as "unknown"."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli, run_in_terminal, write

NEWSCLI = Path(sys.executable).parent / "newscli"
LONG_URL = "https://news.example/" + "/".join(f"section-{i}" for i in range(20)) + "?id=42"
LONG_TITLE = "A title that goes on " * 8 + "and ends here"


def piped(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return run_cli("show", *args, cwd=cwd, env={"COLUMNS": "80"})  # a width a pipe ignores


def in_terminal(*args: str, cwd: Path, columns: int) -> str:
    code, screen = run_in_terminal(
        "show", *args, cwd=cwd, env={"COLUMNS": str(columns), "TERM": "xterm", "NO_COLOR": "1"}
    )
    assert code == 0
    return screen


def _article(tmp_path: Path, extra: str = "") -> Path:
    return write(
        tmp_path / "long.md",
        f'---\ntitle: "{LONG_TITLE}"\nwebUrl: "{LONG_URL}"\nquality: 64\nheat: 12\n'
        f'excerpt: "{"An excerpt of many words. " * 10}"\n{extra}---\n'
        "A body line that is longer than eighty columns, so a terminal layout would wrap "
        "it somewhere.\n",
    )


def test_piped_show_is_full_and_has_no_trailing_spaces(tmp_path: Path) -> None:
    _article(tmp_path)
    result = piped("long.md", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and lines[-2] != ""  # ends with one newline, no blank tail
    assert all(line == line.rstrip() for line in lines), "trailing spaces"
    assert "\x1b" not in result.stdout
    assert lines[0] == LONG_TITLE
    assert f"webUrl   {LONG_URL}" in lines
    assert ("An excerpt of many words. " * 10).strip() in lines
    assert any(line.startswith("A body line") and line.endswith("somewhere.") for line in lines)


def test_piped_sample_keeps_its_long_amp_cache_url() -> None:
    result = piped("sample_feeds/ai-chip-export-rules.md", "--now", "2025-03-20T00:00:00Z")
    assert result.returncode == 0
    url = (
        "https://www-harborledger-example.cdn.ampproject.org/c/s/www.harborledger.example"
        "/2025/03/ai-chip-export-rules/?outputType=amp"
    )
    assert f"cdnAmpWebUrl  {url}" in result.stdout.splitlines()
    assert "…" not in result.stdout
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_terminal_show_is_still_fitted_to_the_width(tmp_path: Path) -> None:
    _article(tmp_path)
    screen = in_terminal("long.md", cwd=tmp_path, columns=60)
    text = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", screen)  # links, styles
    assert "webUrl" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 60
    assert LONG_URL not in text.replace("\n", "")  # folded or cut: that is the terminal view


def _facts(tmp_path: Path, fields: str) -> dict[str, str]:
    write(tmp_path / "a.md", f"---\ntitle: T\n{fields}---\n")
    result = piped("a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split(None, 1) for line in result.stdout.splitlines()[2:] if line]
    return {row[0]: row[1] for row in rows if len(row) == 2}


def test_missing_quality_and_heat_are_both_unknown(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "quality: null\nheat: null\n")
    assert facts["Quality"] == "unknown" and facts["Heat"] == "unknown"
    facts = _facts(tmp_path, "")  # neither field written
    assert facts["Quality"] == "unknown" and facts["Heat"] == "unknown"
    facts = _facts(tmp_path, "quality: 0\nheat: -1\n")
    assert facts["Quality"] == "0" and facts["Heat"] == "unknown"
    facts = _facts(tmp_path, "quality: 100\nheat: 0\n")
    assert facts["Quality"] == "100" and facts["Heat"] == "0"


BODY = (
    "\r\n  indented first line \t\r\nwide 漢字 and \u202eRLO\u202c, a\ttab, "
    "a \x1b[31mred\x1b[0m escape\n"
    "\n   \n[bold]markup[/bold]\ttrailing tab\t\nlast line   \n\n"
)


def test_piped_show_writes_the_body_as_the_whole_view_renders_it(tmp_path: Path) -> None:
    """Piped, the body goes out line by line (a rich Text of a million lines took
    minutes): the same text as rendering the whole view, head, body and related."""
    import io
    from datetime import datetime, timezone

    from newscli.article.reading import load_with_body
    from newscli.terminal.article_view import article_view
    from newscli.terminal.output import Output

    now = "2025-03-20T00:00:00Z"
    samples = [
        REPO / "sample_feeds" / "ai-chip-export-rules.md",
        REPO / "sample_feeds" / "rate-decision.md",
    ]
    with_body = tmp_path / "body.md"
    with_body.write_bytes(samples[0].read_bytes().rstrip(b"\n") + b"\n" + BODY.encode())
    for path in [*samples, with_body]:
        shown = piped(str(path), "--now", now)
        assert shown.returncode == 0, shown.stderr
        article, body = load_with_body(str(path))
        buffer = io.StringIO()
        clock = datetime(2025, 3, 20, tzinfo=timezone.utc)
        Output(stdout=buffer).render_plain(article_view(article, body, clock))
        assert shown.stdout == buffer.getvalue(), path
    assert "漢字" in shown.stdout and "\x1b" not in shown.stdout and "\t" not in shown.stdout


def test_on_a_terminal_the_parts_make_the_whole_view(tmp_path: Path) -> None:
    """On a terminal, show prints the view in parts (the body a thousand lines at a
    time: one Text of 100,000 lines took minutes): the same screen as the whole view."""
    import io
    from datetime import datetime, timezone

    from rich.console import Console

    from newscli.article.reading import load_with_body
    from newscli.terminal.article_view import article_parts, article_view

    long_body = "".join(f"line {n} " + "word " * (n % 23) + "\n" for n in range(2500))
    path = tmp_path / "long-body.md"
    sample = (REPO / "sample_feeds" / "ai-chip-export-rules.md").read_bytes()
    path.write_bytes(sample.rstrip(b"\n") + b"\n" + (BODY + long_body).encode())
    article, body = load_with_body(str(path))
    now = datetime(2025, 3, 20, tzinfo=timezone.utc)

    def screen(parts: list[object]) -> str:
        buffer = io.StringIO()
        console = Console(file=buffer, width=60, force_terminal=True, color_system="standard")
        for part in parts:
            console.print(part)
        return re.sub(r"\x1b\]8;id=\d+;", "\x1b]8;;", buffer.getvalue())  # links' own ids

    parts = list(article_parts(article, body, now))
    assert len(parts) == 1 + 3 + 1  # head, 2,509 body lines in three parts, related
    whole = screen([article_view(article, body, now)])
    assert screen(parts) == whole and "line 2499" in whole


def test_every_other_field_is_listed_its_hidden_characters_escaped(tmp_path: Path) -> None:
    """h42: a field whose value was an escape sequence alone, or empty, was left out,
    and the keys "\\u200b" and "" were two blank names."""
    write(tmp_path / "k.md", '---\ntitle: t\nnormal: "\\e]0;val\\a"\n"\\u200b": zw\n'
          '"": empty\nblank: ""\nfine: ok\n"  ": spaces\n---\n')  # fmt: skip
    result = run_cli("show", "k.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split(None, 1)[1:] for line in result.stdout.splitlines()
            if line.strip()}  # fmt: skip
    assert rows["normal"] == ["\\x1b]0;val\\x07"] and rows["\\u200b"] == ["zw"]
    assert rows['""'] == ["empty"] and rows["blank"] == ["(empty)"] and rows["fine"] == ["ok"]
    assert '\n"  "     spaces\n' in result.stdout  # (h153: the key "  " in quotes)
    assert "\x1b" not in result.stdout and "\u200b" not in result.stdout


def test_a_long_field_name_folds_and_every_value_stays_whole(tmp_path: Path) -> None:
    """h43: one field name of 90 characters took the whole 80-column line, and every
    value was left out. The names' column is at most a third of the width; a value
    too long for its column (a URL, the path) folds over lines, never cut; a date in
    year 1 shows its year as four digits, as the exports write it."""
    name = "this_is_a_rather_long_field_name_from_some_aggregator_export_pipeline_v2"
    _article(tmp_path, f"publishedDateTime: 0001-06-01T12:00:00Z\n{name}: 7\n")
    screen = in_terminal("long.md", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path, columns=80)
    text = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", screen)
    lines = [line.rstrip() for line in text.splitlines()]
    assert max(map(len, lines)) <= 80
    values = {line[:27].strip(): line[27:].strip() for line in lines if line[27:].strip()}
    assert values["Quality"] == "64" and values["Heat"] == "12"
    assert values["Published"].startswith("0001-06-01 12:00 UTC")
    assert values[name[:26]] == "7"  # the name folded at a third of 80, its value beside
    facts = "".join(line[27:].strip() for line in lines if line[:27].strip() == "webUrl" or (
        not line[:27].strip() and line[27:].strip()))  # fmt: skip
    assert LONG_URL in facts  # whole, over lines
    assert values["File"] == "long.md"


def test_a_link_ends_with_its_url_not_with_the_cell(tmp_path: Path) -> None:
    """h153 LOW: a URL shorter than its column was clickable and underlined over the
    blanks after it, to the cell's end (the style was the whole cell's)."""
    write(tmp_path / "a.md", '---\ntitle: "A"\nwebUrl: "https://e.example/a"\n'
          'originalUrl: "https://e.example/a-much-longer-original-address"\n---\n')  # fmt: skip
    code, screen = run_in_terminal("show", "a.md", cwd=tmp_path, env={"COLUMNS": "80"})
    assert code == 0
    (line,) = [line for line in screen.splitlines() if line.startswith("\x1b[1mwebUrl")]
    opened = "\x1b]8;id="
    assert line.count(opened) == 1
    link = line[line.index(opened) :]
    inside = link[: link.index("\x1b]8;;\x1b\\")]  # (from the link's start to its end)
    assert inside.endswith("\x1b[4mhttps://e.example/a\x1b[0m"), repr(line)
