"""Story grouping measured on politically framed headlines (bench/political/headlines.csv).

Usage: python bench/political_eval.py [--story-window 48h] [--verbose]

The issue's second labelled set (politically framed headlines) is not here; this is a
stand-in, written for this project by a fresh-context helper (h145, 2026-12-07) before
it read how the grouping works: 40 events, each told by 3-5 outlets of different
leanings within about 12 hours; 28 events (55 articles) made to be confused with one of
them (the same actor, another bill, ruling, city or day: "hard negatives"); 30 single
articles. Every article has an outlet of its own and no shared URL or `related` link,
so only text similarity can join two. The events are made up, though many name real
people and bodies: headlines to test with, not news. The labels are the helper's; three
of its pairs could go either way (docs/stories.md, "Politically framed headlines").

Each row becomes an article file (its outlet and minutes drawn with a fixed seed) in a
temporary folder; the installed `newscli clusters` (beside this Python) groups them, and
the grouping is scored with pairwise precision and recall over same-event pairs and
with B-cubed precision, recall and F1, with and without the hard negatives. --verbose
lists every pair of two events joined.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "political" / "headlines.csv"
FIRST = ["Capitol", "Liberty", "Heartland", "Progressive", "Citizen", "Metro", "National",
         "Coastal", "Frontier", "Patriot", "Union", "Commonwealth", "Civic", "Daybreak",
         "Evening", "Atlantic", "Pacific", "Prairie", "Granite", "Keystone", "Lakeshore",
         "Summit", "Harbor", "Redwood", "Ironbridge", "Northstar", "Bluegrass", "Riverside",
         "Cardinal", "Meridian"]  # fmt: skip
SECOND = ["Ledger", "Herald", "Post", "Wire", "Review", "Dispatch", "Times", "Chronicle",
          "Report", "Sentinel", "Observer", "Beacon", "Tribune", "Gazette", "Standard",
          "Journal"]  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_articles(folder: Path) -> tuple[dict[str, str], set[str]]:
    """One article file per row in ``folder``; returns each file's event label, and the
    files of the hard negatives."""
    rng = random.Random(145)
    outlets = [f"{a} {b}" for a in FIRST for b in SECOND]
    rng.shuffle(outlets)
    labels: dict[str, str] = {}
    decoys: set[str] = set()
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for n, row in enumerate(rows, 1):
        when = datetime.fromisoformat(row["base"])
        if row["kind"] != "singleton":
            offset = float(row["offset_hours"])
            when += timedelta(hours=offset, minutes=rng.randint(0, 50))
        outlet = outlets[n - 1]
        domain = _slug(outlet).replace("-", "") + ".example"
        name = f"a{n:03d}-{_slug(row['title'])[:40]}.md"
        url = f"https://www.{domain}/{when:%Y/%m}/{_slug(row['title'])}/"
        text = (
            "---\ncategory: news\n"
            f"title: {_quoted(row['title'])}\nexcerpt: {_quoted(row['excerpt'])}\n"
            f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%S}Z\n"
            f'originalUrl: "{url}"\nwebUrl: "{url}"\ntype: article\n'
            f"quality: {rng.randint(40, 95)}\nheat: {rng.randint(10, 900)}\npublished: false\n"
            f"provider:\n  name: {outlet}\n  domain: {domain}\n"
            f"topics:\n  - Politics\n---\n\n{row['excerpt']}\n"
        )
        (folder / name).write_text(text, encoding="utf-8")
        labels[name] = row["label"]
        if row["kind"] == "hardneg":
            decoys.add(name)
    return labels, decoys


def score(gold: dict[str, str], found: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 and B-cubed precision/recall/F1 of ``found`` (file ->
    story) against ``gold`` (file -> event)."""
    files = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(files, 2):
        same, joined = gold[a] == gold[b], found[a] == found[b]
        tp += same and joined
        fp += joined and not same
        fn += same and not joined
    events: defaultdict[str, set[str]] = defaultdict(set)
    stories: defaultdict[str, set[str]] = defaultdict(set)
    for f in files:
        events[gold[f]].add(f)
        stories[found[f]].add(f)
    shared = [len(events[gold[f]] & stories[found[f]]) for f in files]
    b3p = sum(s / len(stories[found[f]]) for s, f in zip(shared, files, strict=True)) / len(files)
    b3r = sum(s / len(events[gold[f]]) for s, f in zip(shared, files, strict=True)) / len(files)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "pairs": tp + fn, "found": tp + fp, "wrong": fp,
        "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "B3 P": b3p, "B3 R": b3r, "B3 F1": 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0,
    }  # fmt: skip


def grouped(folder: Path, window: str | None) -> dict[str, str]:
    """Each file's story, as `newscli clusters` groups the folder (a file alone: its own)."""
    newscli = str(Path(sys.executable).parent / "newscli")
    argv = [newscli, "clusters", str(folder), "--format", "json", "--no-cache", "--quiet"]
    if window:
        argv += ["--story-window", window]
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(folder.parent / "state")}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    found = {f.name: f"alone:{f.name}" for f in folder.glob("*.md")}
    for story in json.loads(done.stdout):
        for article in story["articles"]:
            found[Path(article["path"]).name] = f"story:{story['id']}"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story-window", default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "articles"
        folder.mkdir()
        gold, decoys = write_articles(folder)
        found = grouped(folder, args.story_window)
        easy = Path(temporary) / "no-decoys"
        easy.mkdir()
        kept = {}
        for name, label in gold.items():  # (the same files, the hard negatives left out)
            if name not in decoys:
                (easy / name).write_bytes((folder / name).read_bytes())
                kept[name] = label
        found_easy = grouped(easy, args.story_window)
    print(f"{len(gold)} headlines (bench/political), window {args.story_window or 'default'}")
    print()
    print("| set | true pairs | joined | wrong | pair P | pair R | B3 P | B3 R | B3 F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, labels, stories in (("all", gold, found), ("no hard negatives", kept, found_easy)):
        s = score(labels, stories)
        print(
            f"| {name} | {s['pairs']:.0f} | {s['found']:.0f} | {s['wrong']:.0f} | {s['P']:.3f} "
            f"| {s['R']:.3f} | {s['B3 P']:.3f} | {s['B3 R']:.3f} | {s['B3 F1']:.3f} |"
        )
    if args.verbose:
        with DATA.open(encoding="utf-8", newline="") as handle:
            titles = [row["title"] for row in csv.DictReader(handle)]
        title_of = {name: titles[int(name[1:4]) - 1] for name in gold}
        print("\nTwo events joined:")
        for a, b in itertools.combinations(sorted(gold), 2):
            if found[a] == found[b] and gold[a] != gold[b]:
                print(f"  [{gold[a]}] {title_of[a]}  |  [{gold[b]}] {title_of[b]}")


if __name__ == "__main__":
    main()
