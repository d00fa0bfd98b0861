"""Briefings, digests, columns and templated headlines through the installed command
(h80, method 32): each case lost an event in the cron recipe (`export --unpublished
--dedupe --mark-published`): marked published, never shipped. Cross-checked with
`clusters`' JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_story_patterns import _cron, _env, _outlet, _relate, _stories, _write_items

URL = "https://{0}.example/news/{0}-story".format


def _items(feeds: Path, items: dict[str, tuple[str, str]]) -> None:
    """Write the items (name: title, date), each its own outlet's, at URL(name)."""
    _write_items(feeds, {name: (title, when, URL(name)) for name, (title, when) in items.items()})
    for name in items:
        _outlet(feeds, name, f"Out{name}")


def _hours(feeds: Path, items: dict[str, tuple[str, str]]) -> None:
    """_items of (title, hour) on 2025-05-10."""
    _items(feeds, {n: (t, f"2025-05-10T{h}:00:00Z") for n, (t, h) in items.items()})


def test_a_briefing_of_two_events_whole_coverage_joins_neither(tmp_path: Path) -> None:
    """h80 4: an evening briefing listing both articles of each of two events (each
    event's first article listing its second and the briefing, the second listing the
    briefing, or both articles each other) joined both events: one cron run shipped the
    briefing alone and marked all five published. A list whose things fall into two
    groups with no link between them is a briefing."""
    env = _env(tmp_path)
    events = {
        "v1": ("Volcano erupts on remote Pacific island, villagers evacuated", "08"),
        "v2": ("Thousands flee as Mount Tavi blows its top", "09"),
        "p1": ("Parliament passes sweeping pension reform after marathon debate", "10"),
        "p2": ("Lawmakers approve pension overhaul after all-night session", "11"),
        "brief": ("Evening briefing: the day in five minutes", "18"),
    }
    for both_ways in (False, True):
        feeds = tmp_path / f"feeds{both_ways}"
        _hours(feeds, events)
        for first, second in (("v1", "v2"), ("p1", "p2")):
            _relate(feeds, first, URL(second), URL("brief"))
            _relate(feeds, second, *([URL(first)] if both_ways else []), URL("brief"))
        _relate(feeds, "brief", *[URL(n) for n in ("v1", "v2", "p1", "p2")])
        assert _stories(feeds, env) == [["p1", "p2"], ["v1", "v2"]]
        assert _cron(feeds, env) == ["brief", "p2", "v2"]  # (each story's newest)


def test_a_digest_of_an_event_and_an_article_not_here_yet_joins_neither(
    tmp_path: Path,
) -> None:
    """h80 3: a digest listing an event here and an article not here yet joined the
    event (a list of two agreeing with a story whose only neighbour is the digest):
    cron shipped the digest with the event as its duplicate, while the same three files
    grouped at once are three stories. A list of several joins only a story that lists
    it back or is linked to another thing it names."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _items(
        feeds,
        {
            "volcano": ("Volcano erupts on remote Pacific island", "2025-05-10T08:00:00Z"),
            "digest": ("Saturday digest", "2025-05-10T18:00:00Z"),
        },
    )
    _relate(feeds, "digest", URL("volcano"), URL("pension"))
    assert _cron(feeds, env) == ["digest", "volcano"]
    _items(feeds, {"pension": ("Parliament passes pension reform", "2025-05-10T09:00:00Z")})
    assert _cron(feeds, env) == ["pension"]
    assert _stories(feeds, env) == []
    # another outlet's article listing the event and an article not here joins the
    # event only where the event names that article too: listing it back is not enough
    # (h85 2: a digest of two events arriving with one of them, which lists it back,
    # took that event, and cron shipped the digest and marked the event)
    _items(feeds, {"lava": ("Lava flows reach the coast", "2025-05-10T10:00:00Z")})
    _relate(feeds, "lava", URL("volcano"), URL("ash"))
    assert _stories(feeds, env) == []
    _relate(feeds, "volcano", URL("lava"))
    assert _stories(feeds, env) == []
    _relate(feeds, "volcano", URL("lava"), URL("ash"))
    assert _stories(feeds, env) == [["lava", "volcano"]]


def test_a_digest_arriving_with_one_of_its_two_events_joins_neither(tmp_path: Path) -> None:
    """h85 2: a digest naming two events arrived with one of them, which listed it
    back: a list of one article here and one not here was judged by agreement, and the
    two joined; cron shipped the digest and marked the event, and the second event,
    arriving next, made the digest a briefing: the first was never shipped. A list of
    two things, one here at least, with no link between them is a briefing, as one of
    three is."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _items(
        feeds,
        {
            "ferry": ("Ferry strike strands island commuters", "2025-05-10T08:00:00Z"),
            "digest": ("Your evening digest: two things to know", "2025-05-10T19:00:00Z"),
        },
    )
    _relate(feeds, "ferry", URL("digest"))
    _relate(feeds, "digest", URL("ferry"), URL("bronze"))
    assert _cron(feeds, env) == ["digest", "ferry"]
    _items(feeds, {"bronze": ("Museum returns looted bronze statues", "2025-05-10T12:00:00Z")})
    _relate(feeds, "bronze", URL("digest"))
    assert _cron(feeds, env) == ["bronze"]
    assert _stories(feeds, env) == []


