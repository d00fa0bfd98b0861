"""Stories: articles about the same event, by URL, by `related` links and by text.

Three kinds of evidence join two articles (``StoryRules.evidence`` chooses them):
``url``, a normalised URL of one equals one of the other (story_urls); ``related``,
one lists the other (by URL) in `related`; ``similar``, their titles (and excerpts)
are alike and they were published within the window (similarity: each article is
compared with a story as a whole, never chained pair by pair). Every command that
speaks of stories uses ``group_stories``; the result depends on the articles alone,
never on their order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from sys import intern
from typing import TYPE_CHECKING, Any, Protocol

from newscli.article.model import Article
from newscli.article.record import microseconds
from newscli.select.story_rules import StoryRules
from newscli.select.story_urls import (
    URL_FIELDS,
    article_outlet,
    asked_outlet,
    normalise_url,
    outlet_domain,
    outlet_name,
)

if TYPE_CHECKING:
    from newscli.select.query import SortKey
    from newscli.select.related_links import Links
    from newscli.select.story_data import Data

__all__ = ["URL_FIELDS", "StoryRules", "normalise_url"]


@dataclass(frozen=True, slots=True)
class Link:
    """Why two articles of a story were joined: ``by`` is url, related or similar."""

    a: Article
    b: Article
    by: str
    score: float | None = None

    def reason(self) -> str:
        if self.by == "similar":
            return f"similar {self.score:.2f}"
        return "same URL" if self.by == "url" else "related"


@dataclass(frozen=True, slots=True)
class Story:
    kept: Article
    duplicates: tuple[Article, ...]
    links: tuple[Link, ...] = field(default=(), compare=False)
    # Its story_id when known (stored with the grouping it was made of: story_light),
    # else made from its members when asked (story_ids).
    sid: str | None = field(default=None, compare=False)

    @property
    def articles(self) -> tuple[Article, ...]:
        return (self.kept, *self.duplicates)

    def joined(self) -> dict[str, tuple[Article, Link]]:
        """For each article but the kept one: the article it joined through and why
        (the links form a tree, read here from the kept article outwards)."""
        neighbours: dict[str, list[tuple[Article, Link]]] = {}
        for link in self.links:
            neighbours.setdefault(link.a.path, []).append((link.b, link))
            neighbours.setdefault(link.b.path, []).append((link.a, link))
        found: dict[str, tuple[Article, Link]] = {}
        queue, seen = [self.kept], {self.kept.path}
        while queue:
            current = queue.pop(0)
            for other, link in neighbours.get(current.path, ()):
                if other.path not in seen:
                    seen.add(other.path)
                    found[other.path] = (current, link)
                    queue.append(other)
        return found


class Ranked(Protocol):
    """What best_first_key and outlet read of an article (an Article, or a cache row's
    values: select/story_values)."""

    @property
    def path(self) -> str: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def quality(self) -> int | None: ...
    @property
    def heat(self) -> int | None: ...
    @property
    def rejected(self) -> bool: ...
    @property
    def provider_name(self) -> str | None: ...
    @property
    def provider_domain(self) -> str | None: ...


UNKNOWN_HEAT = float("-inf")


def best_first_key(
    article: Ranked, prefer: Sequence[str] = ()
) -> tuple[bool, int, int, float, float, str]:
    """Best first: one not rejected (a curator's no: it never represents a story
    another article can, and ``story.rank`` 1 is the article --dedupe keeps, h93), a
    preferred outlet (earlier in ``prefer`` first), then quality, then heat, then newest
    (missing values lowest: a heat of -1 is unknown, below any known one, -5 too, as
    --sort heat orders them: h54), then path."""
    rank = len(prefer)
    if prefer:
        names = article_outlet(article.provider_name, article.provider_domain)
        found = (n for n, p in enumerate(prefer) if not names.isdisjoint(asked_outlet(p)))
        rank = next(found, rank)
    quality = -1 if article.quality is None else article.quality
    heat = UNKNOWN_HEAT if article.heat is None or article.heat == -1 else article.heat
    when = article.published_at.timestamp() if article.published_at else float("-inf")
    return (bool(article.rejected), rank, -quality, -heat, -when, article.path)


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.edges: list[tuple[int, int, str, float | None]] = []

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int, by: str, score: float | None = None) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)
            self.edges.append((i, j, by, score))


Components = _Components  # a grouping's joins, named where others hold one


@dataclass(frozen=True, slots=True)
class Members:
    """What grouping needs of the articles, by index: each one's path (the similarity's
    tie-break), its publication time (POSIX seconds) and, only when the grouping is made
    again rather than replayed, the story data of every one (story_data)."""

    paths: Sequence[str]
    times: Sequence[float | None]
    data: Callable[[], Sequence[Data]]
    # The digest of what the grouping is made of (paths, times, story data), where it can
    # be had without decoding the data: files rewritten with the same story data (a
    # quality or `published` edit) keep their grouping. None: only the files' versions.
    content: Callable[[], str | None] | None = None


def members_of(articles: Sequence[Article]) -> Members:
    from newscli.select.story_data import story_data

    times = [a.published_at.timestamp() if a.published_at else None for a in articles]
    return Members([a.path for a in articles], times, lambda: story_data(articles))


Words = tuple[tuple[str, ...], tuple[str, ...]]  # an article's title and excerpt words


def _similar(
    members: Members,
    words: list[Words],
    outlets: list[tuple[str, ...]],
    patterns: list[str],
    parts: _Components,
    window: float,
) -> None:
    """Join the URL/related components whose text is alike (similarity.group);
    ``outlets``: each article's outlets (_outlets: a recurring headline's days stay
    apart), ``patterns``: its title's pattern (one pattern told of two events stays
    apart)."""
    from newscli.select.headline_rules import outlet_spans
    from newscli.select.similarity import Unit, group, weights
    from newscli.select.story_links import Endpoints

    paths, times = members.paths, members.times
    # Each story's articles, by its first (its root: a join keeps the smaller root); the
    # articles no join touched are alone.
    groups: dict[int, list[int]] = {}
    touched = joined(parts)
    for i in touched:
        groups.setdefault(parts.find(i), []).append(i)
    within = set(touched).difference(groups)  # (joined, not first)
    roots = [i for i in range(len(paths)) if i not in within]
    units = []
    for root in roots:
        group_of = groups.get(root)
        if group_of is None:
            unit = Unit(paths[root], times[root], *words[root], outlets[root], patterns[root])
            units.append(unit)
            continue
        title_words: set[str] = set()
        excerpt_words: set[str] = set()
        its_outlets: set[str] = set()
        for i in group_of:
            title_words.update(words[i][0])
            excerpt_words.update(words[i][1])
            its_outlets.update(outlets[i])
        spans = outlet_spans(group_of, outlets.__getitem__, times)
        first = min(group_of, key=paths.__getitem__)  # (its key: the smallest path)
        when = min((t for i in group_of if (t := times[i]) is not None), default=None)
        title, excerpt = tuple(sorted(title_words)), tuple(sorted(excerpt_words))
        told_as = tuple(sorted(its_outlets)), patterns[first]
        held = tuple(sorted((key, low, high) for key, (low, high) in spans.items()))
        units.append(Unit(paths[first], when, title, excerpt, *told_as, outlet_times=held))
    del outlets, patterns
    given = weights(units, window)
    joins = group(units, window, given)
    if not joins:
        return
    ends = Endpoints(paths, words, given, times)
    sides: dict[int, list[int]] = {}  # root -> its articles (earliest first, then as joined)

    def side(root: int) -> list[int]:
        found = sides.pop(root, None)
        if found is None:
            found = sorted(groups.get(root, [root]), key=ends.order)
        return found

    for u, v, _ in joins:
        ru, rv = parts.find(roots[u]), parts.find(roots[v])
        if ru == rv:
            continue
        left, right = side(ru), side(rv)
        x, y, score = ends.best(left, right)
        parts.union(x, y, "similar", round(score, 2))
        sides[parts.find(x)] = left + right


def join(members: Members, rules: StoryRules, known: tuple[Any, str] | None) -> _Components:
    """Join the articles on the evidence the rules name: as the grouping stored in the
    cache under ``known`` (the cache, the digest of the grouping's whole input: its
    files' versions) joined them, or under the digest of its content (members.content),
    else found again (and stored under both)."""
    from newscli.index import story_cache

    parts = _Components(len(members.paths))
    import gc

    # Many small tuples, dicts and sets, none of them cyclic: the collector's full passes
    # over them would cost more than the grouping itself at 100,000 articles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        digests = []
        if known is not None:
            cache, digest = known
            digests.append(digest)
            if _replayed(story_cache.load_joins(cache, digest), parts):
                return parts
            content = members.content() if members.content is not None else None
            if content is not None:
                digests.append(content)
                if _replayed(story_cache.load_joins(cache, content), parts):
                    story_cache.save_joins(cache, digest, [list(e) for e in parts.edges])
                    return parts
        _find(members, rules, parts)
        if known is not None:
            for digest in digests:
                story_cache.save_joins(known[0], digest, [list(e) for e in parts.edges])
    finally:
        if enabled:
            gc.enable()
    return parts


def replay_stored(n: int, known: tuple[Any, str]) -> _Components | None:
    """The joins of ``n`` articles stored in the cache under this digest of the
    grouping's input (``known``, as join takes it), made again; None when none are
    stored (or they are damaged): then join them."""
    from newscli.index import story_cache

    parts = _Components(n)
    return parts if _replayed(story_cache.load_joins(*known), parts) else None


def _replayed(joins: list[Any] | None, parts: _Components) -> bool:
    return joins is not None and _replay(joins, parts, len(parts.parent))


def _replay(joins: list[Any], parts: _Components, n: int) -> bool:
    """Make the stored joins again (False, and nothing joined, if they are damaged)."""
    valid = all(
        isinstance(j, list)
        and len(j) == 4
        and all(isinstance(x, int) and 0 <= x < n for x in j[:2])
        and j[2] in ("url", "related", "similar")
        and (j[3] is None or isinstance(j[3], float | int))
        for j in joins
    )
    if valid:
        for i, other, by, score in joins:
            parts.union(i, other, by, score)
    return valid


def _find(members: Members, rules: StoryRules, parts: _Components) -> None:
    """Join the articles on the evidence the rules name: by URL, by similarity, then by
    `related` links between the stories those made (related_links)."""
    data = members.data()
    links = _linked(data, rules, parts, members) if {"url", "related"} & rules.evidence else {}
    similar = "similar" in rules.evidence
    # The words, outlets and patterns alone from here on: the URL keys (most of the
    # data) are let go.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per outlet
    outlets = (
        [shared.setdefault(keys, keys) for keys in map(_outlets, data)] if similar or links else []
    )
    del shared
    if outlets:
        from newscli.select.headline_rules import add_columns

        add_columns(data, outlets, members.times)
    if similar:
        words = [(d[2], d[3]) for d in data]
        patterns = [d[4][0] if d[4] else "" for d in data]  # (sentence case only)
        del data
        _similar(members, words, outlets, patterns, parts, rules.window)
    else:
        del data
    if links:
        from newscli.select.related_links import join_related

        join_related(links, outlets.__getitem__, members.times, rules.window, members.paths, parts)


def _outlets(data: Data) -> tuple[str, ...]:
    """An article's outlet keys (headline_rules.outlet_keys), each string shared."""
    from newscli.select.headline_rules import outlet_keys

    return tuple(map(intern, outlet_keys(data)))


def _linked(data: Sequence[Data], rules: StoryRules, parts: _Components, members: Members) -> Links:
    """Join the articles sharing a URL key that are copies of one article (url_copies),
    taken in path order: each join's two
    articles (`clusters`' "joined with") do not depend on the order the paths were
    given in (h37). Its tables of URLs are let go on return: not held while grouping by
    text. Returns the `related` lists that name an article here, and those of the
    articles they name (related_links.links_of), joined after similarity."""
    from newscli.select.url_copies import copy_runs

    order = sorted(range(len(data)), key=members.paths.__getitem__)
    owner: dict[str, int] = {}
    more: dict[str, list[int]] = {}  # the URLs of several articles: the others under it
    for i in order:
        own = data[i][0]
        for url in own:
            if owner.setdefault(url, i) != i:
                more.setdefault(url, []).append(i)
    if "url" in rules.evidence:
        times, paths = members.times, members.paths
        for url, others in more.items():
            # (each copy joined with the earliest of its run, not the first by path: h130
            # 2, files renamed were shown joined through others)
            under = sorted([owner[url], *others], key=lambda i: _in_order(i, times, data, paths))
            for run in copy_runs(under, data, times, rules.window):
                for i in run[1:]:
                    parts.union(i, run[0], "url")
    if "related" in rules.evidence and more:
        # A URL of several articles that are no copies (a column's days): a link to it
        # names its earliest article, not the first by path (h71 8: which one a
        # `related` link joined changed with a file's name)
        times = members.times
        for url, others in more.items():
            owner[url] = min(
                [owner[url], *others], key=lambda i: _when_then_path(i, times, members.paths)
            )
    del more
    if "related" not in rules.evidence:
        return {}
    from newscli.select.related_links import links_of

    return links_of(data, order, owner)


def _when_then_path(
    i: int, times: Sequence[float | None], paths: Sequence[str]
) -> tuple[bool, float, str]:
    when = times[i]
    return (when is None, when or 0.0, paths[i])


def _in_order(
    i: int, times: Sequence[float | None], data: Sequence[Data], paths: Sequence[str]
) -> tuple[bool, float, tuple[str, ...], str]:
    """The earliest first, then by title words, then by path (copies of one time under
    one URL are joined to the same one whatever their files are named: h131)."""
    when = times[i]
    return (when is None, when or 0.0, data[i][2], paths[i])


def group_stories(articles: Sequence[Article], rules: StoryRules | None = None) -> list[Story]:
    """The stories of the articles (each article in exactly one), best article first."""
    from newscli.select.story_data import grouping_key

    rules = rules or StoryRules()
    parts = join(members_of(articles), rules, grouping_key(articles, rules))
    return stories_of(parts, len(articles), articles.__getitem__, rules)


def joined(parts: _Components) -> list[int]:
    """The articles (by index, in order) of the stories of more than one article."""
    return sorted({i for edge in parts.edges for i in edge[:2]})


def stories_of(
    parts: _Components,
    n: int,
    article: Callable[[int], Article],
    rules: StoryRules,
    several: bool = False,
) -> list[Story]:
    """The stories the joins make of ``n`` articles (``article(i)``: the i-th), in the
    order of their first articles; ``several``: only those of more than one article
    (``article`` is then asked for their articles alone)."""
    groups: dict[int, list[int]] = {}
    # (Only a join's two ends can be in a story of several: each article joined one
    # when it was first joined.)
    for i in joined(parts) if several else range(n):
        groups.setdefault(parts.find(i), []).append(i)
    links: dict[int, list[Link]] = {}
    for i, j, by, score in parts.edges:
        root = parts.find(i)
        if root in groups:
            links.setdefault(root, []).append(Link(article(i), article(j), by, score))
    stories = []
    for root, indexes in groups.items():
        members = sorted(map(article, indexes), key=lambda a: best_first_key(a, rules.prefer))
        stories.append(Story(members[0], tuple(members[1:]), tuple(links.get(root, ()))))
    return stories


def select_stories(
    articles: Sequence[Article],
    matches: Callable[[Article], bool],
    unpublished: bool = False,
    rules: StoryRules | None = None,
    grouped: Sequence[Story] | None = None,
) -> list[Story]:
    """The stories of every loaded article (a filter never splits or joins a story) that
    have an article passing ``matches``. The kept article is the best of those; the
    story's other articles follow, whether they pass or not. ``unpublished``: leave out
    every story with a published article, even one that does not pass ``matches``.
    ``grouped``: the stories of the articles, when already made (group_stories)."""
    chosen = []
    for story in group_stories(articles, rules) if grouped is None else grouped:
        if unpublished and any(a.published for a in story.articles):
            continue
        kept = next((a for a in story.articles if matches(a)), None)
        if kept is not None:
            rest = tuple(a for a in story.articles if a is not kept)
            chosen.append(Story(kept, rest, story.links, story.sid))
    return chosen


def dedupe(
    articles: Iterable[Article], rules: StoryRules | None = None
) -> tuple[list[Article], dict[str, list[str]]]:
    """One article per story, and for each kept article the other articles' paths."""
    stories = group_stories(list(articles), rules)
    duplicates = {
        s.kept.path: sorted(d.path for d in s.duplicates) for s in stories if s.duplicates
    }
    return [s.kept for s in stories], duplicates


def clusters(
    articles: Sequence[Article],
    keys: Sequence[SortKey] = (),
    rules: StoryRules | None = None,
    matches: Callable[[Article], bool] | None = None,
    unpublished: bool = False,
    grouped: Sequence[Story] | None = None,
) -> list[Story]:
    """The stories of more than one article that --dedupe selects (select_stories: made
    of every article given, shown when one of their articles passes ``matches``, the
    best of those kept), ordered by their kept articles the way `list` orders articles:
    newest first, refined by the sort ``keys``. ``grouped``: the stories, when made."""
    from newscli.select.query import sort_articles

    if grouped is None:
        grouped = group_stories(articles, rules)
    several = [s for s in grouped if s.duplicates]
    chosen = select_stories((), matches or _every, unpublished, rules, several)
    stories = {id(s.kept): s for s in chosen}
    kept = sort_articles([s.kept for s in stories.values()], keys)
    return [stories[id(article)] for article in kept]


def _every(article: Article) -> bool:
    return True


def path_key(path: str) -> str:
    """What names an article without a URL in a story id: its absolute path, so that
    the id does not depend on how the folder was named (`feeds`, `./feeds/`, its whole
    path, from another folder). (Symbolic links are not followed: a lookup per file.)"""
    return os.path.abspath(path)


def url_member_key(url: str, when: int | None, path: str, digest: bytes) -> str:
    """What names an article with a URL in a story id: its smallest normalised URL, its
    publication time (microseconds) and the digest of its story data (index/story_cache
    data_sum: its URLs, related URLs and words), so that two stories whose articles
    share a URL that joined nothing (a section's page, `--same-story similar`) have two
    ids, even when published at one instant (a date without a time) (h54, h59: stories
    of one section's page shared an id, and `--where 'story.id = ...'` selected them
    all); without a time, its path (path_key) too (h57)."""
    return f"{url}\x00{path_key(path) if when is None else when}\x00{digest.hex()}"


def member_keys(articles: Sequence[Article]) -> list[str]:
    """What names each article in a story id (url_member_key, else its path), read
    from its story data (its own URL keys, sorted: stored, else made), KEY_BATCH
    articles at a time (memory stays small)."""
    from newscli.index.story_cache import data_sum
    from newscli.select.story_data import first_urls, story_data

    found = []
    for start in range(0, len(articles), KEY_BATCH):
        batch = articles[start : start + KEY_BATCH]
        firsts = first_urls(batch)  # (stored: without decoding the whole data)
        rest = [a for a, first in zip(batch, firsts, strict=True) if first is None]
        made = iter(story_data(rest))
        for a, first in zip(batch, firsts, strict=True):
            if first is None:
                data = next(made)
                first = (data[0][0] if data[0] else None, data_sum(data))
            url, digest = first
            if url is not None and (a.url or a.data):
                found.append(url_member_key(url, microseconds(a.published_at), a.path, digest))
            else:
                found.append(path_key(a.path))
    return found


KEY_BATCH = 5000


def story_ids(stories: Sequence[Story]) -> list[str]:
    """Each story's story_id: its own when known, else made (the member keys of all
    such stories read at once)."""
    keys = iter(member_keys([a for s in stories if s.sid is None for a in s.articles]))
    return [
        s.sid if s.sid is not None else key_id([next(keys) for _ in s.articles]) for s in stories
    ]


def story_id(story: Story, keys: Sequence[str] | None = None) -> str:
    """A short id, the same on every run for the same members (``keys``: their
    member_keys, when known)."""
    return key_id(keys if keys is not None else member_keys(story.articles))


def key_id(keys: Sequence[str]) -> str:
    """The id of a story whose members have these member_keys (a path's name that is
    not UTF-8 counts as its bytes)."""
    text = "\n".join(sorted(keys))
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def outlet(article: Ranked) -> str | None:
    """An outlet story.outlets counts: the provider's domain (story_urls.outlet_domain:
    without www., m., amp., a scheme or a path), else its name (folded, trimmed);
    None for neither."""
    return outlet_domain(article.provider_domain) or outlet_name(article.provider_name)


def count_outlets(members: Iterable[Ranked]) -> int:
    """How many distinct outlets the members are from (see outlet); a name that one
    member gives with a domain is that domain's for the others (``{name: Reuters,
    domain: reuters.com}`` and ``{name: "Reuters "}`` are one outlet)."""
    named: dict[str, str] = {}  # a name -> the domain a member gave it with
    found: list[tuple[str | None, str | None]] = []
    for article in members:
        name = outlet_name(article.provider_name)
        domain = outlet_domain(article.provider_domain)
        if name and domain:  # (the smallest, if several: the same in any order)
            named[name] = min(named.get(name, domain), domain)
        found.append((name, domain))
    outlets = {domain or (named.get(name, name) if name else None) for name, domain in found}
    outlets.discard(None)
    return len(outlets)


def attach(stories: Iterable[Story]) -> None:
    """Fill the story.* field values of every article of the stories."""
    from newscli.select.fields import STORY_VALUES

    STORY_VALUES.clear()
    stories = list(stories)
    for story, sid in zip(stories, story_ids(stories), strict=True):
        members = story.articles
        dates = [a.published_at for a in members if a.published_at is not None]
        common = {
            "id": sid,
            "size": len(members),
            "outlets": count_outlets(members),
            "first": min(dates) if dates else None,
        }
        for rank, article in enumerate(members, 1):
            STORY_VALUES[article.path] = {**common, "rank": rank}
