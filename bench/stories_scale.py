"""Time and peak memory of story grouping on N generated articles (no files).

Usage: python bench/stories_scale.py N [CSV]

The labelled headlines (bench/stories_eval.py) are repeated as often as N needs, each
copy in a time span of its own (2 days long, 5 days apart: copies at least 3 days apart,
so the 48-hour window keeps them apart; until 2026-12-03 the spans began 3 days apart,
which let the last day of one copy meet the first of the next), with
a URL of its own per article and an excerpt of 25 words; prints seconds, peak memory
(max RSS of this process, MB) and the number of stories.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import stories_eval

    from newscli.article.model import article_from_mapping
    from newscli.select.stories import group_stories

    size = int(sys.argv[1])
    rows = stories_eval.read_rows(sys.argv[2] if len(sys.argv) > 2 else stories_eval.DEFAULT)
    rnd = random.Random(1)
    vocabulary = [w for r in rows for w in r["TITLE"].split()]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    articles = []
    for i in range(size):
        row = rows[i % len(rows)]
        copy = i // len(rows)
        when = start + timedelta(days=5 * copy, seconds=rnd.uniform(0, 2 * 86400))
        data = {
            "title": row["TITLE"],
            "excerpt": " ".join(rnd.choice(vocabulary) for _ in range(25)),
            "webUrl": f"{row['URL']}#{copy}" if copy == 0 else f"https://x{copy}.example/{i}",
            "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "provider": {"name": row["PUBLISHER"], "domain": row["HOSTNAME"]},
        }
        articles.append(article_from_mapping(f"{i}.md", data))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    stories = group_stories(articles)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    joined = sum(1 for s in stories if s.duplicates)
    print(
        f"{size} articles: grouping {seconds:.2f} s, peak {peak:.0f} MB "
        f"({before:.0f} MB before grouping), {joined} stories of 2 or more"
    )


if __name__ == "__main__":
    main()
