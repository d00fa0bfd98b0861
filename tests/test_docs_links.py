"""Every relative link of README.md and docs/*.md names a file that exists and, with a
#fragment, a heading of that file (GitHub's anchors: lower case, punctuation dropped,
spaces as hyphens, a repeated heading numbered -1, -2, ...)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (.+?)\s*#*\s*$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")  # an inline code span: `[Title](url)` is no link


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for match in _HEADING.finditer(text):
        slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
        name, n = slug, 0
        while name in found:
            n += 1
            name = f"{slug}-{n}"
        found.add(name)
    return found


def test_the_slugs_are_github_s() -> None:
    """The rule checked on headings of this README with punctuation and code."""
    readme = anchors(REPO / "README.md")
    assert "story-dedup---dedupe-and-newscli-clusters" in readme
    assert "newscli-publish--newscli-unpublish" in readme
    assert "speed-the-index-cache-and-parallel-loading" in readme


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page: Path) -> None:
    text = _CODE.sub("", _FENCE.sub("", page.read_text(encoding="utf-8")))
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: (not checked here)
            continue
        name, _, fragment = target.partition("#")
        linked = (page.parent / name).resolve() if name else page
        if not linked.is_file():
            broken.append(f"{target}: no file {linked}")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no heading #{fragment} in {linked.name}")
    assert broken == [], f"{page.name}: {broken}"


def test_docs_are_linked_from_the_readme() -> None:
    """No page of docs/ is left where a reader of the README cannot find it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    unlinked = [p.name for p in PAGES[1:] if f"docs/{p.name}" not in readme]
    assert unlinked == []


def test_the_readme_s_contents_list_every_section_in_order() -> None:
    """h56: 1,100 lines and no table of contents. Every `##` and `###` heading after
    the Quick start is in Contents, in order (the links themselves: the test above)."""
    text = _FENCE.sub("", (REPO / "README.md").read_text(encoding="utf-8"))
    headings = re.findall(r"^#{2,3} (.+)$", text, re.M)
    contents = text.split("## Contents\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^ *- \[(.+)\]\(#[^)]+\)$", contents, re.M)
    assert listed == [h for h in headings if h not in ("Quick start", "Contents")]
