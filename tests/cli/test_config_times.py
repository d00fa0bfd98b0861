"""h117 LOW: in the config, a date and time given to a text option was not kept as
written, as docs/configuration.md says ("a text option takes text, an integer or a date
as written"): `feed-title: 2025-03-14T09:00:00Z` titled the feed "2025-03-14
09:00:00+00:00". It is now the text written; a `since` or `until` still reads such a
value as YAML does (`2025-03-14 09:00:00.5 +1`), as before. Through the installed
command, the feed read back with xml.etree."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import REPO, run_cli

CONFIG = """presets:
  p:
    feed-title: 2025-03-14T09:00:00Z
    feed-description: 2001-12-14t21:59:43.10-05:00
    feed-link: https://x.example/
    format: rss
  q:
    since: 2025-03-14 09:00:00.5 +1
  r:
    since: 2999-01-01T00:00:00Z
  n:
    now: 2025-03-14 09:00:00 +1
"""


def test_a_date_and_time_is_text_as_written(tmp_path: Path) -> None:
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    (tmp_path / "newscli.yaml").write_text(CONFIG, encoding="utf-8")
    done = run_cli("export", "feeds", "--preset", "p", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    channel = ET.fromstring(done.stdout).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "2025-03-14T09:00:00Z"
    assert channel.findtext("description") == "2001-12-14t21:59:43.10-05:00"
    since = run_cli("export", "feeds", "--preset", "q", "--format", "jsonl", cwd=tmp_path)
    assert since.returncode == 0, since.stderr
    typed = ["--since", "2025-03-14T08:00:00.5Z", "--format", "jsonl"]
    alike = run_cli("export", "feeds", *typed, cwd=tmp_path)
    assert since.stdout == alike.stdout and 0 < since.stdout.count("\n") < 13
    later = run_cli("export", "feeds", "--preset", "r", "--format", "jsonl", cwd=tmp_path)
    assert (later.returncode, later.stdout) == (0, ""), later.stderr
    now = run_cli("list", "feeds", "--preset", "n", "--format", "tsv", cwd=tmp_path)
    assert now.returncode == 0, now.stderr  # (h119: `now` read as YAML reads it, too)
    shown = run_cli("presets", "--format", "tsv", cwd=tmp_path)
    assert "--feed-title 2025-03-14T09:00:00Z" in shown.stdout
    assert "--since '2025-03-14 09:00:00.500000+01:00'" in shown.stdout
    assert "--now '2025-03-14 09:00:00+01:00'" in shown.stdout
