"""Story dedup: articles about the same story, by URL or by `related` links.

Two articles are the same story when a normalised URL of one equals a normalised URL
of the other, or when one lists the other (by URL) in `related`. Stories are the
connected components of that relation; the result does not depend on file order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from newscli.article.model import Article
from newscli.select.fields import export_view

if TYPE_CHECKING:
    from newscli.select.query import SortKey

URL_FIELDS = ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl")
TRACKING_PARAMS = {
    "ref", "ref_src", "ref_url", "referrer", "source", "src", "outputtype", "output", "amp",
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "ocid", "cmpid",
    "smid", "spm", "igshid", "share", "s_cid", "taid",
}  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "hsa_", "_hs")
_AMP_CACHE = ".cdn.ampproject.org"


def _strip_amp_cache(host: str, path: str) -> tuple[str, str] | None:
    """``www-x-com.cdn.ampproject.org/c/s/www.x.com/a`` -> (``www.x.com``, ``/a``)."""
    if not host.endswith(_AMP_CACHE):
        return None
    parts = path.split("/")
    # /c/s/HOST/PATH, /c/HOST/PATH, /v/s/HOST/PATH (viewer), /i/s/HOST/PATH (images)
    rest = parts[2:]
    if rest and rest[0] == "s":
        rest = rest[1:]
    if not rest or not rest[0]:
        return None
    return rest[0].lower(), "/" + "/".join(rest[1:])


def normalise_url(url: str) -> str | None:
    """A comparison key: no scheme, no ``www.``/``amp.``, no AMP cache or ``/amp`` path,
    no tracking parameters, no fragment, no trailing slash. None for a non-URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path
    cached = _strip_amp_cache(host, path)
    if cached:
        host, path = cached
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    for suffix in ("/amp/", "/amp", ".amp"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    key = host + path
    return key + "?" + urlencode(sorted(query)) if query else key


def _urls(mapping: Any) -> set[str]:
    if not isinstance(mapping, Mapping):
        return set()
    keys = (normalise_url(v) for k in URL_FIELDS if isinstance(v := mapping.get(k), str))
    return {k for k in keys if k}


@dataclass(frozen=True, slots=True)
class Story:
    kept: Article
    duplicates: tuple[Article, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return (self.kept, *self.duplicates)


def best_first_key(article: Article) -> tuple[int, int, float, str]:
    """Best first: quality, then heat, then newest (missing values lowest), then path."""
    quality = -1 if article.quality is None else article.quality
    heat = -1 if article.heat is None else article.heat
    when = article.published_at.timestamp() if article.published_at else float("-inf")
    return (-quality, -heat, -when, article.path)


def group_stories(articles: Sequence[Article]) -> list[Story]:
    """Connected components of the same-story relation, each best article first."""
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    owner: dict[str, int] = {}
    # The export view: URLs are plain text there, and a warm cache need not re-read files.
    views = [export_view(a) for a in articles]
    own_urls = [_urls(view) for view in views]
    for i, urls in enumerate(own_urls):
        for url in urls:
            if url in owner:
                union(i, owner[url])
            else:
                owner[url] = i
    for i, view in enumerate(views):
        related = view.get("related")
        for item in related if isinstance(related, list) else ():
            for url in _urls(item):
                if url in owner:
                    union(i, owner[url])
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(find(i), []).append(article)
    stories = []
    for members in groups.values():
        members.sort(key=best_first_key)
        stories.append(Story(members[0], tuple(members[1:])))
    return stories


def select_stories(
    articles: Sequence[Article], matches: Callable[[Article], bool], unpublished: bool = False
) -> list[Story]:
    """The stories of every loaded article (a filter never splits or joins a story) that
    have an article passing ``matches``. The kept article is the best of those; the
    story's other articles follow, whether they pass or not. ``unpublished``: leave out
    every story with a published article, even one that does not pass ``matches``."""
    chosen = []
    for story in group_stories(articles):
        if unpublished and any(a.published for a in story.articles):
            continue
        kept = next((a for a in story.articles if matches(a)), None)
        if kept is not None:
            chosen.append(Story(kept, tuple(a for a in story.articles if a is not kept)))
    return chosen


def dedupe(articles: Iterable[Article]) -> tuple[list[Article], dict[str, list[str]]]:
    """One article per story, and for each kept article the other articles' paths."""
    stories = group_stories(list(articles))
    duplicates = {
        s.kept.path: sorted(d.path for d in s.duplicates) for s in stories if s.duplicates
    }
    return [s.kept for s in stories], duplicates


def clusters(articles: Sequence[Article], keys: Sequence[SortKey] = ()) -> list[Story]:
    """The stories of more than one article, ordered by their kept articles the way
    `list` orders articles: newest first, refined by the sort ``keys``."""
    from newscli.select.query import sort_articles

    stories = {id(s.kept): s for s in group_stories(articles) if s.duplicates}
    kept = sort_articles([s.kept for s in stories.values()], keys)
    return [stories[id(article)] for article in kept]
