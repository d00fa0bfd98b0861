"""What a template sees: the export records, the stories, the feed and the clock.

Plain dicts and lists only (no Article objects, no methods): a sandboxed template can
read them and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from newscli import __version__
from newscli.article.model import Article
from newscli.formats.digest import group_by_topic, other_name
from newscli.formats.feeds import FeedInfo, web_url
from newscli.formats.records import export_record, field_record, prefetched
from newscli.formats.templating.given import Given
from newscli.sanitize import clean, escaped_path
from newscli.select.stories import Story, StoryRules, group_stories
from newscli.select.story_urls import outlet_domain, outlet_name

GROUPS = ("topic", "story", "provider", "date")
UNDATED = "Undated"


def first_image(record: Mapping[str, Any], alt: str) -> dict[str, Any] | None:
    """The first image with an absolute http(s) URL and a positive integer width and
    height (without them a page cannot reserve its space), or None."""
    images = record.get("images")
    for image in images if isinstance(images, list) else ():
        if not isinstance(image, Mapping):
            continue
        url = web_url(image.get("url")) if isinstance(image.get("url"), str) else None
        width, height = image.get("width"), image.get("height")
        if url and _positive(width) and _positive(height):
            return {"url": url, "width": width, "height": height, "alt": alt}
    return None


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000


def _outlet(mapping: Any) -> tuple[str, str | None, str | None] | None:
    """A provider as shown (its name, else its domain) and as counted (story.outlets'
    name and domain: select.stories.count_outlets); None for neither."""
    provider = mapping.get("provider") if isinstance(mapping, Mapping) else None
    if not isinstance(provider, Mapping):
        return None
    name, domain = provider.get("name"), provider.get("domain")
    name = name if isinstance(name, str) and clean(name).strip() else None
    domain = domain if isinstance(domain, str) and clean(domain).strip() else None
    shown = name or domain
    if shown is None:
        return None
    return clean(shown).strip(), outlet_name(name), outlet_domain(domain)


def _provider(record: Mapping[str, Any]) -> str | None:
    """A provider as shown: its name, else its domain."""
    found = _outlet(record)
    return found[0] if found else None


def also_covered(
    article: Article, record: Mapping[str, Any], story: Sequence[Article]
) -> list[str]:
    """Other outlets of its story (selected articles) and of its `related` list, each
    once, never its own outlet; story first, in order. Outlets are told apart as
    story.outlets counts them (h118: "Financial Times" of ft.com was "also" the
    article's own "FT" of ft.com): by domain, a name given with a domain by one being
    that domain's for all, else by name."""
    related = record.get("related")
    found = [_outlet(record)]
    found += [_outlet({"provider": {"name": a.provider_name, "domain": a.provider_domain}})
              for a in story if a is not article]  # fmt: skip
    found += [_outlet(item) for item in (related if isinstance(related, list) else ())]
    named: dict[str, str] = {}
    for entry in found:
        if entry is not None and entry[1] and entry[2]:
            named[entry[1]] = min(named.get(entry[1], entry[2]), entry[2])
    seen: set[str] = set()
    names = []
    for number, entry in enumerate(found):
        if entry is None:
            continue
        shown, name, domain = entry
        key = domain or named.get(name or "", name or "") or shown.casefold()
        if key not in seen:
            seen.add(key)
            if number:  # (the first is its own)
                names.append(shown)
    return names


def _given(found: dict[str, Any] | None) -> Given | None:
    return None if found is None else Given(found)


def item(
    article: Article, record: dict[str, Any], story: Sequence[Article], number: int
) -> dict[str, Any]:
    title = clean(article.title).strip()
    return Given({
        "title": title,
        "url": web_url(article.url),
        "excerpt": clean(article.excerpt).strip() if article.excerpt else None,
        "provider": _provider(record),
        "provider_domain": article.provider_domain,
        "published": article.published_at,
        "updated": article.updated_at,
        "topics": [clean(t) for t in article.topics],
        "image": _given(first_image(record, title)),
        "also_covered_by": also_covered(article, record, story),
        "story": number,
        "path": article.path,
        "record": record,
    })  # fmt: skip


def _shown(name: str, value: Any) -> Any:
    """A --fields value as the people formats show it: a path escaped, as in every output
    but JSON (h94: a file named with an escape sequence was shown as the file beside it)."""
    return escaped_path(value) if name == "path" and isinstance(value, str) else value


def _groups(
    group_by: str, articles: Sequence[Article], items: dict[int, dict[str, Any]],
    stories: Sequence[Sequence[Article]],
) -> list[dict[str, Any]]:  # fmt: skip
    chosen: list[tuple[str, list[Article]]]
    if group_by == "topic":
        chosen = [(clean(name), members) for name, members in group_by_topic(articles)]
    elif group_by == "story":
        chosen = [(clean(members[0].title), list(members)) for members in stories]
    elif group_by == "provider":
        by: dict[str, tuple[str, list[Article]]] = {}
        none: list[Article] = []
        for article in articles:
            name = items[id(article)]["provider"]
            if name is None:
                none.append(article)
            else:
                by.setdefault(name.casefold(), (name, []))[1].append(article)
        chosen = [by[key] for key in sorted(by)]
        if none:
            chosen.append((other_name((name for name, _ in chosen), "provider"), none))
    else:  # date: newest day first (the articles come newest first), undated last
        days: dict[str, list[Article]] = {}
        for article in articles:
            day = article.published_at.date().isoformat() if article.published_at else UNDATED
            days.setdefault(day, []).append(article)
        dated = sorted((kv for kv in days.items() if kv[0] != UNDATED), key=_first, reverse=True)
        chosen = dated + ([(UNDATED, days[UNDATED])] if UNDATED in days else [])
    return [Given(name=name, articles=[items[id(a)] for a in members]) for name, members in chosen]


def build(
    articles: Sequence[Article],
    *,
    feed: FeedInfo,
    now: datetime,
    group_by: str = "topic",
    fields: Sequence[str] = (),
    story_articles: Sequence[Article] | None = None,
    story_rules: StoryRules | None = None,
    stories: Sequence[Story] | None = None,
) -> dict[str, Any]:
    """The template context (documented in the README). ``story_articles``: every
    article of the selected stories (after --dedupe, their other articles too), whose
    outlets "also covered" names. ``stories``: the grouping the selection was made
    with (of every loaded article, as story.id and --dedupe see it); without it, the
    stories of ``story_articles`` (or of ``articles``) are made here."""
    pool = list(story_articles if story_articles is not None else articles)
    if stories is None:
        stories = group_stories(pool, story_rules)
    position = {id(a): i for i, a in enumerate(articles)}
    in_pool = {id(a) for a in pool}
    story_of: dict[int, list[Article]] = {}
    selected_stories: list[list[Article]] = []
    for story in stories:
        members = [a for a in story.articles if id(a) in position]
        if not members:
            continue
        members.sort(key=lambda a: position[id(a)])
        selected_stories.append(members)
        covering = [a for a in story.articles if id(a) in in_pool]
        for article in members:
            story_of[id(article)] = covering
    selected_stories.sort(key=lambda members: position[id(members[0])])
    number = {id(a): n for n, members in enumerate(selected_stories, 1) for a in members}
    items: dict[int, dict[str, Any]] = {}
    for article in prefetched(articles):
        record = field_record(article, fields, now) if fields else export_record(article)
        full = record if not fields else export_record(article)
        entry = item(article, full, story_of.get(id(article), [article]), number[id(article)])
        entry["record"] = record
        shown = [Given(name=k, value=_shown(k, v)) for k, v in record.items()] if fields else []
        entry["fields"] = shown
        items[id(article)] = entry
    ordered = [items[id(a)] for a in articles]
    dates = [a.published_at for a in articles if a.published_at]
    groups = _groups(group_by, articles, items, selected_stories)
    return {
        "feed": Given(
            title=clean(feed.title), link=web_url(feed.link), description=clean(feed.description)
        ),
        "now": now,
        "generator": f"newscli {__version__}",
        "group_by": group_by,
        "articles": ordered,
        "groups": groups,
        "stories": [
            Given(number=n, articles=[items[id(a)] for a in members])
            for n, members in enumerate(selected_stories, 1)
        ],
        "counts": Given(
            articles=len(ordered),
            stories=len(selected_stories),
            groups=len(groups),
            providers=len({i["provider"].casefold() for i in ordered if i["provider"]}),
        ),
        "first_date": min(dates, default=None),
        "last_date": max(dates, default=None),
    }


def _first(pair: tuple[str, list[Article]]) -> str:
    return pair[0]
