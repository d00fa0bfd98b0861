"""One outlet's recurring headline ("Morning briefing", a day apart, a URL each day) is a
story each day, through the installed command: `export --dedupe --mark-published`
ships and marks every day's article (before, the days within the 48-hour window were one
story: --dedupe kept the newest day alone, and --mark-published marked the other days,
which nobody received). Warm and cold alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli

DAY = """---
title: 'Morning briefing: what you need to know today'
excerpt: 'Good morning. Today: {news}.'
publishedDateTime: 2025-02-{day:02d}T06:{minute:02d}:00Z
webUrl: "https://www.harborledger.example/briefing/2025-02-{day:02d}/"
quality: 70
published: false
provider:
  name: Harbor Ledger
  domain: harborledger.example
topics: [Economy]
---
body
"""
NEWS = ["wildfires in the hills", "the budget vote", "the football final"]


def test_each_day_of_a_recurring_headline_is_shipped(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    for n, news in enumerate(NEWS):
        text = DAY.format(day=10 + n, minute=n * 7, news=news)
        (feeds / f"briefing{n}.md").write_text(text, encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_STATE_DIR": str(tmp_path)}
    for run in ("cold", "warm"):
        clusters = run_cli("clusters", str(feeds), "--format", "json", env=env)
        assert clusters.returncode == 0, clusters.stderr
        stories = json.loads(clusters.stdout)  # those of several articles
        assert stories, "the sample feeds' stories"
        assert not any("briefing" in a["path"] for s in stories for a in s["articles"]), run
    out = tmp_path / "out.json"
    args = ["export", str(feeds), "--topic", "Economy", "--unpublished", "--dedupe"]
    shipped = run_cli(*args, "--mark-published", "-o", str(out), env=env)
    assert shipped.returncode == 0, shipped.stderr
    paths = sorted(a["path"] for a in json.loads(out.read_text()) if "briefing" in a["path"])
    assert [Path(p).name for p in paths] == ["briefing0.md", "briefing1.md", "briefing2.md"]
    for n in range(3):
        assert "published: true" in (feeds / f"briefing{n}.md").read_text()
