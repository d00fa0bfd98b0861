"""Story grouping measured on labelled headlines (UCI News Aggregator, Gasparetti 2016).

Usage: python bench/stories_eval.py [CSV] [--seeds 5] [--halves 10]

Each row becomes an article (title, URL, outlet) whose publication time is drawn at
random over the data's span (the rows come in story blocks, in crawl order: a method
that walks articles in time order must not see the labels through that order). The
grouping is newscli's own (`group_stories`, every kind of evidence) and is scored with
pairwise precision and recall over same-story pairs and with B-cubed precision, recall
and F1, against STORY_MERGED and STORY, averaged over the seeds.

``--halves N``: a stand-in for stories never seen: the stories (STORY_MERGED) are split
in two halves at random, N times, and each half is grouped alone and scored (its times
drawn as above): a method whose figures hold only with these stories together (their
word counts, say) falls here.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "tests" / "fixtures" / "stories" / "uci-news-dev.csv"


def unescape(text: str) -> str:
    r"""The public copy escapes some characters with a backslash (``\?``, ``\(``)."""
    return re.sub(r"\\(.)", r"\1", text)


def read_rows(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {**row, "TITLE": unescape(row["TITLE"]), "URL": unescape(row["URL"])}
            for row in csv.DictReader(handle)
        ]


def articles_for(rows: Sequence[dict[str, str]], seed: int) -> list:
    """One article per row, its time at random over the rows' span."""
    from newscli.article.model import article_from_mapping

    stamps = [int(r["TIMESTAMP"]) / 1000 for r in rows]
    low, high = min(stamps), max(stamps)
    rnd = random.Random(seed)
    found = []
    for row in rows:
        when = datetime.fromtimestamp(rnd.uniform(low, high), timezone.utc)
        data = {
            "title": row["TITLE"],
            "webUrl": row["URL"],
            "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "provider": {"name": row["PUBLISHER"], "domain": row["HOSTNAME"]},
        }
        found.append(article_from_mapping(f"{row['ID']}.md", data))
    return found


def _pairs(sizes: Counter[object]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score(predicted: Sequence[object], truth: Sequence[object]) -> dict[str, float]:
    """Pairwise precision/recall and B-cubed precision/recall/F1 of a labelling."""
    both = _pairs(Counter(zip(predicted, truth, strict=True)))
    pred_pairs, true_pairs = _pairs(Counter(predicted)), _pairs(Counter(truth))
    pred_size, true_size = Counter(predicted), Counter(truth)
    joint = Counter(zip(predicted, truth, strict=True))
    n = len(predicted)
    b_p = sum(joint[(p, t)] / pred_size[p] for p, t in zip(predicted, truth, strict=True)) / n
    b_r = sum(joint[(p, t)] / true_size[t] for p, t in zip(predicted, truth, strict=True)) / n
    return {
        "precision": both / pred_pairs if pred_pairs else 1.0,
        "recall": both / true_pairs if true_pairs else 1.0,
        "b3_precision": b_p,
        "b3_recall": b_r,
        "b3_f1": 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0,
    }


def evaluate(rows: Sequence[dict[str, str]], seeds: Sequence[int]) -> dict[str, dict[str, float]]:
    """Mean scores over the seeds against STORY_MERGED and STORY (and seconds per run)."""
    from newscli.select.stories import group_stories

    results: dict[str, list[dict[str, float]]] = {"STORY_MERGED": [], "STORY": []}
    seconds = []
    for seed in seeds:
        articles = articles_for(rows, seed)
        started = time.perf_counter()
        stories = group_stories(articles)
        seconds.append(time.perf_counter() - started)
        label = {a.path: n for n, s in enumerate(stories) for a in s.articles}
        predicted = [label[f"{r['ID']}.md"] for r in rows]
        for column, found in results.items():
            found.append(score(predicted, [r[column] for r in rows]))
    means = {
        column: {k: statistics.mean(r[k] for r in found) for k in found[0]}
        for column, found in results.items()
    }
    means["time"] = {"seconds": statistics.mean(seconds)}
    return means


def halves(rows: Sequence[dict[str, str]], splits: int) -> dict[str, float]:
    """Mean scores (against STORY_MERGED) of each half of the stories grouped alone,
    over ``splits`` random splits in two (split k drawn with seed k)."""
    from newscli.select.stories import group_stories

    labels = sorted({r["STORY_MERGED"] for r in rows})
    found = []
    for split in range(splits):
        one = set(random.Random(split).sample(labels, len(labels) // 2))
        for half in (one, set(labels) - one):
            part = [r for r in rows if r["STORY_MERGED"] in half]
            stories = group_stories(articles_for(part, split))
            label = {a.path: n for n, s in enumerate(stories) for a in s.articles}
            predicted = [label[f"{r['ID']}.md"] for r in part]
            found.append(score(predicted, [r["STORY_MERGED"] for r in part]))
    return {k: statistics.mean(r[k] for r in found) for k in found[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--halves", type=int, default=0, help="random splits of the stories")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    rows = read_rows(args.csv)
    means = evaluate(rows, range(1, args.seeds + 1))
    print(f"{len(rows)} headlines, {args.seeds} seeds (times at random over the span)\n")
    print("| labels | pair precision | pair recall | B3 precision | B3 recall | B3 F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for column in ("STORY_MERGED", "STORY"):
        m = means[column]
        print(
            f"| {column} | {m['precision']:.3f} | {m['recall']:.3f} | {m['b3_precision']:.3f} "
            f"| {m['b3_recall']:.3f} | {m['b3_f1']:.3f} |"
        )
    print(f"\ngrouping: {means['time']['seconds']:.2f} s per run")
    if args.halves:
        m = halves(rows, args.halves)
        print(
            f"\neach half of the stories alone ({args.halves} splits, STORY_MERGED): pair"
            f" precision {m['precision']:.3f}, recall {m['recall']:.3f}, B3 F1 {m['b3_f1']:.3f}"
        )


if __name__ == "__main__":
    main()
