"""show, stats, and the progress bar."""

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import REPO, check_golden, run_cli, run_in_terminal, write
from rich.console import Console
from typer.testing import CliRunner

from newscli.article.reading import load_with_body
from newscli.cli import app
from newscli.terminal.article_view import article_view, relative

runner = CliRunner()
NOW = "2025-03-20T00:00:00Z"
CHIP = "sample_feeds/ai-chip-export-rules.md"


def test_show_golden(in_repo: Path) -> None:
    result = runner.invoke(app, ["show", CHIP, "--now", NOW], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    check_golden("show.txt", result.stdout)
    for expected in ("5 days ago", "Related coverage", "Campus Review", "editorNote"):
        assert expected in result.stdout


def test_show_json_has_record_and_body(in_repo: Path) -> None:
    path = "sample_feeds/open-model-benchmark.md"
    record = json.loads(runner.invoke(app, ["show", path, "--format", "json"]).stdout)
    assert record["title"] == "Open-weight language model tops reasoning benchmark"
    assert record["body"].startswith("Researchers released a 40-billion-parameter model")
    assert record["body"].endswith("Full text is available at the source.")
    assert record["path"] == path


def test_show_links_only_http_urls(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.md",
        "---\ntitle: '[link=https://evil.example]x[/link]'\nwebUrl: 'javascript:alert(1)'\n"
        "originalUrl: 'https://good.example/a'\n---\nBody \x1b[2J line\n",
    )
    article, body = load_with_body(str(path))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system="truecolor")
    console.print(article_view(article, body, datetime(2025, 1, 1, tzinfo=timezone.utc)))
    screen = buffer.getvalue()
    assert "\x1b]8;id=" in screen and "https://good.example/a\x1b\\" in screen
    assert "8;;javascript" not in screen and "javascript:alert(1)\x1b\\" not in screen
    assert "[link=https://evil.example]x[/link]" in screen  # markup shown literally
    assert "\x1b[2J" not in screen


def test_relative_dates() -> None:
    now = datetime(2025, 3, 20, tzinfo=timezone.utc)
    assert relative(datetime(2025, 3, 17, tzinfo=timezone.utc), now) == "3 days ago"
    assert relative(datetime(2025, 3, 19, 23, 59, 30, tzinfo=timezone.utc), now) == "just now"
    assert relative(datetime(2025, 3, 20, 2, tzinfo=timezone.utc), now) == "in 2 hours"
    assert relative(datetime(2024, 3, 1, tzinfo=timezone.utc), now) == "1 year ago"


def test_show_errors(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.md", "---\ntitle: [\n---\n")
    result = run_cli("show", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"newscli: error: {bad}: invalid YAML")
    assert run_cli("show", str(tmp_path / "none.md")).returncode == 1


def test_stats_json_golden_and_tsv(in_repo: Path) -> None:
    result = runner.invoke(app, ["stats", "sample_feeds", "--format", "json"])
    check_golden("stats.json", result.stdout)
    summary = json.loads(result.stdout)
    assert summary["total"] == 18
    assert summary["published"] == {"published": 5, "unpublished": 13}
    assert sum(b["count"] for b in summary["quality"]) == 18
    assert summary["quality"][-1] == {"bucket": "none", "count": 1}
    assert summary["topics"][0] == {"name": "AI", "count": 5}
    tsv = runner.invoke(app, ["stats", "sample_feeds", "--topic", "space"]).stdout.splitlines()
    assert tsv[:3] == ["section\tname\tcount", "total\tarticles\t4", "published\tpublished\t1"]


def test_stats_bars_on_a_terminal() -> None:
    code, screen = run_in_terminal("stats", "sample_feeds")
    assert code == 0
    assert "18 articles" in screen and "█" in screen and "90-100" in screen


def _corpus(folder: Path, count: int) -> None:
    text = (REPO / "sample_feeds" / "ai-chip-export-rules.md").read_text()
    for i in range(count):
        write(folder / f"d{i % 20}" / f"a{i}.md", text)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    _corpus(tmp_path / "big", 1500)
    no_delay = {"NEWSCLI_PROGRESS_DELAY": "0"}
    piped = run_cli("list", str(tmp_path / "big"), "--limit", "1", "--no-cache", env=no_delay)
    assert piped.returncode == 0
    assert piped.stderr == ""  # no progress in cron mail
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newscli", "list", str(tmp_path / "big"), "--limit", "1",
         "--no-cache"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=follower,
        env={**os.environ, "COLUMNS": "80", "NEWSCLI_PROGRESS_DELAY": "0"},
    )  # fmt: skip
    os.close(follower)
    out, _ = proc.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert b"Loading" in seen  # the bar was drawn on the terminal
    assert out.decode().startswith("date\t")  # stdout untouched
