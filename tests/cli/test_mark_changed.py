"""export --mark-published marks a file only if it is still the version exported.

An aggregator may replace an article (a correction) after the export was written and
before it is marked: that version was never exported, so it must stay unpublished and
ship in the next run. In-process, the change is made exactly between the output and
the marking; as a real command, while the export is blocked writing into a pipe.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write
from typer.testing import CliRunner

from newscli.cli import app, write_commands

NEWSCLI = Path(sys.executable).parent / "newscli"


def article(title: str, date: str, excerpt: str = "An excerpt.") -> str:
    return (
        f'---\ntitle: "{title}"\npublishedDateTime: {date}\nexcerpt: "{excerpt}"\n'
        "quality: 80\npublished: false\ntopics: [AI]\n---\nBody.\n"
    )


def replace_file(path: Path, text: str) -> None:
    """How aggregators deliver: a new file renamed over the old one (a new inode)."""
    tmp = path.with_name(".incoming.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def rewrite_in_place(path: Path, text: str) -> None:
    """The same bytes' count written into the same inode (the mtime moves on)."""
    assert len(text.encode()) == path.stat().st_size
    with open(path, "r+b") as handle:
        handle.write(text.encode())


def rewrite_keeping_stamp(path: Path, text: str) -> None:
    """Same inode, same size, the mtime set back: only the content tells."""
    before = path.stat()
    rewrite_in_place(path, text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


FIXED = article("Story B", "2025-03-13T09:00:00Z")  # the same length: a typo fixed
# Known fields the same; a field only the JSON export carries is new.
NOTED = FIXED.replace("Story B", "Story b").replace("---\nBody", 'note: "fixed"\n---\nBody')
CHANGES: dict[str, tuple[Callable[[Path, str], None], str]] = {
    "replaced": (replace_file, FIXED),
    "replaced-unknown-field": (replace_file, NOTED),
    "rewritten": (rewrite_in_place, FIXED),
    "same-stamp": (rewrite_keeping_stamp, FIXED),
}


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("cache", ["cache", "no-cache"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_file_changed_after_the_export_is_not_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, cache: str
) -> None:
    feeds = tmp_path / "feeds"
    for name, day in (("a", "14"), ("b", "13"), ("c", "12")):
        write(feeds / f"{name}.md", article(f"Story {name}", f"2025-03-{day}T09:00:00Z"))
    how, correction = CHANGES[change]
    out = tmp_path / "out.json"
    caching = ["--cache-dir", str(tmp_path / "cache")] if cache == "cache" else ["--no-cache"]
    args = ["export", str(feeds), "--unpublished", "--mark-published", "-o", str(out), *caching]
    runner = CliRunner()
    if cache == "cache":
        assert runner.invoke(app, ["list", str(feeds), *caching]).exit_code == 0  # warm

    original = write_commands.apply_published

    def correct_then_mark(*a: object, **kw: object) -> None:
        assert out.exists()  # the export is written; nothing is marked yet
        how(feeds / "b.md", correction)
        original(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(write_commands, "apply_published", correct_then_mark)
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{feeds}/b.md: changed since it was exported; not marked",
        "newscli: changed 2, already true 0, refused 1",
        "newscli: error: 1 file could not be edited",
    ]
    assert [i["title"] for i in json.loads(out.read_text())] == ["Story a", "Story b", "Story c"]
    assert (feeds / "b.md").read_text() == correction  # left exactly as delivered
    for name in ("a", "c"):
        assert "\npublished: true\n" in (feeds / f"{name}.md").read_text()

    monkeypatch.setattr(write_commands, "apply_published", original)
    again = runner.invoke(app, args, catch_exceptions=False)
    # the cache sees every change, the same-stamp one too (its ctime moved): the
    # correction is exported now, and marked
    assert again.exit_code == 0, again.stderr
    (item,) = json.loads(out.read_text())  # the correction, now exported
    assert (item["title"], item.get("note")) == (
        ("Story b", "fixed") if change == "replaced-unknown-field" else ("Story B", None)
    )
    assert "\npublished: true\n" in (feeds / "b.md").read_text()


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_correction_while_the_export_is_being_read_is_not_marked(tmp_path: Path) -> None:
    """The real command: its output (about 500 KB) is far larger than a pipe holds, so
    once the first byte arrives, the export is loaded and blocked writing until the rest
    is read. The newest article is replaced then; it must stay unmarked."""
    feeds = tmp_path / "feeds"
    filler = "x" * 1000
    for i in range(400):
        date = f"2025-03-{1 + i // 24:02d}T{i % 24:02d}:00:00Z"
        write(feeds / f"a{i:03d}.md", article(f"Story {i}", date, filler))
    newest = feeds / "a399.md"
    correction = article("Corrected story", "2025-03-17T15:00:00Z", filler)
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = [str(NEWSCLI), "export", str(feeds), "--unpublished", "--mark-published"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.read(1)
        assert first == b"["
        replace_file(newest, correction)
        rest, stderr = proc.communicate(timeout=120)
    items = json.loads(first + rest)
    assert len(items) == 400 and items[0]["title"] == "Story 399"
    assert proc.returncode == 1
    assert stderr.decode().splitlines() == [
        f"{newest}: changed since it was exported; not marked",
        "newscli: changed 399, already true 0, refused 1",
        "newscli: error: 1 file could not be edited",
    ]
    assert newest.read_text() == correction
    assert all("\npublished: true\n" in p.read_text() for p in feeds.glob("*.md") if p != newest)