def test_a_digest_of_two_events_arriving_later_joins_neither(tmp_path: Path) -> None:
    """h81 3-4: a digest naming two events not here yet shipped alone; the events came
    the next morning, each listing the digest back, and joined its story (a list of two
    agreeing with each): neither was ever shipped. A list of two articles here with no
    link between them is a briefing, as one of three is (so a story of three hung on a
    lead, each listing the lead alone, ships once per article, as one of four did)."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _items(feeds, {"digest": ("Today's headlines in brief", "2025-05-10T18:00:00Z")})
    _relate(feeds, "digest", URL("rates"), URL("fire"))
    assert _cron(feeds, env) == ["digest"]
    _items(
        feeds,
        {
            "rates": ("Central bank raises interest rates", "2025-05-11T08:00:00Z"),
            "fire": ("Wildfire forces thousands to evacuate", "2025-05-11T09:00:00Z"),
        },
    )
    _relate(feeds, "rates", URL("digest"))
    _relate(feeds, "fire", URL("digest"))
    assert _cron(feeds, env) == ["fire", "rates"]
    assert _stories(feeds, env) == []


def test_a_columns_headline_is_a_column_whoever_uses_it(tmp_path: Path) -> None:
    """h80 1: another outlet's evening briefing of the same headline as a column's, a
    day after it, joined the column's story by its words, and the event it listed went
    with it: neither was ever shipped. A headline one outlet used on two days is a
    column's: no two articles of it that far apart are one story, whoever published
    them, and its list is a briefing's."""
    env = _env(tmp_path)
    title = "Evening briefing: what you need to know tonight"
    days = {f"x{day}": (title, f"2025-05-{day}T18:00:00Z", URL(f"x{day}")) for day in (9, 10)}
    for listed_back in (False, True):  # (the event listing the briefing back)
        feeds = tmp_path / f"feeds{listed_back}"
        _write_items(feeds, days)
        for name in days:
            _outlet(feeds, name, "Xdaily")  # (one outlet's column)
        assert _cron(feeds, env) == ["x10", "x9"]
        _items(
            feeds,
            {
                "volcano": ("Volcano erupts on remote Pacific island", "2025-05-11T08:00:00Z"),
                "y11": (title, "2025-05-11T18:00:00Z"),
            },
        )
        _relate(feeds, "y11", URL("volcano"))
        if listed_back:
            _relate(feeds, "volcano", URL("y11"))
        assert _cron(feeds, env) == ["volcano", "y11"]
        assert _stories(feeds, env) == []


