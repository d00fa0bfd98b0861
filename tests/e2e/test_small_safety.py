"""Small safety items of issue 11 (item 9): --wait must be a finite number, no lock
next to a file that is not a regular one, -q --fail-if-empty says nothing, a file that
cannot be read is invalid cached or not, CSV/TSV columns are capped, and years before
1000 are written with four digits."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newscli.article import timeparse
from newscli.edit.locking import LOCK_NAME
from newscli.index.cache import IndexCache
from tests.conftest import article_text, run_cli, write

NEWSCLI = str(Path(sys.executable).parent / "newscli")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e400"])
def test_wait_must_be_a_finite_number_of_seconds(tmp_path: Path, value: str) -> None:
    article = write(tmp_path / "a.md", article_text())
    run = run_cli("publish", str(article), "--wait", value)
    assert run.returncode == 2, run.stderr
    assert "--wait" in run.stderr
    assert b"published: false" in article.read_bytes()  # nothing was done


def test_wait_from_a_preset_is_checked_too(tmp_path: Path) -> None:
    write(tmp_path / "a.md", article_text())
    write(tmp_path / "newscli.yaml", "presets:\n  p:\n    wait: .nan\n")
    run = run_cli("publish", "a.md", "--preset", "p", cwd=tmp_path)
    assert run.returncode == 2
    assert "wait: nan is not a number of seconds" in run.stderr


def test_no_lock_is_made_next_to_something_that_is_not_a_file(tmp_path: Path) -> None:
    """`publish` on a link to /dev/zero made /dev/.newscli.lock; a socket stands in for
    the device here (it can be made without privileges and never blocks)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(elsewhere / "sock"))
        link = tmp_path / "feeds" / "zero.md"
        link.parent.mkdir()
        link.symlink_to(elsewhere / "sock")
        run = run_cli("publish", str(link))
    finally:
        server.close()
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == f"{link}: not a regular file"
    assert not (elsewhere / LOCK_NAME).exists()


