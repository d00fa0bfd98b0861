"""An item as an article file: the seed format's keys in its order, and a stable, safe
file name (``YYYY/MM/DD/<slug>-<hash>.md``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any

from newscli.article.timeparse import format_rfc3339
from newscli.edit.yaml_render import double_quoted, render_key, render_scalar, render_string
from newscli.ingest.item import IMAGE_KEYS, Item
from newscli.ingest.text import squeeze_surrogates
from newscli.select.stories import normalise_url

SLUG_MAX = 60
HASH_LENGTH = 10
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _quoted(text: str) -> str:
    """Double-quoted (escapes for anything YAML cannot hold raw); a lone surrogate,
    which UTF-8 cannot hold, becomes U+FFFD."""
    return double_quoted(squeeze_surrogates(text))


def _plain(text: str) -> str:
    """A short value (a name, a topic) plain where YAML reads it back as that text."""
    return render_string(squeeze_surrogates(text))


def _when(value: datetime | None) -> str:
    return format_rfc3339(value) if value is not None else "null"


def _mapping(mapping: dict[str, Any], lead: str, pad: str) -> list[str]:
    """Block YAML of a mapping of JSON values (ingest.text.json_value), its first line
    begun with ``lead``, the others with ``pad``."""
    lines: list[str] = []
    for key, value in mapping.items():
        head = f"{lead if not lines else pad}{render_key(squeeze_surrogates(key))}:"
        if isinstance(value, dict):
            inner = _mapping(value, pad + "  ", pad + "  ")
            lines += [head, *inner] if inner else [f"{head} {{}}"]
        elif isinstance(value, list):
            inner = _list(value, pad + "  ")
            lines += [head, *inner] if inner else [f"{head} []"]
        else:
            lines.append(f"{head} {_json_scalar(value)}")
    return lines


def _list(values: list[Any], pad: str) -> list[str]:
    lines: list[str] = []
    for value in values:
        if isinstance(value, dict):
            lines += _mapping(value, pad + "- ", pad + "  ") or [f"{pad}- {{}}"]
        elif isinstance(value, list):
            inner = _list(value, pad + "  ")
            lines += [f"{pad}-", *inner] if inner else [f"{pad}- []"]
        else:
            lines.append(f"{pad}- {_json_scalar(value)}")
    return lines


def _json_scalar(value: Any) -> str:
    return _quoted(value) if isinstance(value, str) else render_scalar(value)


def render(item: Item) -> str:
    """The article file's text (front matter only, as aggregators write it). An item
    holding an aggregator's values as it gave them (related, other keys of its images
    and provider) is read back: where the file would not be a valid article (its front
    matter over the size a file may have, h119), they are left out."""
    text = _render(item)
    extras = (
        item.related
        or item.provider_other
        or any(key not in IMAGE_KEYS for image in item.images for key in image)
    )
    if extras and not _reads_back(text):
        item.related, item.provider_other = [], {}
        item.images = [{k: v for k, v in image.items() if k in IMAGE_KEYS} for image in item.images]
        text = _render(item)
    return text


def _reads_back(text: str) -> bool:
    from newscli.article.frontmatter_yaml import MAX_FRONT_MATTER_CHARS, parse_front_matter
    from newscli.errors import InvalidArticleError

    if len(text) > MAX_FRONT_MATTER_CHARS:
        return False
    try:
        parse_front_matter(text)
    except InvalidArticleError:
        return False
    return True


def _render(item: Item) -> str:
    lines = ["---"]
    if item.category:
        lines.append(f"category: {_plain(item.category)}")
    lines.append(f"title: {_quoted(item.title)}")
    lines.append("excerpt: " + (_quoted(item.excerpt) if item.excerpt else "null"))
    lines.append(f"publishedDateTime: {_when(item.published)}")
    if item.updated is not None:
        lines.append(f"updatedDateTime: {_when(item.updated)}")
    for key, url in (
        ("originalUrl", item.original_url),
        ("webUrl", item.web_url),
        ("ampWebUrl", item.amp_url),
        ("cdnAmpWebUrl", item.cdn_amp_url),
    ):
        if url:
            lines.append(f"{key}: {_quoted(url)}")
    if item.source_id:
        lines.append(f"sourceId: {_quoted(item.source_id)}")
    if item.source_feed:
        lines.append(f"sourceFeed: {_quoted(item.source_feed)}")
    lines.append(f"type: {_plain(item.type)}")
    if item.locale:
        lines.append(f"locale: {_plain(item.locale)}")
    lines.append("quality: " + ("null" if item.quality is None else str(item.quality)))
    lines.append(f"heat: {item.heat}")
    lines.append("published: false")
    if item.provider_name or item.provider_domain or item.provider_other:
        lines += ["", "provider:"]
        if item.provider_name:
            lines.append(f"  name: {_plain(item.provider_name)}")
        if item.provider_domain:
            lines.append(f"  domain: {_plain(item.provider_domain)}")
        lines += _mapping(item.provider_other, "  ", "  ")
    for key, values in (("topics", item.topics), ("categories", item.categories),
                        ("tags", item.tags)):  # fmt: skip
        if values:
            lines += ["", f"{key}:", *(f"  - {_plain(v)}" for v in values)]
        elif key == "topics":
            lines += ["", "topics: []"]
    if item.images:
        lines += ["", "images:"]
        for image in item.images:
            keys = [k for k in IMAGE_KEYS if image.get(k) is not None]
            keys += [k for k in image if k not in IMAGE_KEYS]  # (an aggregator's others)
            lines += _mapping({k: image[k] for k in keys}, "  - ", "    ")
    if item.related:
        lines += ["", "related:"]
        for entry in item.related:
            lines += _mapping(entry, "  - ", "    ") or ["  - {}"]
    if item.secured:
        lines += ["", f"secured: {_quoted(item.secured)}"]
    lines.append("---")
    return "\n".join(lines) + "\n"


def slug(title: str) -> str:
    """ASCII words of the title joined by hyphens, at most SLUG_MAX characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(words) > SLUG_MAX:
        words = words[:SLUG_MAX]
        if "-" in words[SLUG_MAX // 2 :]:
            words = words.rsplit("-", 1)[0]
        words = words.strip("-")
    return words or "article"


def identity(item: Item) -> str:
    """What names the item for good: its first normalised URL, else its id."""
    for url in item.urls():
        key = normalise_url(url)
        if key:
            return key
    if item.source_id:
        return f"{item.source_feed or ''}\n{item.source_id}"
    return item.title


def relative_path(item: Item, day: datetime, attempt: int = 0) -> str:
    """``YYYY/MM/DD/<slug>-<hash>.md`` (``-2``, ``-3``, ... after the hash on a name
    already taken by another item)."""
    digest = hashlib.sha256(identity(item).encode("utf-8", "surrogatepass")).hexdigest()
    suffix = f"-{attempt + 1}" if attempt else ""
    name = f"{slug(item.title)}-{digest[:HASH_LENGTH]}{suffix}.md"
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}/{name}"
