"""Story grouping by text similarity, URL keys from real data, order independence and
the quality floor on the labelled development headlines (tests/fixtures/stories)."""

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from newscli.article.model import article_from_mapping
from newscli.select.headline_rules import apart, title_pattern
from newscli.select.stories import StoryRules, group_stories, normalise_url
from newscli.select.story_urls import by_urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import stories_eval

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "uci-news-dev.csv"

# Unrelated headlines, so that word weights mean something (as in any real folder).
BACKGROUND = [
    "Oil prices slip as Chinese exports disappoint",
    "Lindsay Lohan docuseries premieres on Oprah's network",
    "Snowden to speak at SXSW via video link",
    "Herbalife shares jump on Pershing Square news",
    "Gas prices climb for fourth straight week",
    "McDonald's February sales fall on bad weather",
    "Bitcoin exchange Mt. Gox files for bankruptcy protection",
    "Samsung unveils Galaxy S5 with fingerprint scanner",
    "Cosmos reboot draws millions of viewers",
    "Toyota recalls cars over faulty airbags",
]


def art(n: int, title: str, hour: float = 0.0, outlet: str = "Outlet", **extra):
    when = f"2014-03-10T{int(hour):02d}:{int(hour % 1 * 60):02d}:00Z"
    data = {"title": title, "publishedDateTime": when, "provider": {"name": outlet}, **extra}
    return article_from_mapping(f"{n:03d}.md", data)


def background():
    return [art(100 + n, title, n % 20, f"Paper {n}") for n, title in enumerate(BACKGROUND)]


def story_of(stories, path):
    return next(s for s in stories if path in {a.path for a in s.articles})


def test_wire_copies_join_and_say_why() -> None:
    copies = [
        art(1, "UPDATE 1-Fed's Plosser sees high bar for change in taper pace", 1, "Reuters"),
        art(2, "Fed's Plosser sees high bar for change in taper pace | Reuters UK", 2, "Yahoo"),
        art(3, "Plosser sees high bar for changing pace of Fed taper - Livemint", 3, "Livemint"),
    ]
    stories = group_stories([*copies, *background()])
    story = story_of(stories, "001.md")
    assert {a.path for a in story.articles} == {"001.md", "002.md", "003.md"}
    reasons = {link.reason().split()[0] for link in story.links}
    assert reasons == {"similar"}
    assert all(0.3 <= (link.score or 0) <= 1 for link in story.links)
    assert len(story.joined()) == 2  # each article but the kept one joined through a link


def test_same_topic_different_events_stay_apart() -> None:
    pairs = [
        art(1, "Apple releases iOS 7.1 with CarPlay and Siri voices", 1),
        art(2, "Apple shares fall after iPhone sales miss forecasts", 2),
        art(3, "Malaysia Airlines flight MH370 missing over South China Sea", 3),
        art(4, "Malaysia Airlines reports fourth quarterly loss on fuel costs", 4),
    ]
    stories = group_stories([*pairs, *background()])
    assert all(len(s.articles) == 1 for s in stories)


def test_singletons_stay_single_and_window_limits() -> None:
    one = art(1, "Volcano erupts near Reykjavik, flights grounded", 1)
    two = article_from_mapping(
        "002.md",
        {"title": "Volcano erupts near Reykjavik; flights grounded", "publishedDateTime":
         "2014-03-14T01:00:00Z"},
    )  # fmt: skip
    stories = group_stories([one, two, *background()])
    assert all(len(s.articles) == 1 for s in stories)  # four days apart: two stories
    wide = group_stories([one, two, *background()], StoryRules(window=5 * 86400.0))
    assert len(story_of(wide, "001.md").articles) == 2
    only_url = group_stories([one, two, *background()], StoryRules(frozenset({"url"}), 9e9))
    assert all(len(s.articles) == 1 for s in only_url)


def test_two_copies_alone_still_join() -> None:
    """Word weights come from the articles grouped: a folder of just two copies of one
    headline still joins them."""
    a = art(1, "Volcano erupts near Reykjavik, flights grounded", 1)
    b = art(2, "Volcano erupts near Reykjavik: flights grounded", 2)
    assert len(group_stories([a, b])) == 1


