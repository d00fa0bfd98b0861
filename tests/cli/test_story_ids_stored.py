"""`clusters` from a warm cache keeps its stories' ids with the grouping they were made
of (select/story_light.with_ids: they cost a third of the run at 100,000 articles).
Replayed, they are the ids made from the members (--no-cache, and the `list` column),
for stories joined by URL and by title, with members named by URL and by path; a file
changed since, the ids of the new versions; stored ids damaged, made again."""

import json
import sqlite3
from pathlib import Path

from conftest import rewrite_later, run_cli, write

# Two stories joined by URL (a and b; c and d) and one by title, one of whose articles
# has no URL (e and f: f is named by its path).
ARTICLES = {
    "a": ("Markets rally as the central bank holds rates", "https://one.example/a"),
    "b": (
        "UPDATE 1-Markets rally as the central bank holds rates",
        "https://one.example/a?utm_source=x",
    ),
    "c": ("Storm closes the northern coast road", "https://two.example/c"),
    "d": ("Coast road shut by storm", "https://two.example/c/"),
    "e": ("Volcano erupts near Reykjavik, flights halted", "https://three.example/e"),
    "f": ("Volcano erupts near Reykjavik, flights halted", None),
    "g": ("Chess champion retires at 34", "https://four.example/g"),
}


def _corpus(root: Path) -> None:
    for n, (name, (title, url)) in enumerate(sorted(ARTICLES.items())):
        link = f'webUrl: "{url}"\n' if url else ""
        write(
            root / "feeds" / f"{name}.md",
            f'---\ntitle: "{title}"\npublishedDateTime: 2025-03-10T0{n}:00:00Z\n'
            f"provider: {{name: Outlet {n}}}\n{link}---\n",
        )


def _clusters(root: Path, cache: Path, *options: str) -> dict[tuple[str, ...], str]:
    """Each story shown (its members' names) and its id."""
    done = run_cli(
        "clusters", "feeds", "--format", "json", *options, cwd=root,
        env={"NEWSCLI_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {
        tuple(sorted(Path(a["path"]).stem for a in story["articles"])): story["id"]
        for story in json.loads(done.stdout)
    }


def _listed(root: Path, cache: Path) -> dict[str, str]:
    """story.id of each article, as `list` gives it."""
    done = run_cli(
        "list", "feeds", "--columns", "path,story.id", cwd=root,
        env={"NEWSCLI_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {
        Path(path).stem: sid
        for path, sid in (line.split("\t") for line in done.stdout.splitlines()[1:])
    }


def _stored_ids(cache: Path) -> list[str]:
    """The digests under which story ids are stored (index cache's story_groups)."""
    with sqlite3.connect(cache / "index.sqlite3") as conn:
        rows = conn.execute("SELECT digest FROM story_groups").fetchall()
    return [d for (d,) in rows if d.startswith("ids ")]


def _damage_ids(cache: Path, joins: str) -> None:
    with sqlite3.connect(cache / "index.sqlite3") as conn:
        conn.execute("UPDATE story_groups SET joins = ? WHERE digest LIKE 'ids %'", (joins,))


def test_stored_story_ids_are_the_ids_made_from_the_members(tmp_path: Path) -> None:
    _corpus(tmp_path)
    cache = tmp_path / "cache"
    made = _clusters(tmp_path, tmp_path / "none", "--no-cache")
    assert sorted(made) == [("a", "b"), ("c", "d"), ("e", "f")], made
    assert len(set(made.values())) == 3
    runs = [_clusters(tmp_path, cache) for _ in range(3)]  # cold, warm, ids replayed
    assert _stored_ids(cache), "no ids stored: the replay is not what this test runs"
    assert runs == [made] * 3
    listed = _listed(tmp_path, cache)
    assert all(listed[name] == sid for names, sid in made.items() for name in names)

    # A member's URL changed (its story stays): its id, from the new version, changes.
    rewrite_later(tmp_path / "feeds" / "a.md", 'one.example/a"', 'one.example/a2"')
    rewrite_later(tmp_path / "feeds" / "b.md", "one.example/a?utm", "one.example/a2?utm")
    changed = _clusters(tmp_path, tmp_path / "none", "--no-cache")
    assert changed[("a", "b")] != made[("a", "b")]
    assert [_clusters(tmp_path, cache) for _ in range(2)] == [changed] * 2

    # Stored ids damaged (another form, too few): made again, the same.
    for joins in ('[[0, "x"]]', '{"a": 1}', "[[0, 1], [2, 3], [4, 5]]"):
        _damage_ids(cache, joins)
        assert _clusters(tmp_path, cache) == changed
