"""--template: Jinja2 in its sandbox, errors with file:line, filters, built-in templates."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLES, run_cli
from pytest import MonkeyPatch
from typer.testing import CliRunner, Result

from newscli.cli import app
from newscli.errors import TemplateError
from newscli.formats.templating import engine

NOW = "2025-03-20T00:00:00Z"
ESCAPES = {  # each tries to reach Python's objects from a template
    "mro.txt": "{{ ''.__class__.__mro__ }}",
    "globals.txt": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "subclasses.txt": "{{ ().__class__.__base__.__subclasses__() }}",
    "guarded.txt": "{% if ''.__class__ is defined %}{{ ''.__class__ }}{% endif %}",
    "mutate.txt": "{{ articles.append(1) }}{{ feed.update(title='x') }}",
    "format.txt": "{{ '{0.__class__}'.format(feed) }}",
}


def invoke(*args: str) -> Result:
    """The export command in this process (a real process is tested below once), without
    the cache: in CI's 3.13 run the worker's shared cache read as malformed here, in this
    long-lived process, three times (newscli rebuilt it and said so, one line more than
    this test takes; the cause is not found yet: stop 55's closing note)."""
    argv = ["export", str(SAMPLES), "--no-cache", *args]
    return CliRunner().invoke(app, argv, catch_exceptions=False)


def test_a_template_cannot_escape_the_sandbox(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """Each payload is a one-line error naming file and line, exit 2; one of them in a
    real process, the others in this one."""
    monkeypatch.chdir(tmp_path)
    for name, source in ESCAPES.items():
        (tmp_path / name).write_text("first line\n" + source + "\n", encoding="utf-8")
        if name == "mro.txt":
            result: Any = run_cli("export", str(SAMPLES), "--template", name, cwd=tmp_path)
            assert result.returncode == 2, (name, result.stderr)
        else:
            result = invoke("--template", name)
            assert result.exit_code == 2, (name, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"newscli: error: {name}:2: "), lines
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "PWNED").exists()


def test_template_errors_name_the_file_and_line(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "syntax.html").write_text("<p>\n{% for a in articles %}\n{{ a.title }\n")
    (folder / "runtime.txt").write_text("ok\n{{ articles|length }}\n{{ 1 // 0 }}\n")
    (folder / "filter.md").write_text("a\nb\n{{ feed.title|no_such_filter }}\n")
    expected = {
        "syntax.html": "tpl/syntax.html:3: ",
        "runtime.txt": "tpl/runtime.txt:3: integer division or modulo by zero",
        "filter.md": "tpl/filter.md:3: No filter named 'no_such_filter'.",
        "missing.html": "--template: no such file or built-in template: 'tpl/missing.html'",
    }
    for name, message in expected.items():
        result = invoke("--template", f"tpl/{name}")
        assert result.exit_code == 2 and result.stdout == "", name
        assert result.stderr.startswith(f"newscli: error: {message}"), result.stderr
        assert result.stderr.count("\n") == 1


def test_a_user_template_sees_the_documented_context(tmp_path: Path) -> None:
    template = tmp_path / "list.txt"
    template.write_text(
        "{{ feed.title }}|{{ now|rfc3339 }}|{{ counts.articles }}|{{ group_by }}\n"
        "{% for a in articles %}{{ a.title }}|{{ a.url|domain }}|{{ a.published|day }}|"
        "{{ a.published|ago }}|{{ a.record.quality }}|{{ a.also_covered_by|join('+') }}|"
        "{{ a.title|markdown_escape }}\n{% endfor %}"
        "{% for s in stories if s.articles|length > 1 %}story {{ s.number }}: "
        "{{ s.articles|map(attribute='provider')|join(', ') }}\n{% endfor %}"
    )
    args = ["export", "sample_feeds", "--template", str(template), "--now", NOW, "--limit", "3"]
    result = run_cli(*args, "--feed-title", "T <&>")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"T <&>|{NOW}|3|topic"  # a .txt template is not escaped
    assert lines[1] == (
        "Central bank holds rates, signals cuts later in the year|harborledger.example|"
        "2025-03-19|10 hours ago|84||Central bank holds rates, signals cuts later in the year"
    )
    assert lines[2].startswith("Chipmakers brace for licensing regime on AI hardware|")
    assert lines[2].endswith("|5 days ago|67|Harbor Ledger|Chipmakers brace for licensing "
                             "regime on AI hardware")  # fmt: skip
    assert lines[4] == "story 2: Northgate Wire, Harbor Ledger"


def test_markdown_format_is_the_builtin_template(in_repo: Path, tmp_path: Path) -> None:
    args = ["export", "sample_feeds", "--feed-title", "Sample picks", "--now", NOW]
    runner = CliRunner()
    builtin = runner.invoke(app, [*args, "--format", "markdown"])
    template = runner.invoke(app, [*args, "--template", "digest.md"])
    copied = tmp_path / "mine.md"
    copied.write_text(engine.builtin_source("digest.md"), encoding="utf-8")
    user = runner.invoke(app, [*args, "--template", str(copied)])
    assert builtin.exit_code == template.exit_code == user.exit_code == 0
    assert builtin.stdout == template.stdout == user.stdout
    assert builtin.stdout == (REPO / "tests" / "golden" / "export.md").read_text()


def test_templates_lists_and_shows_the_builtin_ones() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["templates"])
    assert listed.exit_code == 0
    names = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert names == ["digest.md", "email.txt", "newsletter.html"]
    shown = runner.invoke(app, ["templates", "show", "newsletter.html"])
    assert shown.exit_code == 0 and shown.stdout == engine.builtin_source("newsletter.html")
    assert "<!DOCTYPE html>" in shown.stdout
    wrong = runner.invoke(app, ["templates", "show", "nope.html"])
    assert wrong.exit_code == 2 and "no built-in template 'nope.html'" in wrong.stderr


