"""set, unset, tag, reject, unreject through the installed command: golden edits on the
odd-but-valid files of tests/fixtures/odd (every other byte kept), selection rules,
exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

ODD = REPO / "tests" / "fixtures" / "odd"

# (file, command line, the (old, new) byte replacements the edit must make, stdout)
GOLDEN = [
    ("comments-tabs.md", ["set", "quality=60"], [(b"quality:\t54\n", b"quality:\t60\n")],
     "quality 54 -> 60"),
    ("comments-tabs.md", ["tag", "add", "Science", "climate"],
     [(b"- Climate\n", b"- Climate\n- Science\n")],
     "topics [AI, Climate] -> [AI, Climate, Science]"),
    ("comments-tabs.md", ["unset", "note", "provider"],
     [(b"provider:\n  name: Plain Outlet   # outlet\n  # inside the mapping\n"
       b"  domain: outlet.example\n", b""), (b"note:\n", b"")],
     "note null -> (none)"),
    ("comments-tabs.md", ["reject", "--reason", "press release"],
     [(b"reviewed:   # not yet\n---\n", b"reviewed:   # not yet\nrejected: true\n"
       b"rejectedReason: press release\n---\n")], "rejected (none) -> true"),
    ("bom-crlf-flow.md", ["tag", "add", "Science", "ai"],
     [(b"topics: [AI, \"Climate\", 'Space']\r\n",
       b"topics: [AI, \"Climate\", 'Space', Science]\r\n")],
     "topics [AI, Climate, Space] -> [AI, Climate, Space, Science]"),
    ("bom-crlf-flow.md", ["tag", "remove", "climate"],
     [(b"topics: [AI, \"Climate\", 'Space']\r\n", b"topics: [AI, 'Space']\r\n")],
     "topics [AI, Climate, Space] -> [AI, Space]"),
    ("bom-crlf-flow.md", ["set", "quality=71"], [(b"quality: 70\r\n", b"quality: 71\r\n")],
     "quality 70 -> 71"),
    ("bom-crlf-flow.md", ["reject"],
     [(b"Flow, domain: flow.example}\r\n", b"Flow, domain: flow.example}\r\nrejected: true\r\n")],
     "rejected (none) -> true"),
    ("quoting.md", ["set", "category=news", "note=yes"],
     [(b"'category': 'single ''quoted'''\n", b"'category': 'news'\n"),
      (b'secured: "opaque=="\n', b'secured: "opaque=="\nnote: "yes"\n')],
     "category single 'quoted' -> news"),
    ("quoting.md", ["set", "heat=3", "quality=10"],
     [(b"heat: -1\nquality: ~\n", b"heat: 3\nquality: 10\n")], "quality null -> 10"),
    ("quoting.md", ["tag", "add", "AI", "--field", "tags"],
     [(b'secured: "opaque=="\n', b'secured: "opaque=="\ntags:\n  - AI\n')],
     "tags (none) -> [AI]"),
    ("block-scalars.md", ["set", "excerpt=short"],
     [(b"excerpt: |\n  first line\n\n  third line: with a colon\n", b"excerpt: short\n")],
     "-> short"),
    ("block-scalars.md", ["tag", "add", "Science"],
     [(b"    - 'Space'\n", b"    - 'Space'\n    - 'Science'\n")],
     "topics [AI, Space] -> [AI, Space, Science]"),
    ("block-scalars.md", ["tag", "remove", "ai", "SPACE", "--prune"],
     [(b"topics:\n    - \"AI\"\n    - 'Space'\n", b"")], "topics [AI, Space] -> (none)"),
]  # fmt: skip


# The edits also run with --dry-run (same report, no change) and a second time (nothing
# left to do) for each kind of edit once, and for both list styles of tag add.
FULL_CHECKS = {
    ("comments-tabs.md", ("set", "quality=60")),
    ("comments-tabs.md", ("tag", "add")),
    ("comments-tabs.md", ("unset", "note")),
    ("comments-tabs.md", ("reject", "--reason")),
    ("bom-crlf-flow.md", ("tag", "add")),
    ("bom-crlf-flow.md", ("tag", "remove")),
}


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("name", "argv", "replacements", "line"), GOLDEN,
                         ids=[f"{g[0]}:{' '.join(g[1])}" for g in GOLDEN])  # fmt: skip
def test_golden_edit(
    tmp_path: Path, name: str, argv: list[str], replacements: list[tuple[bytes, bytes]], line: str
) -> None:
    path = tmp_path / name
    shutil.copy(ODD / name, path)
    before = path.read_bytes()
    expected = before
    for old, new in replacements:
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    full = (name, tuple(argv[:2])) in FULL_CHECKS
    if full:
        dry = run_cli(*argv, name, "--dry-run", cwd=tmp_path)
        assert dry.returncode == 0, dry.stderr
        assert path.read_bytes() == before
    result = run_cli(*argv, name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == expected
    assert all(out.startswith(f"{name}: ") for out in result.stdout.splitlines())
    assert line in result.stdout
    assert result.stderr == "newscli: changed 1, unchanged 0, refused 0\n"
    if full:
        assert result.stdout == dry.stdout
        again = run_cli(*argv, name, cwd=tmp_path)  # already so: nothing to do
        assert again.returncode == 0 and again.stdout == "" and path.read_bytes() == expected


def test_a_refused_edit_leaves_the_file_and_exits_1(tmp_path: Path) -> None:
    """provider is a flow mapping: provider.name cannot be set in place; quality=71 of
    the same command is not written either (a file is edited whole or not at all)."""
    path = tmp_path / "f.md"
    shutil.copy(ODD / "bom-crlf-flow.md", path)
    before = path.read_bytes()
    result = run_cli("set", "quality=71", "provider.name=Other", "f.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "f.md: the edit could not be verified" in result.stderr
    assert "refused 1" in result.stderr and result.stdout == ""
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set", "quality=101"], "quality=101: 101 is outside 0-100"),
        (["set", "published=maybe"], "expected true or false"),
        (["set", "updatedDateTime=yesterday"], "RFC 3339"),
        (["set", "topics=AI"], "tag add/remove"),
        (["tag", "add", ""], "TOPIC: '' is blank: a TOPIC holds a word"),
        # (h116: a blank one beside another was "name at least one non-empty TOPIC")
        (["tag", "add", "A", " "], "TOPIC: ' ' is blank: a TOPIC holds a word"),
        # (h121: shown as nothing, and a blank of another space written as an escape)
        (["tag", "add", "\u200b"], "TOPIC: '\\u200b' is blank"),
        # (h124: an escape sequence is no blank, and a lone ESC, DEL or tab was taken)
        (["tag", "add", "\x1b[0m"], "TOPIC: '\\x1b[0m' holds a control character"),
        (["tag", "add", "\x1b"], "TOPIC: '\\x1b' holds a control character"),
        (["tag", "add", "\x7f"], "TOPIC: '\\x7f' holds a control character"),
        (["tag", "add", "a\tb"], "TOPIC: 'a\\tb' holds a control character"),
        (["tag", "add", "A", "\x9b"], "TOPIC: '\\x9b' holds a control character"),
        (["tag", "add", "a\u2028b"], "TOPIC: 'a\\u2028b' holds a control character"),
        (["tag", "add", "\u202eAI"], "TOPIC: '\\u202eAI' holds a control character"),
        (["tag", "add", "\u3000"], "TOPIC: '\\u3000' is blank"),
        # (h127: invisible inside a topic, shown as another topic)
        (["tag", "add", "A\u200bI"], "TOPIC: 'A\\u200bI' holds an invisible character"),
        (["tag", "add", "\ufeffAI"], "TOPIC: '\\ufeffAI' holds an invisible character"),
        (["tag", "add", "Sci", "Sci\u00adence"], "'Sci\\xadence' holds an invisible"),
        # (h131: a tag character, the combining grapheme joiner, a Hangul filler)
        (["tag", "add", "A\U000e0041I"], "'A\\U000e0041I' holds an invisible character"),
        (["tag", "add", "A\u034fI"], "'A\\u034fI' holds an invisible character"),
        (["tag", "add", "A\u3164I"], "'A\\u3164I' holds an invisible character"),
        # (h125: a topic apart from "AI", shown alike)
        (["tag", "add", "AI "], "TOPIC: 'AI ' begins or ends with a blank: a TOPIC is"),
        (["tag", "add", "\u00a0AI"], "TOPIC: '\\xa0AI' holds an invisible character"),
        (["tag", "add", "\u3164"], "TOPIC: '\\u3164' is blank"),  # (h123: letters
        (["tag", "add", "\u2800 \u115f"], "is blank"),  # that show as nothing)
    ],
)
def test_bad_values_are_usage_errors(tmp_path: Path, argv: list[str], message: str) -> None:
    path = tmp_path / "a.md"
    shutil.copy(ODD / "quoting.md", path)
    before = path.read_bytes()
    result = run_cli(*argv, "a.md", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("newscli: error: ") and message in result.stderr
    assert path.read_bytes() == before


def test_assignments_first_then_paths(tmp_path: Path) -> None:
    """An argument with `=` that names an existing file is a path, not an assignment."""
    odd = tmp_path / "a=b.md"
    shutil.copy(ODD / "quoting.md", odd)
    result = run_cli("set", "status=held", "a=b.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a=b.md: status (none) -> held\n"
    assert b"\nstatus: held\n---" in odd.read_bytes()


def test_a_folder_needs_a_filter_or_all(feeds: Path) -> None:
    before = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    widened = [["reject", "--include-rejected"], ["set", "a=b", "--include-rejected"]]
    for argv in (["set", "status=held"], ["reject"], ["unreject"], ["reject", "--reason", "x"],
                 *widened):  # fmt: skip
        refused = run_cli(*argv, str(feeds))
        assert refused.returncode == 2, (argv, refused.stderr)
        assert refused.stderr == (
            f"newscli: error: {feeds}: a folder with no filter would edit every article in "
            "it; add --topic/--min-quality/... or --all\n"
        )
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == before
    some = run_cli("set", "status=held", str(feeds), "--topic", "Space")
    assert some.returncode == 0, some.stderr
    changed = [p for p in before if p.read_bytes() != before[p]]
    assert changed and len(some.stdout.splitlines()) == len(changed)
    assert all(b"status: held" in p.read_bytes() for p in changed)


def test_story_edits_every_article_of_the_selected_stories(feeds: Path) -> None:
    """ai-chip-export-rules.md (Harbor Ledger) and -2 (Northgate Wire) are one story:
    --story tags both; without it, only the selected one."""
    args = ("tag", "add", "Wire", str(feeds), "--search", "Chipmakers brace")
    plain = run_cli(*args, "--dry-run")
    story = run_cli(*args, "--story")
    assert plain.returncode == story.returncode == 0, story.stderr
    assert [line.split(":")[0] for line in plain.stdout.splitlines()] == [
        str(feeds / "ai-chip-export-rules-2.md")
    ]
    assert sorted(line.split(":")[0] for line in story.stdout.splitlines()) == [
        str(feeds / "ai-chip-export-rules-2.md"),
        str(feeds / "ai-chip-export-rules.md"),
    ]
    assert b"- Wire" in (feeds / "ai-chip-export-rules.md").read_bytes()


def test_a_topic_with_a_control_character_in_a_file_can_be_removed(tmp_path: Path) -> None:
    """tag add refuses one (h124); one already written (by hand, another program) is
    still removed by tag remove."""
    path = tmp_path / "a.md"
    path.write_text('---\ntitle: T\ntopics:\n  - "a\\tb"\n  - AI\n---\n', encoding="utf-8")
    result = run_cli("tag", "remove", "a\tb", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == "---\ntitle: T\ntopics:\n  - AI\n---\n"
