"""`clusters` shows the stories of --dedupe and story.id: made of every article of the
folder, shown when one of their articles is selected (issue 16). With or without a
filter, with or without the cache, the three agree on each story's members."""

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, write

# name: (topic, quality, URL); s* are one story (one URL, a tracking parameter apart),
# t* another, u1 and v1 stand alone. (An hour apart each: one URL's titles of other
# words on two days are no copies, h71 4.)
ARTICLES = {
    "s1": ("AI", 40, "https://news.example/s"),
    "s2": ("Sports", 90, "https://news.example/s?utm_source=feed"),
    "s3": ("Sports", 10, "https://news.example/s/"),
    "t1": ("Sports", 70, "https://news.example/t"),
    "t2": ("Sports", 60, "https://news.example/t?utm_medium=rss"),
    "u1": ("AI", 80, "https://news.example/u"),
    "v1": ("Sports", 80, "https://news.example/v"),
}


def _corpus(root: Path) -> Path:
    for n, (name, (topic, quality, url)) in enumerate(sorted(ARTICLES.items())):
        write(
            root / "feeds" / f"{name}.md",
            f'---\ntitle: "Headline {name} {n} words"\npublishedDateTime: 2025-03-10T0{n}:00:00Z\n'
            f'quality: {quality}\ntopics: [{topic}]\nwebUrl: "{url}"\n---\n',
        )
    return root


def _out(root: Path, *args: str) -> str:
    done = run_cli(*args, cwd=root)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _views(root: Path, *options: str, ids: bool = True) -> dict[str, Any]:
    """What clusters, export --dedupe and story.id (of the articles listed) say of the
    stories: members by kept article, and each listed article's story id."""
    shown = json.loads(_out(root, "clusters", "feeds", "--format", "json", *options))
    clusters = {
        Path(s["kept"]).stem: sorted(Path(a["path"]).stem for a in s["articles"]) for s in shown
    }
    records = json.loads(_out(root, "export", "feeds", "--dedupe", "--format", "json", *options))
    dedupe = {
        Path(r["path"]).stem: sorted(
            [Path(r["path"]).stem] + [Path(d).stem for d in r["duplicates"]]
        )
        for r in records
    }
    found: dict[str, str] = {}
    if ids:
        listed = _out(root, "list", "feeds", "--columns", "path,story.id", *options)
        found = dict(line.split("\t", 1) for line in listed.splitlines()[1:])
    # each story's id, as clusters gives it in JSON and in TSV's last column (h62 6)
    shown_ids = {Path(s["kept"]).stem: s["id"] for s in shown}
    rows = _out(root, "clusters", "feeds", "--format", "tsv", *options).splitlines()
    assert rows[0].split("\t")[-1] == "id"
    tsv_ids = {Path(row.split("\t")[7]).stem: row.split("\t")[-1] for row in rows[1:]}
    for s in shown:
        assert {tsv_ids[Path(a["path"]).stem] for a in s["articles"]} == {s["id"]}
    return {"clusters": clusters, "dedupe": dedupe, "ids": found, "cluster_ids": shown_ids}


def _members(ids: dict[str, str]) -> list[list[str]]:
    """The articles of each story id, by name."""
    by_id: dict[str, list[str]] = {}
    for path, story in ids.items():
        by_id.setdefault(story, []).append(Path(path).stem)
    return sorted(sorted(names) for names in by_id.values())


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_clusters_groups_the_whole_folder_like_dedupe_and_story_id(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    stories = [["s1", "s2", "s3"], ["t1", "t2"], ["u1"], ["v1"]]
    for cache in ([], ["--no-cache"]):
        whole = _views(root, *cache)
        assert _members(whole["ids"]) == stories
        assert whole["clusters"] == {"s2": stories[0], "t1": stories[1]}
        by_name = {Path(p).stem: i for p, i in whole["ids"].items()}
        assert whole["cluster_ids"] == {"s2": by_name["s1"], "t1": by_name["t1"]}
        assert by_name["s1"] != by_name["t1"]
        assert whole["dedupe"] == {
            k: v
            for k, v in [("s2", stories[0]), ("t1", stories[1]), ("u1", ["u1"]), ("v1", ["v1"])]
        }
        # --topic AI selects s1 alone of its story: the story is still all three articles
        # (kept: the best selected one), as --dedupe and story.id have it.
        ai = _views(root, "--topic", "AI", *cache)
        assert ai["clusters"] == {"s1": stories[0]}
        assert ai["dedupe"] == {"s1": stories[0], "u1": ["u1"]}
        assert ai["ids"] == {p: i for p, i in whole["ids"].items() if Path(p).stem in "s1 u1"}
        assert ai["cluster_ids"] == {"s1": by_name["s2"]}  # the whole story's id
    # A filter selecting nothing of a story hides it; --min-quality 65 keeps s2 and t1.
    better = _views(root, "--min-quality", "65", ids=False)
    assert better["clusters"] == {"s2": stories[0], "t1": stories[1]}
    # --unpublished is decided per story, as with --dedupe: s3 published hides s1's story.
    assert _views(root, "--unpublished", "--topic", "AI", ids=False)["clusters"] == {
        "s1": stories[0]
    }
    s3 = root / "feeds" / "s3.md"
    s3.write_text(s3.read_text().replace("quality:", "published: true\nquality:"))
    for cache in ([], ["--no-cache"]):
        hidden = _views(root, "--unpublished", *cache, ids=False)
        assert hidden["clusters"] == {"t1": stories[1]}
        assert hidden["dedupe"] == {"t1": stories[1], "u1": ["u1"], "v1": ["v1"]}
