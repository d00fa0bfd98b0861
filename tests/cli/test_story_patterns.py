"""One headline pattern told of different events is different stories, through the
installed command (h25: three match results of one afternoon were one story;
`export --unpublished --dedupe --mark-published` shipped one result and marked all
three published). Cross-checked with `clusters`' JSON: no story joins two results."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

MATCH = """---
title: "{title}"
publishedDateTime: 2025-03-01T1{n}:00:00Z
webUrl: "https://s{n}.example/m{n}"
quality: 5{n}
published: false
provider: {{name: "S{n}"}}
---
"""
RESULTS = [
    "Arsenal beat Chelsea 2-1 in Premier League",
    "Liverpool beat Everton 3-0 in Premier League",
    "Tottenham beat Fulham 1-0 in Premier League",
]


def test_each_result_is_shipped_and_marked_alone(tmp_path: Path) -> None:
    feeds = tmp_path / "pl"
    feeds.mkdir()
    for n, title in enumerate(RESULTS, 1):
        (feeds / f"m{n}.md").write_text(MATCH.format(title=title, n=n), encoding="utf-8")
    # a wire copy of the first result: it is the same story as the first
    (feeds / "m9.md").write_text(
        MATCH.format(title="UPDATE 1-" + RESULTS[0], n=9).replace("s9.example", "wire.example"),
        encoding="utf-8",
    )
    env = _env(tmp_path)
    clusters = run_cli("clusters", str(feeds), "--format", "json", env=env)
    assert clusters.returncode == 0, clusters.stderr
    stories = [
        sorted(Path(a["path"]).name for a in s["articles"]) for s in json.loads(clusters.stdout)
    ]
    assert stories == [["m1.md", "m9.md"]]
    out = tmp_path / "out.json"
    args = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    run = run_cli(*args, env=env)
    assert run.returncode == 0, run.stderr
    shipped = sorted(Path(a["path"]).name for a in json.loads(out.read_text()))
    assert len(shipped) == 3 and {"m2.md", "m3.md"} < set(shipped)
    for n in (1, 2, 3, 9):
        assert "published: true" in (feeds / f"m{n}.md").read_text()


FRONT = """---
title: "{title}"
publishedDateTime: 2025-0{month}-01T10:00:00Z
webUrl: "{url}"
published: false
provider: {{name: Paper}}
---
"""


def _front_stories(
    feeds: Path, items: list[tuple[str, str, int, str]], env: dict[str, str]
) -> list[dict[str, Any]]:
    """Write the items (name, title, month, URL) as FRONT files; `clusters` of them."""
    feeds.mkdir()
    for name, title, month, url in items:
        text = FRONT.format(title=title, month=month, url=url)
        (feeds / f"{name}.md").write_text(text, encoding="utf-8")
    clusters = run_cli("clusters", str(feeds), "--format", "json", env=env)
    assert clusters.returncode == 0, clusters.stderr
    found: list[dict[str, Any]] = json.loads(clusters.stdout)
    return found


def test_a_front_page_address_is_no_evidence(tmp_path: Path) -> None:
    """Feeds give a link-less item the site's front page: two such articles, months
    apart, on other subjects, were one story by "same URL" (h25)."""
    feeds = tmp_path / "hp"
    items = [
        ("a", "Council approves new budget", 1, "https://paper.example/"),
        ("b", "Storm closes schools", 3, "https://paper.example/?utm_source=rss"),
        ("c", "Mayor resigns", 2, "https://www.paper.example/index.html"),
        ("f", "Snow closes airport", 6, "https://paper.example/en/"),
        ("g", "Museum reopens doors", 7, "https://paper.example/index.php?lang=en"),
        ("d", "Mayor resigns after audit", 4, "https://paper.example/?p=12"),
        ("e", "Audit: the mayor's expenses", 4, "https://paper.example/?p=12"),  # (retitled)
    ]
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    found = _front_stories(feeds, items, env)
    stories = [sorted(Path(a["path"]).name for a in s["articles"]) for s in found]
    assert stories == [["d.md", "e.md"]]  # ?p=12 names an article (a month apart: two, h64)
    dedupe = run_cli("export", str(feeds), "--dedupe", "--format", "json", env=env)
    assert len(json.loads(dedupe.stdout)) == 6


def test_a_section_page_address_joins_only_articles_of_one_thing(tmp_path: Path) -> None:
    """A feed may give each item without a link of its own its section's page: articles
    months apart on other subjects were one story by "same URL", and --dedupe shipped one
    of them. A URL joins its articles only when their titles share two content words
    (h62: one word, "Trump", was in every title of a politics page). A title that shares
    one word with the others (w3) is no copy of them, and undoes no join of the copies
    (w1, w2: by their URL, h67)."""
    feeds = tmp_path / "sections"
    items = [
        ("s1", "Council approves new budget", 1, "https://paper.example/local/"),
        ("s2", "Storm closes schools", 3, "https://paper.example/local/"),
        ("s3", "Storm hits the coast", 5, "https://paper.example/local"),
        ("w1", "Fed raises interest rates", 2, "https://wire.example/fed-rates"),
        ("w2", "UPDATE 1-Fed raises interest rates again", 2, "https://wire.example/fed-rates"),
        ("w3", "Plosser: the Fed was right", 2, "https://www.wire.example/fed-rates/"),
    ]
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    found = _front_stories(feeds, items, env)
    stories = [sorted(Path(a["path"]).name for a in s["articles"]) for s in found]
    assert stories == [["w1.md", "w2.md"]]
    joined = [a["joined"]["by"] for a in found[0]["articles"] if a.get("joined")]
    assert joined == ["url"]
    dedupe = run_cli("export", str(feeds), "--dedupe", "--format", "json", env=env)
    assert len(json.loads(dedupe.stdout)) == 5
    # the same with the files in another order (names reversed: the walk's order)
    again = tmp_path / "again"
    again.mkdir()
    for n, path in enumerate(sorted(feeds.iterdir(), reverse=True)):
        (again / f"{n}-{path.name}").write_text(path.read_text(), encoding="utf-8")
    other = run_cli("clusters", str(again), "--format", "json", env=env)
    names = [
        sorted(Path(a["path"]).name[2:] for a in s["articles"]) for s in json.loads(other.stdout)
    ]
    assert names == stories


OUTLET = """---
title: "Volcano erupts on remote Pacific island forcing evacuations"
publishedDateTime: 2025-06-01T0{n}:00:00Z
webUrl: https://x{n}.example/v
provider: {provider}
---
"""


def test_story_outlets_count_one_outlet_once(tmp_path: Path) -> None:
    """One outlet given as name and domain, as the name alone, and as the name with a
    trailing space is one outlet (h25: 3), warm, cold and without the cache; another
    name is another outlet."""
    feeds = tmp_path / "ou"
    feeds.mkdir()
    providers = [
        "{name: Reuters, domain: www.reuters.com}",
        "{name: Reuters}",
        '{name: "Reuters "}',
        "{name: REUTERS}",
        "{name: AP}",
        "{name: Reuters, domain: https://m.reuters.com/}",  # (h26: 3 with these)
        "{name: Reuters, domain: amp.reuters.com}",
    ]
    for n, provider in enumerate(providers, 1):
        text = OUTLET.format(n=n, provider=provider)
        (feeds / f"p{n}.md").write_text(text, encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    args = ["list", str(feeds), "--columns", "story.size,story.outlets", "--format", "json"]
    for extra in ([], [], ["--no-cache"]):
        run = run_cli(*args, *extra, env=env)
        assert run.returncode == 0, run.stderr
        values = {(a["story.size"], a["story.outlets"]) for a in json.loads(run.stdout)}
        assert values == {(7, 2)}, extra
    where = run_cli("list", str(feeds), "--where", "story.outlets >= 3", env=env)
    assert where.returncode == 0 and where.stdout.count("\n") == 1  # the header alone
    alone = feeds / "q.md"  # a story of one, of a blank outlet name: no outlet
    alone.write_text('---\ntitle: Quiet day\nprovider: {name: "  "}\n---\n', encoding="utf-8")
    for extra in ([], ["--no-cache"]):
        run = run_cli("list", str(alone), "--columns", "story.outlets", *extra, env=env)
        assert run.stdout.splitlines()[1:] == ["0"], (extra, run.stdout)


SECTION = """---
title: "{title}"
publishedDateTime: {when}
webUrl: "https://paper.example/{section}/"
published: false
provider: {{name: Paper, domain: paper.example}}
---
"""


def test_a_section_page_joins_no_events_and_hides_no_later_item(tmp_path: Path) -> None:
    """h62: every item of a section's page linked to it. Three politics events (one
    word, "Trump", in every title) were one story by "same URL", so were two results of
    one pattern on one day and a column's days; `export --unpublished --dedupe
    --mark-published` shipped one of each and marked all published, and a later item of
    the page was never shipped (its story counted as shipped). Now each is its own story,
    and a re-sent copy of a shipped item (same title, same time) is still not shipped
    again."""
    feeds = tmp_path / "paper"
    feeds.mkdir()
    items = {
        "p1": (
            "Trump signs executive order raising steel tariffs",
            "2025-05-03T09:00:00Z",
            "politics",
        ),
        "p2": (
            "Trump hosts Japanese prime minister at White House",
            "2025-05-03T15:00:00Z",
            "politics",
        ),
        "p3": (
            "Senate confirms Trump nominee for labor secretary",
            "2025-05-20T12:00:00Z",
            "politics",
        ),
        "f1": ("Arsenal beat Chelsea 2-1 in Premier League", "2025-05-03", "football"),
        "f2": ("Liverpool beat Everton 3-0 in Premier League", "2025-05-03", "football"),
        "b1": ("Morning briefing", "2025-05-01T06:00:00Z", "briefing"),
        "b2": ("Morning briefing", "2025-05-02T06:00:00Z", "briefing"),
    }
    for name, (title, when, section) in items.items():
        text = SECTION.format(title=title, when=when, section=section)
        (feeds / f"{name}.md").write_text(text, encoding="utf-8")
    env = _env(tmp_path)
    clusters = run_cli("clusters", str(feeds), "--format", "json", env=env)
    assert clusters.returncode == 0, clusters.stderr
    assert json.loads(clusters.stdout) == []  # no story of two: each stands alone
    out = tmp_path / "out.json"
    args = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*args, env=env).returncode == 0
    assert sorted(Path(a["path"]).stem for a in json.loads(out.read_text())) == sorted(items)
    # a later item of the page, and a copy of p1 sent again (same title and time)
    later = SECTION.format(title="Trump vetoes defense spending bill", when="2025-05-21T08:00:00Z",
                           section="politics")  # fmt: skip
    (feeds / "p4.md").write_text(later, encoding="utf-8")
    title, when, section = items["p1"]
    (feeds / "p1-again.md").write_text(
        SECTION.format(title=title, when=when, section=section), encoding="utf-8"
    )
    assert run_cli(*args, env=env).returncode == 0
    assert [Path(a["path"]).stem for a in json.loads(out.read_text())] == ["p4"]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_STATE_DIR": str(tmp_path)}


def _write_items(folder: Path, items: dict[str, tuple[str, str, str]]) -> None:
    """Write the items (name: title, date, URL) as files of one outlet (a folder there
    already: added to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, when, url) in items.items():
        text = SECTION.format(title=title, when=when, section="x").replace(
            "https://paper.example/x/", url
        )
        if not when:  # (undated)
            text = text.replace("publishedDateTime: \n", "")
        (folder / f"{name}.md").write_text(text, encoding="utf-8")


def _stories(folder: Path, env: dict[str, str], *more: str) -> list[list[str]]:
    found = run_cli("clusters", str(folder), "--format", "json", *more, env=env)
    assert found.returncode == 0 and "error" not in found.stderr, found.stderr
    return [sorted(Path(a["path"]).stem for a in s["articles"]) for s in json.loads(found.stdout)]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_one_url_joins_copies_within_the_window_in_any_name_order(tmp_path: Path) -> None:
    """h64 1: two titles sharing four words on a section's page two months apart were
    one story, and the later one was never shipped; h64 2: a title of one word let two
    others sharing only that word join, or not, by the order of the file names; h64 3:
    an aggregator's copy dated 2025-03-14 and another at 19:30 that day (or 21:00 at
    UTC-5) were two days of a recurring headline, and cron shipped the article twice.
    Two dates without a time on two days are still two days of a column."""
    env = _env(tmp_path)
    politics = "https://paper.example/politics/"
    _write_items(tmp_path / "months", {
        "p1": ("Trump signs executive order raising tariffs", "2025-05-03T09:00:00Z", politics),
        "p2": ("Trump signs executive order on immigration", "2025-07-03T09:00:00Z", politics),
    })  # fmt: skip
    assert _stories(tmp_path / "months", env) == []
    brexit = "https://paper.example/brexit/"
    found = []
    for first in ("a", "z"):  # the title of one word first, or last, in path order
        _write_items(tmp_path / first, {
            "deal": ("Brexit deal approved by parliament", "2025-01-10T09:00:00Z", brexit),
            f"{first}-explainer": ("Brexit", "2025-01-10T12:00:00Z", brexit),
            "quotas": ("Fishermen angry over Brexit quotas", "2025-01-10T15:00:00Z", brexit),
        })  # fmt: skip
        stories = _stories(tmp_path / first, env)
        assert not any({"deal", "quotas"} <= set(story) for story in stories), first
        found.append([sorted(name.replace(first + "-", "") for name in s) for s in stories])
    assert found[0] == found[1]  # (whatever the names)
    bank = "https://wire.example/2025/03/14/central-bank-rates"
    title = "Central bank raises interest rates to curb inflation"
    for n, later in enumerate(("2025-03-14T19:30:00Z", "2025-03-14T21:00:00-05:00")):
        copies = tmp_path / f"copies{n}"
        _write_items(copies, {
            "dated": (title, "2025-03-14", bank),
            "timed": (title, later, bank + "?utm_source=feed"),
        })  # fmt: skip
        assert _stories(copies, env) == [["dated", "timed"]], later
        out = tmp_path / f"out{n}.json"
        cron = [
            "export",
            str(copies),
            "--unpublished",
            "--dedupe",
            "--mark-published",
            "-o",
            str(out),
        ]
        assert run_cli(*cron, env=env).returncode == 0
        assert len(json.loads(out.read_text())) == 1
        assert run_cli(*cron, env=env).returncode == 0
        assert json.loads(out.read_text()) == []  # not shipped again
    column = "https://paper.example/briefing/"
    _write_items(tmp_path / "column", {
        "d1": ("Morning briefing", "2025-05-01", column),
        "d2": ("Morning briefing", "2025-05-02", column),
    })  # fmt: skip
    assert _stories(tmp_path / "column", env) == []


CLUBS = ["Arsenal", "Chelsea", "Everton", "Fulham", "Brentford", "Burnley", "Watford", "Leeds",
         "Brighton", "Wolves", "Villa", "Newcastle", "Southampton", "Leicester", "Bournemouth",
         "Sunderland", "Middlesbrough"]  # fmt: skip


def test_a_topic_page_joins_no_events_and_a_late_copy_undoes_no_join(tmp_path: Path) -> None:
    """h65 1: a tag's page (/tag/donald-trump/) joined "Donald Trump meets Macron ..."
    and "Donald Trump fires FBI director" (they share only the page's words), and cron
    shipped one of three events; h65 3: one copy re-sent three days later made the URL
    no evidence for every copy, and an undated copy was shipped again; h65 4: with a
    24-hour window a copy dated 2025-03-14 and one at 23:30 UTC-5 that day were two;
    h65 2: thousands of titles under one URL were compared pair by pair (a page: more
    than 16 titles of other words are no article's)."""
    env = _env(tmp_path)
    tag = "https://news.example/tag/donald-trump/"
    _write_items(tmp_path / "tag", {
        "a": ("Donald Trump meets Macron in Paris", "2025-03-14T09:00:00Z", tag),
        "b": ("Donald Trump fires FBI director", "2025-03-14T15:00:00Z", tag),
        "c": ("Donald Trump pardons turkey at White House", "2025-03-15T10:00:00Z", tag),
    })  # fmt: skip
    assert _stories(tmp_path / "tag", env) == []
    comey = "https://www.reuters.example/world/us/trump-fires-comey-2025-03-14/"
    title = "Trump fires FBI director James Comey"
    _write_items(tmp_path / "late", {
        "first": (title, "2025-03-14T19:30:00Z", comey),
        "undated": (title, "", comey.replace("www.", "amp.") + "amp"),
        "late": (title, "2025-03-17T10:00:00Z", comey.replace("www.", "")),
    })  # fmt: skip
    assert _stories(tmp_path / "late", env) == [["first", "undated"]]
    chips = "https://harborledger.example/2025/03/ai-chip-export-rules"
    title = "Regulators draft new export rules for AI accelerator chips"
    _write_items(tmp_path / "zone", {
        "dated": (title, "2025-03-14", chips),
        "timed": (title, "2025-03-14T23:30:00-05:00", chips + "/"),
    })  # fmt: skip
    found = run_cli("clusters", str(tmp_path / "zone"), "--story-window", "24h", "--format",
                    "json", env=env)  # fmt: skip
    assert [len(s["articles"]) for s in json.loads(found.stdout)] == [2]
    page = "https://paper.example/2025/03/14/premier-league-notes-live-blog-updates/"
    _write_items(tmp_path / "page", {
        f"n{i:02d}": (f"Premier League notes today: {club}", f"2025-03-14T{i:02d}:00:00Z", page)
        for i, club in enumerate(CLUBS)
    })  # fmt: skip
    # (their words alike join them: not the URL)
    assert _stories(tmp_path / "page", env, "--same-story", "url") == []


PAGES = [  # (a topic's page, two events of its topic that share its name) (h66 1-2)
    ("https://www.bbc.example/news/topics/cp7r8vgl2lgt/donald-trump",
     "Donald Trump meets Macron in Paris", "Donald Trump fires FBI director"),
    ("https://site.example/tag/donald-trump/page/2/",
     "President Trump meets Macron in Paris", "President Trump fires FBI director"),
    ("https://paper.example/sport/football/premier-league/arsenal",
     "Arsenal news: Saka ruled out for six weeks", "Arsenal news: Declan Rice signs new contract"),
    ("https://elpais.example/tag/donald-trump/",
     "Trump se reúne con Macron en París", "Trump destituye al director del FBI en Washington"),
    ("https://news.example.cn/tag/%E7%89%B9%E6%9C%97%E6%99%AE",
     "特朗普会见马克龙", "特朗普解雇联邦调查局局长"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "one", "other"), PAGES)
def test_items_of_a_topics_page_sharing_its_name_are_two_stories(
    tmp_path: Path, page: str, one: str, other: str
) -> None:
    """h66: the topic page's address was told by its shape alone (three words or fewer
    after the host), and most real tag pages have other shapes; titles in Spanish or
    Chinese share more than the name. Copies share most of their words: half those of
    the shorter title, at least."""
    env = _env(tmp_path)
    _write_items(tmp_path / "page", {
        "a": (one, "2025-03-14T09:00:00Z", page),
        "b": (other, "2025-03-14T15:00:00Z", page),
    })  # fmt: skip
    assert _stories(tmp_path / "page", env) == []


def test_a_copy_of_other_words_undoes_no_join_and_nothing_ships_twice(tmp_path: Path) -> None:
    """h67 1: under one wire URL, a third article sharing no words with the first two
    made the URL no evidence for all three, and cron shipped again the update of an
    article it had sent. Titles are now copies pair by pair, and a group joins only
    titles that are all copies of one another."""
    env = _env(tmp_path)
    wire = "https://www.reuters.example/world/quake-turkey-2025-03-14/"
    first = {"a": ("Turkey earthquake kills 45", "2025-03-14T06:00:00Z", wire)}
    later = {
        "a2": ("UPDATE 3-Turkey earthquake: rescuers search rubble as toll rises",
               "2025-03-14T09:00:00Z", wire),
        "b": ("Survivors pulled from rubble in Malatya 30 hours after quake",
              "2025-03-14T16:00:00Z", wire),
    }  # fmt: skip
    _write_items(tmp_path / "all", {**first, **later})
    assert _stories(tmp_path / "all", env) == [["a", "a2"]]
    feeds = tmp_path / "cron"
    _write_items(feeds, first)
    out = tmp_path / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*cron, env=env).returncode == 0
    assert [a["title"] for a in json.loads(out.read_text())] == ["Turkey earthquake kills 45"]
    _write_items(feeds, later)
    assert run_cli(*cron, env=env).returncode == 0
    assert [Path(a["path"]).stem for a in json.loads(out.read_text())] == ["b"]


def test_a_chain_of_titles_under_one_url_is_no_one_article(tmp_path: Path) -> None:
    """Each title shares half its words with the next, the first none with the last (a
    live blog's posts drift): the URL joins only titles that are all copies of one
    another, not a chain."""
    env = _env(tmp_path)
    blog = "https://paper.example/2025/03/14/live-updates-the-storm-and-the-floods"
    _write_items(tmp_path / "blog", {
        "a": ("Alpha bravo charlie delta", "2025-03-14T06:00:00Z", blog),
        "b": ("Alpha bravo echo foxtrot", "2025-03-14T07:00:00Z", blog),
        "c": ("Echo foxtrot golf hotel", "2025-03-14T08:00:00Z", blog),
    })  # fmt: skip
    assert _stories(tmp_path / "blog", env, "--same-story", "url") == [["a", "b"]]


def test_amp_and_tracking_forms_of_one_address_ship_once(tmp_path: Path) -> None:
    """h67 4-5: a retitled copy under the AMP form of an address (`/news/amp/`,
    `.amp.html`) or with Yahoo's or a feed's parameters (`?guccounter=1`,
    `?traffic_source=rss`) was another address, and cron shipped the article twice;
    h68 2: so was Google's AMP viewer, and Blogger's mobile page (`?m=1`)."""
    env = _env(tmp_path)
    bbc, nyt = "https://www.bbc.example/news/", "https://www.nytimes.example/2025/03/14/world/"
    first = {
        "b1": ("Turkey earthquake kills 45", "2025-03-14T06:00:00Z", bbc + "world-123"),
        "n1": ("Storm floods Valencia streets", "2025-03-14T07:00:00Z", nyt + "floods.html"),
        "g1": ("Storm Ciaran batters Cornwall", "2025-03-14T08:00:00Z",
               "https://www.theguardian.example/uk/2025/mar/14/storm-ciaran"),
        "w1": ("Storm Ciaran: a weather blog's chart", "2025-03-14T08:00:00Z",
               "https://weather.blogspot.example/2025/03/ciaran.html"),
    }  # fmt: skip
    later = {
        "b2": ("UPDATE 2-Turkey earthquake kills 45, rescuers search rubble",
               "2025-03-14T09:00:00Z", bbc + "amp/world-123?guccounter=1"),
        "n2": ("Storm floods Valencia streets, trains halted", "2025-03-14T10:00:00Z",
               nyt + "floods.amp.html?traffic_source=rss"),
        "g2": ("Storm Ciaran: thousands without power", "2025-03-14T11:00:00Z",
               "https://www.google.com/amp/s/amp.theguardian.example/uk/2025/mar/14/storm-ciaran"),
        "w2": ("Storm Ciaran: the weather blog's chart", "2025-03-14T11:00:00Z",
               "https://weather.blogspot.example/2025/03/ciaran.html?m=1"),
    }  # fmt: skip
    _write_items(tmp_path / "all", {**first, **later})
    found = sorted(_stories(tmp_path / "all", env, "--same-story", "url"))
    assert found == [["b1", "b2"], ["g1", "g2"], ["n1", "n2"], ["w1", "w2"]]
    feeds = tmp_path / "cron"
    _write_items(feeds, first)
    out = tmp_path / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*cron, "--same-story", "url", env=env).returncode == 0
    shipped = sorted(Path(a["path"]).stem for a in json.loads(out.read_text()))
    assert shipped == ["b1", "g1", "n1", "w1"]
    _write_items(feeds, later)
    assert run_cli(*cron, "--same-story", "url", env=env).returncode == 0
    assert json.loads(out.read_text()) == []  # (neither copy shipped again)


def test_a_dated_column_ships_each_day(tmp_path: Path) -> None:
    """h65 6: one outlet's column whose title carries its date ("Morning briefing, March
    14: ...") was one story with the next day's, by its words and under its section's
    one address alike, and cron, having sent the first, never sent the next. A title
    alike but for numbers is one headline: its days are two articles. The same outlet's
    update with a new figure hours later is still one story with it."""
    env = _env(tmp_path)
    section = "https://paper.example/briefing/"
    days = {
        "d14": (
            "Morning briefing, March 14: what you need to know",
            "2025-03-14T06:00:00Z",
            "https://paper.example/2025/03/14/morning-briefing",
        ),
        "m14": ("Daily market update for March 14, 2025", "2025-03-14T16:00:00Z", section),
    }
    later = {
        "d15": (
            "Morning briefing, March 15: what you need to know",
            "2025-03-15T06:00:00Z",
            "https://paper.example/2025/03/15/morning-briefing",
        ),
        "m15": ("Daily market update for March 15, 2025", "2025-03-15T16:00:00Z", section),
    }
    toll = {
        "q1": ("Earthquake in eastern Turkey kills 45 people", "2025-03-14T06:00:00Z",
               "https://paper.example/2025/03/14/quake"),
        "q2": ("Earthquake in eastern Turkey kills 120 people", "2025-03-14T11:00:00Z",
               "https://paper.example/2025/03/14/quake-toll"),
    }  # fmt: skip
    _write_items(tmp_path / "all", {**days, **later, **toll})
    assert _stories(tmp_path / "all", env) == [["q1", "q2"]]
    assert _stories(tmp_path / "all", env, "--same-story", "url") == []
    feeds = tmp_path / "cron"
    _write_items(feeds, days)
    out = tmp_path / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*cron, env=env).returncode == 0
    assert sorted(Path(a["path"]).stem for a in json.loads(out.read_text())) == ["d14", "m14"]
    _write_items(feeds, later)
    assert run_cli(*cron, env=env).returncode == 0
    assert sorted(Path(a["path"]).stem for a in json.loads(out.read_text())) == ["d15", "m15"]


def test_two_posts_of_a_live_blog_ship_each(tmp_path: Path) -> None:
    """h68 1: a live blog gives each post its own anchor (`#polls-close-in-georgia`);
    the fragment was dropped from the address, two posts alike in words were one
    article's copies, and cron never shipped the second."""
    env = _env(tmp_path)
    blog = "https://www.nytimes.example/live/2024/11/05/us/election-results"
    first = {"g": ("Polls close in Georgia", "2024-11-06T00:00:01Z", blog + "#polls-georgia")}
    later = {
        "p": ("Polls close in Pennsylvania", "2024-11-06T01:00:00Z", blog + "#polls-penn"),
        "g2": ("Polls close in Georgia, counting begins", "2024-11-06T00:30:00Z",
               blog + "#polls-georgia"),
    }  # fmt: skip
    _write_items(tmp_path / "all", {**first, **later})
    assert _stories(tmp_path / "all", env, "--same-story", "url") == [["g", "g2"]]
    feeds = tmp_path / "cron"
    _write_items(feeds, first)
    out = tmp_path / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*cron, env=env).returncode == 0
    assert [Path(a["path"]).stem for a in json.loads(out.read_text())] == ["g"]
    _write_items(feeds, later)
    assert run_cli(*cron, env=env).returncode == 0
    assert [Path(a["path"]).stem for a in json.loads(out.read_text())] == ["p"]


