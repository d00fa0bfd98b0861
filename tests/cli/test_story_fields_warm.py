"""story.* fields through the installed command, warm (select/story_select: grouped from
the cache, only the articles that may pass built; with --dedupe and in `clusters`,
select/story_light): the same bytes as the cold run that filled the cache and as
--no-cache, for --where (mixed, `or`, `not`), a config rule, --sort, --columns/--fields,
paging and a file edited since the cache was warmed."""

import os
from pathlib import Path

import pytest
from conftest import run_cli, write

# name, outlet, hour, quality, title, url
ARTICLES = [
    ("reuters", "Reuters", 1, 60, "UPDATE 1-Fed's Plosser sees high bar for change in taper pace",
     "https://reuters.example/a"),
    ("yahoo", "Yahoo", 2, 90, "Fed's Plosser sees high bar for change in taper pace | Reuters UK",
     "https://yahoo.example/b"),
    ("mint", "Livemint", 3, 70, "Plosser sees high bar for changing pace of Fed taper - Livemint",
     ""),
    ("oil", "Paper A", 4, 40, "Oil prices slip as Chinese exports disappoint",
     "https://www.a.example/oil?utm_source=x"),
    ("crude", "Paper B", 5, 55, "Crude slides after Chinese export figures",
     "https://a.example/oil"),
    ("gas", "Paper C", 6, 80, "Gas prices climb for fourth straight week", "https://c.example/g"),
    ("gox", "", 7, 30, "Bitcoin exchange Mt. Gox files for bankruptcy protection", ""),
]  # fmt: skip
COMMANDS = [
    ["list", "feeds", "--where", "story.size > 1"],
    ["list", "feeds", "--where", "story.size > 1 and quality >= 60", "--columns",
     "path,story.id,story.size,story.rank,story.outlets,story.first"],
    ["list", "feeds", "--where", "story.rank = 1 or quality < 35", "--sort", "story.size"],
    ["list", "feeds", "--where", "not (story.size = 1 and quality < 70)", "--format", "json"],
    ["list", "feeds", "--sort", "story.outlets,story.id", "--columns", "path,story.outlets",
     "--limit", "3", "--offset", "1"],
    ["export", "feeds", "--where", "story.outlets >= 2", "--fields", "story.id,story.rank,path",
     "--format", "jsonl", "--prefer-provider", "Livemint"],
    ["stats", "feeds", "--where", "story.size = 1", "--format", "json"],
    ["export", "feeds", "--dedupe", "--where", "story.size > 1 and quality >= 50", "--fields",
     "path,story.id,story.rank,story.outlets", "--format", "jsonl"],
    ["clusters", "feeds", "--where", "story.rank > 1 or quality > 85", "--sort", "story.outlets",
     "--format", "json"],
]  # fmt: skip


def _write(folder: Path) -> None:
    for name, outlet, hour, quality, title, url in ARTICLES:
        provider = f"provider:\n  name: {outlet}\n" if outlet else ""
        link = f'webUrl: "{url}"\n' if url else ""
        write(
            folder / f"{name}.md",
            f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n'
            f"quality: {quality}\n{provider}{link}---\n",
        )


def _outputs(tmp_path: Path, *extra: str) -> list[str]:
    found = []
    for command in COMMANDS:
        run = run_cli(*command, *extra, cwd=tmp_path)
        assert run.returncode in (0, 4), run.stderr
        found.append(run.stdout)
    return found


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_story_fields_warm_are_cold_and_uncached(tmp_path: Path) -> None:
    _write(tmp_path / "feeds")
    cache = ("--cache-dir", str(tmp_path / "cache"))
    cold = _outputs(tmp_path, *cache)  # fills the cache (and its groupings)
    assert "reuters.md" in cold[0] and "gas.md" not in cold[0]
    assert _outputs(tmp_path, *cache) == cold == _outputs(tmp_path, "--no-cache")
    # A config rule naming a story field (one that only the article can finish deciding)
    (tmp_path / "newscli.yaml").write_text(
        "rules:\n  exclude: ['story.size > 1 and quality < 65']\n", encoding="utf-8"
    )
    ruled = _outputs(tmp_path, *cache)
    assert ruled != cold and ruled == _outputs(tmp_path, "--no-cache")
    # An edit since the cache was warmed: the gas story joins the Plosser one by title.
    path = tmp_path / "feeds" / "gas.md"
    text = path.read_text(encoding="utf-8").replace(
        "Gas prices climb for fourth straight week", "Fed's Plosser sees high bar for taper pace"
    )
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    edited = _outputs(tmp_path, *cache)
    assert edited != ruled and edited == _outputs(tmp_path, "--no-cache")
