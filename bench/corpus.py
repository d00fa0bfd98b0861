"""Generate corpora of synthetic articles in the aggregator's format (for benchmarks).

Usage: python bench/corpus.py FOLDER COUNT [--seed N] [--hostile-every N] [--headlines]

--headlines: titles from the labelled development headlines (tests/fixtures/stories,
UCI News Aggregator, Gasparetti 2016, CC BY 4.0), so that stories form as on real
data: each copy of the 2,949 headlines in a time span of its own (2 days long, 5 days
apart: copies at least 3 days apart, beyond the 48-hour window, as
bench/stories_scale.py; until 2026-12-03 they were 3 days apart, so the last day of a
copy and the first of the next were within the window and copies of one headline
met), their outlets as providers (their names and hosts; each copy's its own, since
2026-12-05: an outlet giving one headline on two days makes it a column's, method 32,
and a domain drawn from 8 made most copies of a headline one outlet's),
an excerpt of 25 words
drawn from the headlines' words, a URL of its own per article. Without it, titles are
drawn from a small vocabulary: no two articles form a story.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
from datetime import datetime, timedelta, timezone

TOPICS = ["AI", "Climate", "Space", "Health", "Economy", "Sports", "Science", "Policy"]
PROVIDERS = [
    ("Harbor Ledger", "harborledger.example"), ("Northgate Wire", "northgatewire.example"),
    ("Circuit Daily", "circuitdaily.example"), ("Summit Times", "summittimes.example"),
    ("Orbit Report", "orbitreport.example"), ("Bayside Courier", "baysidecourier.example"),
    ("Meridian Health News", "meridianhealth.example"), ("Stadium Post", "stadiumpost.example"),
]  # fmt: skip
WORDS = [
    "regulators",
    "draft",
    "new",
    "rules",
    "for",
    "chips",
    "market",
    "record",
    "study",
    "finds",
    "ocean",
    "heat",
    "lander",
    "touches",
    "down",
    "near",
    "south",
    "pole",
    "league",
    "trials",
    "offside",
    "calls",
    "central",
    "bank",
    "holds",
    "rates",
    "signals",
    "cuts",
    "later",
    "year",
    "hospitals",
    "pilot",
    "assistants",
    "emergency",
    "rooms",
    "glaciers",
    "lose",
]
HOSTILE = [
    "---\ntitle: broken [\n---\n",
    "---\ntitle: x\nquality: high\n---\n",
    "---\na: &a [1]\nb: *a\ntitle: bomb\n---\n",
    "no front matter at all\n",
    '---\ntitle: "\\e[31mred"\npublished: "no"\n---\n',
]


def sentence(rnd: random.Random, n: int) -> str:
    words = [rnd.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize()


Headline = tuple[str, str, str, datetime, int, str]  # title, excerpt, outlet, when, copy,
# its host


def article(rnd: random.Random, i: int, headline: Headline | None = None) -> str:
    name, domain = rnd.choice(PROVIDERS)
    when = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rnd.randrange(800000))
    title = f'"{sentence(rnd, rnd.randint(6, 12))}"'
    excerpt = f'"{sentence(rnd, rnd.randint(20, 35))}."'
    if headline is not None:
        title, excerpt = (
            json.dumps(headline[0], ensure_ascii=False),
            json.dumps(headline[1], ensure_ascii=False),
        )
        name, when = json.dumps(headline[2], ensure_ascii=False), headline[3]
        domain = f"c{headline[4]}.{headline[5]}"  # (the copy's own: see headlines)
    slug = f"story-{i}"
    url = f"https://www.{domain}/{when:%Y/%m/%d}/{slug}/"
    topics = rnd.sample(TOPICS, rnd.randint(1, 3))
    amp_host = "www-" + domain.replace(".", "-") + ".cdn.ampproject.org"
    lines = [
        "---",
        "category: news",
        f"title: {title}",
        f"excerpt: {excerpt}",
        f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}",
        f'originalUrl: "{url}"',
        f'webUrl: "{url}"',
        f'ampWebUrl: "{url}?outputType=amp"',
        f'cdnAmpWebUrl: "https://{amp_host}/c/s/www.{domain}/{slug}/?outputType=amp"',
        "type: article",
        f"quality: {rnd.randint(0, 100)}",
        f"heat: {rnd.choice([-1, rnd.randint(0, 900)])}",
        f"published: {rnd.choice(['true', 'false', 'false'])}",
        "",
        f"provider:\n  name: {name}\n  domain: {domain}",
        "",
        "topics:\n" + "\n".join(f"  - {t}" for t in topics),
        "",
        f'images:\n  - url: "https://cdn.{domain}/img/{slug}.jpg?width=800&height=450"\n'
        "    width: 800\n    height: 450\n    isCached: true",
    ]
    related = []
    for _ in range(rnd.randint(0, 2)):
        rname, rdomain = rnd.choice(PROVIDERS)
        earlier = when - timedelta(hours=rnd.randint(1, 30))
        related.append(
            f'  - title: "{sentence(rnd, 8)}"\n'
            f'    excerpt: "{sentence(rnd, 20)}"\n'
            f"    publishedDateTime: {earlier:%Y-%m-%dT%H:%M:%SZ}\n"
            f'    webUrl: "https://www.{rdomain}/{slug}-{rnd.randint(1, 999)}?ref=upstract.com"\n'
            f"    type: article\n    provider:\n      name: {rname}\n      domain: {rdomain}\n"
            f"    quality: {rnd.randint(0, 100)}"
        )
    if related:
        lines += ["", "related:", *related]
    blob = "".join(rnd.choice(string.ascii_letters + string.digits + "+/") for _ in range(340))
    lines += ["", f'secured: "{blob}=="', "---", ""]
    return "\n".join(lines)


def headlines(count: int, seed: int) -> list[Headline]:
    """The development headlines, repeated as ``count`` needs (see the module's doc)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import stories_eval

    rows = stories_eval.read_rows(stories_eval.DEFAULT)
    rnd = random.Random(seed)
    vocabulary = [w for row in rows for w in row["TITLE"].split()]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    found = []
    for i in range(count):
        row, copy = rows[i % len(rows)], i // len(rows)
        when = start + timedelta(days=5 * copy, seconds=rnd.randrange(2 * 86400))
        excerpt = " ".join(rnd.choice(vocabulary) for _ in range(25))
        # (each copy's outlets of their own, as other weeks' news would have other
        # headlines: an outlet with one headline on two days makes it a column's,
        # method 32)
        found.append(
            (
                row["TITLE"],
                excerpt,
                f"{row['PUBLISHER']} {copy}",
                when,
                copy,
                row["HOSTNAME"].removeprefix("www."),
            )
        )
    return found


def generate(
    folder: str, count: int, seed: int = 1, hostile_every: int = 0, real: bool = False
) -> None:
    rnd = random.Random(seed)
    titles = headlines(count, seed) if real else None
    for i in range(count):
        sub = os.path.join(folder, f"{i % 100:02}", f"{(i // 100) % 10}")
        os.makedirs(sub, exist_ok=True)
        if hostile_every and i % hostile_every == hostile_every - 1:
            text = HOSTILE[(i // hostile_every) % len(HOSTILE)]
        else:
            text = article(rnd, i, titles[i] if titles else None)
        with open(os.path.join(sub, f"a{i:06}.md"), "w", encoding="utf-8") as handle:
            handle.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hostile-every", type=int, default=0)
    parser.add_argument("--headlines", action="store_true")
    args = parser.parse_args()
    generate(args.folder, args.count, args.seed, args.hostile_every, args.headlines)


if __name__ == "__main__":
    main()
