"""`validate` and `fields` through the installed command: warm from the index cache, the
same output as --no-cache (issue 15)."""

from pathlib import Path

from conftest import article_text, run_cli, write


def test_validate_and_fields_from_the_cache_match_no_cache(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", article_text(title="Fine").replace("---\n", "---\nsection: sport\n", 1))
    write(feeds / "b.md", "---\nquality: high\nheat: warm\nseen: 2025-03-01\n---\n")
    write(feeds / "c.md", "---\ntitle: [\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> tuple[int, str, str]:
        result = run_cli(*args, str(feeds), cwd=tmp_path, env=env)
        return result.returncode, result.stdout, result.stderr

    uncached = run("validate", "--format", "json", "--no-cache")
    assert uncached[0] == 1 and '"problems": 4' in uncached[1]  # title, quality, heat; YAML
    assert run("validate", "--format", "json") == uncached  # cold: fills the cache
    assert run("validate", "--format", "json") == uncached  # warm: from it
    fields = run("fields", "--format", "tsv")
    assert "section\tstring\tfound in the files" in fields[1]
    assert run("fields", "--format", "tsv", "--no-cache") == fields