def test_one_name_swapped_in_a_templated_headline_is_two_events(tmp_path: Path) -> None:
    """h80 6: "Police arrest man after stabbing in Leeds city centre" and "... in Bristol
    ..." were one story (similar 0.98): cron shipped one of each pair and marked the
    other published. One name swapped alone tells two events apart, unless it is short
    (CEO/Chief: a title, an abbreviation) or the title is a third capitals or more."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    titles = [
        "Police arrest man after stabbing in Leeds city centre",
        "Police arrest man after stabbing in Bristol city centre",
        "Flood warning issued for River Severn as heavy rain continues",
        "Flood warning issued for River Trent as heavy rain continues",
        "Shares in Tesco fall after profit warning",
        "Shares in Sainsbury's fall after profit warning",
        "Boeing CEO Calhoun to step down at year end",
        "Boeing Chief Calhoun to step down at year end",
        "Fire destroys warehouse on the edge of Stoke-on-Trent",  # (h81 2)
        "Fire destroys warehouse on the edge of Newcastle",
    ]
    _items(feeds, {f"t{n}": (t, f"2025-05-10T{8 + n:02d}:00:00Z") for n, t in enumerate(titles)})
    assert _stories(feeds, env) == [["t6", "t7"]]
    assert _cron(feeds, env) == [f"t{n}" for n in range(10) if n != 6]


def test_an_events_article_listing_its_coverage_and_briefings_is_the_coverage(
    tmp_path: Path,
) -> None:
    """h78's fuzzer (34 of 60 days): an event's article listing its coverage and the
    evening briefing that lists it back was taken for a briefing (its list named two
    groups or more with no link between them), so no link joined its story: the
    coverage shipped twice. Where another article of the list names it back with
    another thing of the list (the list is an event's coverage), a story it names
    holding a list that is no event's coverage and names more groups besides the two
    is left out first."""
    env = _env(tmp_path)
    events = {
        "v1": ("Volcano erupts on remote Pacific island, villagers evacuated", "08"),
        "v2": ("Thousands flee as Mount Tavi blows its top", "09"),
        "v3": ("Ash cloud grounds flights across the region", "11"),
        "p1": ("Parliament passes sweeping pension reform after marathon debate", "10"),
        "r1": ("Central bank holds interest rates steady", "12"),
        "brief": ("Evening briefing: the day in five minutes", "18"),
    }
    feeds = tmp_path / "feeds"
    _hours(feeds, events)
    _relate(feeds, "v1", URL("v2"), URL("v3"))
    _relate(feeds, "v2", URL("v1"), URL("v3"))
    _relate(feeds, "v3", URL("v1"), URL("v2"), URL("brief"))
    for name in ("p1", "r1"):
        _relate(feeds, name, URL("brief"))
    _relate(feeds, "brief", URL("v3"), URL("p1"), URL("r1"))
    assert _stories(feeds, env) == [["v1", "v2", "v3"]]
    assert _cron(feeds, env) == ["brief", "p1", "r1", "v3"]
    # arriving after its coverage shipped, it does not ship again
    feeds = tmp_path / "later"
    first = {n: events[n] for n in ("v1", "v2", "p1", "r1", "brief")}
    _hours(feeds, first)
    _relate(feeds, "v1", URL("v2"), URL("v3"))
    _relate(feeds, "v2", URL("v1"), URL("v3"))
    _relate(feeds, "brief", URL("v3"), URL("p1"), URL("r1"))
    assert _cron(feeds, env) == ["brief", "p1", "r1", "v2"]
    _items(feeds, {"v3": (events["v3"][0], "2025-05-10T11:00:00Z")})
    _relate(feeds, "v3", URL("v1"), URL("v2"), URL("brief"))
    assert _cron(feeds, env) == []


def test_a_digest_listed_back_by_two_events_joins_neither(tmp_path: Path) -> None:
    """The control of the test above: a digest of two events, each listing it back
    (one alone, the other beside an article of its coverage that does not list it back
    and another briefing), is no event's coverage (no article it names lists it back
    with another thing it names), so it leaves out nothing and stays a briefing: it
    joins neither event."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    items = {
        "digest": ("Weekend digest", "18"),
        "volcano": ("Volcano erupts on remote Pacific island", "08"),
        "flee": ("Thousands flee as Mount Tavi blows its top", "09"),
        "pension": ("Parliament passes sweeping pension reform", "10"),
        "brief": ("Evening briefing: the day in five minutes", "19"),
        "final": ("Champions league final ends in penalty drama", "11"),
        "rates": ("Central bank holds interest rates steady", "12"),
    }
    _hours(feeds, items)
    _relate(feeds, "digest", URL("volcano"), URL("pension"))
    _relate(feeds, "volcano", URL("flee"), URL("digest"), URL("brief"))
    _relate(feeds, "pension", URL("digest"))
    _relate(feeds, "brief", URL("volcano"), URL("final"), URL("rates"))
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == sorted(items)


