"""The README's promise on URLs holding a control, line break or invisible format
character (h111 LOW: it said only that such characters are percent-encoded): no link
at all, in every format that links, while the item itself is shipped. Through the
installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

URLS = ["https://a.example/x\\u202ey", "https://a.example/x\\ty", "https://a.example/x\\ay"]


@pytest.mark.parametrize("fmt", ["rss", "atom", "jsonfeed", "html", "markdown", "email"])
def test_a_url_holding_a_control_is_no_link(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "ctl"
    folder.mkdir()
    for n, url in enumerate(URLS):
        (folder / f"{n}.md").write_text(
            f'---\ntitle: "Item {n}"\nwebUrl: "{url}"\n---\n', encoding="utf-8"
        )
    done = run_cli("export", str(folder), "-f", fmt, "--feed-link", "https://x.example/",
                   "--to", "a@x.example")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert all(f"Item {n}" in done.stdout for n in range(len(URLS)))
    assert "a.example" not in done.stdout