def test_prefer_provider_comes_first() -> None:
    url = {"webUrl": "https://s.example/1"}
    good = art(1, "x", 1, "Big Paper", quality=90, **url)
    wire = art(2, "x", 2, "Wire", quality=10, **url)
    assert group_stories([good, wire])[0].kept.path == "001.md"
    assert group_stories([good, wire], StoryRules(prefer=("wire",)))[0].kept.path == "002.md"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("http://main.omanobserver.om/?p=63376", "http://main.omanobserver.om/?p=63092"),
        (
            "http://english.capital.gr/News.asp?id=1972486",
            "http://english.capital.gr/News.asp?id=1972455",
        ),
        (
            "http://money.msn.com/business-news/article.aspx?feed=OBR&amp;date=20140310&amp;id=17418699",
            "http://money.msn.com/business-news/article.aspx?feed=OBR&amp;date=20140310&amp;id=17419449",
        ),
        (
            "http://www.skynews.com.au/tech/article.aspx?id=956793",
            "http://www.skynews.com.au/tech/article.aspx?id=956794",
        ),
    ],
)
def test_identifying_parameters_are_kept(one: str, other: str) -> None:
    assert normalise_url(one) != normalise_url(other)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "http://www.rttnews.com/2283409/global-growth.aspx?utm_source=google&amp;utm_campaign=sitemap",
            "rttnews.com/2283409/global-growth.aspx",
        ),
        (
            "http://money.msn.com/a/article.aspx?feed=OBR&amp;id=17418699",
            "money.msn.com/a/article.aspx?feed=OBR&id=17418699",
        ),
        (
            "http://www.marketwatch.com/story/x-2014-03-10?reflink=MW_news_stmp",
            "marketwatch.com/story/x-2014-03-10",
        ),
        (
            "http://www.latimes.com/business/la-fi-20140310,0,1312750.story?track=rss",
            "latimes.com/business/la-fi-20140310,0,1312750.story",
        ),
        (
            "http://blogs.wsj.com/moneybeat/2014/03/10/six/?mod=WSJ_LatestHeadlines",
            "blogs.wsj.com/moneybeat/2014/03/10/six",
        ),
        (
            "http://www.informationweek.com/d/d-id/1114197?_mc=RSS_IWK_EDT",
            "informationweek.com/d/d-id/1114197",
        ),
    ],
)
def test_tracking_parameters_from_the_dev_data_are_dropped(url: str, key: str) -> None:
    assert normalise_url(url) == key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.bbc.co.uk/news/amp/world-123", "bbc.co.uk/news/world-123"),
        ("https://paper.example/amphtml/2025/x", "paper.example/2025/x"),
        ("https://www.nytimes.com/2025/03/14/x.amp.html", "nytimes.com/2025/03/14/x.html"),
        ("https://news.example/a?guccounter=1&guce_referrer=aHR0", "news.example/a"),
        ("https://news.example/a?traffic_source=rss&id=7", "news.example/a?id=7"),
        ("https://news.example/a?mtm_campaign=x&oly_enc_id=y&_gl=1", "news.example/a"),
        # "amp" in a name is no AMP folder
        ("https://camp.example/campaign/amp-up/ramp", "camp.example/campaign/amp-up/ramp"),
        # h68 2: real shapes that kept copies apart
        ("https://w.blogspot.com/2023/11/storm.html?m=1", "w.blogspot.com/2023/11/storm.html"),
        ("https://w.example/archive?m=202311", "w.example/archive?m=202311"),  # (a month)
        ("https://www.nytimes.com/2023/x.html?partner=rss&emc=rss", "nytimes.com/2023/x.html"),
        (
            "https://www.nytimes.com/2023/x.html?unlocked_article_code=AbC&smid=url-share",
            "nytimes.com/2023/x.html",
        ),
        (
            "https://www.google.com/amp/s/amp.theguardian.com/uk/2023/nov/02/storm",
            "theguardian.com/uk/2023/nov/02/storm",
        ),
        (
            "https://www-x-com.cdn.ampproject.org/v/s/www.x.com/a?amp_js_v=0.1&usqp=mq331AQ",
            "x.com/a",
        ),
        (
            "https://edition.cnn.com/2023/11/02/world/storm/index.html",
            "edition.cnn.com/2023/11/02/world/storm",
        ),
        (
            "https://timesofindia.indiatimes.com/x/amp_articleshow/104900000.cms",
            "timesofindia.indiatimes.com/x/articleshow/104900000.cms",
        ),
        ("https://news.yahoo.com/x.html?.tsrc=rss", "news.yahoo.com/x.html"),
        ("https://www.latimes.com/x?_amp=true", "latimes.com/x"),
        ("https://x.example/2023/%73lug%2Fb", "x.example/2023/slug%2Fb"),
        ("https://x.example/a//slug", "x.example/a/slug"),
        ("https://x.example/a;jsessionid=0AB1?id=1", "x.example/a?id=1"),
        # h69 6: escapes in either case, and the character itself, are one address
        ("https://x.example/caf%c3%a9-news", "x.example/caf%C3%A9-news"),
        ("https://x.example/caf\u00e9-news", "x.example/caf%C3%A9-news"),
    ],
)
def test_amp_forms_and_tracking_parameters_are_one_address(url: str, key: str) -> None:
    """h67 4-5: AMP folders, .amp.html pages and Yahoo's, feeds' and ad clicks'
    parameters kept copies of one article apart."""
    assert normalise_url(url) == key
    assert by_urlsplit(url) == key  # (the same without the shortcut)