def test_a_briefing_of_an_events_whole_coverage_is_no_more_its_coverage(
    tmp_path: Path,
) -> None:
    """h85 1: an evening briefing listing one event's whole coverage (which lists it
    back) and one article of another event (listing its own coverage and the briefing)
    joined the first event, since that article's list looked more a briefing's: cron
    shipped the briefing and marked the event, never shipped. h85 3: two briefings
    each listing that coverage and an article listing both of them: all four were one
    story. A story is left out of a list only where its list names more groups besides
    the two (and besides the stories holding a list like theirs) than the list does."""
    env = _env(tmp_path)
    items = {
        "a1": ("Harbour cranes halted after cable snaps at dawn", "10"),
        "a2": ("Dockworkers evacuated as crane line fails", "11"),
        "c2": ("Orchestra cancels tour over visa delays", "08"),
        "c3": ("Symphony players stranded by paperwork backlog", "09"),
        "brief": ("Tonight at a glance: the stories of Saturday", "21"),
        "late": ("Late edition: what happened today", "22"),
    }
    feeds = tmp_path / "one"
    _hours(feeds, {n: item for n, item in items.items() if n != "late"})
    _relate(feeds, "a1", URL("a2"), URL("brief"))
    _relate(feeds, "a2", URL("a1"), URL("brief"))
    _relate(feeds, "c2", URL("c3"))
    _relate(feeds, "c3", URL("c2"), URL("brief"))
    _relate(feeds, "brief", URL("a1"), URL("a2"), URL("c3"))
    # (c2 lists c3 alone: c3's list is taken for a briefing's, and C ships twice)
    assert _stories(feeds, env) == [["a1", "a2"]]
    assert _cron(feeds, env) == ["a2", "brief", "c2", "c3"]
    feeds = tmp_path / "two"
    _hours(feeds, items)
    for name in ("a1", "a2"):
        _relate(feeds, name, URL("a2" if name == "a1" else "a1"), URL("brief"), URL("late"))
    _relate(feeds, "c3", URL("brief"), URL("late"))
    for name in ("brief", "late"):
        _relate(feeds, name, URL("a1"), URL("a2"), URL("c3"))
    assert _stories(feeds, env) == [["a1", "a2"]]
    assert _cron(feeds, env) == ["a2", "brief", "c2", "c3", "late"]
    # the article lists a second briefing, of other events, and its coverage (which
    # does not list it back): besides the first briefing it names two groups, one of
    # them a briefing's story, and the first briefing stays one
    feeds = tmp_path / "three"
    more = {"h": ("Champions league final ends in penalty drama", "12"), **items}
    more["k"] = ("Central bank holds interest rates steady", "13")
    _hours(feeds, more)
    for name in ("a1", "a2"):
        _relate(feeds, name, URL("a2" if name == "a1" else "a1"), URL("brief"))
    _relate(feeds, "c3", URL("c2"), URL("brief"), URL("late"))
    _relate(feeds, "brief", URL("a1"), URL("a2"), URL("c3"))
    _relate(feeds, "late", URL("c3"), URL("h"), URL("k"))
    assert _stories(feeds, env) == [["a1", "a2"]]
    assert _cron(feeds, env) == ["a2", "brief", "c2", "c3", "h", "k", "late"]