def _cron_runs(feeds: Path, env: dict[str, str], *arrivals: dict[str, Any]) -> list[list[str]]:
    """Each batch of items (name: (title, date, URL[, provider's name, or its whole line,
    "" for none])) written in turn to the folder, then the cron export run: the names
    each run shipped."""
    out = feeds.parent / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    shipped = []
    for items in arrivals:
        _write_items(feeds, {name: item[:3] for name, item in items.items()})
        for name, item in items.items():
            if len(item) > 3:  # (another outlet: a name, or a whole provider line)
                path = feeds / f"{name}.md"
                text = path.read_text(encoding="utf-8")
                if item[3].startswith("provider") or not item[3]:
                    text = text.replace("provider: {name: Paper, domain: paper.example}", item[3])
                else:
                    text = text.replace("Paper", item[3])
                    text = text.replace("paper.example}", f"{item[3]}.example}}")
                path.write_text(text)
        assert run_cli(*cron, env=env).returncode == 0
        shipped.append(sorted(Path(a["path"]).stem for a in json.loads(out.read_text())))
    return shipped


def test_an_outlets_next_day_is_news_again(tmp_path: Path) -> None:
    """h69 2: one outlet's daily column whose words change each day ("Stock market
    today: Wall Street rallies ..." then "... slips ...") joined the day before by its
    words, and cron never shipped it: an outlet's two articles 18 hours or more apart
    are never one story by their words. Another outlet's copy the same day still is."""
    env = _env(tmp_path)
    shipped = _cron_runs(
        tmp_path / "feeds",
        env,
        {
            "d1": ("Stock market today: Wall Street rallies to records as tech stocks climb",
                   "2025-03-14T20:00:00Z", "https://paper.example/2025/03/14/stocks"),
            "x1": ("Wall Street rallies to records as tech stocks climb", "2025-03-14T19:00:00Z",
                   "https://wire.example/stocks-14", "Wire"),
        },
        {
            "d2": ("Stock market today: Wall Street slips from its records as oil prices jump",
                   "2025-03-15T20:00:00Z", "https://paper.example/2025/03/15/stocks"),
        },
    )  # fmt: skip
    assert shipped == [["d1"], ["d2"]]


