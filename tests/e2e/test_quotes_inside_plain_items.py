"""A quote or # inside a plain flow item (Women's health, Tom's Hardware, C#) is text,
not the start of a quoted scalar or a comment (h36): such valid files are edited, and
the run goes on past them."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write


def test_an_apostrophe_in_a_flow_mapping_neither_stops_nor_refuses_marking(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    for day in (1, 2, 5):
        write(
            feeds / f"s{day}.md",
            f"---\ntitle: Story {day}\npublishedDateTime: 2025-01-0{day}\n---\n",
        )
    toms = write(
        feeds / "toms.md",
        "---\ntitle: Tom's review\npublishedDateTime: 2025-01-03\n"
        "provider: {name: Tom's Hardware, domain: tomshardware.com}\n---\n",
    )
    env = {
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = run_cli(
        "export",
        "feeds",
        "--unpublished",
        "--mark-published",
        "-o",
        "out.json",
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert toms.read_text().endswith("published: true\n---\n")
    left = run_cli("list", "feeds", "--unpublished", cwd=tmp_path, env=env)
    assert left.stdout.count("\n") == 1, left.stdout  # the header only


def test_tag_items_with_quotes_and_hashes_inside(tmp_path: Path) -> None:
    original = (
        "---\ntitle: x\ntopics: [Women's health, 'it''s', \"a'b\", x\"y, C#]\n"
        'tags: [a"b, c]\n---\n'
    )
    path = write(tmp_path / "a.md", original)
    other = write(tmp_path / "b.md", "---\ntitle: y\ntopics:\n  - A\n---\n")
    env = {
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    added = run_cli("tag", "add", "Tom's", 'say "x"', "a.md", "b.md", cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    assert (
        "topics: [Women's health, 'it''s', \"a'b\", x\"y, C#, Tom's, say \"x\"]\n"
        in path.read_text()
    )
    assert "  - Tom's\n" in other.read_text()
    removed = run_cli("tag", "remove", "c#", "WOMEN'S HEALTH", "a.md", cwd=tmp_path, env=env)
    assert removed.returncode == 0, removed.stderr
    tags = run_cli("tag", "add", "it's", "a.md", "--field", "tags", cwd=tmp_path, env=env)
    assert tags.returncode == 0, tags.stderr
    assert "tags: [a\"b, c, it's]\n" in path.read_text()
    for _ in range(3):
        assert run_cli("undo", cwd=tmp_path, env=env).returncode == 0
    assert path.read_text() == original


def test_quotes_and_brackets_where_yaml_reads_them_as_such(tmp_path: Path) -> None:
    """Quoted scalars still hide their brackets, also JSON's `"a":"b"` (no blank after
    the colon of a quoted key), and a line after the flow is edited."""
    env = {
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    for line in (
        'provider: {"name":"Tom\'s}","domain":"t.example"}',
        'provider: {"name" : "x]", domain: y}',
        "topics: [Women's health, 'a, b]', \"c]\"]",
        "provider: {name: 'it''s', domain: x}",
    ):
        text = f"---\ntitle: t\n{line}\npublished: false\n---\n"
        path = write(tmp_path / "a.md", text)
        result = run_cli("publish", "a.md", cwd=tmp_path, env=env)
        assert result.returncode == 0, (line, result.stderr)
        assert path.read_text() == text.replace("published: false", "published: true")
