"""Which `related` links join two stories into one (stories._find, after the joins by
URL and by similarity).

The article format defines `related` as other outlets' coverage of the same story, and
an aggregator gives each article of one story's coverage a list of the others. But a
list can name several stories (an evening briefing lists the day's events, a roundup
its topics: h73 1, h77 1-2), and an aggregator that builds its lists both ways has each
event list the briefing back. So a link is evidence only where the neighbourhoods of
its two ends agree:

- A list that names three things or more (stories here, within the window or not, and
  URLs of articles not here) that fall into two groups or more with no link between
  them (one story lists another or a URL of the list, or another lists it: h80 4, a
  briefing naming each of two events' whole coverage) is a briefing: it joins nothing,
  and no link joins its story (h79 1: a briefing listing the top story's whole coverage
  and one article of each other event agreed with the top story and pulled the events
  in; h79 2: a weekly roundup with one event within the window was a list of one). So
  is a list of two things, one here at least, with no link between them (h81 3-4: a
  digest of two events, each listing it back when it came, took both; h85 2: a digest
  of two events arriving with one, which listed it back, took that one, and cron
  shipped the digest and marked the event; of two not here it is not, h86: a lead
  listing two outlets not taken, the others listing it alone, shipped three times).
  But where the list is an
  event's coverage too (a story it names lists it back together with another thing it
  names), a story it names is left out first where that story's list is no event's
  coverage and names more groups besides the two (and besides the stories holding a
  list that is a briefing's by all it names) than this list names besides that story
  (h78's fuzzer: an event's article listing its coverage and the evening briefing that
  lists it back was taken for a briefing, and the coverage shipped twice; h85 1 and 3:
  counted less strictly, a briefing of one event's whole coverage and another event's
  article took that event; h86 3: so did one whose list names articles never
  collected: that story's groups count only those holding a story here).
- A list that names one thing (an article here, or a URL) joins the story it names,
  unless that story holds a briefing (an event listing nothing but the briefing does
  not join it).
- A list that names several joins a story it names where their neighbourhoods agree.
  A story's neighbourhood is itself and what its articles' lists name (a story here, or
  a URL of an article not here), or, for a story without a list, the stories whose
  lists name it; two agree when they share two thirds of what they hold together at
  least: articles of one story's coverage name the same articles, while a briefing's
  neighbourhood holds every event it lists and each event's its own coverage (h77 2:
  lists made both ways; h77 1: a briefing arriving with one of its events). What lists
  a story is not its neighbourhood where it has a list of its own: a story whose
  articles each list the briefing too would fill the briefing's (h78 1), and roundups
  linking to one article of a story took it from its coverage (h78 4). Where the list
  names several things, the one joined must list it back or be linked to
  another of them, a story or a URL of the list (h76 5: a briefing listing two events
  that list nothing; h80 3: a digest naming one event and an article not here yet).
- An article whose headline is a column's (one outlet used it on two days:
  headline_rules.add_columns) is a briefing whatever its list names (h80 1).
- A URL not here links nothing where a list's groups are counted: it goes with the one
  group whose stories name it, else it is a group of its own (h88 F3: a briefing whose
  events and itself all named one URL never collected took both events).
- A story holding a briefing (a hub: judged as here, without hubs) links nothing through
  it where another list's groups are counted: it is a group of its own, or, where that
  list is an event's coverage (supported), goes with a group it is linked to, or,
  listing the list's article, with a hub that went with one (h86's fuzzer: a late
  briefing listing the evening briefing and the events that one lists was one group and
  took an event's coverage; h87 1-2). Nor is a hub counted among the groups of a list
  that might outrank another (h87 3-4).
- Only links within the story window count (a date without a time, midnight UTC, as
  noon that day, as the one-outlet rule counts it; h79 4: as that whole day in any time
  zone, 52 hours, date-only reports a day apart were one story for five days at 48
  hours), an undated article's only to
  another undated one (h79: an undated explainer, shipped when it came, made each later
  report listing it a copy of what was shipped, and none was shipped; h78 3: it made
  January's and June's reports one), and never one between one outlet's articles
  RECURRING_GAP or more apart (a date alone as noon: its next day's article is news
  again, as by their words; h71 2).
- No link joins two stories into one holding one outlet's articles RECURRING_GAP or more
  apart (h76 3, h77 3: Reuters' next day's article listing AP's of the day before, one
  story with Reuters' by their words), nor dated articles farther apart than the window
  (h78 2: a report a day, each listing the day before's, was one story for ten days).
  Links are taken in order of the linking article's date (undated last), then its
  addresses, then its path.
- An article's link to a copy of itself (a URL of its own, or of an article it is
  joined to) is no link. A story's several URLs count once.

Limits: a story of three or more hung on a lead article (the lead listing the others,
each listing the lead alone, or the lead and the same briefings, or the lead and one
URL not here, the source they copy) joins nothing, as a
briefing listed back does not (h78 7, h81 3); so does an event's article listing its
coverage and a briefing where no article of the coverage lists it back beside another
thing of its list (each listing it alone), or listing two briefings whose other events
list them both (the coverage ships again); an article listing one here and a URL not
here joins it only where it names that URL too (h80 3, h82 5, h85 2: coverage listed one
way, by an article naming an outlet not taken, ships again); a chain or a ring of lists,
each article listing only its neighbours, joins little; so do two articles that list
each other and, besides, other articles each, and a large story whose articles each list
a few others at random.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from newscli.select.headline_rules import RECURRING_GAP, day_time, outlet_spans

__all__ = ["Links", "join_related", "links_of"]

Spans = dict[str, tuple[float, float]]
Node = int | str  # a story here (its root), or a URL of an article not here


class _Parts(Protocol):
    def find(self, i: int) -> int: ...

    def union(self, i: int, j: int, by: str, score: float | None = None) -> None: ...


# Each article a list of which is kept: what it names (another article here, by index,
# or a URL of one not here), in URL order; and its URL keys' first (a tie-break).
Links = dict[int, tuple[list[int | str], str]]


def links_of(data: Sequence[Any], order: Sequence[int], owner: dict[str, int]) -> Links:
    """The lists that matter, taken from the story data before it is let go: those of
    the articles whose list names one here, and of the articles they name (``owner``:
    the article each URL key names; ``order``: path order)."""
    here = owner.keys()
    linkers = [i for i in order if data[i][1] and not here.isdisjoint(data[i][1])]
    wanted = set(linkers)
    for i in linkers:
        wanted.update(j for url in data[i][1] if (j := owner.get(url)) is not None)
    found: Links = {}
    for i in sorted(wanted):
        own = set(data[i][0])
        named: list[int | str] = []
        for url in data[i][1]:
            if url in own:
                continue
            j = owner.get(url)
            named.append(url if j is None else j)
        found[i] = (named, data[i][0][0] if data[i][0] else "")
    return found


def join_related(
    links: Links,
    keys: Callable[[int], Iterable[str]],
    times: Sequence[float | None],
    window: float,
    paths: Sequence[str],
    parts: _Parts,
) -> None:
    """Join the stories by the `related` lists as the module says (``keys``: an
    article's outlet keys)."""
    if not links:
        return
    find = parts.find

    def column(i: int) -> bool:
        """Whether the article's headline is a column's (an outlet's on two days:
        headline_rules.add_columns): its list is a briefing's, whatever it names."""
        return any(key.startswith("t:") for key in keys(i))

    root = {i: find(i) for i in links}
    near = _Near(times, window, keys)
    # a story's neighbourhood: itself and what its lists name (stories here, within the
    # window or not, and URLs of articles not here), or, where it has no list, the
    # stories whose lists name it; which stories' lists name each story; its articles
    # whose lists name several; and for each article, the
    # stories here it names (all, and by admissible links) and how many things
    hood: dict[int, set[Node]] = {}
    into: dict[int, set[int]] = {}
    listers: dict[int, list[int]] = {}
    named: dict[int, set[int]] = {}
    addresses: dict[int, set[str]] = {}  # the URLs not here of a list naming 3 or more
    here: dict[int, set[int]] = {}
    count: dict[int, int] = {}
    was: dict[int, int] = {}  # each article's story before these links
    for i, (items, _) in links.items():
        mine = root[i]
        stories: set[int] = set()
        every: set[int] = set()
        urls: set[str] = set()
        for item in items:
            if isinstance(item, str):
                urls.add(item)
                continue
            node = was[item] = find(item)
            if node == mine:
                continue  # (itself, under a copy's URL)
            kind = near(i, item)
            if kind == _OWN:
                continue  # (one outlet's next day: no evidence either way, h71 2)
            every.add(node)
            if kind == _NEAR:
                stories.add(node)
        if every or urls:
            hood.setdefault(mine, {mine}).update(every, urls)
            for story in every:
                into.setdefault(story, set()).add(mine)
        if len(every) + len(urls) > 1 or column(i):
            listers.setdefault(mine, []).append(i)
        named[i], here[i], count[i] = every, stories, len(every) + len(urls)
        if count[i] >= 2:
            addresses[i] = urls
    listing = set(hood)  # (the stories with a list: the others' neighbourhoods, below)
    for i, stories in here.items():
        for story in stories:
            if story not in listing:
                hood.setdefault(story, {story}).add(root[i])

    def share(one: int, other: int) -> bool:
        """Whether two stories' neighbourhoods share two thirds of what they hold."""
        return alike(hood[one], hood[other])

    def agrees(i: int, story: int) -> bool:
        """A list of several names the story: the two neighbourhoods agree, and the
        story lists it back or is linked to another thing of the list (a story, or a
        URL of an article not here: h80 3, a digest naming an event and an article not
        here yet joined the event, and cron shipped the digest alone)."""
        if not share(root[i], story):
            return False
        stories = named[i]  # (the story among them, and in its own neighbourhood)
        theirs = hood[story]
        mute = story not in listing  # (its neighbourhood: the stories listing it)
        return (
            (story in listing and root[i] in theirs)  # (it lists i's story back)
            # (for a story without a list, a briefing listing it is no link: h86 1, a
            # roundup listing the evening briefing and two of its events took both)
            or len(
                [s for s in stories if s in theirs and not (mute and s != story and names_many(s))]
            )
            > 1
            or any(isinstance(x, str) and x in theirs for x in links[i][0])
        )

    nothing: set[int] = set()

    def groups(stories: set[int], things: set[Node], apart: bool, mine: int = -1) -> int:
        """How many groups the things a list names (stories here, URLs not here) fall
        into with no link between them: a story lists another or a URL of the list, or
        another lists it (h80 4: a briefing listing each of two events' whole coverage,
        each event's articles linked to one another). With ``apart``, a story holding a
        briefing (hub: as judged without hubs) links nothing through it and is a group
        of its own (h86's fuzzer: a late briefing listing the evening briefing and the
        events that one lists was one event's coverage; h87 1: one of them); where the
        list is an event's coverage (supported: ``mine``, the lister's story), a hub
        linked to a group goes with it (the coverage listing the evening briefing
        back), and so does one listing the lister and linked to a hub gone with one
        (its article's other briefing, which lists the first)."""
        hubs: set[int] = {s for s in stories if hub(s)} if apart else nothing
        if not hubs:
            return components(set(things), stories)
        left = set(things).difference(hubs)
        found = components(set(left), stories)
        loose = set(hubs)
        if mine >= 0:
            went = {h for h in loose if linked(h, left)}
            while went:
                loose -= went
                went = {h for h in loose if mine in hood[h] and linked(h, went)}
        return found + components(set(loose), stories) if loose else found

    def linked(story: int, things: set[Node] | set[int]) -> bool:
        """Whether the story lists one of the things or one of them lists it."""
        return any(x in things for x in (*hood[story], *into.get(story, ())))

    def components(left: set[Node], stories: set[int]) -> int:
        """How many groups the things fall into, linked among themselves (emptied). A
        URL not here bridges nothing: it goes with the one group whose stories list it,
        else it is a group of its own (h88 F3: one URL that a briefing and its events'
        articles all named made the briefing one event's coverage, and it took the
        event; so a lead's coverage naming the source it copies joins nothing, as the
        lead's coverage naming the lead alone does not)."""
        urls = [x for x in left if isinstance(x, str)]
        left.difference_update(urls)
        group: dict[Node, int] = {}
        found = 0
        while left:
            start = left.pop()  # (the count is the same whichever starts a group)
            found += 1
            group[start] = found
            todo: list[Node] = [start]
            while todo and left:  # (all of it one group: done, h82 2, a list of 300 each)
                thing = todo.pop()
                assert isinstance(thing, int)  # (stories only: the URLs were taken out)
                for other in (*hood.get(thing, ()), *into.get(thing, ())):
                    if other in left:
                        left.discard(other)
                        group[other] = found
                        todo.append(other)
        for url in urls:
            if len({group[s] for s in stories if s in group and url in hood.get(s, ())}) != 1:
                found += 1
        return found

    hubs_of: dict[int, bool] = {}

    def hub(story: int) -> bool:
        """Whether one of the story's articles is a briefing, judged without hubs."""
        found = hubs_of.get(story)
        if found is None:
            found = hubs_of[story] = any(briefing(j, False) for j in listers.get(story, ()))
        return found

    rank_of: dict[tuple[int, bool], float] = {}

    def rank(i: int, apart: bool) -> float:
        """For an article whose list is a briefing's by all it names (a candidate): how
        many groups it names (infinity for a column's); else 0. ``apart``: as groups."""
        found = rank_of.get((i, apart))
        if found is None:
            stories = named[i]
            found = 0
            if column(i):
                found = math.inf
            elif judged(stories, things := {*stories, *addresses.get(i, ())}):
                found = groups(stories, things, apart, root[i] if supported(i) else -1)
                found = found if found > 1 else 0
            rank_of[i, apart] = found
        return found

    backed: dict[int, bool] = {}

    def supported(i: int) -> bool:
        """Whether a story the article's list names lists its story back together with
        another thing of the list: the list is (also) an event's coverage, its articles
        naming one another (a briefing's events list it back alone, or with their own
        coverage)."""
        found = backed.get(i)
        if found is None:
            mine = root[i]
            things = {*named[i], *addresses.get(i, ())}
            found = backed[i] = any(
                s in listing and mine in hood[s] and any(x != s and x in things for x in hood[s])
                for s in named[i]
            )
        return found

    brief: dict[tuple[int, bool], bool] = {}

    def briefing(i: int, apart: bool = True) -> bool:
        """Whether the article's list names several things that are no one story's
        coverage: of three or more, in two groups or more with no link between them
        (an evening briefing's events, a roundup's, whether here or not yet, h79 1-2,
        h80 4); of two here, so too (h81 3-4); any list of a column's (h80 1). Where the
        list is also an event's coverage (supported), a story it names holding a list
        more a briefing's than its own (outranked) is left out first: an event's
        article listing its coverage and the evening briefing that lists it back is the
        coverage's (h78's fuzzer: the coverage shipped again). ``apart``: hubs apart
        (groups), as every judgement but the hubs' own."""
        found = brief.get((i, apart))
        if found is None:
            own = rank(i, apart)
            found = own > 0
            if found and own != math.inf and supported(i):
                stories = {s for s in named[i] if not outranked(s, i, apart)}
                if len(stories) < len(named[i]):  # (as by all it names, by what is left)
                    things: set[Node] = {*stories, *addresses[i]}
                    found = judged(stories, things) and groups(stories, things, apart, root[i]) > 1
            brief[i, apart] = found
        return found

    def outranked(story: int, i: int, apart: bool) -> bool:
        """Whether one of the story's articles has a list that is a briefing's by all it
        names and no event's coverage (not supported), and that names more groups
        besides article i's story, and besides the stories holding a candidate (another
        briefing, or an event's article listing one), than i's list names besides this
        story (h85 1: a briefing listing one event's whole coverage and an article
        listing its own and the briefing is no more a briefing than that article; h85 3:
        nor than an article listing two briefings)."""
        return any(
            unbacked(j, apart)
            and groups_besides(j, root[i], False, apart) > groups_besides(i, story, True, apart)
            for j in listers.get(story, ())
        )

    def unbacked(j: int, apart: bool) -> bool:
        """Whether the article's list is a candidate (rank) and no event's coverage."""
        return rank(j, apart) > 0 and not supported(j)

    def groups_besides(i: int, story: int, every: bool, apart: bool) -> int:
        """How many groups article i's list names besides the story; unless ``every``,
        besides the stories holding a candidate (rank) that is no event's coverage
        (another briefing; an event's article listing its coverage and a briefing
        counts: roundups each listed back by articles of stories of five, each story
        fell apart), or, hubs apart, a briefing (h87 3: an event's article listing its
        partner and its evening briefing looked more a briefing's than the other
        briefing listing it), and only those holding a story here (h86 3: an event's
        article listing its coverage not collected looked more a briefing's than the
        briefing listing it and another event's whole coverage)."""
        stories = {s for s in named[i] if s != story and (every or not set_aside(s, apart))}
        things: set[Node] = {*stories, *(addresses.get(i, ()) if every else ())}
        mine = root[i] if every and supported(i) else -1
        return groups(stories, things, apart, mine) if things else 0

    def set_aside(story: int, apart: bool) -> bool:
        """Whether the story holds a candidate that is no event's coverage, or, hubs
        apart, is a hub (groups_besides leaves it out)."""
        return any(unbacked(j, apart) for j in listers.get(story, ())) or (apart and hub(story))

    many: dict[int, bool] = {}

    def names_many(story: int) -> bool:
        """Whether one of the story's articles is a briefing (nothing joins it by a
        link: neither an event listing it alone nor a story listing it among others)."""
        found = many.get(story)
        if found is None:
            found = many[story] = any(briefing(i) for i in listers.get(story, ()))
        return found

    ordered = sorted(
        (i for i in here if here[i]),
        key=lambda i: (times[i] is None, times[i] or 0.0, links[i][1], paths[i]),
    )
    spans = _SpanKeeper(parts, keys, times, window)
    for i in ordered:
        first: dict[int, int] = {}  # each story's first article in the list
        for item in links[i][0]:
            if isinstance(item, int):
                first.setdefault(was[item], item)
        for story, j in first.items():  # (in the list's order, which is the URLs')
            if story not in here[i] or find(i) == find(j):
                continue  # (joined already: the same whether it agrees or not)
            if names_many(story) or (
                (count[i] > 1 or column(i)) and (briefing(i) or not agrees(i, story))
            ):
                continue
            spans.union(i, j)


def judged(stories: set[int], things: set[Node]) -> bool:
    """Whether a list naming these things (``stories`` of them here) is judged by its
    groups: three things or more, or two of which one is here at least."""
    return len(things) >= 3 or (len(things) == 2 and bool(stories))


def alike(mine: set[Node], theirs: set[Node]) -> bool:
    """Whether two neighbourhoods share two thirds of what they hold together."""
    if 3 * min(len(mine), len(theirs)) < 2 * max(len(mine), len(theirs)):
        return False  # (no intersection could reach it)
    common = len(mine & theirs)
    return 3 * common >= 2 * (len(mine) + len(theirs) - common)


_NEAR, _FAR, _OWN = 0, 1, 2  # what a link is (_Near)


class _Near:
    """What article i's link to article j is: _NEAR, within the window (an undated
    article's only to another undated one); _OWN, one outlet's two articles
    RECURRING_GAP or more apart within it (no evidence either way); else _FAR. A date without a
    time (midnight UTC) counts as noon that day (h79 4: as that whole day in any time
    zone, 52 hours, date-only reports a day apart each joined for five days at 48
    hours, and two days apart at a window of 0)."""

    def __init__(
        self, times: Sequence[float | None], window: float, keys: Callable[[int], Iterable[str]]
    ) -> None:
        self.times, self.window, self.keys = times, window, keys

    def __call__(self, i: int, j: int) -> int:
        when, other = self.times[i], self.times[j]
        if when is None or other is None:  # (h79: an undated explainer, shipped, made
            return _NEAR if when is None and other is None else _FAR  # reports copies)
        apart = abs(day_time(when) - day_time(other))
        if apart > self.window:
            return _FAR
        if apart >= RECURRING_GAP and not set(self.keys(i)).isdisjoint(self.keys(j)):
            return _OWN
        return _NEAR


class _SpanKeeper:
    """Unions that never put into one story one outlet's articles RECURRING_GAP or more
    apart where neither side had them, nor dated articles farther apart than the window
    (a date without a time: that whole day; similarity and URLs make no story wider):
    each story's outlet spans (outlet_spans) and dates, made from its members when
    first asked."""

    def __init__(
        self,
        parts: _Parts,
        keys: Callable[[int], Iterable[str]],
        times: Sequence[float | None],
        window: float,
    ) -> None:
        self.parts, self.keys, self.times, self.window = parts, keys, times, window
        self.members: dict[int, list[int]] | None = None
        self.spans: dict[int, Spans] = {}
        self.dates: dict[int, tuple[float, float] | None] = {}

    def _members(self, root: int) -> list[int]:
        if self.members is None:  # (every story's articles, once)
            self.members = {}
            find = self.parts.find
            for i in range(len(self.times)):
                self.members.setdefault(find(i), []).append(i)
        return self.members.get(root, [root])

    def _spans(self, root: int) -> Spans:
        found = self.spans.get(root)
        if found is None:
            found = self.spans[root] = outlet_spans(self._members(root), self.keys, self.times)
        return found

    def _dates(self, root: int) -> tuple[float, float] | None:
        """The story's earliest and latest publication times (a date alone as noon), or
        None when none is dated."""
        if root not in self.dates:
            dated = [
                day_time(when) for i in self._members(root) if (when := self.times[i]) is not None
            ]
            self.dates[root] = (min(dated), max(dated)) if dated else None
        return self.dates[root]

    def union(self, i: int, j: int) -> None:
        find = self.parts.find
        a, b = find(i), find(j)
        if a == b:
            return
        one, other = self._spans(a), self._spans(b)
        small, large = (one, other) if len(one) <= len(other) else (other, one)
        for key, (low_a, high_a) in small.items():  # (the smaller side's outlets: h79 5)
            if key in large:
                low_b, high_b = large[key]
                width = max(high_a, high_b) - min(low_a, low_b)
                if width >= RECURRING_GAP and width > max(high_a - low_a, high_b - low_b):
                    return  # (one outlet's two days, one on each side)
        dates_a, dates_b = self._dates(a), self._dates(b)
        dates = dates_a or dates_b
        if dates_a and dates_b:
            dates = (min(dates_a[0], dates_b[0]), max(dates_a[1], dates_b[1]))
            if dates[1] - dates[0] > self.window:
                return  # (a chain of links, day after day)
        self.parts.union(i, j, "related")
        root = find(i)
        for key, (low, high) in small.items():  # (into the larger, in place)
            low_m, high_m = large.get(key, (low, high))
            large[key] = (min(low, low_m), max(high, high_m))
        for story in (a, b):
            self.spans.pop(story, None)
            self.dates.pop(story, None)
        self.spans[root], self.dates[root] = large, dates
        assert self.members is not None
        kept, joined = self.members.pop(a, [a]), self.members.pop(b, [b])
        if len(kept) < len(joined):
            kept, joined = joined, kept
        kept.extend(joined)  # (the longer list grows: h79 5)
        self.members[root] = kept