def test_a_copy_goes_with_its_days_article_under_an_updated_url(tmp_path: Path) -> None:
    """h69 1: under one wire URL, "kills 45" and its next day's update "kills 120" (a
    headline's two days) left another outlet's same-day copy joined with neither, and
    cron shipped that copy a day after its story. The copy goes with the article of
    its day; the next day's update ships (an outlet's next day is news again)."""
    env = _env(tmp_path)
    url = "https://www.reuters.example/world/turkey-earthquake-2025-03-14/"
    shipped = _cron_runs(
        tmp_path / "feeds",
        env,
        {"a1": ("Turkey earthquake kills 45 as rescuers search rubble", "2025-03-14T09:00:00Z",
                url)},
        {"b1": ("Turkey earthquake: what we know so far", "2025-03-14T10:00:00Z", url, "MSN")},
        {"a2": ("Turkey earthquake kills 120 as rescuers search rubble", "2025-03-15T05:00:00Z",
                url)},
    )  # fmt: skip
    assert shipped == [["a1"], [], ["a2"]]
    assert _stories(tmp_path / "feeds", env, "--same-story", "url") == [["a1", "b1"]]


def test_a_page_place_in_the_address_is_no_other_article(tmp_path: Path) -> None:
    """h69 3: once fragments named posts (h68 1), a retitled copy at `#more-1234`,
    `#comments` or a copy tracker's `#ixzz...` was another address and shipped twice;
    h69 4: a route's fragment (`#/post?id=101`) still made two posts one address."""
    env = _env(tmp_path)
    url = "https://reuters.example/world/quake-2025-03-14"
    app = "https://h5.news.example/live/election#/post?id="
    _write_items(tmp_path / "feeds", {
        "a": ("Turkey earthquake kills 45 as rescuers search", "2025-03-14T09:00:00Z", url),
        "b": ("Turkey earthquake: what we know so far", "2025-03-14T10:00:00Z",
              url + "#more-1234"),
        "c": ("Turkey earthquake: what we know", "2025-03-14T11:00:00Z", url + "#ixzz8AbC"),
        "g": ("Polls close in Georgia", "2024-11-06T00:00:01Z", app + "101"),
        "n": ("Polls close in North Carolina", "2024-11-06T00:30:00Z", app + "102"),
    })  # fmt: skip
    assert _stories(tmp_path / "feeds", env, "--same-story", "url") == [["a", "b", "c"]]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_one_outlet_by_any_of_its_names_ships_its_column_each_day(tmp_path: Path) -> None:
    """h70 1: "AP" with and without its domain, "reuters.com" as a name, or no provider
    on the outlet's host were other outlets, and the next day's column was hidden; h70
    3: a date without a time measured as midnight made the next day's column 17 hours
    after the day's. AP and Reuters on one syndication domain stay two outlets (h27)."""
    env = _env(tmp_path)
    rally = "Stock market today: Wall Street rallies to records as tech stocks climb"
    slips = "Stock market today: Wall Street slips from its records as tech stocks climb down"
    ap = "provider: {name: AP, domain: apnews.example}"
    for n, (second, when) in enumerate([
        ("provider: {name: AP}", "2025-03-15T14:00:00Z"),
        ("provider: {domain: apnews.example}", "2025-03-15T14:00:00Z"),
        ("", "2025-03-15T14:00:00Z"),  # (no provider: its URL's host)
        (ap, "2025-03-15"),  # (a date alone)
    ]):  # fmt: skip
        shipped = _cron_runs(
            tmp_path / f"feeds{n}",
            env,
            {"a1": (rally, "2025-03-14T07:00:00Z", "https://apnews.example/x1", ap)},
            {"a2": (slips, when, "https://apnews.example/x2", second)},
        )
        assert shipped == [["a1"], ["a2"]], second
    reuters = "provider: {name: Reuters, domain: reuters.example}"
    shipped = _cron_runs(
        tmp_path / "named",
        env,
        {"r1": (rally, "2025-03-14T07:00:00Z", "https://reuters.example/x1", reuters)},
        {"r2": (slips, "2025-03-15T14:00:00Z", "https://wire.example/x2",
                "provider: {name: reuters.example}")},
    )  # fmt: skip
    assert shipped == [["r1"], ["r2"]]


