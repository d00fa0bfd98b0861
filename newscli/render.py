"""Rich renderables for people at a terminal. Every file-derived string goes in as
sanitised rich Text, so markup such as ``[bold]`` is shown literally."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from newscli.model import Article
from newscli.sanitize import clean


def _quality_style(quality: int | None) -> str:
    if quality is None:
        return "dim"
    if quality >= 70:
        return "green"
    return "yellow" if quality >= 40 else "red"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def article_table(articles: Sequence[Article], skipped: int = 0) -> Table:
    """The `list` table: newest first as given, title column takes the spare width."""
    caption = _plural(len(articles), "article")
    if skipped:
        caption += f" ({_plural(skipped, 'invalid file')} skipped, see stderr)"
    table = Table(caption=caption, caption_justify="left", expand=False, pad_edge=False)
    table.add_column("Date (UTC)", no_wrap=True, style="cyan")
    table.add_column("Q", justify="right", no_wrap=True)
    table.add_column("Heat", justify="right", no_wrap=True)
    table.add_column("Topics", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("Provider", overflow="ellipsis", no_wrap=True, max_width=20)
    table.add_column("Title", overflow="ellipsis", no_wrap=True, ratio=1, min_width=12)
    table.add_column("Pub", justify="center", no_wrap=True)
    for article in articles:
        when = article.published_at.strftime("%Y-%m-%d %H:%M") if article.published_at else ""
        quality = "" if article.quality is None else str(article.quality)
        heat = "" if article.heat is None or article.heat < 0 else str(article.heat)
        provider = article.provider_name or article.provider_domain or ""
        table.add_row(
            Text(when),
            Text(quality, style=_quality_style(article.quality)),
            Text(heat),
            Text(clean(", ".join(article.topics))),
            Text(clean(provider)),
            Text(clean(article.title)),
            Text("✓", style="green") if article.published else Text(""),
        )
    return table