def test_quiet_fail_if_empty_prints_nothing(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(topics="AI"))
    feeds = str(tmp_path / "feeds")
    quiet = run_cli("export", feeds, "--topic", "Sport", "-q", "--fail-if-empty", "-o", "x.json",
                    cwd=tmp_path)  # fmt: skip
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (4, "", "")
    loud = run_cli("list", feeds, "--topic", "Sport", "--fail-if-empty")
    assert loud.returncode == 4
    assert loud.stderr == (
        "newscli: note: no article has topic 'Sport'\n"
        "newscli: nothing was selected (--fail-if-empty)\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_unreadable_file_is_invalid_cached_or_not(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    gone = write(feeds / "gone.md", article_text(title="Locked"))
    write(feeds / "ok.md", article_text(title="Open"))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert "Locked" in run_cli("list", str(feeds), env=env).stdout  # now cached
    gone.chmod(0)
    try:
        for extra in ([], ["--no-cache"], [str(gone)]):
            run = run_cli("list", *(extra if extra[:1] == [str(gone)] else [str(feeds), *extra]),
                          env=env)  # fmt: skip
            assert "Locked" not in run.stdout
            assert f"{gone}: cannot read: Permission denied" in run.stderr.splitlines()
    finally:
        gone.chmod(0o644)


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters every folder")
def test_a_folder_one_may_list_but_not_enter_says_so(tmp_path: Path) -> None:
    """Read but no search permission (chmod 644): each of its files is a problem line
    (they were left out without a word), warm or not; naming one is not "no such file"
    (tests/index/test_discovery.py does the same as root)."""
    feeds = tmp_path / "feeds"
    locked = write(feeds / "locked" / "a.md", article_text(title="Locked")).parent
    write(feeds / "ok.md", article_text(title="Open"))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert "Locked" in run_cli("list", str(feeds), env=env).stdout  # now cached
    locked.chmod(0o644)
    try:
        for extra in ([str(feeds)], [str(feeds), "--no-cache"], [str(locked / "a.md")]):
            run = run_cli("list", *extra, env=env)
            assert "Locked" not in run.stdout and "no such file" not in run.stderr
            assert f"{locked / 'a.md'}: cannot read: Permission denied" in run.stderr
    finally:
        locked.chmod(0o755)


def test_unreadable_file_is_invalid_cached_or_not_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as root, where chmod 000 does not stop reading: the system's answer
    is replaced, for one file, by a refusal."""
    import newscli.index.discovery as discovery
    import newscli.index.walk as walk
    from newscli.index.loader import load_paths

    feeds = tmp_path / "feeds"
    gone = write(feeds / "gone.md", article_text(title="Locked"))
    write(feeds / "ok.md", article_text(title="Open"))
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    try:
        first = load_paths([str(feeds)], cache=cache)
        assert sorted(a.title for a in first.articles) == ["Locked", "Open"]
        gone.chmod(0)
        real = walk.can_read

        def refuse(path: str, fd: int | None = None) -> bool:
            return False if os.path.basename(path) == "gone.md" else real(path, fd)

        monkeypatch.setattr(walk, "can_read", refuse)
        monkeypatch.setattr(discovery, "can_read", refuse)
        for use in (cache, None):
            for paths in ([str(feeds)], [str(gone), str(feeds / "ok.md")]):
                result = load_paths(paths, cache=use)
                assert [a.title for a in result.articles] == ["Open"]
                assert [(p.path, p.reason) for p in result.problems] == [
                    (str(gone), "cannot read: Permission denied")
                ]
    finally:
        gone.chmod(0o644)
        cache.close()


def test_csv_and_tsv_columns_are_capped(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    extra = "topics: [AI]\nsourceFeed:\n  region: eu\n"
    for i in range(30):
        write(feeds / f"a{i:02d}.md", article_text(title=f"A {i}").replace("topics: [AI]\n", extra))
    wide = (
        "---\ntitle: Wide\n" + "".join(f"k{i}: 1\n" for i in range(5_000)) + "---\n"
    )  # far past the cap
    write(feeds / "wide.md", wide)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        run = run_cli("export", str(feeds), "-f", fmt)
        assert run.returncode == 0, run.stderr
        header = next(csv.reader(io.StringIO(run.stdout), delimiter=delimiter))
        assert len(header) == 23 + 200
        assert "sourceFeed.region" in header  # what every article has stays
        notes = [line for line in run.stderr.splitlines() if "at most 200 columns" in line]
        assert notes == [
            "newscli: 4801 more fields left out: at most 200 columns beyond the usual "
            "ones (those most articles have); --fields chooses others"
        ]
    quiet = run_cli("export", str(feeds), "-f", "csv", "-q")
    assert quiet.stderr == ""
    chosen = run_cli("export", str(feeds), "-f", "csv", "--fields", "title,k4999")
    assert chosen.stdout.splitlines()[0] == "title,k4999" and chosen.stderr == ""


@pytest.mark.parametrize(
    ("when", "text", "day"),
    [
        (datetime(1, 6, 1, 12, tzinfo=timezone.utc), "0001-06-01T12:00:00Z", "0001-06-01"),
        (datetime(999, 12, 31, 23, 59, 59, 250000, tzinfo=timezone.utc),
         "0999-12-31T23:59:59.25Z", "0999-12-31"),
        (datetime(2023, 12, 21, 7, 34, tzinfo=timezone.utc), "2023-12-21T07:34:00Z", "2023-12-21"),
    ],
)  # fmt: skip
def test_years_are_written_with_four_digits(when: datetime, text: str, day: str) -> None:
    assert timeparse.format_rfc3339(when) == text
    assert timeparse.format_day(when) == day
    assert timeparse.format_day(when, minutes=True) == day + text[10:16].replace("T", " ")


def test_early_years_through_every_output(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    text = article_text(date="0001-06-01T12:00:00Z")
    write(feeds / "old.md", text.replace("topics: [AI]\n", "topics: [AI]\nseen: 0999-01-02\n"))
    record = json.loads(run_cli("export", str(feeds)).stdout)[0]
    assert record["publishedDateTime"] == "0001-06-01T12:00:00Z"
    assert record["seen"] == "0999-01-02"
    rows = list(csv.reader(io.StringIO(run_cli("export", str(feeds), "-f", "csv").stdout)))
    assert rows[1][rows[0].index("publishedDateTime")] == "0001-06-01T12:00:00Z"
    assert "<published>0001-06-01T12:00:00Z</published>" in run_cli(
        "export", str(feeds), "-f", "atom").stdout  # fmt: skip
    assert "0001-06-01" in run_cli("export", str(feeds), "-f", "markdown").stdout
    table = run_cli("list", str(feeds), "--format", "table").stdout
    assert "0001-06-01 12:00" in table
    tsv = run_cli("list", str(feeds)).stdout.splitlines()[1]
    assert tsv.startswith("0001-06-01T12:00:00Z\t")
