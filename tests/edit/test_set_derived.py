"""h143 MED: `set date=2020-01-01` wrote a `date:` key, said "date (none) ->
"2020-01-01"", exit 0, while every command still took the date from publishedDateTime;
`set Url=...` and `set Age=...` the same, and `set story.rank=1` was refused file by
file (exit 1). A derived field's name, in any case, and a story field are refused at
once, with what to set instead (exit 2, nothing written); --new-field writes a key of
that name, as it does for a slip. Through the installed command (review's `e`:
tests/review/test_review_queue.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from newscli.edit.field_values import _DERIVED, _STORY, derived
from newscli.select.fields import KNOWN


@pytest.mark.parametrize(
    ("argument", "said"),
    [
        ("date=2020-01-01", "'date' is publishedDateTime: set publishedDateTime"),
        ("Url=https://x.example/", "'Url' is derived from webUrl, else originalUrl: set webUrl"),
        ("AGE=1", "'AGE' is derived from publishedDateTime and the clock"),
        ("path=x.md", "'path' is the file's own name: move the file to change it"),
        ("duplicates=x", "'duplicates' is made by --dedupe: it cannot be set"),
        ("story.rank=1", "'story.rank' is computed from the grouping of stories"),
    ],
)
def test_a_derived_field_is_refused_with_what_to_set(
    tmp_path: Path, argument: str, said: str
) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    before = {p: p.read_bytes() for p in feeds.rglob("*") if p.is_file()}
    done = run_cli("set", argument, str(feeds), "--all", env={"NEWSCLI_STATE_DIR": str(tmp_path)})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"newscli: error: FIELD=VALUE: {said}"), done.stderr
    assert done.stderr.count("\n") == 1
    # (h147: a story field is a key of a mapping no file has: --new-field cannot write it)
    assert ("--new-field" in done.stderr) is (not argument.startswith("story."))
    assert {p: p.read_bytes() for p in feeds.rglob("*") if p.is_file()} == before


def test_new_field_writes_a_key_of_that_name(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    shutil.copy(SAMPLES / "rate-decision.md", article)
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("set", "--new-field", "date=2020-01-01", str(article), env=env)
    assert done.returncode == 0, done.stderr
    assert 'date: "2020-01-01"' in article.read_text(encoding="utf-8")


def test_the_table_names_every_derived_field() -> None:
    """The edit stage keeps its own table (it may not import select/): it names each
    field select.fields derives, and no field read from a key of its name."""
    computed = {n for n, spec in KNOWN.items() if spec.description.startswith("derived")}
    stories = {n for n in computed if n.startswith("story.")}
    assert stories and all(derived(n) for n in stories)
    assert stories == set(_STORY)
    assert computed - stories | {"date"} == set(_DERIVED) - {"duplicates"}
    assert derived("quality") is None and derived("publishedDateTime") is None
    assert derived("webUrl") is None and derived("storyline") is None
    assert derived("story.foo") is None and derived("story") is None  # (h146: a file's own)
    assert derived("Story.Rank") is not None