def test_lists_naming_articles_never_collected_and_a_briefing_listed_by_a_roundup(
    tmp_path: Path,
) -> None:
    """h86 (method 38): a lead article listing two articles never collected, and two
    outlets' articles listing the lead alone, ship once (method 37 took such a list for
    a briefing's and shipped the event three times; the same lists could be a digest
    of two events not here yet, h85's fuzzer fy76: a limit). h86 3: a briefing listing
    one event's whole coverage and an article whose list names only articles never
    collected (and the briefing) stays a briefing: groups of nothing here do not make a
    list more a briefing's. h86 1: a roundup listing the evening briefing and two of
    its events joins neither event (the briefing both name is no link)."""
    env = _env(tmp_path)
    titles = {
        "a1": ("Flood barrier fails as river crests in Millbrook", "08"),
        "a2": ("Millbrook residents evacuated after levee breach", "09"),
        "a3": ("Army engineers race to shore up Millbrook defences", "10"),
        "b1": ("Chess prodigy wins national title at fourteen", "11"),
        "brief": ("Your Saturday evening briefing", "19"),
        "roundup": ("Weekend reading: what mattered today", "21"),
    }

    def folder(name: str, names: list[str]) -> Path:
        feeds = tmp_path / name
        _hours(feeds, {n: titles[n] for n in names})
        return feeds

    lead = folder("lead", ["a1", "a2", "a3"])
    _relate(lead, "a1", URL("x1"), URL("x2"))
    _relate(lead, "a2", URL("a1"))
    _relate(lead, "a3", URL("a1"))
    assert _stories(lead, env) == [["a1", "a2", "a3"]]
    assert _cron(lead, env) == ["a3"]
    for listed_back in (False, True):
        feeds = folder(f"brief{listed_back}", ["a1", "a2", "b1", "brief"])
        _relate(feeds, "a1", URL("a2"), URL("brief"))
        _relate(feeds, "a2", URL("a1"), URL("brief"))
        _relate(feeds, "b1", URL("x1"), URL("x2"), *([URL("brief")] if listed_back else []))
        _relate(feeds, "brief", URL("a1"), URL("a2"), URL("b1"))
        assert _stories(feeds, env) == [["a1", "a2"]]
        assert _cron(feeds, env) == ["a2", "b1", "brief"]
    feeds = folder("roundup", ["a1", "b1", "brief", "roundup"])
    _relate(feeds, "brief", URL("a1"), URL("b1"))
    _relate(feeds, "roundup", URL("brief"), URL("a1"), URL("b1"))
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == ["a1", "b1", "brief", "roundup"]


