"""h35: `-o` never writes over an article file beside those exported (an existing
.md/.markdown file in a folder given, or in the folder of a file given): nothing could
bring it back. Other files there, and new ones, are written. Installed command."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli


def test_o_refuses_an_article_file_beside_those_exported(tmp_path: Path) -> None:
    folder = tmp_path / "k"
    shutil.copytree(SAMPLES, folder)
    other = folder / "ocean-heat-study.md"
    before = other.read_bytes()
    for args in (["k/rate-decision.md"], ["k"], ["."]):
        result = run_cli("export", *args, "-q", "-o", "k/ocean-heat-study.md", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("newscli: error: cannot write k/ocean-heat-study.md: ")
        assert "it is an article file" in result.stderr
        assert other.read_bytes() == before
    upper = folder / "NOTES.MARKDOWN"
    upper.write_text("---\ntitle: Notes\n---\n", encoding="utf-8")
    result = run_cli("export", "k/rate-decision.md", "-q", "-o", "k/NOTES.MARKDOWN", cwd=tmp_path)
    assert result.returncode == 1 and upper.read_text(encoding="utf-8").startswith("---")


def test_o_writes_other_files_there_and_articles_elsewhere(tmp_path: Path) -> None:
    folder = tmp_path / "k"
    shutil.copytree(SAMPLES, folder)
    (tmp_path / "out.md").write_text("---\ntitle: old page\n---\n", encoding="utf-8")
    for target in ("k/export.json", "out.md", "k/new.md"):
        result = run_cli("export", "k/rate-decision.md", "-q", "-o", target, cwd=tmp_path)
        assert result.returncode == 0, (target, result.stderr)
        assert (tmp_path / target).read_text(encoding="utf-8").startswith("[")


def test_o_refuses_a_link_of_another_name_to_an_article_file_there(tmp_path: Path) -> None:
    """h39: `-o out.json`, a link to k/ocean-heat-study.md, replaced the article (the
    name checked was the link's, not the file's)."""
    folder = tmp_path / "k"
    shutil.copytree(SAMPLES, folder)
    other = folder / "ocean-heat-study.md"
    before = other.read_bytes()
    (tmp_path / "out.json").symlink_to("k/ocean-heat-study.md")
    result = run_cli("export", "k/rate-decision.md", "-q", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "it is an article file in k" in result.stderr
    assert other.read_bytes() == before