@pytest.mark.parametrize(
    ("name", "escaped"),
    [("a.html", True), ("a.HTM", True), ("a.xml", True), ("a.html.j2", True),
     ("a.txt", False), ("a.md", False), ("a.j2", False), (None, False)],
)  # fmt: skip
def test_autoescape_follows_the_template_name(name: str | None, escaped: bool) -> None:
    assert engine.escapes(name) is escaped


def test_filters() -> None:
    when = datetime(2025, 3, 14, 9, 12, tzinfo=timezone.utc)
    assert engine.rfc3339(when) == "2025-03-14T09:12:00Z" and engine.rfc3339(None) == ""
    assert engine.domain("https://www.example.org/a?b") == "example.org"
    assert engine.domain("not a url") == "" and engine.domain(3) == ""
    assert engine.markdown_escape("*a* [b]") == r"\*a\* \[b\]"
    assert engine.http_url("javascript:alert(1)") == "" and engine.http_url("http://a.b/") == (
        "http://a.b/"
    )
    env = engine.environment(None)
    tpl = env.from_string("{{ when|ago }}/{{ later|ago }}/{{ when|ago }}")
    assert tpl.render(when=when, later=datetime(2025, 3, 21, tzinfo=timezone.utc), now=when.replace(
        day=17)) == "3 days ago/in 3 days/3 days ago"  # fmt: skip


def test_a_missing_builtin_name_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="no built-in template"):
        engine.builtin_source("missing.txt")


def test_jinja2_is_imported_only_for_template_outputs() -> None:
    code = (
        "import sys\nfrom newscli.cli import main\nsys.argv = ['newscli', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('JINJA' if 'jinja2' in sys.modules else 'NONE')\n"
    )
    for fmt, loaded in (("json", "NONE"), ("html", "JINJA")):
        run = subprocess.run(
            [sys.executable, "-c", code, "export", "sample_feeds", "--format", fmt],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert run.stderr.endswith(loaded), (fmt, run.stderr)


def test_a_builtin_name_wins_over_a_file_of_that_name(
    in_repo: Path, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    """`--template digest.md > digest.md`: the shell made an empty digest.md first."""
    args = ["export", str(SAMPLES), "--now", NOW]
    expected = CliRunner().invoke(app, [*args, "--format", "markdown"]).stdout
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digest.md").write_text("mine {{ counts.articles }}\n")
    builtin = CliRunner().invoke(app, [*args, "--template", "digest.md"])
    assert builtin.exit_code == 0 and builtin.stdout == expected
    mine = CliRunner().invoke(app, [*args, "--template", "./digest.md"])
    assert mine.exit_code == 0 and mine.stdout == "mine 18\n"


def test_a_template_that_is_no_regular_file_is_named_so_and_never_opened(
    tmp_path: Path,
) -> None:
    """A FIFO would wait for a writer and /dev/zero never ends: neither is opened."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    for name, what in (("fifo", "not a regular file"), ("dir", "a folder"),
                       ("/dev/zero", "not a regular file")):  # fmt: skip
        result = run_cli("export", str(SAMPLES), "--template", name, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"newscli: error: --template: {name!r} is {what}\n"
