"""Bounds on what one imported item may hold, so that every file import writes passes
`newscli validate` (whose front matter limit is article.frontmatter_yaml's) and its
`PATH: TITLE` line stays a line: a title is cut like an excerpt, names and list items
are cut, lists keep their first entries, and a URL, id or `secured` blob too long to be
one is left out. A source's absurd values cost its item those values, never the file."""

from __future__ import annotations

from newscli.ingest.item import Item
from newscli.ingest.text import merged
from newscli.sanitize import as_name

TITLE_MAX = 1000  # characters, cut at a word with " ..." (as excerpts)
NAME_MAX = 100  # a topic, tag, category, locale, provider name or domain, image title
LIST_MAX = 50  # topics, tags, categories kept (the first ones)
IMAGES_MAX = 20
URL_MAX = 8192  # a longer URL is not one (browsers and servers refuse them)
ID_MAX = 1000  # sourceId
SECURED_MAX = 16 * 1024
_IMAGE_NAMES = ("title", "attribution")


def _cut(text: str, limit: int) -> str:
    """The text cut to ``limit`` characters at a word boundary, " ..." marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 4].rsplit(" ", 1)[0] or text[: limit - 4]
    return cut.rstrip(" ,;:.") + " ..."


def _name(value: str | None) -> str | None:
    return None if value is None else value[:NAME_MAX].rstrip()


def _selecting(value: str | None) -> str | None:
    """A name runs select by (a topic, a category, a provider) as sanitize.as_name
    makes it: without what no name written into articles may hold (h153: a direction
    mark, `<category>AI&#x202e;</category>`, was kept as it came, and `--topic` could
    never name it; h154: a zero-width space, a soft hyphen too), None when nothing is
    left."""
    return None if value is None else as_name(value, NAME_MAX)


def _names(values: list[str]) -> list[str]:
    """Topics, tags, categories: the first LIST_MAX, each a _selecting name."""
    return merged([n for n in map(_selecting, values[:LIST_MAX]) if n is not None])


def _url(value: str | None) -> str | None:
    return value if value is None or len(value) <= URL_MAX else None


def bounded(item: Item) -> Item:
    """The item within the bounds above (changed in place, and returned)."""
    item.title = _cut(item.title, TITLE_MAX)
    item.web_url, item.original_url = _url(item.web_url), _url(item.original_url)
    item.amp_url, item.cdn_amp_url = _url(item.amp_url), _url(item.cdn_amp_url)
    if item.source_id is not None and len(item.source_id) > ID_MAX:
        item.source_id = None
    if item.secured is not None and len(item.secured) > SECURED_MAX:
        item.secured = None
    item.category, item.locale = _selecting(item.category), _name(item.locale)
    item.provider_name, item.provider_domain = (
        _selecting(item.provider_name),
        _selecting(item.provider_domain),
    )
    item.topics, item.tags = _names(item.topics), _names(item.tags)
    item.categories = _names(item.categories)
    images = []
    for image in item.images:
        url = image.get("url")
        if isinstance(url, str) and len(url) <= URL_MAX:
            # (an image's title and attribution cut as names; an aggregator's other
            # keys are as it gave them, h120: a caption was cut at 100 characters)
            images.append({k: _name(v) if k in _IMAGE_NAMES and isinstance(v, str) else v
                           for k, v in image.items()})  # fmt: skip
        if len(images) == IMAGES_MAX:
            break
    item.images = images
    return item