def _partition(stories) -> set[frozenset[str]]:
    return {frozenset(a.path for a in s.articles) for s in stories}


def test_independent_of_order() -> None:
    rows = stories_eval.read_rows(DEV)[:600]
    articles = stories_eval.articles_for(rows, 7)
    expected = _partition(group_stories(articles))
    assert any(len(group) > 1 for group in expected)
    for seed in range(3):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert _partition(group_stories(shuffled)) == expected


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_quality_floor_on_the_development_headlines() -> None:
    """Times at random over the span (one seed here; bench/stories_eval.py averages
    several). Floors a little under the measured figures (README)."""
    rows = stories_eval.read_rows(DEV)
    merged = stories_eval.evaluate(rows, [1])["STORY_MERGED"]
    assert merged["precision"] >= 0.95
    assert merged["recall"] >= 0.52
    assert merged["b3_f1"] >= 0.67


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_quality_holds_for_each_half_of_the_stories_alone() -> None:
    """Stories the method never saw, in small: each half of the development stories
    grouped alone (3 random splits; bench/stories_eval.py --halves). Under method 9,
    whose word weights fell with a story's size, recall fell to 0.41 here."""
    rows = stories_eval.read_rows(DEV)
    found = stories_eval.halves(rows, 3)
    assert found["precision"] >= 0.95
    assert found["recall"] >= 0.46


def test_clean_title_cuts_wire_prefixes_and_outlet_suffixes() -> None:
    from newscli.select.similarity import clean_title, words

    assert clean_title("UPDATE 1-Fed's Plosser sees high bar") == "Fed's Plosser sees high bar"
    assert clean_title("RPT-CORRECTED-Oil falls") == "Oil falls"
    assert clean_title("Plosser sees high bar | Reuters UK") == "Plosser sees high bar"
    assert clean_title("Taper pace - Livemint", ["Livemint"]) == "Taper pace"
    assert (
        clean_title("Apple vs Samsung - the rematch", ["Wired"]) == "Apple vs Samsung - the rematch"
    )
    assert clean_title("NASA launches probe") == "NASA launches probe"  # no dash: kept
    assert words("The Fed's tapering of bonds", ["Reuters"]) == {"fed", "taperi", "bond"}


def test_a_headline_reprinted_by_many_outlets_is_one_story() -> None:
    """A headline reprinted by more outlets than a word may name (MIN_BLOCK_DF, 64 at
    this size: a word that common proposes no candidates) has no rare word to be found
    by: its words as a whole are its key. h22: 65 copies of one headline within the hour
    were 65 stories (50 were one)."""
    title = "Central bank raises interest rates to fight inflation"
    copies = [art(n, title, n / 60, f"Outlet {n}") for n in range(80)]
    stories = group_stories([*copies, *background()])
    assert len(story_of(stories, "000.md").articles) == 80
    assert all(len(s.articles) == 1 for s in stories if s is not story_of(stories, "000.md"))
    shuffled = [*copies, *background()]
    random.Random(3).shuffle(shuffled)
    assert _partition(group_stories(shuffled)) == _partition(stories)


