"""What story grouping needs of each article, and nothing more: its URL keys, the URL
keys its `related` items name, its title words and its excerpt words.

Articles the index cache handed out get theirs from the cache's story table
(index/story_cache) while the file is unchanged; the others, and any the table lacks,
have them made from the export view (read in batches: one query per batch, never the
whole folder's export JSON at once) and stored for the next run. Made or stored, the
data is the same: the stored form is only a copy of what is made here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from sys import intern
from typing import Any, cast

from newscli.article.model import Article
from newscli.article.record import StoredText, prefetch_exports
from newscli.errors import ArticleChangedError
from newscli.select.fields import export_view
from newscli.select.story_urls import (
    URL_FIELDS,
    names_an_article,
    normalise_url,
    outlet_domain,
    outlet_name,
)

# URL keys, `related` URL keys, title words, excerpt words, and the title's pattern
# (headline_rules.title_pattern) and outlet (the provider's domain and name, tab-separated:
# story_urls): (), (pattern,) or (pattern, outlet), "" for none
Data = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
BATCH = 2000  # articles whose export JSON is read in one go (memory stays small)
JOINS_FORM = 3  # what stored joins mean (2: a similar join names its most alike pair;
# 3: looked for further when the first members share no word)


def urls(mapping: Any) -> set[str]:
    """The normalised URL keys of a front matter mapping (or a `related` item): of
    addresses that name an article (a site's front page names none)."""
    found: set[str] = set()
    if isinstance(mapping, Mapping):
        for name in URL_FIELDS:
            value = mapping.get(name)
            if isinstance(value, str) and (key := normalise_url(value)) and names_an_article(key):
                found.add(key)
    return found


def make(article: Article, view: Mapping[Any, Any]) -> Data:
    """An article's story data from its export view."""
    a = article
    return make_from(a.title, a.excerpt, a.provider_name, a.provider_domain, view)


def make_from(
    title: str,
    excerpt: str | None,
    provider_name: str | None,
    provider_domain: str | None,
    view: Mapping[Any, Any],
) -> Data:
    """The story data of an article of these fields (its record's) and export view."""
    from newscli.select.story_words import title_and_excerpt

    related = view.get("related")
    cited: set[str] = set()
    if isinstance(related, list):
        for item in related:
            cited |= urls(item)
    title_words, excerpt_words, pattern = title_and_excerpt(
        title, excerpt, provider_name, provider_domain
    )
    # (both: each is a key of the outlet, headline_rules.outlet_keys)
    named = (outlet_domain(provider_domain) or "", outlet_name(provider_name) or "")
    outlet = "\t".join(named) if any(named) else ""
    return (
        tuple(sorted(urls(view))),
        tuple(sorted(cited)),
        tuple(sorted(title_words)),
        tuple(sorted(excerpt_words)),
        (pattern, outlet) if outlet else (pattern,) if pattern else (),
    )


def story_data(articles: Sequence[Article]) -> list[Data]:
    """Each article's story data, in the order of ``articles``."""
    found: list[Data | None] = [None] * len(articles)
    stores: dict[Any, list[int]] = {}
    for i, article in enumerate(articles):
        text = article.export_text
        if isinstance(text, StoredText):
            stores.setdefault(text.store, []).append(i)
    for store, indexes in stores.items():
        _from_store(store, articles, indexes, found)
    rest = [i for i, data in enumerate(found) if data is None]
    for start in range(0, len(rest), BATCH):
        batch = [articles[i] for i in rest[start : start + BATCH]]
        prefetch_exports(batch)
        for i, article in zip(rest[start : start + BATCH], batch, strict=True):
            found[i] = make(article, _view(article))
    complete = [data for data in found if data is not None]
    assert len(complete) == len(articles)
    return complete


def _view(article: Article) -> Mapping[str, Any]:
    """The article's export view; {} (its title and excerpt alone: no URL, no
    `related`) when it changed since it was loaded (another run stored its new version:
    h158, a grouping of every article stopped whole runs that would not select it; one
    selected is left out as its text is read again)."""
    try:
        return export_view(article)
    except ArticleChangedError:
        return {}


def first_urls(articles: Sequence[Article]) -> list[tuple[str | None, bytes] | None]:
    """Of each article, its story data's first own URL key (None: it has none) and the
    data's sum (index/story_cache data_sum), where the cache holds its data; else None
    (story_data makes it)."""
    from newscli.index import story_cache

    found: list[tuple[str | None, bytes] | None] = [None] * len(articles)
    stores: dict[Any, dict[str, int]] = {}
    for i, article in enumerate(articles):
        text = article.export_text
        if isinstance(text, StoredText):
            stores.setdefault(text.store, {})[text.key] = i
    for store, indexes in stores.items():
        for key, first in story_cache.first_valid(store, list(indexes)).items():
            found[indexes[key]] = first
    return found


def from_stored(row: Any) -> Data | None:
    """Stored story data (its JSON value) as made here; None if it is not in that form."""
    if not isinstance(row, list) or len(row) != 5:
        return None
    own, cited, title, excerpt, pattern = row
    # One string per word (interned), however many articles use it.
    words = tuple(map(intern, title)), tuple(map(intern, excerpt))
    return tuple(own), tuple(cited), *words, tuple(map(intern, pattern))


def _from_store(
    store: Any, articles: Sequence[Article], indexes: list[int], found: list[Data | None]
) -> None:
    """Fill ``found`` for these articles of one cache: stored rows, else made from the
    cache's rows and stored."""
    from newscli.index import story_cache
    from newscli.select import story_make

    keys = {i: _key(articles[i]) for i in indexes}
    stored = story_cache.load(store, list(keys.values()), from_stored)
    missing = []
    for i, key in keys.items():
        data = stored.pop(key, None)
        if data is None:
            missing.append(i)
        else:
            found[i] = data
    # In this process: every article is loaded, and a forked worker would count them all
    # again in the process tree's memory.
    made = story_make.made(store, [keys[i] for i in missing], workers=False)
    for i, data in zip(missing, made, strict=True):
        if data is not None:  # (else made from the article itself, with the others)
            found[i] = data


def grouping_key(articles: Sequence[Article], rules: Any) -> tuple[Any, str] | None:
    """(the cache, a digest of the grouping's whole input) when every article came from
    one index cache: their paths and keys in order, the stamps of their versions, the
    rules that change the grouping and the settings of the similarity. None otherwise."""
    from newscli.index import story_cache

    stores = {id(a.export_text.store) for a in articles if isinstance(a.export_text, StoredText)}
    if not articles or len(stores) != 1:
        return None
    if not all(isinstance(a.export_text, StoredText) for a in articles):
        return None
    store = cast(StoredText, articles[0].export_text).store
    keys = [_key(a) for a in articles]
    stamps = story_cache.stamps(store, keys)
    if stamps is None:
        return None
    return store, grouping_digest([a.path for a in articles], keys, stamps, rules)


def grouping_digest(
    paths: Sequence[str], keys: Sequence[str], stamps: Sequence[Sequence[int]], rules: Any
) -> str:
    """The digest of a grouping's whole input: the files (as shown, and as the cache
    keys them) in order, the stamps of their versions, the rules that change the
    grouping and the settings of the similarity."""
    digest = _settings(rules, "versions")
    _texts(digest, paths)
    _texts(digest, keys)
    _numbers(digest, [n for stamp in stamps for n in stamp], len(paths) * 4)
    return digest.hexdigest()


def content_digest(
    paths: Sequence[str], times: Sequence[float | None], sums: Sequence[bytes], rules: Any
) -> str:
    """The digest of what a grouping is made of: the files' paths in order, their
    publication times and a digest of each one's stored story data (index/story_cache
    stored_rows), with the rules and the settings. Files rewritten with the same story data
    (a quality, heat or `published` edit) leave it as it was."""
    from array import array

    digest = _settings(rules, "content")
    _texts(digest, paths)
    # Each time as a double, and which ones there are none of (0.0 and none differ).
    digest.update(array("d", [0.0 if when is None else when for when in times]).tobytes())
    digest.update(bytes([when is None for when in times]))
    sizes = set(map(len, sums))
    digest.update(repr((len(sums), sorted(sizes))).encode())
    digest.update(b"".join(sums) if len(sizes) <= 1 else repr(list(sums)).encode())
    return digest.hexdigest()


def _texts(digest: Any, texts: Sequence[str]) -> None:
    """Hash texts in order: how many, then each, NUL-ended (no path holds a NUL)."""
    digest.update(f"{len(texts)}\n".encode())
    digest.update("\0".join([*texts, ""]).encode("utf-8", "surrogateescape"))


def _numbers(digest: Any, numbers: list[int], count: int) -> None:
    """Hash integers in order: as 64-bit ones when all fit (one step), else their
    text."""
    from array import array

    try:
        packed, form = array("q", numbers).tobytes(), "q"
    except OverflowError:
        packed, form = repr(numbers).encode(), "text"
    digest.update(f"{count}:{form}:{len(packed)}\n".encode())
    digest.update(packed)


def _settings(rules: Any, kind: str) -> Any:
    """A sha256 begun with what the grouping depends on besides its files."""
    from newscli.index import story_cache
    from newscli.select import headline_rules, similarity

    settings = (
        kind, story_cache.STORED_VERSION, JOINS_FORM, sorted(rules.evidence), rules.window,
        similarity.METHOD, similarity.THRESHOLD, similarity.MERGE_THRESHOLD, similarity.MIN_SHARED,
        similarity.MIN_SHARED_CORE, similarity.UNSPACED_SHARE,
        similarity.CORE, similarity.UNIQUE_WEIGHT, similarity.MIN_BLOCK_DF,
        similarity.MAX_CANDIDATES, similarity.PREFIX, similarity.EXCERPT_WEIGHT,
        similarity.EXCERPT_WORDS, similarity.TITLE_WORDS, headline_rules.RECURRING_GAP,
    )  # fmt: skip
    return hashlib.sha256(repr(settings).encode())


def _key(article: Article) -> str:
    text = article.export_text
    assert isinstance(text, StoredText)
    return str(text.key)