def test_an_outlets_column_under_one_url_ships_each_day(tmp_path: Path) -> None:
    """h70 2: one outlet's column under one fixed URL, its words changed each day, was
    one article's copies; h70 4: another outlet's copy, dated the evening before, joined
    the outlet's two days (one by words, one by URL): the next day's was hidden."""
    env = _env(tmp_path)
    url = "https://www.paper.example/newsletters/morning-briefing"
    shipped = _cron_runs(
        tmp_path / "words",
        env,
        {"a1": ("Morning briefing, March 14: Fed holds rates steady as inflation cools",
                "2025-03-14T06:00:00Z", url)},
        {"a2": ("Morning briefing, March 15: Fed holds rates steady, markets rally",
                "2025-03-15T06:00:00Z", url)},
    )  # fmt: skip
    assert shipped == [["a1"], ["a2"]]
    shipped = _cron_runs(
        tmp_path / "bridge",
        env,
        {"a1": ("Morning briefing, March 14: Fed holds rates steady", "2025-03-14T06:00:00Z",
                url)},
        {"c": ("Morning briefing, March 15: Fed holds rates steady", "2025-03-14T22:00:00Z",
               url, "Other"),
         "a2": ("Morning briefing, March 15: Fed holds rates steady", "2025-03-15T06:00:00Z",
                url)},
    )  # fmt: skip
    assert shipped[0] == ["a1"] and len(shipped[1]) == 1


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_no_bridge_or_spelling_hides_an_outlets_next_day(tmp_path: Path) -> None:
    """h71 1: another outlet's copy bridged one outlet's two days farther apart than the
    window; h71 3: a provider without a domain on the outlet's host; h71 4: no provider,
    one URL, a column's two days; h71 5-6: two names on the outlet's own domain (or an
    unrelated byline there) made it no outlet: each hid the next day's article."""
    env = _env(tmp_path)
    rally = "Stock market today: Wall Street rallies to records as tech stocks climb"
    slips = "Stock market today: Wall Street slips from its records as tech stocks fall"
    nhk = "provider: {name: NHK, domain: nhk.example}"
    shipped = _cron_runs(
        tmp_path / "bridge",
        env,
        {"z1": ("Earthquake strikes off Japan coast, tsunami warning issued",
                "2025-03-14T03:00:00Z", "https://nhk.example/z1", nhk)},
        {"k": ("Earthquake off Japan coast: tsunami warning issued then lifted",
               "2025-03-15T20:00:00Z", "https://nhk.example/z3", "Kyodo"),
         "z3": ("Earthquake off Japan coast: tsunami warning issued then lifted",
                "2025-03-16T06:00:00Z", "https://nhk.example/z3", nhk)},
    )  # fmt: skip
    assert shipped[0] == ["z1"] and len(shipped[1]) == 1
    hub = "https://apnews.example/hub/stock-market-today"
    for n, (first, second, url) in enumerate([
        ("provider: {name: AP}", "provider: {domain: apnews.example}", "https://apnews.example/"),
        ("", "", hub),
        ("provider: {name: AP, domain: apnews.example}",
         "provider: {name: Associated Press, domain: apnews.example}", "https://apnews.example/"),
    ]):  # fmt: skip
        shipped = _cron_runs(
            tmp_path / f"spelt{n}",
            env,
            {"c1": (rally, "2025-03-14T21:00:00Z", url if url == hub else url + "c1", first)},
            {"c2": (slips, "2025-03-15T21:00:00Z", url if url == hub else url + "c2", second)},
        )
        assert shipped == [["c1"], ["c2"]], n


