"""publish / unpublish / validate / export --mark-published as real commands."""

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, article_text, run_cli, write


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def test_publish_with_filters_touches_exactly_the_selection(feeds: Path) -> None:
    before = snapshot(feeds)
    result = run_cli("publish", str(feeds), "--topic", "AI", "--min-quality", "70")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{feeds}/ai-chip-export-rules.md: published false -> true\n"
    assert result.stderr == "newscli: changed 1, already true 1, refused 0\n"
    after = snapshot(feeds)
    assert [k for k in before if before[k] != after[k]] == ["ai-chip-export-rules.md"]


def test_dry_run_reports_and_changes_nothing(feeds: Path) -> None:
    before = snapshot(feeds)
    result = run_cli("unpublish", str(feeds), "--published", "--dry-run")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 5
    assert all(line.endswith(": published true -> false") for line in result.stdout.splitlines())
    assert "would change 5, already false 0, refused 0" in result.stderr
    assert snapshot(feeds) == before
    assert not (feeds / ".newscli.lock").exists()


def test_folder_without_filter_needs_all(feeds: Path) -> None:
    refused = run_cli("publish", str(feeds))
    assert refused.returncode == 2
    assert "--all" in refused.stderr
    done = run_cli("publish", str(feeds), "--all")
    assert done.returncode == 0
    assert "changed 13, already true 5, refused 0" in done.stderr


def test_invalid_named_file_is_refused_with_exit_1(tmp_path: Path) -> None:
    good = write(tmp_path / "good.md", article_text())
    bad = write(tmp_path / "bad.md", "---\ntitle: x\nquality: high\n---\n")
    result = run_cli("publish", str(good), str(bad))
    assert result.returncode == 1
    assert f"{bad}: quality: expected an integer" in result.stderr
    assert b"published: true" in good.read_bytes()
    assert bad.read_text() == "---\ntitle: x\nquality: high\n---\n"


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_lock_busy_exits_3_and_wait_gives_up_in_time(feeds: Path) -> None:
    fd = os.open(feeds / ".newscli.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        before = snapshot(feeds)
        busy = run_cli("publish", str(feeds), "--topic", "AI")
        assert busy.returncode == 3
        assert "another newscli run is editing" in busy.stderr
        started = time.monotonic()
        waited = run_cli("publish", str(feeds), "--topic", "AI", "--wait", "1.5")
        elapsed = time.monotonic() - started
        assert waited.returncode == 3
        # It waited (longer than a start-up, ~0.5 s, alone), and gave up in time.
        assert 1.5 <= elapsed < 1.5 + 5
        assert snapshot(feeds) == before
    finally:
        os.close(fd)
    assert run_cli("publish", str(feeds), "--topic", "AI").returncode == 0


def test_mark_published_exports_then_marks_and_rerun_exports_only_new(
    feeds: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ai.json"
    args = ["export", str(feeds), "--topic", "AI", "--unpublished", "--mark-published"]
    first = run_cli(*args, "-o", str(out))
    assert first.returncode == 0, first.stderr
    exported = {a["path"] for a in json.loads(out.read_text())}
    assert len(exported) == 4
    assert "changed 4, already true 0, refused 0" in first.stderr
    again = run_cli(*args, "-o", str(out))
    assert json.loads(out.read_text()) == []
    write(feeds / "new.md", article_text(title="Fresh", topics="AI"))
    third = run_cli(*args)
    assert [a["title"] for a in json.loads(third.stdout)] == ["Fresh"]
    assert again.returncode == third.returncode == 0


def test_mark_published_with_unwritable_output_marks_nothing(feeds: Path, tmp_path: Path) -> None:
    before = snapshot(feeds)
    (tmp_path / "file").write_text("a file, so no folder can be made here")
    result = run_cli(
        "export", str(feeds), "--mark-published", "-o", str(tmp_path / "file" / "x.json")
    )
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    assert snapshot(feeds) == before


def test_validate_exit_codes_and_json(tmp_path: Path) -> None:
    assert run_cli("validate", str(SAMPLES)).returncode == 0
    write(tmp_path / "ok.md", article_text())
    write(tmp_path / "bad.md", "---\ntitle: 5\nquality: high\npublished: 'no'\n---\n")
    text = run_cli("validate", str(tmp_path))
    assert text.returncode == 1
    assert text.stdout.splitlines() == [
        f"{tmp_path}/bad.md:2: title: expected a string, got integer 5",
        f"{tmp_path}/bad.md:3: quality: expected an integer, got string 'high'",
        f"{tmp_path}/bad.md:4: published: expected true or false, got string 'no'",
        "2 files checked: 1 valid, 1 invalid (3 problems)",
    ]
    report = json.loads(run_cli("validate", str(tmp_path), "--format", "json").stdout)
    assert report["summary"] == {"files": 2, "valid": 1, "invalid": 1, "problems": 3}
    assert [p["field"] for p in report["files"][0]["problems"]] == ["title", "quality", "published"]


# Processes started at once (each waits for the folder lock); NEWSCLI_PARALLEL=20 for more.
PARALLEL = int(os.environ.get("NEWSCLI_PARALLEL", "8"))


@pytest.mark.slow
def test_parallel_exports_never_ship_an_article_twice(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for i in range(60):
        write(feeds / f"a{i:02}.md", article_text(title=f"Article {i}", quality=i))
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newscli",
                "export",
                str(feeds),
                "--unpublished",
                "--mark-published",
                "--wait",
                "60",
                "--max-quality",
                str(59 - (k % 3)),
                "-o",
                str(tmp_path / f"out{k}.json"),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for k in range(PARALLEL)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    shipped: list[str] = []
    for k in range(PARALLEL):
        shipped += [a["title"] for a in json.loads((tmp_path / f"out{k}.json").read_text())]
    assert sorted(shipped) == sorted(f"Article {i}" for i in range(60))  # each exactly once
    for path in feeds.glob("*.md"):
        assert b"published: true" in path.read_bytes()


@pytest.mark.slow
def test_parallel_editors_corrupt_nothing(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    originals = {}
    for i in range(10):
        path = write(feeds / f"a{i}.md", article_text(title=f"A{i}") + "Body\r\n")
        originals[path] = path.read_bytes()
    procs = []
    for k in range(PARALLEL):
        files = [str(feeds / f"a{(k + j) % 10}.md") for j in range(5)]
        command = "publish" if k % 2 else "unpublish"
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "newscli", command, *files, "--wait", "60"],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    for path, original in originals.items():
        data = path.read_bytes()
        assert data in (original, original.replace(b"published: false", b"published: true"))
    assert sorted(os.listdir(feeds)) == [".newscli.lock", *sorted(f"a{i}.md" for i in range(10))]
