"""`--where` on list fields, through the installed command (h136): an ordering
comparison holds when one element's does, as `=` and `contains` do (`images.width >=
800` matched nothing where `images.width = 800` matched); and an empty list is none for
every comparison, as a missing field is (`topics != "Gamma"` matched a file without
topics, which has [], while `tags != "x"` did not match a file without tags)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

IMAGES = """---
title: {title}
images:
  - url: "https://x.example/{title}-a.jpg"
    width: {first}
  - url: "https://x.example/{title}-b.jpg"
    width: {second}
---
"""


def _paths(folder: Path, expression: str) -> list[str]:
    done = run_cli(
        "list", str(folder), "--where", expression, "--format", "tsv", "--columns", "title",
        "--sort", "title", "--no-cache",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1:]


@pytest.mark.parametrize(
    ("expression", "titles"),
    [
        ("images.width = 800", ["Wide"]),
        ("images.width > 500", ["Wide"]),
        ("images.width >= 800", ["Wide"]),
        ("images.width < 300", ["Narrow"]),
        ("images.width <= 400", ["Narrow", "Wide"]),
        ("500 < images.width", ["Wide"]),
        ("not (images.width > 500)", ["Bare", "Narrow"]),
        ("images.width > 5000", []),
    ],
)
def test_an_ordering_on_a_list_field_holds_for_one_element(
    tmp_path: Path, expression: str, titles: list[str]
) -> None:
    (tmp_path / "w.md").write_text(IMAGES.format(title="Wide", first=400, second=800))
    (tmp_path / "n.md").write_text(IMAGES.format(title="Narrow", first=200, second=300))
    (tmp_path / "b.md").write_text("---\ntitle: Bare\n---\n")
    assert _paths(tmp_path, expression) == titles


@pytest.mark.parametrize(
    ("expression", "titles"),
    [
        ('topics != "Gamma"', ["Alpha"]),
        ('tags != "Gamma"', ["Alpha"]),
        ('topics !~ "^g"', ["Alpha"]),
        ('tags !~ "^g"', ["Alpha"]),
        ("topics = null", ["Empty", "None"]),
        ("tags = null", ["Empty", "None"]),
        ("topics != null", ["Alpha", "Gamma"]),
        ('not (topics = "Gamma")', ["Alpha", "Empty", "None"]),
    ],
)
def test_an_empty_list_is_none_for_every_comparison(
    tmp_path: Path, expression: str, titles: list[str]
) -> None:
    (tmp_path / "n.md").write_text("---\ntitle: None\n---\n")
    (tmp_path / "e.md").write_text("---\ntitle: Empty\ntopics: []\ntags: []\n---\n")
    (tmp_path / "a.md").write_text("---\ntitle: Alpha\ntopics: [Alpha]\ntags: [alpha]\n---\n")
    (tmp_path / "g.md").write_text("---\ntitle: Gamma\ntopics: [Gamma]\ntags: [gamma]\n---\n")
    assert _paths(tmp_path, expression) == titles


@pytest.mark.parametrize(
    ("expression", "titles"),
    [
        ('topics > "m"', ["Both"]),
        ('topics < "b"', ["Alpha", "Both"]),
        ('topics >= "zeta"', ["Both"]),
        ('topics > "zz"', []),
        ("codes >= 20", ["Both"]),
        ("codes < 10", ["Alpha", "Both"]),
    ],
)
def test_an_ordering_on_a_typed_list_holds_for_one_element(
    tmp_path: Path, expression: str, titles: list[str]
) -> None:
    """h139 LOW: only lists of unknown type were compared by their elements; `topics >
    "m"` (a list of text) and `codes >= 20` (a list of numbers) were refused."""
    (tmp_path / "a.md").write_text("---\ntitle: Alpha\ntopics: [Alpha]\ncodes: [5]\n---\n")
    (tmp_path / "b.md").write_text("---\ntitle: Both\ntopics: [Alpha, Zeta]\ncodes: [5, 30]\n---\n")
    (tmp_path / "n.md").write_text("---\ntitle: None\n---\n")
    assert _paths(tmp_path, expression) == titles


def test_an_ordering_of_a_list_with_another_type_is_still_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Alpha\ntopics: [Alpha]\n---\n")
    done = run_cli("list", str(tmp_path), "--where", "topics > 5", "--no-cache")
    assert done.returncode == 2
    assert "cannot compare list[string] with number using '>'" in done.stderr
