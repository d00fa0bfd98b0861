"""`newscli presets` refuses a preset value that export refuses before reading a file,
with export's own line: a feed-link or feed-url that is no http(s) URL, a to/from that is
no address, a template with a format it cannot render. Before, `presets` listed such a
preset with exit 0 and the run refused it (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('feed-link: "javascript:alert(1)"',
         "presets.p.feed-link: not an absolute http(s) URL: 'javascript:alert(1)'"),
        ('feed-url: "file:///etc/passwd"',
         "presets.p.feed-url: not an absolute http(s) URL: 'file:///etc/passwd'"),
        ('format: email\n    to: "a@b.example\\r\\nBcc: x@evil.example"',
         "presets.p.to: an address cannot hold a line break"),
        ("format: email\n    to: a@b.example\n    from: nobody",
         "presets.p.from: not an email address: 'nobody'"),
        ('format: email\n    to: ""', "presets.p.to: not an email address: ''"),
        ("format: csv\n    template: digest.md",
         "presets.p.template: --template renders the output itself: give it without "
         "--format csv (or with --format html, or --format email for the email's HTML part)"),
        ('output: ""', "presets.p.output: needs a file name ('-' is stdout)"),  # (h29)
    ],
)  # fmt: skip
def test_presets_refuses_what_export_refuses(tmp_path: Path, body: str, message: str) -> None:
    write(tmp_path / "c.yaml", f"presets:\n  p:\n    {body}\n")
    listed = run_cli("presets", "--config", "c.yaml", cwd=tmp_path)
    run = run_cli("export", str(SAMPLES), "--config", "c.yaml", "--preset", "p", cwd=tmp_path)
    expected = f"newscli: error: c.yaml: {message}\n"
    assert (run.returncode, run.stdout, run.stderr) == (2, "", expected)
    assert (listed.returncode, listed.stdout, listed.stderr) == (2, "", expected)


def test_presets_lists_good_export_values(tmp_path: Path) -> None:
    """Values a run takes (or completes on its command line: rss without a feed-link)."""
    write(
        tmp_path / "c.yaml",
        "presets:\n  p:\n    format: email\n    to: Reader <a@b.example>\n"
        "    from: news@b.example\n    feed-link: https://news.example/\n"
        "  q:\n    format: rss\n  r:\n    format: html\n    template: digest.md\n",
    )
    listed = run_cli("presets", "--config", "c.yaml", "--format", "tsv", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "preset", "p", "q", "r"
    ]  # fmt: skip


def test_a_value_escape_hides_no_other_option(tmp_path: Path) -> None:
    """Each value is made inert alone: a title ending in a C1 CSI (``\\x9b``) used to
    swallow the next option's text (``' --w``) once the whole line was made inert."""
    write(
        tmp_path / "c.yaml",
        'presets:\n  p:\n    feed-title: "T\\e]0;x\\a\\x9b"\n    where: "quality > 5"\n'
        '    paths: ["a\\x9b", b]\n',
    )
    listed = run_cli("presets", "--config", "c.yaml", "--format", "tsv", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1] == (
        "p\t--feed-title $'T\\e]0;x\\x07\\xc2\\x9b' --where 'quality > 5' $'a\\xc2\\x9b' b"
    )


def test_names_and_values_are_shown_as_bash_takes_them(tmp_path: Path) -> None:
    """h89: a value holding an escape sequence was shown with it dropped (`--topic AI`
    for "\\e[31mAI", `--feed-title ''` for an OSC title), and a name of one was an
    empty tsv cell; h90: U+0080-U+00FF were written \\xNN, which bash takes as a byte,
    and a name with a backslash and an n and one with a line break were one. Each name
    and value, read back by bash from the tsv and the table, is the JSON's."""
    write(
        tmp_path / "c.yaml",
        'presets:\n  "\\e]0;pw\\a":\n    topic: "\\e[31mAI"\n'
        '    feed-title: "it\'s a \\\\ \\n"\n'
        '  "a\\\\nb": {topic: "soft\\u00adhyphen"}\n'
        '  "a\\nb": {topic: "c1\\x9bcsi", feed-title: "q\'t x"}\n'
        '  plain: {topic: "bidi\\u202eab"}\n',
    )
    shown = run_cli("presets", "--config", "c.yaml", "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    presets = json.loads(shown.stdout)["presets"]
    expected = {name: [v for k, v in sorted(options.items())] for name, options in presets.items()}
    assert len(expected) == 4
    for fmt in ("tsv", "table"):
        listed = run_cli("presets", "--config", "c.yaml", "--format", fmt, cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert "\x1b" not in listed.stdout and "\x9b" not in listed.stdout
        rows = listed.stdout.splitlines()[2:] if fmt == "table" else listed.stdout.splitlines()[1:]
        found = {}
        for row in rows:
            # bash reads the row as words: the name, then --key value pairs
            words = subprocess.run(
                ["bash", "-c", f"printf '%s\\0' {row}"],
                capture_output=True,
                env={**os.environ, "LC_ALL": "C"},
            )  # (cron's: h91)
            name, *options = words.stdout.decode("utf-8").split("\0")[:-1]
            pairs = sorted(zip(options[::2], options[1::2], strict=True))
            found[name] = [value for _, value in pairs]
        assert found == expected, fmt


def test_json_writes_invisible_characters_escaped(tmp_path: Path) -> None:
    """h91: `presets --format json` (as every JSON output) wrote invisible format and tag
    characters raw to a terminal; they are \\u escapes now, the same JSON values."""
    value = "t\U000e0041\u00ad\ufeff\u2060\u200by"
    write(tmp_path / "c.yaml", 'presets:\n  "n\\U000E0041x":\n    topic: "' + value.encode(
        "unicode_escape").decode().replace("\\x", "\\u00") + '"\n')  # fmt: skip
    shown = run_cli("presets", "--config", "c.yaml", "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.isascii(), shown.stdout
    assert json.loads(shown.stdout)["presets"] == {"n\U000e0041x": {"topic": value}}


def test_an_empty_preset_name_is_refused_not_ignored(tmp_path: Path) -> None:
    """h29: `--preset ''` (a script's empty variable) ran with no preset, exit 0, and a
    preset named "" in the file was listed and never used."""
    write(tmp_path / "c.yaml", "presets:\n  p:\n    limit: 1\n")
    for given in ("", " "):
        run = run_cli("list", str(SAMPLES), "--config", "c.yaml", "--preset", given,
                      cwd=tmp_path)  # fmt: skip
        expected = "newscli: error: --preset needs a name (presets: p)\n"
        assert (run.returncode, run.stdout, run.stderr) == (2, "", expected)
    write(tmp_path / "c.yaml", 'presets:\n  "":\n    limit: 1\n')
    expected = "newscli: error: c.yaml: presets: a preset's name cannot be empty\n"
    for args in (["presets"], ["list", str(SAMPLES)]):
        run = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
        assert (run.returncode, run.stdout, run.stderr) == (2, "", expected)
