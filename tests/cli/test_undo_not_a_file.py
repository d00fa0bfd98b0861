"""`undo` and `history` when a journaled file, or the journal's own batch.json, is
replaced by a FIFO (h98 MED: both waited for a writer for ever): refused in one line,
never waited on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import run_cli

TEXT = "---\ntitle: A\n---\n"


def _edited(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    article = tmp_path / "a.md"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli("set", "note=x", str(article), env=env).returncode == 0
    return article, env


def test_an_edited_file_become_a_fifo_is_refused(tmp_path: Path) -> None:
    article, env = _edited(tmp_path)
    article.unlink()
    os.mkfifo(article)
    for dry in (["-n"], []):
        done = run_cli("undo", *dry, env=env)
        assert done.returncode == 1
        assert f"{article}: changed since the edit; not reverted\n" in done.stderr
    assert Path(article).is_fifo()


def test_a_batch_json_become_a_fifo_is_a_damaged_batch(tmp_path: Path) -> None:
    _, env = _edited(tmp_path)
    (batch,) = (tmp_path / "state" / "journal").iterdir()
    (batch / "batch.json").unlink()
    os.mkfifo(batch / "batch.json")
    done = run_cli("history", env=env)
    assert done.returncode == 0
    assert "(damaged: `newscli undo --forget` drops it)" in done.stdout


def test_undo_n_says_what_undo_does_of_a_read_only_file(tmp_path: Path) -> None:
    """h98: `undo -n` said "would restore" of a file `undo` then refused as read-only."""
    article, env = _edited(tmp_path)
    article.chmod(0o444)
    said = []
    for dry in (["-n"], []):
        done = run_cli("undo", *dry, env=env)
        assert done.returncode == 1
        assert f"{article}: read-only; not reverted\n" in done.stderr
        said.append(done.stdout)
    assert said == ["", ""]
    assert article.read_text(encoding="utf-8") != TEXT  # (left as the edit wrote it)


def test_another_name_become_a_fifo_is_left_alone(tmp_path: Path) -> None:
    """h100 HIGH: undo opened another name of the file (a hard link, replaced by a FIFO)
    with a blocking open: it waited for ever, its signals held and its locks taken."""
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    article = tmp_path / "x" / "a.md"
    article.write_text(TEXT, encoding="utf-8")
    os.link(article, tmp_path / "y" / "h.md")
    assert run_cli("set", "note=x", str(tmp_path), "--all", env=env).returncode == 0
    (tmp_path / "y" / "h.md").unlink()
    os.mkfifo(tmp_path / "y" / "h.md")
    done = run_cli("undo", env=env)
    assert done.returncode == 1
    assert "h.md: changed since the edit, no longer the same file as" in done.stderr
    assert article.read_text(encoding="utf-8") == TEXT


def _three_names(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for folder in "abc":
        (tmp_path / "u" / folder).mkdir(parents=True)
    article = tmp_path / "u" / "a" / "x.md"
    article.write_text(TEXT, encoding="utf-8")
    os.link(article, tmp_path / "u" / "b" / "x.md")
    os.link(article, tmp_path / "u" / "c" / "y.md")
    assert run_cli("set", "note=x", str(tmp_path / "u"), "--all", env=env).returncode == 0
    return article, env


def test_a_folder_of_another_name_become_a_file_stops_nothing(tmp_path: Path) -> None:
    """h101: `undo` could not lock u/b (now a file), restored nothing, at every retry."""
    article, env = _three_names(tmp_path)
    shutil.rmtree(tmp_path / "u" / "b")
    (tmp_path / "u" / "b").write_text("keep\n", encoding="utf-8")
    done = run_cli("undo", env=env)
    assert done.returncode == 0, done.stderr
    assert article.read_text(encoding="utf-8") == TEXT
    assert os.path.samefile(article, tmp_path / "u" / "c" / "y.md")
    assert (tmp_path / "u" / "b").read_text(encoding="utf-8") == "keep\n"


def test_a_link_holding_the_old_bytes_stays_a_link(tmp_path: Path) -> None:
    """h101: a symbolic link put in the place of another name, to a file holding the old
    bytes, was replaced by a hard link to the restored file."""
    article, env = _three_names(tmp_path)
    (tmp_path / "elsewhere.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "u" / "b" / "x.md").unlink()
    (tmp_path / "u" / "b" / "x.md").symlink_to(tmp_path / "elsewhere.md")
    done = run_cli("undo", env=env)
    assert "x.md: changed since the edit, no longer the same file as" in done.stderr
    assert (tmp_path / "u" / "b" / "x.md").is_symlink()
    assert article.read_text(encoding="utf-8") == TEXT
