"""`export --format csv` and tsv through the installed command: warm, from the cells the
index cache keeps, the same bytes as --no-cache (issue 15)."""

from pathlib import Path

from conftest import article_text, run_cli, write


def test_csv_and_tsv_from_kept_cells_match_no_cache(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    fine = article_text(title='Fine, \\"quoted\\"')
    write(feeds / "a.md", fine.replace("---\n", "---\nsection: sport\nwebUrl: =x\n", 1))
    write(feeds / "b.md", article_text(title="-minus"))
    write(feeds / "c.md", "---\nquality: high\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> tuple[int, str]:
        result = run_cli("export", str(feeds), *args, cwd=tmp_path, env=env)
        return result.returncode, result.stdout

    uncached = run("--format", "csv", "--no-cache")
    assert "section" in uncached[1] and '"Fine, ""quoted"""' in uncached[1]
    for _ in ("cold", "warm: cells made", "warm: cells read"):
        assert run("--format", "csv") == uncached
    for args in (["--format", "tsv"], ["--format", "csv", "--fields", "title,section,webUrl"]):
        assert run(*args) == run(*args, "--no-cache")