def test_copies_of_a_common_headline_keep_the_window_and_the_word_floor() -> None:
    """The whole-title key finds copies within the window only, and copies of a title of
    fewer than MIN_SHARED content words still need that many to join."""
    daily = [
        article_from_mapping(
            f"{n:03d}.md",
            {
                "title": "Central bank raises interest rates to fight inflation",
                "publishedDateTime": f"2014-{1 + n // 28:02d}-{1 + n % 28:02d}T09:00:00Z",
            },
        )
        for n in range(0, 240, 3)  # every third day: never two within 48 hours
    ]
    assert all(len(s.articles) == 1 for s in group_stories(daily))
    short = [art(n, "Stocks rally", n / 60, f"Outlet {n}") for n in range(80)]
    assert all(len(s.articles) == 1 for s in group_stories(short))


def _column(n: int, day: int, hour: float, host: str = "harborledger.example", **extra):
    """An article of a recurring headline: one outlet's, a URL of its own each day."""
    when = f"2014-03-{day:02d}T{int(hour):02d}:{int(hour % 1 * 60):02d}:00Z"
    data = {
        "title": "Morning briefing: what you need to know today",
        "publishedDateTime": when,
        "webUrl": f"https://www.{host}/briefing/{day}-{n}/",
        "provider": {"name": host.split(".")[0]},
        **extra,
    }
    return article_from_mapping(f"{n:03d}.md", data)


def test_a_recurring_headline_of_one_outlet_is_a_story_each_day() -> None:
    """One outlet's "Morning briefing" on three days (within the window of each other):
    three stories, not one (--dedupe would keep one day alone). The same headline of one
    outlet hours apart (crawled again under another URL) stays one story; so do two
    outlets' copies a day apart."""
    days = [_column(1, 10, 7), _column(2, 11, 7), _column(3, 12, 6.5)]
    stories = group_stories([*days, *background()])
    assert all(len(s.articles) == 1 for s in stories)
    again = [_column(1, 10, 7), _column(2, 10, 14)]  # 7 hours apart
    assert len(story_of(group_stories([*again, *background()]), "001.md").articles) == 2
    outlets = [_column(1, 10, 7), _column(2, 11, 7, "northgatewire.example")]
    assert len(story_of(group_stories([*outlets, *background()]), "001.md").articles) == 2


def test_a_recurring_headline_stays_apart_through_another_outlets_copy() -> None:
    """Day 1 and day 2 of one outlet, and another outlet's copy between them, which may
    join either: the two days never end in one story, in any order of the files (the
    merge of stories holding them is refused too)."""
    articles = [
        _column(1, 10, 7),
        _column(2, 10, 19, "northgatewire.example"),
        _column(3, 11, 7),
        *background(),
    ]
    for seed in range(6):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        stories = group_stories(shuffled)
        assert story_of(stories, "001.md") is not story_of(stories, "003.md")
        assert len(story_of(stories, "002.md").articles) == 2  # it joined one of them


def test_a_recurring_headline_also_reprinted_widely_stays_apart() -> None:
    """The headline is in more articles than a word may name (found by its title as a
    whole, its first day's story opened without weighing it): the outlet's two days
    still stay apart; the 65 other outlets' copies, days later, are one story."""
    days = [_column(1, 10, 7), _column(2, 11, 7)]
    wide = [_column(10 + n, 16, n / 10, f"outlet{n}.example") for n in range(65)]
    stories = group_stories([*days, *wide, *background()])
    assert story_of(stories, "001.md") is not story_of(stories, "002.md")
    assert len(story_of(stories, "010.md").articles) == 65