def test_events_whose_articles_each_list_the_roundup_stay_whole(tmp_path: Path) -> None:
    """Stories whose first articles each list their coverage and a roundup that lists
    them back: each first article is a candidate (two groups), so leaving out every
    story holding one made the roundup look like no briefing, and each story fell
    apart (20,000 articles in stories of five with 2,000 roundups: 63 whole of 4,000).
    Only stories holding a candidate that is no event's coverage are left out of the
    count."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    topics = {
        "a": ("Flood barrier fails in Millbrook", "Millbrook levee breach", "Millbrook dam"),
        "b": ("Chess prodigy wins title", "Teen grandmaster crowned", "Young champion"),
        "c": ("Central bank holds rates", "Interest rates unchanged", "Monetary pause"),
    }
    items = {"roundup": ("Weekend reading: what mattered", "2025-05-10T21:00:00Z")}
    for event, titles in topics.items():
        for n, title in enumerate(titles, 1):
            items[f"{event}{n}"] = (title, f"2025-05-10T{8 + n:02d}:00:00Z")
    _items(feeds, items)
    for event in topics:
        _relate(feeds, f"{event}1", URL(f"{event}2"), URL(f"{event}3"), URL("roundup"))
        _relate(feeds, f"{event}2", URL(f"{event}1"), URL(f"{event}3"))
        _relate(feeds, f"{event}3", URL(f"{event}1"), URL(f"{event}2"))
    _relate(feeds, "roundup", URL("a1"), URL("b1"), URL("c1"))
    assert _stories(feeds, env) == [["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]]
    assert _cron(feeds, env) == ["a3", "b3", "c3", "roundup"]


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_a_briefing_listing_another_briefing_links_none_of_its_events(tmp_path: Path) -> None:
    """h86's fuzzer (seeds 35-50): a late briefing listing the evening briefing and the
    events that one lists took an event as one story's coverage (the first briefing's
    list linked the events: one group), so cron shipped the late briefing with the
    event's articles as its duplicates, or, the event shipped before, never shipped the
    briefing. A story holding a briefing's list links nothing through it."""
    env = _env(tmp_path)
    day = {
        "a1": ("Ferry capsizes off the northern cape, dozens rescued", "08"),
        "a2": ("Coast guard pulls survivors from overturned boat", "09"),
        "a3": ("Rescue divers search hull of sunken passenger ferry", "11"),
        "b1": ("Chess prodigy, 12, beats reigning world champion", "10"),
        "br1": ("Evening briefing: what happened today", "18"),
        "br2": ("Late edition: the day's stories in brief", "21"),
    }
    for late in (False, True):  # (late: the events shipped before the late briefing came)
        feeds = tmp_path / f"feeds{late}"
        shipped: list[str] = []
        for batch in (["a1", "a2", "a3", "b1", "br1"], ["br2"]) if late else (list(day),):
            _hours(feeds, {n: day[n] for n in batch})
            _relate(feeds, "a1", URL("a2"), URL("a3"), URL("br2"))  # (a lead, listed back)
            for n in ("a2", "a3"):
                _relate(feeds, n, URL("a1"), URL("br2"))
            _relate(feeds, "br1", URL("a1"), URL("b1"))
            if "br2" in batch:
                _relate(feeds, "br2", *[URL(n) for n in ("b1", "a1", "a2", "br1", "a3")])
            shipped += _cron(feeds, env)
        assert _stories(feeds, env) == [["a1", "a2", "a3"]]
        # (the event's newest; the late briefing not yet here, its lead-hung coverage,
        # each naming that one URL not collected, joins nothing and ships three times: a
        # URL not here bridges nothing, h88 F3)
        assert sorted(shipped) == [*(["a1", "a2"] if late else []), "a3", "b1", "br1", "br2"]
    # an article listing two briefings, the later of which lists the earlier and the
    # article back, joins neither (the later, coming after the article shipped, was
    # never shipped)
    feeds = tmp_path / "two"
    _hours(feeds, {n: day[n] for n in ("a1", "b1")})
    _relate(feeds, "b1", URL("br1"), URL("br2"))
    assert _cron(feeds, env) == ["a1", "b1"]
    _hours(feeds, {n: day[n] for n in ("br1", "br2")})
    _relate(feeds, "br1", URL("a1"), URL("b1"))
    _relate(feeds, "br2", URL("a1"), URL("b1"), URL("br1"))
    assert _cron(feeds, env) == ["br1", "br2"]
    assert _stories(feeds, env) == []
    day["c1"] = ("Senate passes farm bill after late-night vote", "11")
    day["rd"] = ("Weekend reading: what mattered this week", "20")
    # a briefing linked to nothing else of a list is a group of its own: a roundup
    # listing an event's article (which lists it back) and a briefing of two other
    # events is a list of two groups, and joins neither, arriving with them or after
    for late in (False, True):
        feeds = tmp_path / f"roundup{late}"
        shipped = []
        lists = {"a1": ["rd"], "br1": ["b1", "c1"], "rd": ["a1", "br1"]}
        for batch in (
            (["a1", "b1", "c1", "br1"], ["rd"]) if late else (["a1", "b1", "c1", "br1", "rd"],)
        ):
            _hours(feeds, {n: day[n] for n in batch})
            for name in lists.keys() & set(batch):
                _relate(feeds, name, *map(URL, lists[name]))
            shipped += _cron(feeds, env)
        assert _stories(feeds, env) == []
        assert sorted(shipped) == ["a1", "b1", "br1", "c1", "rd"]


def test_an_events_article_listing_two_briefings_links_its_coverage(tmp_path: Path) -> None:
    """An event's article listing its coverage and two briefings (its coverage listing
    it, one another and the first briefing) is the event's coverage, not a briefing:
    it still links the articles it lists where another list's groups are counted, and
    the event ships once (counted as a briefing, it was left out of its story)."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _hours(feeds, {
        "b1": ("Chess prodigy, 12, beats reigning world champion", "07"),
        "c1": ("Senate passes farm bill after late-night vote", "07"),
        "d1": ("Wildfire forces thousands to evacuate hillside towns", "14"),
        "d2": ("Firefighters battle blaze as winds pick up", "13"),
        "d3": ("Smoke chokes the valley while the fire spreads east", "11"),
        "br1": ("Evening briefing: what happened today", "17"),
        "br2": ("Late edition: the day's stories in brief", "18"),
    })  # fmt: skip
    lists = {
        "d1": ["d2", "d3", "br1", "br2"],
        "d2": ["d1", "d3", "br1"],
        "d3": ["d1", "d2", "br1"],
        "br1": ["b1", "d1", "d2", "d3"],
        "br2": ["c1", "br1", "d1"],
    }
    for name, named in lists.items():
        _relate(feeds, name, *map(URL, named))
    assert _stories(feeds, env) == [["d1", "d2", "d3"]]
    assert _cron(feeds, env) == ["b1", "br1", "br2", "c1", "d1"]
