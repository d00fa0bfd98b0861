"""h118: `import` of an aggregator's JSON dropped its items' `related` lists (the
evidence by which their stories join: two items listing each other were two stories
once imported, one as the files they came from), the keys of an image other than url,
width, height, isCached, title and attribution, a provider's other keys, and an item
whose id is a number with a fraction. They are now kept as they are. Through the
installed command; the files are read back with PyYAML."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import run_cli

RELATED = [
    {"webUrl": "https://p2.example/n", "title": "x: y # z", "n": 1e16, "q": 0.5,
     "deep": {"a": [1, [2, []], {}], "null": None, "yes": True, "no": "no"},
     "provider": {"name": "P2", "domain": "p2.example"}, "s": "\ud800 lone", "e": {}},
]  # fmt: skip
ITEMS = [
    {"title": "Ceasefire talks resume in Cairo", "webUrl": "https://p1.example/c",
     "publishedDateTime": "2025-03-14T09:00:00Z",
     "provider": {"name": "P1", "domain": "p1.example", "logo": "https://p1.example/l.png",
                  "rank": 3},
     "related": [*RELATED, 5, "text", {}],
     "images": [{"url": "https://i.example/a.jpg", "width": 3, "caption": "A caption",
                 "credit": "AP", "alt": "alt text", "focus": {"x": 0.5, "y": 0.25}}]},
    {"title": "Negotiators return to the table as envoys arrive",
     "webUrl": "https://p2.example/n", "publishedDateTime": "2025-03-14T10:00:00Z",
     "provider": {"name": "P2", "domain": "p2.example"},
     "related": [{"webUrl": "https://p1.example/c"}]},
    {"title": "An id with a fraction", "id": 1.5},
]  # fmt: skip


def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_aggregator_items_keep_related_images_and_provider(tmp_path: Path) -> None:
    (tmp_path / "agg.json").write_text(json.dumps({"news": ITEMS}), encoding="utf-8")
    done = run_cli("import", "agg.json", "--into", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files = {front_matter(p)["title"]: p for p in (tmp_path / "in").rglob("*.md")}
    assert len(files) == 3, done.stdout  # the fractional id too
    first = front_matter(files["Ceasefire talks resume in Cairo"])
    kept = dict(RELATED[0], s="\ufffd lone")  # (UTF-8 holds no lone surrogate)
    assert first["related"] == [kept]
    assert first["images"] == [ITEMS[0]["images"][0]]
    assert first["provider"] == ITEMS[0]["provider"]
    assert front_matter(files["An id with a fraction"])["sourceId"] == "1.5"
    valid = run_cli("validate", "in", cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    # the related lists join the two, as they join the same items written as files
    grouped = run_cli("clusters", "in", "--format", "json", cwd=tmp_path)
    stories = json.loads(grouped.stdout)
    titles = [sorted(article["title"] for article in story["articles"]) for story in stories]
    assert titles == [sorted(str(item["title"]) for item in ITEMS[:2])], grouped.stdout


CAPTION = "Harbour at dawn with fishing boats returning after a long night at sea, " * 3


def test_values_kept_whole_and_files_valid_on_hostile_keys(tmp_path: Path) -> None:
    """h120, h119: an image's caption was cut at 100 characters; quality 80.0 and heat
    300.0 were none; ids 1 and 1.0 were two items; a key of 256 control characters
    (over YAML's 1,024 written) or two keys made one by U+FFFD, and a related list too
    big for a file, wrote files that failed `validate` and came in again every run."""
    items = [
        {"title": "Caption", "webUrl": "https://g.example/1", "quality": 80.0, "heat": 300.0,
         "images": [{"url": "https://g.example/i.jpg", "caption": CAPTION}]},
        {"title": "Long key", "webUrl": "https://g.example/2",
         "related": [{"\u0001" * 256: 1, "kept": 2}]},
        {"title": "Surrogate keys", "webUrl": "https://g.example/3",
         "provider": dict([("name", "P"), ("\ud800", 1), ("\udc00", 2)])},
        {"title": "Too big", "webUrl": "https://g.example/4",
         "related": [{"title": "x" * 60_000} for _ in range(30)]},
        {"title": "Numbered", "id": 1.0},
    ]  # fmt: skip
    (tmp_path / "agg.json").write_text(json.dumps({"news": items}), encoding="utf-8")
    first = run_cli("import", "agg.json", "--into", "in", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    files = {front_matter(p)["title"]: front_matter(p) for p in (tmp_path / "in").rglob("*.md")}
    assert len(files) == 5
    assert files["Caption"]["images"] == [items[0]["images"][0]]
    assert (files["Caption"]["quality"], files["Caption"]["heat"]) == (80, 300)
    assert files["Long key"]["related"] == [{"kept": 2}]
    assert files["Surrogate keys"]["provider"] == {"name": "P", "domain": "g.example", "\ufffd": 1}
    assert "related" not in files["Too big"]  # (left out: no file could hold it)
    assert files["Numbered"]["sourceId"] == "1"
    valid = run_cli("validate", "in", cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    (tmp_path / "agg.json").write_text(
        json.dumps({"news": [*items, {"title": "Numbered", "id": 1}]}), encoding="utf-8"
    )
    again = run_cli("import", "agg.json", "--into", "in", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