def test_a_related_link_to_an_address_of_two_days_is_the_same_in_any_name_order(
    tmp_path: Path,
) -> None:
    """h71 8: under one URL, two titles of one outlet on two days are two articles; a
    `related` link to that URL joined whichever came first by file name."""
    env = _env(tmp_path)
    url = "https://nhk.example/z3"
    found = []
    for first in ("a", "z"):
        folder = tmp_path / first
        _write_items(folder, {
            f"{first}-lifted": ("Earthquake off Japan coast: tsunami warning lifted",
                                "2025-03-15T03:00:00Z", url),
            "m-short": ("Tsunami warning lifted", "2025-03-16T06:00:00Z", url),
            "roundup": ("Japan roundup", "2025-03-15T20:00:00Z", "https://kyodo.example/z4"),
        })  # fmt: skip
        path = folder / "roundup.md"
        head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
        path.write_text(f'{head}related: [{{webUrl: "{url}"}}]\n---\n', encoding="utf-8")
        stories = _stories(folder, env)
        found.append([sorted(name.replace(first + "-", "") for name in s) for s in stories])
    assert found[0] == found[1] == [["lifted", "roundup"]]


SMALL_FOLDER = Path(__file__).parent.parent / "fixtures" / "stories" / "small-folder"
# (h72's four files: a moon landing and an election's live blog)


def test_a_small_folder_joins_no_two_events_on_two_common_words(tmp_path: Path) -> None:
    """h72 1: in a folder of a few articles every word looks rare; a moon landing
    (joined by its AMP address) and an election's live blog shared "first" and "show",
    were one story, and cron shipped one article and marked the live blog's posts
    published. In a selection of 64 units or fewer every join needs three shared words."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for path in SMALL_FOLDER.glob("*.md"):
        (feeds / path.name).write_bytes(path.read_bytes())
    assert sorted(_stories(feeds, env)) == [["lander", "lander-amp"], ["liveblog", "liveblog-2"]]
    out = tmp_path / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    assert run_cli(*cron, env=env).returncode == 0
    assert len(json.loads(out.read_text())) == 2  # (one of each story)


def _relate(folder: Path, name: str, *urls: str) -> None:
    """Give the item a `related` list of these URLs (in place of any it has)."""
    path = folder / f"{name}.md"
    head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    head = head.partition("related:\n")[0]
    links = "".join(f'  - webUrl: "{url}"\n' for url in urls)
    path.write_text(f"{head}related:\n{links}---\n", encoding="utf-8")


def _outlet(folder: Path, name: str, outlet: str) -> None:
    """Make the item another outlet's: its provider's name and domain."""
    path = folder / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "{name: Paper, domain: paper.example}", f"{{name: {outlet}, domain: {outlet}.example}}"
    )
    path.write_text(text, encoding="utf-8")


def _cron(feeds: Path, env: dict[str, str]) -> list[str]:
    out = feeds.parent / "out.json"
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published", "-o", str(out)]
    done = run_cli(*cron, env=env)
    assert done.returncode in (0, 4), done.stderr
    return (
        sorted(Path(a["path"]).stem for a in json.loads(out.read_text()))
        if not done.returncode
        else []
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_related_list_bridges_no_two_stories_and_no_months(tmp_path: Path) -> None:
    """h73 1: an evening briefing whose `related` list named a day's three events made
    them one story (cron shipped one and marked the others published), and a feature six
    months on that listed the first report was never shipped. A link joins only within
    the window; an article naming several stories joins none of them, but joins a story
    its links all name, also once another article's links made them one (any name
    order)."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    day = "2025-05-10T{}:00:00Z"
    _write_items(feeds, {
        "quake": ("Strong quake hits central Chile coast", day.format("03"), "https://r.example/q"),
        "dam": ("Dam collapse floods villages in northern Italy", day.format("05"),
                "https://a.example/d"),
        "vote": ("Polls close in snap parliamentary election", day.format("19"),
                 "https://p.example/v"),
        "brief": ("Your evening briefing", day.format("20"), "https://n.example/b"),
    })  # fmt: skip
    _relate(feeds, "brief", "https://r.example/q", "https://a.example/d", "https://p.example/v")
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == ["brief", "dam", "quake", "vote"]
    _write_items(feeds, {
        "rebuild": ("Six months on, fishing towns rebuild with sea walls",
                    "2025-11-10T09:00:00Z", "https://b.example/r"),
    })  # fmt: skip
    _relate(feeds, "rebuild", "https://r.example/q")
    _outlet(feeds, "rebuild", "Bee")
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == ["rebuild"]
    assert _stories(feeds, env, "--story-window", "365d") == [["quake", "rebuild"]]
    # h71 2: the outlet's own next day's article listing the day's is news again (as by
    # their words); another outlet's, or its own the same day, joins
    _write_items(feeds, {
        "next": ("Aftershocks rattle Chile a day on", "2025-05-11T09:00:00Z",
                 "https://r.example/n"),
        "same": ("Chile counts the damage", "2025-05-10T09:00:00Z", "https://r.example/s"),
    })  # fmt: skip
    for name in ("next", "same"):
        _relate(feeds, name, "https://r.example/q")
    assert _stories(feeds, env) == [["quake", "same"]]
    _outlet(feeds, "next", "Bee")
    assert _stories(feeds, env) == [["next", "quake", "same"]]
    # One story's coverage naming one another: a list of several joins once the articles
    # it names are one story (k names i and m; i names m and n; n names m)
    found = []
    for k, i in (("a-k", "z-i"), ("z-k", "a-i")):
        folder = tmp_path / k
        urls = {name: f"https://{name[-1]}.example/s" for name in (k, i, "m", "n")}
        _write_items(folder, {
            name: (f"{title} {name[-1]}", day.format(f"1{n}"), urls[name])
            for n, (name, title) in enumerate(
                [(k, "Alpha beta"), (i, "Gamma delta"), ("m", "Epsilon zeta"), ("n", "Eta theta")]
            )
        })  # fmt: skip
        _relate(folder, k, urls[i], urls["m"])
        _relate(folder, i, urls["m"], urls["n"])
        _relate(folder, "n", urls["m"])
        found.append(_stories(folder, env))
    assert found == [[["a-k", "m", "n", "z-i"]], [["a-i", "m", "n", "z-k"]]]


