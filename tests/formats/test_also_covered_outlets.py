"""h118 LOW: the newsletter said an article was "Also covered by" its own outlet when
another copy gave the outlet another name with the same domain ("FT" and "Financial
Times", both ft.com), while story.outlets counted one outlet. "Also covered by" now
tells outlets apart as story.outlets does. Through the installed command, the HTML
read with html.parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import outlet_article, run_cli

FT = [
    ("1", "2025-03-14T15:00:00Z", "https://www.ft.com/content/abc?utm_source=x", "FT", "ft.com"),
    ("2", "2025-03-14T15:05:00Z", "https://ft.com/content/abc/", "Financial Times", "www.ft.com"),
]
REUTERS = ("3", "2025-03-14T15:07:00Z", "https://reuters.com/x", "Reuters", "reuters.com")


class _Also(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "p" and ("class", "also") in attrs

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.found.append(data.strip())
            self.inside = False


@pytest.mark.parametrize(
    ("rows", "expected"),
    [(FT, []), ([*FT, REUTERS], ["Also covered by Financial Times"])],
    ids=["one-outlet", "two-outlets"],
)
def test_also_covered_counts_outlets_by_domain(
    tmp_path: Path, rows: list[tuple[str, ...]], expected: list[str]
) -> None:
    (tmp_path / "u").mkdir()
    for stem, when, url, name, domain in rows:
        text = outlet_article("Markets rally as Fed signals pause", when, url, name, domain)
        (tmp_path / "u" / f"{stem}.md").write_text(text, encoding="utf-8")
    outlets = run_cli("list", "u", "--columns", "story.outlets", "--format", "tsv", cwd=tmp_path)
    assert set(outlets.stdout.split()[1:]) == {str(len(rows) - 1)}, outlets.stdout
    done = run_cli("export", "u", "--dedupe", "--format", "html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    parser = _Also()
    parser.feed(done.stdout)
    assert parser.found == expected, done.stdout
