"""The README's cron example is run exactly as written (paths swapped for a temp folder)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
from conftest import REPO, SAMPLES


def readme_blocks() -> tuple[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    config = re.search(r"## Configuration and presets.*?```yaml\n(.*?)```", text, re.S)
    cron = re.search(r"<!-- cron-example -->\n```cron\n(.*?)\n```", text, re.S)
    assert config and cron
    return config.group(1), cron.group(1)


def test_readme_cron_example_ships_new_ai_articles_once(tmp_path: Path) -> None:
    config, cron_line = readme_blocks()
    schedule, command = cron_line.split(" cd ", 1)
    assert schedule == "*/10 * * * *"
    command = "cd " + command
    command = command.replace("cd /srv/news", f"cd {tmp_path}")
    command = command.replace("/opt/newscli/.venv/bin/newscli", f"{sys.executable} -m newscli")
    command = command.replace("/srv/news/", f"{tmp_path}/")
    (tmp_path / "newscli.yaml").write_text(config, encoding="utf-8")
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    (tmp_path / "site").mkdir()

    def run() -> feedparser.FeedParserDict:
        result = subprocess.run(
            ["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        return feedparser.parse((tmp_path / "site" / "ai.xml").read_bytes())

    first = run()
    assert not first.bozo and first.feed.title == "AI picks"
    assert [e.title for e in first.entries] == [
        "Regulators draft new export rules for AI accelerator chips"
    ]
    shipped = (tmp_path / "feeds" / "ai-chip-export-rules.md").read_text()
    assert "\npublished: true\n" in shipped
    second = run()
    assert not second.bozo and second.entries == []
    assert (tmp_path / "newscli.log").read_text() == ""