def test_numbers_with_their_units_tell_two_events_apart(tmp_path: Path) -> None:
    """h73 2: "Storm Ciaran batters England with 100mph winds" and "Storm Babet batters
    Scotland with 80mph winds", or two takeovers "for $69bn" and "for $32bn", were one
    story (a number with its unit was a word, so the titles were no one pattern), and
    cron shipped one of each. A word beginning with a digit is a number; copies of one
    headline still join."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    items = {
        "s1": ("Storm Ciaran batters England with 100mph winds", "2025-09-01T08:00:00Z"),
        "s2": ("Storm Babet batters Scotland with 80mph winds", "2025-09-01T14:00:00Z"),
        "s3": ("Storm Babet batters Scotland with 80mph winds", "2025-09-01T15:00:00Z"),
        "d1": ("Microsoft buys Activision for $69bn in record deal", "2025-09-03T08:00:00Z"),
        "d2": ("Google buys Wiz for $32bn in record deal", "2025-09-03T14:00:00Z"),
    }
    _write_items(feeds, {
        name: (title, when, f"https://{name}.example/a") for name, (title, when) in items.items()
    })  # fmt: skip
    for name in items:  # (each of its own outlet)
        path = feeds / f"{name}.md"
        path.write_text(path.read_text().replace("Paper", f"Out {name}"), encoding="utf-8")
    assert _stories(feeds, env) == [["s2", "s3"]]
    assert _stories(feeds, env, "--no-cache") == [["s2", "s3"]]


def test_a_narrow_table_keeps_a_story_id_whole_and_cuts_long_headers(tmp_path: Path) -> None:
    """h73 4: on a terminal 40 columns wide `list --columns story.id,story.rank,...`
    cut the id (what a curator copies into --where) to "c055ee7…" while story.rank and
    story.size kept their headers' 10 cells for a value of one digit. A column keeps
    its values up to 12 cells and 5 of its header; a header cut keeps its end."""
    from conftest import run_in_terminal

    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _write_items(feeds, {
        "a": ("Storm batters the coast with strong winds", "2025-09-01T08:00:00Z",
              "https://a.example/1"),
        "b": ("Storm batters the coast with strong winds", "2025-09-01T09:00:00Z",
              "https://b.example/1"),
    })  # fmt: skip
    listed = run_cli("list", str(feeds), "--columns", "path,story.id", env=env)
    ids = {line.split("\t")[1] for line in listed.stdout.splitlines()[1:]}
    assert len(ids) == 1 and len(next(iter(ids))) == 12
    columns = "story.id,story.rank,story.size,title"
    code, screen = run_in_terminal("list", str(feeds), "--columns", columns, env=env, columns=40)
    assert code == 0, screen
    lines = re.sub(r"\x1b\[[0-9;]*m", "", screen).splitlines()
    assert max(map(len, lines)) <= 40
    assert lines[0].split()[:3] == ["story.id", "….rank", "…y.size"]
    assert [line.split()[:3] for line in lines[2:4]] == [[*ids, "1", "2"], [*ids, "2", "2"]]
    # narrower than the columns' least widths: every column gives way, none is lost
    code, screen = run_in_terminal("list", str(feeds), "--columns", columns, env=env, columns=20)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", screen).splitlines()
    assert code == 0 and max(map(len, lines)) <= 20 and len(lines[2].split()) == 4, screen


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_story_whose_articles_list_one_another_is_one_story(tmp_path: Path) -> None:
    """h76 1-5 (method 25): the aggregator's usual shape, each article of a story
    listing the others, joined nothing (each list named several stories), and cron
    shipped the story once per article; nor did a copy listing its own address and
    another article. A list agrees with what it names (method 27: their neighbourhoods
    share two thirds)."""
    env = _env(tmp_path)
    day = "2025-05-10T{}:00:00Z"
    titles = {
        "a": "Volcano erupts on remote Pacific island",
        "b": "Thousands flee as ash cloud grounds regional flights",
        "c": "Scientists warn of further eruptions after lava breach",
        "d": "Island residents describe night of terror",
    }
    urls = {name: f"https://{name}.example/volcano" for name in titles}
    items = {
        name: (title, day.format(f"1{n}"), urls[name], f"Out{name}")
        for n, (name, title) in enumerate(titles.items())
    }
    # every article lists the others: one story, in one batch or arriving over runs
    for batches in ([items], [{k: items[k] for k in "ab"}, {"c": items["c"]}, {"d": items["d"]}]):
        feeds = tmp_path / f"clique{len(batches)}" / "feeds"
        shipped = []
        for batch in batches:
            _write_items(feeds, {name: item[:3] for name, item in batch.items()})
            for name in batch:
                _outlet(feeds, name, f"Out{name}")
                _relate(feeds, name, *[urls[other] for other in titles if other != name])
            shipped.append(_cron(feeds, env))
        assert _stories(feeds, env) == [["a", "b", "c", "d"]]
        assert sum(map(len, shipped)) == 1, shipped
    # a and b list each other and c, which lists nothing (crawled first): one story
    feeds = tmp_path / "partial"
    _write_items(feeds, {name: items[name][:3] for name in "abc"})
    _relate(feeds, "a", urls["b"], urls["c"])
    _relate(feeds, "b", urls["a"], urls["c"])
    assert _stories(feeds, env) == [["a", "b", "c"]]
    # a copy of a (its address with a tracking parameter) lists that address and b
    feeds = tmp_path / "copy"
    _write_items(feeds, {name: items[name][:3] for name in "ab"})
    _write_items(feeds, {"a2": (titles["a"], day.format("10"), urls["a"] + "?utm_source=rss")})
    _relate(feeds, "a2", urls["a"] + "?utm_source=rss", urls["b"])
    assert _stories(feeds, env) == [["a", "a2", "b"]]
    # h76 5: a briefing that came with one of the events it lists joins none, then or
    # once the others came
    feeds = tmp_path / "briefing"
    _write_items(feeds, {
        "e1": ("Parliament passes sweeping pension reform", day.format("10"), urls["a"]),
        "e2": ("Striker breaks league scoring record", day.format("15"), urls["b"]),
        "brief": ("Evening briefing: the day's top stories", day.format("19"),
                  "https://brief.example/1"),
    })  # fmt: skip
    _relate(feeds, "brief", urls["a"], urls["b"], urls["c"])
    (feeds / "e1.md").rename(tmp_path / "e1.md")
    assert _cron(feeds, env) == ["brief", "e2"]
    (tmp_path / "e1.md").rename(feeds / "e1.md")
    assert _cron(feeds, env) == ["e1"]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_related_link_never_bridges_one_outlets_two_days(tmp_path: Path) -> None:
    """h76 3: Reuters' next day's article listing Reuters' and AP's of the day before
    joined through AP's, and cron never shipped it; h76 4: an article listing two that
    are one story by their words joined neither."""
    env = _env(tmp_path)
    for together in (True, False):
        feeds = tmp_path / f"together-{together}"
        day1 = {
            "r1": ("Central bank raises interest rates by half a point",
                   "2025-06-01T10:00:00Z", "https://reuters.example/r1"),
            "a1": ("Borrowers face higher mortgage costs after surprise hike",
                   "2025-06-01T12:00:00Z", "https://ap.example/a1"),
        }  # fmt: skip
        day2 = {
            "r2": ("Bond yields climb as investors digest rate decision",
                   "2025-06-02T08:00:00Z", "https://reuters.example/r2"),
        }  # fmt: skip
        shipped = []
        for batch in [{**day1, **day2}] if together else [day1, day2]:
            _write_items(feeds, batch)
            for name in batch:
                _outlet(feeds, name, "Reuters" if name[0] == "r" else "AP")
            if "a1" in batch:
                _relate(feeds, "a1", "https://reuters.example/r1")
            if "r2" in batch:
                _relate(feeds, "r2", "https://reuters.example/r1", "https://ap.example/a1")
            shipped.append(_cron(feeds, env))
        assert _stories(feeds, env) == [["a1", "r1"]]
        assert sorted(n for run in shipped for n in run) == ["a1", "r2"]
    feeds = tmp_path / "words"
    _write_items(feeds, {
        "a": ("What we know about the Pacific island eruption", "2025-05-10T14:00:00Z",
              "https://a.example/1"),
        "b": ("Volcano erupts on remote Pacific island, forcing evacuations",
              "2025-05-10T09:30:00Z", "https://b.example/1"),
        "c": ("Remote Pacific island volcano erupts, thousands evacuated",
              "2025-05-10T11:00:00Z", "https://c.example/1"),
    })  # fmt: skip
    for name in "abc":
        _outlet(feeds, name, f"Out{name}")
    _relate(feeds, "a", "https://b.example/1", "https://c.example/1")
    assert _stories(feeds, env) == [["a", "b", "c"]]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_list_of_several_joins_what_agrees_with_it(tmp_path: Path) -> None:
    """The rules of a list naming several URLs, one at a time: one article named (the
    others not here) joins where their neighbourhoods agree (two thirds shared); two
    briefings listing each other and a day's events join each other and none of the
    events (each linked to nothing but a briefing); a copy under another of the
    article's addresses is the article itself."""
    env = _env(tmp_path)
    day = "2025-05-10T{}:00:00Z"

    def folder(name: str, items: dict[str, str], lists: dict[str, list[str]]) -> Path:
        feeds = tmp_path / name
        _write_items(feeds, {
            key: (title, day.format(f"1{n}"), f"https://{key}.example/s")
            for n, (key, title) in enumerate(items.items())
        })  # fmt: skip
        for key in items:
            _outlet(feeds, key, f"Out{key}")
        for key, named in lists.items():
            _relate(feeds, key, *[f"https://{other}.example/s" for other in named])
        return feeds

    volcano = {"a": "Volcano erupts on remote island", "b": "Ash cloud grounds flights"}
    # listing each other, each besides another article: half their neighbourhoods
    # shared, under the two thirds that agree (a briefing listing an event and its
    # coverage arriving with it shares three fifths)
    back = folder("back", volcano, {"a": ["b", "x"], "b": ["a", "y"]})
    assert _stories(back, env) == []
    back = folder("back-same", volcano, {"a": ["b", "x"], "b": ["a", "x"]})
    assert _stories(back, env) == [["a", "b"]]
    third = folder("third", volcano, {"a": ["b", "x"], "b": ["x"]})
    assert _stories(third, env) == [["a", "b"]]
    alone = folder("alone", volcano, {"a": ["b", "x"], "b": ["y"]})
    assert _stories(alone, env) == []
    events = {
        "e1": "Parliament passes pension reform",
        "e2": "Striker breaks scoring record",
        "e3": "Wildfire forces evacuations",
        "b1": "Evening briefing",
        "b2": "Night briefing",
    }
    lists = {"b1": ["e1", "e2", "e3", "b2"], "b2": ["e1", "e2", "e3", "b1"]}
    briefings = folder("briefings", events, lists)
    assert _stories(briefings, env) == [["b1", "b2"]]  # (the two briefings agree)
    # a copy of a under another of its addresses lists a's main address and b
    copy = folder("copy", volcano, {})
    text = (copy / "a.md").read_text()
    other = 'originalUrl: "https://a.example/id/77"\n'
    (copy / "a.md").write_text(text.replace("published:", other + "published:"))
    again = "https://a.example/id/77?utm_source=rss"
    _write_items(copy, {"a2": (volcano["a"], day.format("12"), again)})
    _relate(copy, "a2", "https://a.example/s", "https://b.example/s")
    # (and b lists two articles not here: a2's list names one thing, b; were a itself
    # counted, a list of several would need b's neighbourhood to agree with a's)
    _relate(copy, "b", "https://x.example/s", "https://y.example/s")
    assert _stories(copy, env) == [["a", "a2", "b"]]


