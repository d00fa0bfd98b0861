"""Every selecting or reporting command against the main job, warm, in the same run
(issue 15): each at most 3x the main job plus the cost of its output, and at most 300 MB
for the whole process tree (the forked walk helper and any workers included).

Usage: python3 bench/commands.py [--size 100000] [--runs 3] [--workdir DIR]
(bench/run.py runs it too, with --commands-size). The corpus is bench/corpus.py's, with
a field only some files have (``section``, in every tenth file) for the --where row.

For each command: its median wall time as a ratio to the main job's (`export DIR --topic
AI --min-quality 50 --unpublished`), run alternately with it; its output cost, the same
records written as `export --format jsonl` to /dev/null, also as a ratio (0 for reports
that print no records: stats, fields, validate); and the peak of the sum of the resident
memory of its process and every descendant, sampled every 10 ms from /proc. Each
command runs once untimed first: warm means its cache is made, and CSV/TSV keep their
cells in it on their first run (a first CSV export after files change costs about what
one did before cells were kept).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = ["--topic", "AI", "--min-quality", "50", "--unpublished"]
SPARSE = "section: sport\n"  # in every tenth file
SPARSE_WHERE = ["--where", "section = 'sport'"]

# name, arguments after the corpus, arguments selecting the same records for the output
# cost (None: a report that prints no records)
COMMANDS: list[tuple[str, list[str], list[str] | None]] = [
    ("list (all, piped)", ["list"], []),
    ("export json (all)", ["export"], []),
    ("export csv (all)", ["export", "--format", "csv"], []),
    ("export tsv (all)", ["export", "--format", "tsv"], []),
    ("export jsonl (all)", ["export", "--format", "jsonl"], []),
    ("stats (all)", ["stats"], None),
    ("fields", ["fields"], None),
    ("validate", ["validate"], None),
    ("--where on a sparse field", ["export", *SPARSE_WHERE], SPARSE_WHERE),
    ("--search", ["export", "--search", "glaciers"], ["--search", "glaciers"]),
    ("--match", ["export", "--match", r"\bpole\b.*market"], ["--match", r"\bpole\b.*market"]),
    # (the generated corpus has no story of several articles: it prints no record)
    ("--where on a story field", ["list", "--where", "story.size > 1"], None),
]


def _tree_rss_kb(root: int) -> int:
    """The resident memory (kB) of ``root`` and its descendants now."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        todo += children
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree) of one run, stdout to /dev/null (a
    pipe's reader that keeps up). Exit 0 or 1 (invalid files) are fine."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.01)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}")
    return wall, peak / 1024


def corpus(python: str, workdir: Path, size: int) -> Path:
    """bench/corpus.py's corpus (1% hostile files), with a sparse field in every tenth."""
    folder = workdir / f"commands-corpus-{size}"
    if not folder.exists():
        print(f"generating {size} articles in {folder} ...", file=sys.stderr)
        generate = [python, str(HERE / "corpus.py"), str(folder), str(size)]
        subprocess.run([*generate, "--hostile-every", "100"], check=True)
        for number, path in enumerate(sorted(folder.rglob("*.md"))):
            text = path.read_text(encoding="utf-8")
            if number % 10 == 0 and text.startswith("---\n"):
                path.write_text("---\n" + SPARSE + text[4:], encoding="utf-8")
    return folder


def bench_commands(python: str, size: int, runs: int, workdir: Path) -> list[dict[str, object]]:
    newscli = str(Path(python).parent / "newscli")
    folder = str(corpus(python, workdir, size))
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(workdir / f"commands-cache-{size}")}
    main = [newscli, "export", folder, *MAIN, "-o", os.devnull]
    measure(main, env)  # warm the cache (not measured)
    for _, args, _ in COMMANDS:  # and what a command keeps for itself (CSV's cells)
        measure([newscli, args[0], folder, *args[1:]], env)
    samples: dict[str, list[tuple[float, float]]] = {"main job": []}
    for round_no in range(runs):
        print(f"commands {size}: round {round_no + 1}/{runs}", file=sys.stderr)
        for name, args, same in COMMANDS:
            samples["main job"].append(measure(main, env))
            samples.setdefault(name, []).append(measure([newscli, args[0], folder, *args[1:]], env))
            if same is not None:
                output = [newscli, "export", folder, *same, "--format", "jsonl", "-o", os.devnull]
                samples.setdefault(f"{name} output", []).append(measure(output, env))
    main_wall = statistics.median(w for w, _ in samples["main job"])
    rows = []
    for name, *_ in [("main job", [], None), *COMMANDS]:
        wall = statistics.median(w for w, _ in samples[name])
        output = statistics.median(w for w, _ in samples.get(f"{name} output", [(0.0, 0.0)]))
        budget = 3 * main_wall + output
        rows.append(
            {
                "size": size,
                "case": name,
                "wall": wall,
                "vs_main": wall / main_wall,
                "output_vs_main": output / main_wall,
                "of_budget": wall / budget,
                "peak_mb": max(m for _, m in samples[name]),
            }
        )
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| files | command | median wall | x main job | output x main | of 3x main + output "
        "| peak memory (tree) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['case']} | {r['wall']:.2f} s | {r['vs_main']:.2f}x "
            f"| {r['output_vs_main']:.2f}x | {r['of_budget']:.0%} | {r['peak_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/newscli-bench")
    parser.add_argument("--python", default=None, help="an installed newscli's Python")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.python is None:
        sys.path.insert(0, str(HERE))
        from run import install  # type: ignore[import-not-found]

        python = install(workdir)
    else:
        python = args.python
    print(table(bench_commands(python, args.size, args.runs, workdir)))


if __name__ == "__main__":
    main()