TOLD_APART = [  # one headline pattern, two events (h25's, and the like)
    ("Arsenal beat Chelsea 2-1 in Premier League", "Liverpool beat Everton 3-0 in Premier League"),
    ("Bank of England holds interest rates at 5.25%", "Bank of Japan holds interest rates at 0.1%"),
    ("Magnitude 6.1 earthquake strikes off coast of Japan",
     "Magnitude 5.8 earthquake strikes off coast of Chile"),
    ("Arsenal beat Chelsea 1-0 in Premier League", "Liverpool beat Everton 1-0 in Premier League"),
    ("Israel and Hamas agree to ceasefire in Gaza",
     "Russia and Ukraine agree to ceasefire in Donbas"),
    # h80 6: one name swapped alone, in a title that names little else
    ("Police arrest man after stabbing in Leeds city centre",
     "Police arrest man after stabbing in Bristol city centre"),
    ("Flood warning issued for River Severn as heavy rain continues",
     "Flood warning issued for River Trent as heavy rain continues"),
    ("Manchester United sign Brazilian midfielder on five-year deal",
     "Manchester City sign Brazilian midfielder on five-year deal"),
    # h81 2: a hyphenated name is one word of the pattern
    ("Police arrest man after stabbing in Stoke-on-Trent city centre",
     "Police arrest man after stabbing in Newcastle city centre"),
    ("Lyon s'impose 2-1 face à Saint-Étienne en Ligue 1",
     "Lyon s'impose 3-0 face à Nantes en Ligue 1"),
    # h82 1: names of hyphenated words by the words they do not share
    ("Police arrest man after stabbing in Saint-Denis city centre",
     "Police arrest man after stabbing in Saint-Étienne city centre"),
    ("Protesters hold anti-Trump rally outside parliament in Ottawa",
     "Protesters hold anti-Biden rally outside parliament in Ottawa"),
]  # fmt: skip
# (Not told apart, a known limit: "Tesla shares jump after deliveries beat estimates" and
# "Ford shares jump ...": the first word alone differs, and first words are rewritten
# too often, "Researchers"/"Scientists", "Police"/"Officers", to tell events by.)
ONE_EVENT = [  # told the same: abbreviated or derived names, numbers updated, words added
    ("Wall St opens lower after S&P's record close",
     "Wall Street opens lower after S&P's record close"),
    ("Disappointing China exports halt stocks", "Disappointing Chinese exports halt stocks"),
    ("Earthquake kills 12 in Dhaka region", "Earthquake kills 15 in Dhaka region"),
    ("Sbarro again files for Ch. 11 reorganization",
     "Sbarro again files for Chapter 11 reorganization"),
    ("US: Stocks open lower on weak Asian data, Ukraine",
     "US stocks open lower on weak Asian data"),
    # h26: names in another order, accents dropped, the first word rewritten, a name
    # written another way or with another title, German nouns, words shifted
    ("Israel, Hamas agree to ceasefire deal in Gaza",
     "Hamas, Israel agree to ceasefire deal in Gaza"),
    ("Flooding closes roads across Zürich region", "Flooding closes roads across Zurich region"),
    ("Researchers find water on distant exoplanet", "Scientists find water on distant exoplanet"),
    ("3 dead as storm hits coast of Texas", "Three dead as storm hits coast of Texas"),
    ("President Biden signs climate bill into law", "Joe Biden signs climate bill into law"),
    ("Drone attack hits Kyiv power station overnight",
     "Drone attack hits Kiev power station overnight"),
    ("Russian missile strike on Kyiv kills 12 people",  # h27: a toll updated as well
     "Russian missile strike on Kiev kills 15 people"),
    ("Boeing CEO Calhoun to step down at year end",
     "Boeing Chief Calhoun to step down at year end"),
    ("Regierung beschließt Gesetz zur Rente", "Regierung beschließt Reform zur Rente"),
    ("Treasury Secretary Yellen warns of recession risk",
     "US Treasury Secretary warns of recession risk"),
    # h82 1: a hyphenated name and its last word
    ("Fire near Saint-Denis leaves families homeless", "Fire near Denis leaves families homeless"),
    # h80 6: one short name swapped (a title, an abbreviation)
    ("Prime Minister visits flooded towns in UK", "Prime Minister visits flooded towns in Britain"),
    # Title Case: capitals tell no names
    ("Tesla Shares Jump After Quarterly Deliveries Beat Estimates",
     "Ford Shares Jump After Quarterly Deliveries Beat Estimates"),
]  # fmt: skip


@pytest.mark.parametrize(("one", "other"), TOLD_APART)
def test_one_pattern_of_two_events_is_told_apart(one: str, other: str) -> None:
    assert apart(title_pattern(one), title_pattern(other))
    assert apart(title_pattern(other), title_pattern(one))
    stories = group_stories([art(1, one, 1, "A"), art(2, other, 2, "B"), *background()])
    assert story_of(stories, "001.md") is not story_of(stories, "002.md")


