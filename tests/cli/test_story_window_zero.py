"""--story-window 0 (and the config's story-window: 0) means no window, like 0s; any
other bare number is refused with a message that names the missing unit."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import run_cli, write

from newscli.article.timeparse import parse_span
from newscli.config import ConfigError, load

# The same headline from two outlets, one hour apart: one story within 48h, two at 0.
TITLE = "Plosser sees high bar for change in pace of Fed taper"
OTHERS = ["Samsung unveils Galaxy S5 with fingerprint scanner", "Gas prices climb again"]


def _feeds(tmp_path: Path) -> Path:
    for n, outlet in enumerate(("Reuters", "Livemint", "Yahoo", "Paper")):
        title = TITLE if n < 2 else OTHERS[n - 2]
        write(
            tmp_path / "feeds" / f"{outlet.lower()}.md",
            f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T0{n}:00:00Z\n'
            f'provider:\n  name: {outlet}\nwebUrl: "https://{outlet}.example/x"\n---\n',
        )
    return tmp_path


def _sizes(folder: Path, *args: str) -> list[int]:
    done = run_cli("clusters", "feeds", "--no-cache", "--format", "json", *args, cwd=folder)
    assert done.returncode == 0, done.stderr
    return [len(story["articles"]) for story in json.loads(done.stdout)]


def test_a_bare_zero_window_is_zero_seconds(tmp_path: Path) -> None:
    folder = _feeds(tmp_path)
    assert _sizes(folder) == [2]  # the default window joins them
    assert _sizes(folder, "--story-window", "0") == _sizes(folder, "--story-window", "0s") == []
    refused = run_cli("clusters", "feeds", "--no-cache", "--story-window", "5", cwd=folder)
    assert refused.returncode == 2
    assert "--story-window: a duration needs a unit" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_parse_span_and_the_config_key(tmp_path: Path) -> None:
    assert parse_span("0") == parse_span(" 0.0 ") == parse_span(0) == timedelta(0)
    assert parse_span("48h") == timedelta(hours=48)
    for bad in ("5", "1.5", True, None, "soon"):
        with pytest.raises(ValueError):
            parse_span(bad)  # type: ignore[arg-type]
    for odd in ("nan", "inf", "-inf", "1e3", "0x10"):  # float() reads them: not numbers here
        with pytest.raises(ValueError, match="not a duration like"):
            parse_span(odd)
    with pytest.raises(ValueError, match="too short"):  # not a window of 0 (all apart)
        parse_span("0.0000001s")
    assert parse_span("0s") == timedelta(0) and parse_span("0.000001s").microseconds == 1
    config = write(tmp_path / "newscli.yaml", "story-window: 0\n")
    assert load(str(config)).story_window == "0"
    write(config, "story-window: 12\n")
    with pytest.raises(ConfigError, match="story-window: a duration needs a unit"):
        load(str(config))


def test_an_empty_story_window_is_refused_not_the_default(tmp_path: Path) -> None:
    result = run_cli("clusters", "feeds", "--story-window", "", cwd=_feeds(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "newscli: error: --story-window: not a duration like 90m, 24h, 7d or 2w: ''\n"
    )
