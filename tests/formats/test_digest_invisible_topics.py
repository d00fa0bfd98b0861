"""A topic that cleaning leaves empty (an escape sequence alone, blanks) is no section of
the Markdown digest or the HTML newsletter, as it is no feed's tag (h99 LOW: an empty
`## ` heading)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli


def test_no_empty_section(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: T1\ntopics: ["\\x9b31m"]\n---\n', "utf-8")
    (tmp_path / "b.md").write_text('---\ntitle: T2\ntopics: ["  ", AI]\n---\n', "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "markdown", "--no-cache")
    assert done.returncode == 0, done.stderr
    headings = [line for line in done.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## AI", "## Other"]
    assert done.stdout.index("**T1**") > done.stdout.index("## Other")


def test_a_topic_named_other_is_not_the_section_of_articles_without_one(tmp_path: Path) -> None:
    """h125 LOW: a topic named "Other" and the articles without a topic were two
    sections under one heading, "## Other"; the second is "## No topic" then (and the
    next name when that one is a topic too)."""
    (tmp_path / "a.md").write_text("---\ntitle: T1\n---\n", "utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: T2\ntopics: [other]\n---\n", "utf-8")
    (tmp_path / "c.md").write_text("---\ntitle: T3\ntopics: [AI]\n---\n", "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "markdown", "--no-cache")
    assert done.returncode == 0, done.stderr
    headings = [line for line in done.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## AI", "## other", "## No topic"]
    assert done.stdout.index("**T2**") < done.stdout.index("## No topic")
    assert done.stdout.index("**T1**") > done.stdout.index("## No topic")
    (tmp_path / "d.md").write_text('---\ntitle: T4\ntopics: ["No Topic"]\n---\n', "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "markdown", "--no-cache")
    headings = [line for line in done.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## AI", "## No Topic", "## other", "## Without a topic"]


def test_a_provider_named_other_is_not_the_section_without_a_provider(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T1\n---\n", "utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: T2\nprovider: {name: Other}\n---\n", "utf-8")
    done = run_cli(
        "export", str(tmp_path), "--format", "html", "--group-by", "provider", "--no-cache"
    )
    assert done.returncode == 0, done.stderr
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", done.stdout) == ["Other", "No provider"]
