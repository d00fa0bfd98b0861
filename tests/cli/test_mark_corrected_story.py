"""export --unpublished --dedupe --mark-published, the kept article of a story corrected
while the export is being read (h93 MED): it is left unmarked, as any file changed since
it was exported is, and its story's other articles must be left unmarked with it. Before,
they were marked: the story then counted as shipped (--dedupe leaves out a story with a
published article), so the correction never shipped. Through the installed command,
blocked writing into a pipe as in test_mark_changed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import installed_command, write

FILLER = "x" * 40_000  # 6 articles hold more than twice what a pipe does (64 KiB)


def _article(title: str, url: str, quality: int, related: str = "", when: str = "") -> str:
    lines = [
        "---",
        f'title: "{title}"',
        f"publishedDateTime: {when or '2025-03-20T09:00:00Z'}",
        f"webUrl: {url}",
        f"quality: {quality}",
        "published: false",
        f'excerpt: "{FILLER}"',
    ]
    if related:
        lines += ["related:", f"  - webUrl: {related}"]
    return "\n".join([*lines, "---", "Body.", ""])


def _published(path: Path) -> bool:
    return "\npublished: true\n" in path.read_text(encoding="utf-8")


def test_a_corrected_kept_article_leaves_its_story_unmarked(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    a_url, b_url = "https://orbit.example/lander", "https://circuit.example/moon"
    kept = feeds / "a.md"
    write(kept, _article("Private lander touches down", a_url, 95, b_url))
    write(feeds / "b.md", _article("Moon landing by a company", b_url, 40, a_url))
    for i in range(4):
        when = f"2025-03-{1 + i // 24:02d}T{i % 24:02d}:00:00Z"
        write(feeds / f"f{i:03d}.md", _article(f"Filler {i:03d}", f"https://f.example/{i}", 50,
                                               when=when))  # fmt: skip
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
           "NEWSCLI_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    cron = [str(installed_command()), "export", str(feeds), "--unpublished", "--dedupe",
            "--mark-published"]  # fmt: skip
    correction = _article("Private lander touches down", a_url, 96, b_url)
    with subprocess.Popen(
        cron, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.read(1)  # the export is loaded, blocked writing the rest
        kept.write_text(correction, encoding="utf-8")
        rest, stderr = proc.communicate(timeout=120)
    (story,) = [r for r in json.loads(first + rest) if r["path"] == str(kept)]
    assert story["duplicates"] == [str(feeds / "b.md")]  # shipped as one story
    assert proc.returncode == 1
    assert stderr.decode().splitlines() == [
        f"{kept}: changed since it was exported; not marked",
        f"{feeds / 'b.md'}: not marked, as its story's kept article {kept} changed since it "
        "was exported: the story comes again",
        "newscli: changed 4, already true 0, refused 2",
        "newscli: error: 2 files could not be edited",
    ]
    assert kept.read_text(encoding="utf-8") == correction
    assert not _published(feeds / "b.md")
    assert all(_published(f) for f in feeds.glob("f*.md"))

    again = subprocess.run([*cron, "-o", str(tmp_path / "out.json")], env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr
    (item,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert (item["path"], item["quality"]) == (str(kept), 96)  # the correction ships
    assert item["duplicates"] == [str(feeds / "b.md")]
    assert _published(kept) and _published(feeds / "b.md")


def test_a_corrected_duplicate_is_said_to_come_again_only_off_its_story(tmp_path: Path) -> None:
    """h95 LOW: a story's other article corrected meanwhile was told "changed since it
    was exported; not marked", as if the next run shipped it; its story shipped through
    the kept article, so it comes again only if the correction takes it off that story.
    The line says so; the kept article is marked."""
    feeds = tmp_path / "feeds"
    a_url, b_url = "https://orbit.example/lander", "https://circuit.example/moon"
    kept, other = feeds / "a.md", feeds / "b.md"
    write(kept, _article("Private lander touches down", a_url, 95, b_url))
    write(other, _article("Moon landing by a company", b_url, 40, a_url))
    for i in range(4):
        write(feeds / f"f{i}.md", _article(f"Filler {i}", f"https://f.example/{i}", 50,
                                           when=f"2025-03-01T0{i}:00:00Z"))  # fmt: skip
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
           "NEWSCLI_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    cron = [str(installed_command()), "export", str(feeds), "--unpublished", "--dedupe",
            "--mark-published"]  # fmt: skip
    with subprocess.Popen(
        cron, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.read(1)  # the export is loaded, blocked writing the rest
        other.write_text(_article("Moon landing by a company", b_url, 41, a_url), "utf-8")
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert stderr.decode().splitlines()[0] == (
        f"{other}: changed since it was exported; not marked (its story shipped as {kept}: "
        "it comes again only if no longer of that story)"
    )
    assert _published(kept) and not _published(other)
