"""stdout through real processes: a reader that goes away early (exit 141, nothing
printed, nothing marked), a full disk and a closed stdout (one clear error, exit 1).

Every output here is far larger than a pipe holds (64 KiB), so the reader's going
away always lands in the middle of the output: a write the kernel cut short used to
pass unnoticed (exit 0, every article marked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

NEWSCLI = str(Path(sys.executable).parent / "newscli")
EXIT_BROKEN_PIPE = 141
COUNT = 800  # every command's output is then over 150 KB
FILLER = "lorem ipsum dolor sit amet " * 8
LONG = "of the example network with a name long enough to fill a pipe quickly" * 2


def _article(i: int) -> str:
    """An article with its own topic, provider and extra field (so that stats and
    fields have many rows), sharing its URL with its neighbour (so that clusters has
    many stories)."""
    return (
        "---\n"
        f'title: "Article {i:05} about something that happened {LONG}"\n'
        f'excerpt: "{FILLER}"\n'
        f"publishedDateTime: 2025-01-{1 + i % 28:02}T00:00:00Z\n"
        f'webUrl: "https://news.example/story/{i // 2}"\n'
        f"quality: {i % 101}\n"
        "published: false\n"
        f"provider: {{name: Outlet {i:05} {LONG}, domain: o{i}.example}}\n"
        f"topics: [AI, Topic {i:05} {LONG}]\n"
        f"extra_field_{i:05}_{LONG.replace(' ', '_')}: 1\n"
        "---\n"
    )


def make_corpus(folder: Path, count: int = COUNT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"a{i:05}-about-something-that-happened-somewhere-today-somewhere.md").write_text(
            _article(i), encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_corpus(tmp_path_factory.mktemp("pipes") / "feeds")
    body = ("A long body line, repeated so that show prints far more than a pipe holds.\n") * 1600
    write(folder.parent / "long.md", _article(99999) + body)
    return folder


def read_a_little_then_close(args: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run newscli with stdout to a pipe whose reader reads 100 bytes and goes away:
    (exit code, stderr, what was read)."""
    env = {**os.environ, "COLUMNS": "300"}  # wide tables
    proc = subprocess.Popen(
        [NEWSCLI, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=120), err, head


LINK = ["--feed-link", "https://news.example/"]  # RSS needs a channel link
COMMANDS = [
    ["export", "feeds", "-f", "rss", *LINK],
    *[["export", "feeds", "-f", fmt] for fmt in ("atom", "markdown", "json")],
    ["export", "feeds", "-f", "jsonl"],
    # -q: the corpus has 600 extra fields, past the column cap (whose note is not the point)
    *[["export", "feeds", "-f", fmt, "-q"] for fmt in ("csv", "tsv")],
    ["list", "feeds"],
    ["list", "feeds", "--format", "table"],
    ["stats", "feeds"],
    ["stats", "feeds", "--format", "json"],
    ["clusters", "feeds"],
    ["fields", "feeds"],
    ["validate", "feeds", "--format", "json"],
    ["show", "long.md"],
]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_reader_gone_is_exit_141_and_silent(corpus: Path, args: list[str]) -> None:
    code, err, head = read_a_little_then_close(args, corpus.parent)
    assert head  # the command did start writing
    assert code == EXIT_BROKEN_PIPE, err
    assert err == ""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("fmt", ["rss", "atom", "markdown", "json"])
def test_reader_gone_marks_nothing(tmp_path: Path, fmt: str) -> None:
    feeds = make_corpus(tmp_path / "feeds", 300)
    args = ["export", "feeds", "-f", fmt, "--unpublished", "--mark-published", "--no-cache"]
    args += LINK if fmt == "rss" else []
    code, err, _ = read_a_little_then_close(args, tmp_path)
    assert (code, err) == (EXIT_BROKEN_PIPE, "")
    marked = [p.name for p in feeds.iterdir() if "published: true" in p.read_text()]
    assert marked == []


def test_shell_pipeline_into_head_is_141(corpus: Path) -> None:
    """As a user types it; bash reports the writer's status in PIPESTATUS."""
    command = f'"{NEWSCLI}" export feeds -f rss --feed-link https://news.example/'
    script = f'{command} | head -n 1 >/dev/null; echo "${{PIPESTATUS[0]}}"'
    proc = subprocess.run(
        ["bash", "-c", script], cwd=corpus.parent, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == f"{EXIT_BROKEN_PIPE}\n"
    assert proc.stderr == ""


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("args", [["list", "feeds"], ["export", "feeds", "-f", "rss", *LINK]])
def test_full_disk_on_stdout_is_a_clear_error(corpus: Path, args: list[str]) -> None:
    proc = _shell(f'"{NEWSCLI}" {" ".join(args)} >/dev/full', corpus.parent)
    assert proc.returncode == 1
    expected = "newscli: error: cannot write to standard output: No space left on device\n"
    assert proc.stderr == expected


@pytest.mark.parametrize("args", [["list", "feeds"], ["stats", "feeds", "--format", "json"]])
def test_closed_stdout_is_a_clear_error(corpus: Path, args: list[str]) -> None:
    proc = _shell(f'"{NEWSCLI}" {" ".join(args)} >&-', corpus.parent)
    assert proc.returncode == 1
    assert proc.stderr == "newscli: error: cannot write to standard output: Bad file descriptor\n"


def test_closed_stdout_is_not_taken_by_another_file(tmp_path: Path) -> None:
    """With descriptor 1 closed, the first file a run opens (here: the folder's lock
    file) would become standard output and receive the export, which would count as
    written and mark everything."""
    feeds = make_corpus(tmp_path / "feeds", 20)
    proc = _shell(f'"{NEWSCLI}" export feeds --unpublished --mark-published >&-', tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == "newscli: error: cannot write to standard output: Bad file descriptor\n"
    assert b"title" not in (feeds / ".newscli.lock").read_bytes()
    assert not any("published: true" in p.read_text() for p in feeds.glob("*.md"))


def test_full_disk_marks_nothing(tmp_path: Path) -> None:
    feeds = make_corpus(tmp_path / "feeds", 50)
    proc = _shell(
        f'"{NEWSCLI}" export feeds --unpublished --mark-published -f atom >/dev/full', tmp_path
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("newscli: error: cannot write to standard output:")
    assert not any("published: true" in p.read_text() for p in feeds.iterdir())


def test_help_on_a_full_disk_is_a_clear_error() -> None:
    proc = _shell(f'"{NEWSCLI}" export --help >/dev/full', Path.cwd())
    assert proc.returncode == 1
    assert proc.stderr.startswith("newscli: error: cannot write to standard output:")
    assert "internal error" not in proc.stderr


def test_complete_output_is_still_exit_0(corpus: Path) -> None:
    """The same large output read to the end is success, byte for byte."""
    proc = subprocess.run(
        [NEWSCLI, "export", "feeds", "-f", "jsonl"], cwd=corpus.parent, capture_output=True
    )
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == COUNT