def test_a_related_link_counts_a_date_alone_as_its_whole_day(tmp_path: Path) -> None:
    """h76: with a 24-hour window, a date alone (2025-05-12) and 20:00 that day at UTC-8
    (04:00 UTC the next day) were 28 hours apart and a link between them joined nothing;
    a date alone counts as noon that day (method 31, h79 4: as that whole day in any
    time zone, 52 hours, it chained date-only reports for five days)."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    _write_items(feeds, {
        "a": ("Volcano erupts on remote island", "2025-05-12", "https://a.example/s"),
        "b": ("Ash cloud grounds flights", "2025-05-12T20:00:00-08:00", "https://b.example/s"),
        "c": ("Airports reopen after ash cloud", "2025-05-14T20:00:00-08:00",
              "https://c.example/s"),
    })  # fmt: skip
    for name in "abc":
        _outlet(feeds, name, f"Out{name}")
    _relate(feeds, "b", "https://a.example/s")
    _relate(feeds, "c", "https://a.example/s")
    assert _stories(feeds, env, "--story-window", "24h") == [["a", "b"]]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_briefing_joins_no_event_whichever_way_the_lists_go(tmp_path: Path) -> None:
    """h77 1-3, 5 (method 27, related links after similarity): a briefing whose events
    each list it back (an aggregator building its lists both ways) made three events
    one story, and their coverage arriving later was never shipped; a briefing arriving
    with one event joined it through the event's coverage that both listed; Reuters'
    next day's article listing AP's of the day before took AP's article from Reuters'
    story (by words) and was never shipped; a list naming one article by two URLs named
    "several". And a briefing listing two events that list nothing joins neither; the
    outlet's own day-before article in a list dilutes no agreement."""
    env = _env(tmp_path)
    day = "2025-03-14T{}:00:00Z"
    titles = {
        "quake": "Strong earthquake shakes northern Chile",
        "quake2": "Chilean coast rattled by magnitude 7.1 tremor",
        "budget": "Parliament approves spending plan after marathon vote",
        "budget2": "Lawmakers pass fiscal package, ending standoff",
        "brief": "Evening briefing: what you need to know tonight",
    }
    url = {name: f"https://{name}.example/n" for name in titles}
    lists = {
        "quake": ["quake2", "brief"],
        "quake2": ["quake"],
        "budget": ["budget2", "brief"],
        "budget2": ["budget"],
        "brief": ["quake", "budget"],
    }
    feeds = tmp_path / "both-ways"
    shipped = []
    for batch in (["quake", "budget", "brief"], ["quake2", "budget2"]):
        _write_items(feeds, {n: (titles[n], day.format(10 + len(n)), url[n]) for n in batch})
        for name in batch:
            _outlet(feeds, name, f"Out{name}")
            _relate(feeds, name, *[url[other] for other in lists[name]])
        shipped.append(_cron(feeds, env))
    # (each event's first article lists its coverage and the briefing, linked to none
    # of it: a list of two in two groups, a briefing's, method 32, h81 4; so the
    # coverage arriving later ships again, precision first)
    assert shipped == [["brief", "budget", "quake"], ["budget2", "quake2"]]
    assert _stories(feeds, env) == []
    # an event listing nothing but the briefing (of several events) does not join it
    _write_items(
        feeds, {"final": ("Underdogs lift cup in shootout", day.format(12), url["brief"] + "f")}
    )
    _outlet(feeds, "final", "Outfinal")
    _relate(feeds, "final", url["brief"])
    _relate(feeds, "brief", url["quake"], url["budget"], url["brief"] + "f")
    assert _stories(feeds, env) == []
    # a briefing naming each event and its coverage, arriving with one event
    feeds = tmp_path / "third"
    _write_items(
        feeds, {n: (titles[n], day.format(10 + len(n)), url[n]) for n in ("quake", "brief")}
    )
    for name in ("quake", "brief"):
        _outlet(feeds, name, f"Out{name}")
    _relate(feeds, "quake", url["quake2"])
    _relate(feeds, "brief", url["quake"], url["quake2"], url["budget"], url["budget2"])
    assert _stories(feeds, env) == []
    # Reuters' next day's article listing AP's, one story with Reuters' by their words
    feeds = tmp_path / "next-day"
    _write_items(feeds, {
        "r1": ("Ceasefire talks collapse as negotiators walk out in Cairo",
               "2025-03-14T08:00:00Z", "https://reuters.example/r1"),
        "p1": ("Ceasefire talks in Cairo collapse after negotiators walk out",
               "2025-03-14T09:00:00Z", "https://ap.example/p1"),
    })  # fmt: skip
    _outlet(feeds, "r1", "Reuters")
    _outlet(feeds, "p1", "AP")
    assert _cron(feeds, env) == ["p1"]  # (one story: the newer kept)
    _write_items(feeds, {
        "r2": ("Fighting resumes a day after truce negotiations broke down",
               "2025-03-15T10:00:00Z", "https://reuters.example/r2"),
    })  # fmt: skip
    _outlet(feeds, "r2", "Reuters")
    _relate(feeds, "r2", "https://ap.example/p1")
    assert _cron(feeds, env) == ["r2"]
    # one article named by its two URLs is one thing named
    feeds = tmp_path / "two-urls"
    _write_items(feeds, {
        "a": ("Ash cloud disrupts air travel", day.format(11), "https://a.example/n"),
        "b": ("Volcano erupts on remote island", day.format(10), "https://b.example/n"),
    })  # fmt: skip
    text = (feeds / "b.md").read_text()
    (feeds / "b.md").write_text(
        text.replace("published:", 'originalUrl: "https://wire.example/b"\npublished:')
    )
    _relate(feeds, "a", "https://b.example/n", "https://wire.example/b")
    assert _stories(feeds, env) == [["a", "b"]]
    # a briefing naming two events here that list nothing joins neither (h76 5: its
    # neighbourhood and each event's share two of three, but neither names it back)
    feeds = tmp_path / "two-events"
    _write_items(
        feeds,
        {n: (titles[n], day.format(10 + len(n)), url[n]) for n in ("quake", "budget", "brief")},
    )
    for name in ("quake", "budget", "brief"):
        _outlet(feeds, name, f"Out{name}")
    _relate(feeds, "brief", url["quake"], url["budget"])
    assert _stories(feeds, env) == []
    # the outlet's own day-before article in a list is no evidence and dilutes nothing:
    # Reuters' a lists AP's b and its own r1 of the day before; b lists a (with another
    # article not here, linked to nothing, its list would be a briefing's: h85 2)
    feeds = tmp_path / "own-yesterday"
    _write_items(feeds, {
        "r1": ("Port strike enters second week", "2025-03-13T08:00:00Z",
               "https://reuters.example/r1"),
        "a": ("Volcano erupts on remote island", "2025-03-14T10:00:00Z",
              "https://reuters.example/a"),
        "b": ("Ash cloud grounds flights", "2025-03-14T09:00:00Z", "https://ap.example/b"),
    })  # fmt: skip
    for name, outlet in (("r1", "Reuters"), ("a", "Reuters"), ("b", "AP")):
        _outlet(feeds, name, outlet)
    _relate(feeds, "a", "https://ap.example/b", "https://reuters.example/r1")
    _relate(feeds, "b", "https://reuters.example/a")
    assert _stories(feeds, env) == [["a", "b"]]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_story_is_its_own_lists_and_no_wider_than_the_window(tmp_path: Path) -> None:
    """h78 1-4 (method 28): a story whose articles each listed the evening briefing too
    filled two thirds of the briefing's neighbourhood, and the briefing joined it and
    pulled in every event listing it back (cron shipped the briefing alone and marked 30
    articles); roundups linking to one article of a story took it out of its coverage
    (shipped twice); reports a day apart, each listing the day before's, were one story
    over ten days, and an undated explainer made January's and June's one (cron never
    shipped the later ones; h79: nor any report listing an explainer shipped before). A
    story with lists is what its lists name; a link makes no story of dated articles
    farther apart than the window; an undated article joins only an undated one."""
    env = _env(tmp_path)
    at = "2025-05-10T{:02d}:00:00Z".format
    url = "https://{0}.example/news/{0}-story".format
    feeds = tmp_path / "briefing"
    tops = [f"top{n}" for n in range(6)]
    events = [f"event{n}" for n in range(3)]
    words = ["Volcano", "Budget", "Strike", "Derby", "Vaccine", "Election", "Merger", "Flood"]
    names = [*tops, *events, "brief"]
    _write_items(
        feeds,
        {
            name: (f"{words[n % 8]} {name} {'x' * (n + 1)} report", at(6 + n), url(name))
            for n, name in enumerate(names)
        },
    )
    for name in names:
        _outlet(feeds, name, f"Out{name}")
    for top in tops:
        _relate(feeds, top, *[url(other) for other in tops if other != top], url("brief"))
    for event in events:
        _relate(feeds, event, url("brief"))
    _relate(feeds, "brief", url("top0"), *[url(event) for event in events])
    assert _stories(feeds, env) == [tops]
    assert _cron(feeds, env) == sorted(["brief", *events, "top5"])
    # two roundups listing one article of a story and two events each
    feeds = tmp_path / "roundups"
    story, others = ["sa", "sb", "sc"], ["r1", "r2", "e1", "e2", "e3", "e4"]
    _write_items(
        feeds,
        {n: (f"{n} {words[k % 8]} item", at(8 + k), url(n)) for k, n in enumerate(story + others)},
    )
    for name in story + others:
        _outlet(feeds, name, f"Out{name}")
    for name in story:
        _relate(feeds, name, *[url(other) for other in story if other != name])
    _relate(feeds, "r1", url("sa"), url("e1"), url("e2"))
    _relate(feeds, "r2", url("sa"), url("e3"), url("e4"))
    assert _stories(feeds, env) == [story]
    # a report a day, each another outlet's listing the day before's, one per cron run
    feeds = tmp_path / "daily"
    shipped = []
    for day in range(5):
        name = f"day{day}"
        _write_items(
            feeds, {name: (f"{words[day]} update {name}", f"2025-05-1{day}T09:00:00Z", url(name))}
        )
        _outlet(feeds, name, f"Out{name}")
        if day:
            _relate(feeds, name, url(f"day{day - 1}"))
        shipped.append(_cron(feeds, env))
    assert shipped == [["day0"], [], [], ["day3"], []]
    assert sorted(_stories(feeds, env)) == [["day0", "day1", "day2"], ["day3", "day4"]]
    # an undated explainer listing January's report; June's lists the explainer; and
    # h79: an explainer shipped alone when it came, reports listing it on later days
    feeds = tmp_path / "undated"
    _write_items(feeds, {
        "jan": ("Volcano erupts on northern island", "2025-01-10T09:00:00Z", url("jan")),
        "explainer": ("What you need to know about the island", "", url("explainer")),
    })  # fmt: skip
    _relate(feeds, "explainer", url("jan"))
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == ["explainer", "jan"]
    shipped = []
    for n, day in enumerate(("2025-06-12", "2025-06-15")):
        name = f"report{n}"
        _write_items(
            feeds, {name: (f"{words[n]} fund approved {name}", f"{day}T09:00:00Z", url(name))}
        )
        _outlet(feeds, name, f"Wire{n}")
        _relate(feeds, name, url("explainer"))
        shipped.append(_cron(feeds, env))
    assert shipped == [["report0"], ["report1"]]
    assert _stories(feeds, env) == []


