"""newscli.terminal.output: the one output path (results to stdout or a file, diagnostics to
stderr, every diagnostic one inert line)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.text import Text

from newscli.index.discovery import Problem
from newscli.terminal.output import Output, _encoded_batches


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def streams(terminal: bool = False) -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = (Terminal() if terminal else io.StringIO()), io.StringIO()
    return Output(out, err), out, err


def test_pipes_get_tsv_and_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    output, _, _ = streams()
    assert not output.is_terminal and not output.color
    assert not output.wants_table("auto") and output.wants_table("table")
    assert not output.wants_table("tsv")


def test_terminals_get_tables_and_colour_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    output, _, _ = streams(terminal=True)
    assert output.is_terminal and output.color
    assert output.wants_table("auto") and not output.wants_table("tsv")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not output.color


def test_results_and_streams() -> None:
    output, out, err = streams()
    output.result("a\tb\n")
    output.emit(iter(["x", "y\n"]))
    output.emit(["-\n"], path="-")  # "-" is stdout
    assert out.getvalue() == "a\tb\nxy\n-\n" and err.getvalue() == ""


def test_emit_to_a_file_is_atomic_and_keeps_surrogates(tmp_path: Path) -> None:
    output, out, _ = streams()
    target = tmp_path / "out.txt"
    output.emit(["caf\u00e9 ", "bad\udcff", "\n"], path=str(target))
    assert target.read_bytes() == b"caf\xc3\xa9 bad\xff\n"
    assert out.getvalue() == ""
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


def test_diagnostics_are_one_inert_line_each() -> None:
    output, out, err = streams()
    output.problem(Problem("dir/\x1b[31mx.md", "bad\nthing", 3, "quality"))
    output.problem_line("p.md", "why\u202e")
    output.note("cache \x07 rebuilt")
    output.error("first \x1b]0;title\x07line\n  caret \x1b[2J\n  ^")
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        "dir/\\x1b[31mx.md: bad\\nthing",  # every diagnostic as error lines (h32)
        "p.md: why\\u202e",
        "newscli: cache \\x07 rebuilt",
        "newscli: error: first \\x1b]0;title\\x07line",  # shown, not dropped (h31)
        "  caret ",
        "  ^",
    ]
    assert Output.line("a\nb\x1b[0m") == "a b\n"


def test_render_prints_plain_text_on_a_pipe() -> None:
    output, out, _ = streams()
    output.render(Text("[bold]literal[/bold]", style="red"))
    assert out.getvalue() == "[bold]literal[/bold]\n"  # no markup, no colour codes


def test_render_colours_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    output, out, _ = streams(terminal=True)
    output.render(Text("red", style="red"))
    assert "\x1b[" in out.getvalue() and "red" in out.getvalue()


def test_encoded_batches() -> None:
    chunks = [f"{i}\n" for i in range(600)]
    batches = list(_encoded_batches(iter(chunks), size=256))
    assert len(batches) == 3
    assert b"".join(batches) == "".join(chunks).encode()
    assert list(_encoded_batches(iter([]))) == []
    # h156: big records are not held 256 at a time (a batch holds `most` characters and
    # one chunk more at most)
    big = ["x" * 600_000 for _ in range(5)]
    batches = list(_encoded_batches(iter(big), size=256, most=1 << 20))
    assert [len(b) for b in batches] == [1_200_000, 1_200_000, 600_000]


class _Writes(io.StringIO):
    """A stdout that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_results_are_written_in_whole_lines() -> None:
    """clusters --format json's pieces end inside a line (a story's closing brace, its
    comma in the next piece): each write ends at a line end, so that a run stopped
    between two writes (Ctrl-C, SIGTERM) leaves its reader whole lines."""
    from newscli.formats.json_text import indented_array

    values = [{"story": n, "title": "x" * 300, "path": f"a/{n}.md"} for n in range(2000)]
    pieces = list(indented_array(values))
    assert len(pieces) > 3 and not all(p.endswith("\n") for p in pieces[:-1])
    stdout = _Writes()
    Output(stdout, io.StringIO()).results([*pieces, "\n"])
    assert stdout.getvalue() == "".join(pieces) + "\n"
    assert len(stdout.writes) >= len(pieces) - 1
    assert all(text.endswith("\n") for text in stdout.writes)
    # A piece without a line end, and an end without one, are written whole too.
    stdout = _Writes()
    Output(stdout, io.StringIO()).results(["a", "b\nc", "d", "e\nf"])
    assert stdout.writes == ["ab\n", "cde\n", "f"]


def test_whole_lines_joins_a_few_texts_at_a_time() -> None:
    """emit's chunks (export's records, each before its comma and line end) are joined
    64 K characters at a time, each piece cut at its last line end; the rest kept whole
    (a record of a MB alone: 256 such were once joined at once)."""
    from newscli.terminal.output import _whole_lines

    assert list(_whole_lines(["a\n", "b", "c\nd", "e"], 2)) == ["a\n", "bc\n", "de"]
    assert list(_whole_lines(["a\n", "b", "c"], 2)) == ["a\n", "bc"]
    assert list(_whole_lines(["x", "y"], 5)) == ["xy"]
    assert list(_whole_lines([], 3)) == []
    stdout = _Writes()
    record = '{"n":%d,"t":"' + "x" * 200 + '"}'
    chunks = [("[\n" if n == 0 else ",\n") + record % n for n in range(1000)] + ["\n]\n"]
    Output(stdout, io.StringIO()).emit(chunks)
    assert stdout.getvalue() == "".join(chunks)
    assert len(stdout.writes) > 3 and all(text.endswith("\n") for text in stdout.writes)
    big = [f'{{"n":{n:02},"t":"{"x" * 300_000}"}}\n' for n in range(20)]
    assert [len(text) for text in _whole_lines(big, 1 << 16)] == [len(big[0])] * 20


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_transient_line_only_on_a_terminal_inert_and_erased() -> None:
    piped = io.StringIO()
    Output(stderr=piped).transient("working")()
    assert piped.getvalue() == ""  # cron mail gets nothing
    screen = _Terminal()
    erase = Output(stderr=screen).transient("reading \x1b[2J[red]x[/red]\nmore")
    shown = screen.getvalue()
    assert shown == "newscli: reading \\x1b[2J[red]x[/red]\\nmore"  # one inert line
    erase()
    assert screen.getvalue() == shown + "\r\x1b[K"
