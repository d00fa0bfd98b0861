"""The story commands on an existing warm corpus, against the main job, in one run
(issue 16): `clusters` (its stored grouping replayed), `clusters` with the main job's
filter, `clusters` grouped again (a --story-window not used before: every article's
story data is stored, the grouping is not), `export --dedupe` with the main job's
filter, and `export --dedupe` against the same export; each alternated with the main
job (`export DIR --topic AI --min-quality 50 --unpublished`), best of --runs; with the
peak memory of the process tree (sampled from /proc, bench/commands.py).

Usage: python bench/story_commands.py DIR [--runs 3]   (NEWSCLI_CACHE_DIR: a warm cache;
the installed `newscli` beside this Python). The corpus is only read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = ["--topic", "AI", "--min-quality", "50", "--unpublished"]
EXPORT_DEDUPE = ["export", "--dedupe", "-o", os.devnull]


def main() -> None:
    sys.path.insert(0, str(HERE))
    from commands import measure  # type: ignore[import-not-found]

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    newscli = str(Path(sys.executable).parent / "newscli")
    env = dict(os.environ)
    corpus = args.corpus
    quiet = ["--format", "json", "--quiet"]
    cases: list[tuple[str, list[str] | None, str]] = [
        ("clusters (stored grouping)", ["clusters", corpus, *quiet], "main"),
        ("clusters --topic AI --min-quality 50", ["clusters", corpus, *MAIN[:4], *quiet], "main"),
        ("clusters, grouped again", None, "main"),
        ("export --dedupe, main job's filter", [*EXPORT_DEDUPE, corpus, *MAIN], "main"),
        ("export (all)", ["export", corpus, "-o", os.devnull], "main"),
        ("export --dedupe (all)", ["export", corpus, "--dedupe", "-o", os.devnull], "export (all)"),
    ]
    best: dict[str, tuple[float, float]] = {}

    def keep(name: str, found: tuple[float, float]) -> None:
        old = best.get(name)
        best[name] = found if old is None else (min(old[0], found[0]), max(old[1], found[1]))

    main_job = [newscli, "export", corpus, *MAIN, "-o", os.devnull]
    for round_no in range(args.runs):
        print(f"round {round_no + 1}/{args.runs}", file=sys.stderr)
        for name, argv, _ in cases:
            if argv is None:  # a window never used: no stored grouping fits
                window = f"{47 * 3600 - 60 * (round_no + 1) - os.getpid() % 997}s"
                argv = ["clusters", corpus, "--story-window", window, *quiet]
            keep("main", measure(main_job, env))
            keep(name, measure([newscli, *argv], env))
    print("| command | best wall | against | ratio | peak memory (tree) |")
    print("|---|---:|---|---:|---:|")
    print(f"| main job | {best['main'][0]:.2f} s | | | {best['main'][1]:.0f} MB |")
    for name, _, against in cases:
        wall, peak = best[name]
        ratio = wall / best[against][0]
        print(f"| {name} | {wall:.2f} s | {against} | {ratio:.2f}x | {peak:.0f} MB |")


if __name__ == "__main__":
    main()
