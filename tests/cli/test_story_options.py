"""Stories through the installed command: similarity in `clusters` (with why each article
joined), --same-story, --story-window, --prefer-provider and the config keys, story.*
fields in --where/--sort/--columns, and the same stories with or without the cache."""

import json
from pathlib import Path

import pytest
from conftest import run_cli

COPIES = [
    # name, outlet, hour, quality, title
    ("reuters", "Reuters", 1, 60, "UPDATE 1-Fed's Plosser sees high bar for change in taper pace"),
    ("yahoo", "Yahoo", 2, 90, "Fed's Plosser sees high bar for change in taper pace | Reuters UK"),
    ("mint", "Livemint", 3, 70, "Plosser sees high bar for changing pace of Fed taper - Livemint"),
]
OTHERS = [
    "Oil prices slip as Chinese exports disappoint",
    "Lindsay Lohan docuseries premieres on Oprah's network",
    "Snowden to speak at SXSW via video link",
    "Herbalife shares jump on Pershing Square news",
    "Gas prices climb for fourth straight week",
    "McDonald's February sales fall on bad weather",
    "Bitcoin exchange Mt. Gox files for bankruptcy protection",
    "Samsung unveils Galaxy S5 with fingerprint scanner",
]


def _write(folder: Path) -> None:
    rows = [*COPIES, *((f"other{n}", f"Paper {n}", 4 + n, 50, t) for n, t in enumerate(OTHERS))]
    for name, outlet, hour, quality, title in rows:
        (folder / f"{name}.md").write_text(
            f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n'
            f"quality: {quality}\nprovider:\n  name: {outlet}\n"
            f'webUrl: "https://{name}.example/story"\n---\n',
            encoding="utf-8",
        )


def _stories(folder: Path, *args: str) -> list[dict]:
    run = run_cli("clusters", "feeds", "--format", "json", *args, cwd=folder)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_story_options_fields_and_config(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    _write(tmp_path / "feeds")
    cache = ("--cache-dir", str(tmp_path / "cache"))
    (story,) = _stories(tmp_path, *cache)
    names = [Path(a["path"]).stem for a in story["articles"]]
    assert names[0] == "yahoo"  # the best quality represents it
    assert sorted(names) == ["mint", "reuters", "yahoo"]
    joined = [a["joined"] for a in story["articles"][1:]]
    assert {j["by"] for j in joined} == {"similar"} and all(j["score"] >= 0.3 for j in joined)
    assert "joined" not in story["articles"][0]
    assert _stories(tmp_path, "--no-cache") == [story]  # the same without the cache
    # --prefer-provider first; the config's prefer-providers after it
    (tmp_path / "newscli.yaml").write_text(
        "prefer-providers: [Livemint]\nstory-window: 1h\n", encoding="utf-8"
    )
    assert _stories(tmp_path, "--story-window", "3h")[0]["kept"].endswith("mint.md")
    prefer = ("--prefer-provider", "reuters.example", "--prefer-provider", "Reuters")
    preferred = _stories(tmp_path, "--story-window", "3h", *prefer)
    assert preferred[0]["kept"].endswith("reuters.md")
    # the config's story-window (1h) keeps copies 1 and 2 hours apart from the first
    assert [len(s["articles"]) for s in _stories(tmp_path)] == [2]
    (tmp_path / "newscli.yaml").write_text("same-story: [url, related]\n", encoding="utf-8")
    assert _stories(tmp_path) == []
    assert len(_stories(tmp_path, "--same-story", "similar")) == 1
    table = run_cli("clusters", "feeds", "--format", "table", cwd=tmp_path)
    assert "similar 0." not in table.stdout  # the config says url and related only
    # story fields in --where, --sort and --columns
    (tmp_path / "newscli.yaml").write_text("feeds: [feeds]\n", encoding="utf-8")
    listed = run_cli(
        "list", "--where", "story.outlets >= 3", "--sort", "story.rank:desc",
        "--columns", "story.size,story.outlets,story.rank,story.id,path", cwd=tmp_path,
    )  # fmt: skip
    rows = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
    assert [r[:3] for r in rows] == [["3", "3", "3"], ["3", "3", "2"], ["3", "3", "1"]]
    assert len({r[3] for r in rows}) == 1 and Path(rows[-1][4]).stem == "yahoo"
    # a bad config key: one line naming the file and the key, exit 2
    (tmp_path / "newscli.yaml").write_text("same-story: [url, simliar]\n", encoding="utf-8")
    bad = run_cli("list", "feeds", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("newscli: error: newscli.yaml: same-story: unknown evidence")
    (tmp_path / "newscli.yaml").unlink()
    wrong = run_cli("list", "feeds", "--same-story", "title", cwd=tmp_path)
    assert wrong.returncode == 2 and "--same-story" in wrong.stderr
