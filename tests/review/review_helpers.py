"""A small feed folder and a Queue over it, for the review app tests."""

from __future__ import annotations

from pathlib import Path

from newscli.cli.options import SHARED, build_query
from newscli.cli.review_commands import build_queue
from newscli.review.queue import Queue
from newscli.terminal.output import Output

NOW = "2025-03-22T12:00:00Z"
TEMPLATE = """---
title: "{title}"
publishedDateTime: 2025-03-{day:02d}T08:00:00Z
quality: {quality}
heat: 5
published: false
webUrl: {url}
provider:
  name: {provider}
topics: [{topics}]
---
Body of {title}.
"""


def article(folder: Path, name: str, title: str, quality: int, url: str, *,
            provider: str = "Wire", topics: str = "AI", day: int = 1) -> Path:  # fmt: skip
    path = folder / name
    text = TEMPLATE.format(
        title=title, quality=quality, url=url, provider=provider, topics=topics, day=day
    )
    path.write_text(text, encoding="utf-8", newline="")
    return path


def corpus(root: Path, fillers: int = 30) -> Path:
    """feeds/: a story of two articles (a, a2), b, c, fillers, and one invalid file.
    Best first: a (90), b (80), c (60), then the fillers (quality 30 down to 1)."""
    folder = root / "feeds"
    folder.mkdir()
    article(folder, "a.md", "Alpha story", 90, "https://x.example/a", provider="Xpress")
    article(folder, "a2.md", "Alpha again", 70, "https://www.x.example/a?utm_source=z",
            provider="Yonder")  # fmt: skip
    article(folder, "b.md", "Beta", 80, "https://x.example/b")
    article(folder, "c.md", "Gamma", 60, "https://x.example/c", topics="AI, Climate")
    for n in range(fillers):
        article(folder, f"f{n:02d}.md", f"Filler {n:02d}", 30 - n, f"https://f.example/{n}")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    return folder


def make_queue(paths: list[str], **options: object) -> Queue:
    values = {name: default for name, _, default in SHARED}
    values.update(now=NOW, no_cache=True)
    values.update(options)  # (no_cache=False: with the cache)
    query, _ = build_query(values)
    return build_queue(Output(), paths, query, strict=False, wait=0.0)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".md"}


def changed_lines(old: bytes, new: bytes) -> tuple[list[bytes], list[bytes]]:
    """(lines only in old, lines only in new), for one-line-diff checks."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    return [x for x in a if x not in b], [x for x in b if x not in a]