@pytest.mark.parametrize(("one", "other"), ONE_EVENT)
def test_names_told_alike_are_not_told_apart(one: str, other: str) -> None:
    assert not apart(title_pattern(one), title_pattern(other))
    stories = group_stories([art(1, one, 1, "A"), art(2, other, 2, "B"), *background()])
    assert story_of(stories, "001.md") is story_of(stories, "002.md")


def test_five_results_of_one_afternoon_are_five_stories_in_any_order() -> None:
    """No two results join, whichever came first: each is told apart from every title a
    story holds (its first's, and those that joined it), also in the merge."""
    results = [
        "Arsenal beat Chelsea 2-1 in Premier League",
        "Liverpool beat Everton 3-0 in Premier League",
        "Tottenham beat Fulham 1-0 in Premier League",
        "Newcastle beat Brighton 4-2 in Premier League",
        "Brentford beat Wolves 2-0 in Premier League",
    ]
    copies = [  # and a copy of the first, by another outlet: it joins its own match
        art(9, "UPDATE 1-Arsenal beat Chelsea 2-1 in Premier League", 3.5, "Wire"),
        art(8, "Arsenal win at Chelsea: Premier League report", 2.9, "Paper"),
    ]
    articles = [art(n, t, 3 + n / 10, f"S{n}") for n, t in enumerate(results, 1)]
    for seed in range(6):
        shuffled = [*articles, *copies, *background()]
        random.Random(seed).shuffle(shuffled)
        stories = group_stories(shuffled)
        matches = {id(story_of(stories, f"{n:03d}.md")) for n in range(1, 6)}
        assert len(matches) == 5, seed
        assert story_of(stories, "009.md") is story_of(stories, "001.md")


def test_a_title_of_a_whole_book_has_no_pattern() -> None:
    assert title_pattern("Arsenal beat " + "chelsea " * 60) == ""
    assert title_pattern("Arsenal beat chelsea") == "arsenal beat chelsea"
    assert title_pattern("Arsenal beat Chelsea 2-1") == "arsenal beat ^chelsea #2.1"
    assert title_pattern("Zürich beat Genève") == "zurich beat ^geneve"
    assert title_pattern("Fire in Stoke-on-Trent, five-year low") == (
        "fire in ^stoke-on-trent five-year low"
    )
    assert title_pattern("Rally for anti-Trump group, Covid-19 rules") == (
        "rally for ^anti-trump group ^covid #19 rules"
    )


def test_one_outlets_days_are_one_group() -> None:
    """Outlet groups, not pairs (h27: an outlet's 10,000 copies of one headline in two
    days made millions of pairs, 2.4 GB): one group of the outlet's articles when two
    are at least the gap apart, however far (h71 1); none when all lie within it; an
    article of another outlet in none."""
    from newscli.select.headline_rules import recurring as _recurring
    from newscli.select.similarity import Unit

    title = ("briefing", "morning")
    units = [Unit(f"{n}.md", n * 86400.0, title, (), ("harbor.example",)) for n in range(40)]
    units.append(Unit("x.md", 3 * 86400.0, title, (), ("other.example",)))
    groups = _recurring(units)[0]

    def ids(found: tuple[dict[int, Any], list[str]]) -> set[int]:
        return {group for held in found[0].values() for group in held}

    assert set(groups) == set(range(40)) and len(ids(_recurring(units))) == 1
    # (an outlet whose articles all lie within the gap has none)
    near = [*units[:1], Unit("y.md", 3600.0, title, (), ("harbor.example",))]
    assert _recurring(near) == ({}, [])
    many = [Unit(f"{n}.md", n * 17.28, title, (), ("live.example",)) for n in range(10_000)]
    assert len(ids(_recurring(many))) == 1  # (48 h: linear)


