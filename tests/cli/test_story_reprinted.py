"""A headline reprinted by many outlets is one story, through the installed command
(h22: 65 copies of one headline within the hour, beside the sample feeds, were 65
stories to `clusters` and 65 articles to `export --dedupe`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli

COPY = """---
title: 'Central bank raises interest rates to fight inflation'
excerpt: 'The decision was announced on Tuesday.'
publishedDateTime: 2025-02-15T10:{minute:02d}:00Z
webUrl: "https://www.outlet{n}.example/2025/02/rates-{n}/"
quality: {quality}
published: false
provider:
  name: Outlet {n}
  domain: outlet{n}.example
topics: [Economy]
---
body
"""


def test_a_headline_reprinted_by_65_outlets_is_one_story(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    for n in range(65):
        text = COPY.format(minute=n % 60, n=n, quality=40 + n % 50)
        (feeds / f"wire{n:02d}.md").write_text(text, encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    clusters = run_cli("clusters", str(feeds), "--format", "json", env=env)
    assert clusters.returncode == 0, clusters.stderr
    stories = json.loads(clusters.stdout)
    wire = [s for s in stories if any("/wire" in a["path"] for a in s["articles"])]
    assert len(wire) == 1 and len(wire[0]["articles"]) == 65
    assert {a["joined"]["by"] for a in wire[0]["articles"] if "joined" in a} == {"similar"}
    dedupe = run_cli("export", str(feeds), "--dedupe", "--format", "json", env=env)
    assert dedupe.returncode == 0, dedupe.stderr
    kept = [a for a in json.loads(dedupe.stdout) if "/wire" in a["path"]]
    assert [a["path"] for a in kept] == [wire[0]["kept"]]
