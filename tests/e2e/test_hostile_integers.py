"""Integers that do not fit (issue 11, item 3): never an internal error, with or without
the index cache; a known field out of the 64-bit range or an integer too long to write
in decimal makes the file invalid (one `PATH: reason` line); big integers in unknown
fields that can be written are kept exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.model import article_from_mapping
from newscli.errors import InvalidArticleError
from tests.conftest import run_cli, write

BIG = 123456789012345678901234567890
VALID = {
    "ok.md": f"""---
title: Fine
heat: 9223372036854775807
quality: 50
images:
  - url: https://x.example/a.png
    width: {2**70}
    height: -{2**70}
extra: {BIG}
nested:
  deep: [1, {BIG}]
{BIG}: an integer key
---
""",
    "low.md": "---\ntitle: Low\nheat: -9223372036854775808\n---\n",
}
INVALID = {
    "heat_big.md": (
        "---\ntitle: A\nheat: 9223372036854775808\n---\n",
        "heat: 9223372036854775808 is out of range",
    ),
    "heat_small.md": (
        "---\ntitle: A\nheat: -9223372036854775809\n---\n",
        "heat: -9223372036854775809 is out of range",
    ),
    "heat_hex.md": (
        "---\ntitle: A\nheat: 0x8000000000000000\n---\n",
        "heat: 9223372036854775808 is out of range",
    ),
    "quality_big.md": (
        "---\ntitle: A\nquality: 9223372036854775808\n---\n",
        "quality: 9223372036854775808 is outside 0-100",
    ),
    "decimal_long.md": (
        "---\ntitle: A\nextra: " + "9" * 5000 + "\n---\n",
        "invalid value: integer with more than 4300 digits",
    ),
    "hex_long.md": (
        "---\ntitle: A\nextra: 0x" + "f" * 4000 + "\n---\n",
        "invalid value: integer with more than 4300 digits",
    ),
    "base60.md": (
        "---\ntitle: A\nextra: " + ":".join(["59"] * 3000) + "\n---\n",
        "invalid value: integer with more than 4300 digits",
    ),
    "in_list.md": (
        "---\ntitle: A\nimages:\n  - width: 0x" + "f" * 3600 + "\n---\n",
        "invalid value: integer with more than 4300 digits",
    ),
}

COMMANDS = {
    "list": ["list", "--format", "tsv"],
    "export": ["export"],
    "export-csv": ["export", "--format", "csv"],
    "stats": ["stats", "--format", "json"],
    "clusters": ["clusters", "--format", "json"],
    "publish-n": ["publish", "-n", "--all"],
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds"
    for name, text in VALID.items():
        write(feeds / name, text)
    for name, (text, _) in INVALID.items():
        write(feeds / name, text)
    return feeds


def _check_stderr(stderr: str, feeds: Path) -> None:
    assert "internal error" not in stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("newscli: ")]
    assert len(lines) == len(INVALID), stderr
    for name, (_, reason) in INVALID.items():
        (line,) = [x for x in lines if x.startswith(f"{feeds / name}: ")]
        assert reason in line


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_out_of_range_integers_with_and_without_cache(
    command: str, folder: Path, tmp_path: Path
) -> None:
    args = [*COMMANDS[command], str(folder)]
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_cli(*args, env=env)
    uncached = run_cli(*args, "--no-cache", env=env)
    runs = [cold, uncached]
    if command in ("list", "export"):  # and read back from the cache
        runs.append(run_cli(*args, env=env))
    for run in runs:
        assert run.returncode == 0, run.stderr
        _check_stderr(run.stderr, folder)
        assert run.stdout == uncached.stdout
    if command == "export":
        records = {Path(r["path"]).name: r for r in json.loads(cold.stdout)}
        assert sorted(records) == ["low.md", "ok.md"]
        ok = records["ok.md"]
        assert ok["extra"] == BIG and ok["nested"]["deep"] == [1, BIG]
        assert ok["images"][0]["width"] == 2**70 and ok["images"][0]["height"] == -(2**70)
        assert ok[str(BIG)] == "an integer key"
        assert ok["heat"] == 2**63 - 1 and records["low.md"]["heat"] == -(2**63)
    if command == "list":
        assert {Path(line.split("\t")[-1]).name for line in cold.stdout.splitlines()[1:]} == {
            "ok.md",
            "low.md",
        }


def test_heat_bound_options_are_usage_errors(folder: Path) -> None:
    run = run_cli("list", str(folder), "--min-heat", str(2**63))
    assert run.returncode == 2
    assert "internal error" not in run.stderr and "--min-heat" in run.stderr
    run = run_cli("list", str(folder), "--max-heat", str(2**63 - 1), "-q")
    assert run.returncode == 0 and "ok.md" in run.stdout


@pytest.mark.parametrize(
    ("value", "valid"),
    [(2**63 - 1, True), (2**63, False), (-(2**63), True), (-(2**63) - 1, False), (10**50, False)],
)
def test_heat_fits_in_64_bits(value: int, valid: bool) -> None:
    data = {"title": "t", "heat": value}
    if valid:
        assert article_from_mapping("p.md", data).heat == value
    else:
        with pytest.raises(InvalidArticleError, match=r"^heat: -?\d+(\.\.\.)? is out of range"):
            article_from_mapping("p.md", data)


@pytest.mark.parametrize(
    "text",
    ["9" * 4301, "0x" + "f" * 3600, "0b" + "1" * 14300, "0" + "7" * 4300, "1_0" * 1500],
)
def test_integers_too_long_to_write_are_refused(text: str) -> None:
    with pytest.raises(InvalidArticleError, match="integer with more than 4300 digits"):
        parse_front_matter(f"---\ntitle: t\nx: {text}\n---\n")
    # the full loader (a flow mapping is not on the fast path) says the same
    with pytest.raises(InvalidArticleError, match="integer with more than 4300 digits"):
        parse_front_matter(f"---\n{{title: t, x: {text}}}\n---\n")


def test_the_longest_writable_integer_is_kept() -> None:
    data, _ = parse_front_matter("---\ntitle: t\nx: " + "9" * 4300 + "\n---\n")
    assert data["x"] == 10**4300 - 1