def test_one_outlet_is_its_provider_not_a_shared_host() -> None:
    """h26: a link aggregator's host (news.google.com) is no outlet of providers with
    domains: two providers' copies a day apart on it are one story; one provider's
    column under its front page, or with no URL at all, is a story each day; two
    providers' names on one domain are one outlet (h71 5-6)."""

    def one(n: int, day: int, url: str | None, provider: str) -> Any:
        data: dict[str, Any] = {
            "title": "Regulators approve merger of two largest regional airlines",
            "publishedDateTime": f"2014-03-{day:02d}T06:00:00Z",
            "provider": {"name": provider, "domain": f"{provider.lower()}.example"},
        }
        if url:
            data["webUrl"] = url
        return article_from_mapping(f"{n:03d}.md", data)

    aggregated = [
        one(1, 10, "https://news.aggreg.example/m/reuters-111", "Reuters"),
        one(2, 11, "https://news.aggreg.example/m/ap-222", "AP"),
    ]
    syndicated = [  # h27: two providers on one syndication domain are two outlets
        article_from_mapping(f"00{n}.md", {
            "title": "Mt. Gox files for US bankruptcy", "webUrl": f"https://yahoo.example/{n}",
            "publishedDateTime": f"2014-03-{10 + n}T06:00:00Z",
            "provider": {"name": name, "domain": "yahoo.example"}})
        for n, name in ((1, "AP"), (2, "Reuters"))
    ]  # fmt: skip
    stories = group_stories([*syndicated, *background()])
    # (h71 5-6: two providers on one domain may be one outlet's two names, AP and
    # Associated Press on apnews.com: one outlet here, its days two stories)
    assert story_of(stories, "001.md") is not story_of(stories, "002.md")
    stories = group_stories([*aggregated, *background()])
    assert story_of(stories, "001.md") is story_of(stories, "002.md")
    for url in ("https://paper.example/", None):
        days = [one(1, 10, url, "Paper"), one(2, 11, url, "Paper")]
        stories = group_stories([*days, *background()])
        assert story_of(stories, "001.md") is not story_of(stories, "002.md"), url


@pytest.mark.parametrize(
    "title",
    [
        "中国央行宣布下调存款准备金率",
        "東京で震度5強の地震、交通に乱れ",
        "ソフトバンク、新型ロボットを発表",
    ],
)
def test_copies_of_a_headline_in_han_or_kana_are_one_story(title: str) -> None:
    """h54: a headline written without spaces was one word, so three outlets' copies
    never shared the three words a story needs: its characters count in pairs now."""
    copies = [art(n, title, n, f"Site {n}") for n in range(1, 4)]
    others = [
        art(4, "中国男篮击败日本队", 2, "Site 4"),  # a word in common, another event
        art(5, "大阪で花火大会が開催された", 2, "Site 5"),
    ]
    stories = group_stories([*copies, *others, *background()])
    assert {a.path for a in story_of(stories, "001.md").articles} == {"001.md", "002.md", "003.md"}
    assert len(story_of(stories, "004.md").articles) == 1
    assert len(story_of(stories, "005.md").articles) == 1


def test_words_of_han_and_kana_are_pairs_of_characters() -> None:
    from newscli.select.similarity import words

    assert words("央行宣布") == {"央行", "行宣", "宣布"}
    assert words("iPhone新品 発表") == {"iphone", "新品", "発表"}  # a lone one: dropped
    assert words("Fed raises rates") == {"fed", "raise", "rate"}  # (as before)


@pytest.mark.parametrize(
    ("one", "other"),
    [  # h57: one shared name or ending made three shared pairs; each pair joined
        ("习近平会见法国总统马克龙", "习近平会见德国总理朔尔茨"),
        ("北京市发布大风蓝色预警", "上海市发布高温橙色预警"),
        ("トヨタ自動車が新型車を発表しました", "ソニーグループが新製品を発表しました"),
        ("北朝鮮が弾道ミサイルを発射したと発表", "韓国軍が射撃訓練を実施したと発表"),
    ],
)
def test_han_or_kana_headlines_of_one_pattern_stay_apart(one: str, other: str) -> None:
    stories = group_stories([art(1, one, 1, "Site 1"), art(2, other, 2, "Site 2"), *background()])
    assert len(story_of(stories, "001.md").articles) == 1


def test_a_han_headline_told_again_in_fewer_words_joins() -> None:
    """Half of the shorter title's pairs shared is enough: the same event, retold."""
    copies = [
        art(1, "中国央行宣布下调存款准备金率", 1, "A"),
        art(2, "央行下调存款准备金率", 2, "B"),
    ]
    stories = group_stories([*copies, *background()])
    assert {a.path for a in story_of(stories, "001.md").articles} == {"001.md", "002.md"}
