"""A topic holding a comma is shown quoted where topics share one line (h98 LOW: the
topics `a, b` and `c"d` showed as `a, b, c""d` in the review's detail pane, which
`show` draws too: three topics to the eye)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from newscli.formats.topic_list import topics_text
from newscli.review.topics_text import read_topics


def test_show_quotes_a_topic_holding_a_comma(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: T\ntopics: ["a, b", "c\\"d"]\n---\n', "utf-8")
    done = run_cli("show", str(tmp_path / "a.md"))
    assert done.returncode == 0, done.stderr
    assert 'Topics   "a, b", c"d\n' in done.stdout


def test_the_line_reads_back_as_the_topics() -> None:
    topics = ["a, b", 'c"d', " p ", '"q', ""]
    assert read_topics(topics_text(topics)) == topics
