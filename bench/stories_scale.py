"""Time and peak memory of story grouping on N generated articles (no files).

Usage: python bench/stories_scale.py N [CSV] [--related K]

The labelled headlines (bench/stories_eval.py) are repeated as often as N needs, each
copy in a time span of its own (2 days long, 5 days apart: copies at least 3 days apart,
so the 48-hour window keeps them apart; until 2026-12-03 the spans began 3 days apart,
which let the last day of one copy meet the first of the next), with
a URL of its own per article and an excerpt of 25 words; prints seconds, peak memory
(max RSS of this process, MB) and the number of stories.

--related K: the articles in blocks of K + 1 (in the order of their copy and labelled
story), each article's `related` list naming the rest of its block (an aggregator's lists
of one story's coverage, some spanning two stories); the same articles without lists are
grouped first in the same run, and the ratio printed (the lists' cost must stay linear:
at 2026-12-05 the first method-27 code spent minutes on lists of 99).
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import stories_eval

    from newscli.article.model import article_from_mapping
    from newscli.select.stories import group_stories

    args = sys.argv[1:]
    related = 0
    if "--related" in args:
        at = args.index("--related")
        related = int(args[at + 1])
        del args[at : at + 2]
    size = int(args[0])
    rows = stories_eval.read_rows(args[1] if len(args) > 1 else stories_eval.DEFAULT)
    rnd = random.Random(1)
    vocabulary = [w for r in rows for w in r["TITLE"].split()]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    articles: list[dict[str, Any]] = []
    for i in range(size):
        row = rows[i % len(rows)]
        copy = i // len(rows)
        when = start + timedelta(days=5 * copy, seconds=rnd.uniform(0, 2 * 86400))
        data: dict[str, Any] = {
            "title": row["TITLE"],
            "excerpt": " ".join(rnd.choice(vocabulary) for _ in range(25)),
            "webUrl": f"{row['URL']}#{copy}" if copy == 0 else f"https://x{copy}.example/{i}",
            "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            # (each copy's outlets of their own: an outlet with one headline on two days
            # would make every headline a column's, method 32, whose lists join nothing)
            "provider": {
                "name": f"{row['PUBLISHER']} {copy}" if copy else row["PUBLISHER"],
                "domain": f"c{copy}.{row['HOSTNAME']}" if copy else row["HOSTNAME"],
            },
        }
        articles.append(data)
    made = [article_from_mapping(f"{i}.md", data) for i, data in enumerate(articles)]
    plain = _group(group_stories, made, size, "")
    if related:
        del made
        # blocks of K + 1 articles in the order of their copy and labelled story, each
        # listing the rest of its block (mostly one story's coverage, some spanning two)
        order = sorted(range(size), key=lambda i: (i // len(rows), rows[i % len(rows)]["STORY"]))
        for start_at in range(0, size, related + 1):
            block = [str(articles[i]["webUrl"]) for i in order[start_at : start_at + related + 1]]
            for i, url in zip(order[start_at : start_at + related + 1], block, strict=True):
                articles[i]["related"] = [{"webUrl": other} for other in block if other != url]
        made = [article_from_mapping(f"{i}.md", data) for i, data in enumerate(articles)]
        listed = _group(group_stories, made, size, f" with lists of {related}")
        print(f"lists: {listed / plain:.2f}x the grouping without them")


def _group(group_stories: Any, articles: list[Any], size: int, label: str) -> float:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    stories = group_stories(articles)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    joined = sum(1 for s in stories if s.duplicates)
    print(
        f"{size} articles{label}: grouping {seconds:.2f} s, peak {peak:.0f} MB "
        f"({before:.0f} MB before grouping), {joined} stories of 2 or more"
    )
    return seconds


if __name__ == "__main__":
    main()