def test_words_no_reader_sees_are_no_evidence(tmp_path: Path) -> None:
    """h78 8: a title whose OSC 8 link escape (which newscli drops from what it shows)
    carried an address, and another title showing that address in text, were one story
    "similar 0.75" by the address's words, though the first title's visible words share
    none with the second: --dedupe --mark-published hid one."""
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    hidden = "\x1b]8;;https://evil.example/promo/offer\x07Volcano erupts\x1b]8;;\x07"
    _write_items(feeds, {
        "a": (hidden.replace("\x1b", "\\e").replace("\x07", "\\a"), "2025-05-10T09:00:00Z",
              "https://a.example/news/volcano"),
        "b": ("[link=https://evil.example/promo/offer]Budget passes[/link]",
              "2025-05-10T10:00:00Z", "https://b.example/news/budget"),
    })  # fmt: skip
    _outlet(feeds, "a", "Alpha")
    _outlet(feeds, "b", "Beta")
    text = (feeds / "a.md").read_text(encoding="utf-8")
    assert "\\e]8" in text  # (YAML's double-quoted escapes: ESC and BEL in the title)
    assert _stories(feeds, env) == []
    assert _cron(feeds, env) == ["a", "b"]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_list_of_unlinked_stories_is_a_briefing_at_any_date(tmp_path: Path) -> None:
    """h79 1, 2, 4 (method 31): an evening briefing listing the top story's whole
    coverage, and one article of each of two other events, agreed with the top story (it
    filled two thirds of its neighbourhood): the briefing joined it, the events listing
    it back joined too, and cron shipped the briefing alone; a weekly roundup listing six
    days' events, only Sunday's within the window, counted as a list of one and was never
    shipped; date-only reports a day apart, each listing the day before's, were one story
    for five days at 48 hours (a date alone as that whole day in any zone, 52 hours). A
    list naming three things or more, one linked to none of the others (here or not yet),
    is a briefing: it joins nothing, and nothing joins its story by a link."""
    env = _env(tmp_path)
    url = "https://{0}.example/news/{0}-story".format
    words = ["Volcano", "Budget", "Strike", "Derby", "Vaccine", "Election", "Merger", "Flood"]
    tops, events = ["top0", "top1", "top2"], ["event0", "event1"]
    items = {
        name: (f"{words[n]} {name} report", f"2025-05-10T{8 + n:02d}:00:00Z", url(name))
        for n, name in enumerate([*tops, *events])
    }
    items["brief"] = ("Evening briefing for tonight", "2025-05-10T19:00:00Z", url("brief"))
    for arrivals, expected in (
        ([[*tops, *events, "brief"]], [["brief", *events, "top2"]]),
        ([[*tops, "brief"], events], [["brief", "top2"], events]),  # (events not yet here)
    ):
        feeds = tmp_path / f"briefing{len(arrivals)}"
        shipped = []
        for batch in arrivals:
            _write_items(feeds, {name: items[name] for name in batch})
            for name in batch:
                _outlet(feeds, name, f"Out{name}")
                if name in tops:
                    _relate(feeds, name, *[url(t) for t in tops if t != name], url("brief"))
                elif name in events:
                    _relate(feeds, name, url("brief"))
                else:
                    _relate(feeds, name, *[url(t) for t in [*tops, *events]])
            shipped.append(_cron(feeds, env))
        assert shipped == [sorted(run) for run in expected]
        assert _stories(feeds, env) == [tops]
    # a weekly roundup of six days' events, one a day, the roundup on Monday
    feeds = tmp_path / "weekly"
    shipped = []
    for day in range(13, 20):
        name = f"day{day}" if day < 19 else "roundup"
        when = f"2025-05-{day}T{12 + (name == 'roundup'):02d}:00:00Z"  # (one day's within 48h)
        _write_items(feeds, {name: (f"{words[day % 8]} {name}", when, url(name))})
        _outlet(feeds, name, f"Out{name}")
        if name == "roundup":
            _relate(feeds, name, *[url(f"day{d}") for d in range(13, 19)])
        shipped.append(_cron(feeds, env))
    assert shipped[-1] == ["roundup"]
    # date-only reports a day apart, each another outlet's listing the day before's
    feeds = tmp_path / "dates"
    shipped = []
    for day in range(10, 16):
        name = f"d{day}"
        _write_items(
            feeds, {name: (f"{words[day % 8]} update {name}", f"2025-05-{day}", url(name))}
        )
        _outlet(feeds, name, f"Out{name}")
        if day > 10:
            _relate(feeds, name, url(f"d{day - 1}"))
        shipped.append(_cron(feeds, env))
    assert shipped == [["d10"], [], [], ["d13"], [], []]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # h104 F1: method 43 took these apart, and cron shipped the one event twice
        (
            "Fed raises rates to fight stubborn inflation",
            "Fed raises rates to highest level since 2001",
        ),
        # h105 F3: so did method 44/46 with these
        ("Stocks fall 2% as inflation fears grow", "Shares fall 2.1% as inflation fears grow"),
    ],
)
def test_one_event_reworded_ships_once(tmp_path: Path, first: str, second: str) -> None:
    """One story: the first ships, the second is its duplicate."""
    feeds = tmp_path / "fed"
    feeds.mkdir()
    (feeds / "m1.md").write_text(MATCH.format(title=first, n=1), encoding="utf-8")
    (feeds / "m2.md").write_text(MATCH.format(title=second, n=2), encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    cron = ["export", str(feeds), "--unpublished", "--dedupe", "--mark-published"]
    done = run_cli(*cron, "--fields", "title,duplicates", env=env)
    assert done.returncode == 0, done.stderr
    (shipped,) = json.loads(done.stdout)
    assert len(shipped["duplicates"]) == 1
    again = run_cli(*cron, env=env)
    assert again.returncode == 0 and json.loads(again.stdout) == []
