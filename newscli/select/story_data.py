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
import json
from collections.abc import Mapping, Sequence
from sys import intern
from typing import Any, cast

from newscli.article.model import Article
from newscli.article.record import StoredText, prefetch_exports
from newscli.select.fields import export_view
from newscli.select.story_urls import URL_FIELDS, normalise_url

Data = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
BATCH = 2000  # articles whose export JSON is read in one go (memory stays small)
JOINS_FORM = 2  # what stored joins mean (2: a similar join names its most alike pair)


def urls(mapping: Any) -> set[str]:
    """The normalised URL keys of a front matter mapping (or a `related` item)."""
    if not isinstance(mapping, Mapping):
        return set()
    raw = {v for k in URL_FIELDS if isinstance(v := mapping.get(k), str)}
    keys = (normalise_url(v) for v in raw)
    return {k for k in keys if k}


def make(article: Article, view: Mapping[Any, Any]) -> Data:
    """An article's story data from its export view."""
    from newscli.select.similarity import EXCERPT_WORDS, clean_title, words

    related = view.get("related")
    items = related if isinstance(related, list) else ()
    cited = {url for item in items for url in urls(item)}
    a = article
    outlet = [n for n in (a.provider_name, (a.provider_domain or "").split(".")[0]) if n]
    title = words(clean_title(a.title, outlet), outlet)
    excerpt = words(a.excerpt, outlet, EXCERPT_WORDS) if a.excerpt else set()
    return (
        tuple(sorted(urls(view))),
        tuple(sorted(cited)),
        tuple(sorted(title)),
        tuple(sorted(excerpt)),
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
            found[i] = make(article, export_view(article))
    complete = [data for data in found if data is not None]
    assert len(complete) == len(articles)
    return complete


def from_stored(row: Any) -> Data | None:
    """Stored story data (its JSON value) as made here; None if it is not in that form."""
    if not isinstance(row, list) or len(row) != 4:
        return None
    own, cited, title, excerpt = row
    # One string per word (interned), however many articles use it.
    return tuple(own), tuple(cited), tuple(map(intern, title)), tuple(map(intern, excerpt))


def _from_store(
    store: Any, articles: Sequence[Article], indexes: list[int], found: list[Data | None]
) -> None:
    """Fill ``found`` for these articles of one cache: stored rows, else made and stored."""
    from newscli.index import story_cache

    keys = {i: _key(articles[i]) for i in indexes}
    stored = story_cache.load(store, list(keys.values()), from_stored)
    missing = []
    for i, key in keys.items():
        data = stored.pop(key, None)
        if data is None:
            missing.append(i)
        else:
            found[i] = data
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        texts = story_cache.exports_and_stamps(store, [keys[i] for i in batch])
        made = []
        for i in batch:
            got = texts.get(keys[i])
            if got is None:
                continue  # made from the article itself, with the others
            text, stamp = got
            data = make(articles[i], json.loads(text))
            found[i] = data
            made.append((keys[i], stamp, data))
        story_cache.save(store, made)


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
    # Each file as "path\0key\0(size, mtime_ns, inode)\n", hashed in one go.
    lines = [
        f"{path}\0{key}\0({a}, {b}, {c})\n"
        for path, key, (a, b, c) in zip(paths, keys, stamps, strict=True)
    ]
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def content_digest(
    paths: Sequence[str], times: Sequence[float | None], sums: Sequence[bytes], rules: Any
) -> str:
    """The digest of what a grouping is made of: the files' paths in order, their
    publication times and a digest of each one's stored story data (index/story_cache
    data_sums), with the rules and the settings. Files rewritten with the same story data
    (a quality, heat or `published` edit) leave it as it was."""
    digest = _settings(rules, "content")
    lines = [
        f"{path}\0{when!r}\0{data.hex()}\n"
        for path, when, data in zip(paths, times, sums, strict=True)
    ]
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _settings(rules: Any, kind: str) -> Any:
    """A sha256 begun with what the grouping depends on besides its files."""
    from newscli.index import story_cache
    from newscli.select import similarity

    settings = (
        kind, story_cache.STORED_VERSION, JOINS_FORM, sorted(rules.evidence), rules.window,
        similarity.THRESHOLD, similarity.MERGE_THRESHOLD, similarity.MIN_SHARED,
        similarity.MIN_SHARED_CORE,
        similarity.CORE, similarity.UNIQUE_WEIGHT, similarity.MIN_BLOCK_DF,
        similarity.MAX_CANDIDATES, similarity.PREFIX, similarity.EXCERPT_WEIGHT,
        similarity.EXCERPT_WORDS,
    )  # fmt: skip
    return hashlib.sha256(repr(settings).encode())


def _key(article: Article) -> str:
    text = article.export_text
    assert isinstance(text, StoredText)
    return str(text.key)
