"""h43: one valid article of 3,000 topics and a 200 KB excerpt stopped the newsletter,
the digest and the email for every article (its text once per topic passed the 512
MiB bound: exit 2, nothing sent); with 1,000 topics the email was 419 MB. The built-in
outputs list an article under its first ten topics and cut an excerpt at 1,000
characters (a word's end, then "…"). The installed command."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path

import pytest
from conftest import REPO, run_cli, write

EXCERPT = "lorem ipsum " * 17_000


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "feeds"
    for sample in sorted((REPO / "sample_feeds").glob("*.md")):
        write(folder / sample.name, sample.read_text(encoding="utf-8"))
    topics = ", ".join(f"T{n:04}" for n in range(3000))
    write(
        folder / "zz-many-topics.md",
        f'---\ntitle: "Many topics"\nexcerpt: "{EXCERPT}"\n'
        f"publishedDateTime: 2025-03-01T00:00:00Z\ntopics: [{topics}]\n---\n",
    )
    return folder


@pytest.mark.parametrize("form", ["html", "markdown", "email"])
def test_an_article_of_thousands_of_topics_leaves_the_newsletter_whole(
    tmp_path: Path, form: str
) -> None:
    folder = _folder(tmp_path)
    extra = ["--to", "reader@example.org"] if form == "email" else []
    out = tmp_path / f"out.{form}"
    run = run_cli("export", str(folder), "--format", form, *extra, "-o", str(out))
    assert run.returncode == 0, run.stderr
    data = out.read_bytes()
    assert len(data) < 200_000  # (was over 512 MiB: refused, nothing written)
    if form == "email":
        message = email.message_from_bytes(data, policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    else:
        text = data.decode()
    assert text.count("Many topics") == 10
    cut = ("lorem ipsum " * 83).strip() + "…"  # 1,000 characters at most, a word's end
    assert len(cut) <= 1000 and cut in text and EXCERPT.strip() not in text
    listed = run_cli("export", str(folder), "--format", "jsonl", "--fields", "title")
    titles = [json.loads(line)["title"] for line in listed.stdout.splitlines()]
    assert len(titles) == len(list((REPO / "sample_feeds").glob("*.md"))) + 1
    for title in titles:  # every other article is there (a word of its title)
        assert max(re.findall(r"\w+", title), key=len) in text, title
