"""h35: what a template reaches. A width given as an argument (`%*d`, `%.*f`,
`{:{}}`, `{0:{1}}`, format_map) is bounded as a written one is; an include is read
from the template's folder only (a link out of it is refused, as `../` is), never
from a FIFO; a template named through a link includes beside the file it leads to.
Installed command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

WIDE = "a width or precision of 10 million or more in a format"


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    "text",
    [
        '{{ ("%*d" % (10**9, 1))|length }}',
        '{{ "%.*f" % (10**8, 1.0) }}',
        '{{ "%*d"|format(10**9, 1)|length }}',
        '{{ "{:{}}".format(1, 10**9)|length }}',
        '{{ "{0:{1[0]}}".format(1, [10**9])|length }}',
        '{{ "{a:{b}}".format_map({"a": 1, "b": 10**9})|length }}',
        '{{ "{:{}}".format(1, "<999999999")|length }}',
        # h39: an attribute, a list in a list, digits of another script
        '{% set ns = namespace(x=10**9) %}{{ ("{:{w.x}}".format(1, w=ns))|length }}',
        '{{ ("{:{1[0][0]}}".format(1, [[10**9]]))|length }}',
        '{{ ("{:{}}".format(1, "' + "\u0661" + "\u0660" * 9 + '"))|length }}',
        '{{ "{v:{w[x][y]}}".format_map({"v": 1, "w": {"x": {"y": 10**9}}})|length }}',
        # h46: after a mapping key (balanced parentheses in it too), and the filter's
        '{{ ("%(a)999999999s" % {"a": 1})|length }}',
        '{{ ("%(a).999999999f" % {"a": 1.0})|length }}',
        '{{ ("%(a(b))-999999999d" % {"a(b)": 1})|length }}',
        '{{ "%(a)999999999s"|format(a=1)|length }}',
    ],
)
def test_a_width_given_as_an_argument_is_bounded(tmp_path: Path, text: str) -> None:
    write(tmp_path / "w.txt", text + "\n")
    result = run_cli("export", str(SAMPLES), "-q", "--template", "w.txt", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == f"newscli: error: w.txt:1: {WIDE}\n"


def test_small_widths_given_as_arguments_still_work(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", '{{ "%*d" % (5, 1) }}|{{ "{:{}}".format(1, 5) }}|'
          '{{ "%.*f" % (2, 1.0) }}|{{ "{:>{w}}".format("x", w=3) }}\n')  # fmt: skip
    result = run_cli("export", str(SAMPLES), "-q", "--template", "ok.txt", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "    1|    1|1.00|  x\n"), result.stderr


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_an_include_stays_in_the_templates_folder(tmp_path: Path) -> None:
    write(tmp_path / "secret.txt", "secret\n")
    tpl = tmp_path / "tpl"
    write(tpl / "sub" / "in.txt", "included\n")
    (tpl / "s.txt").symlink_to("../secret.txt")
    (tpl / "root").symlink_to("/")
    os.mkfifo(tpl / "fifo.txt")
    write(tpl / "link.txt", '{% include "s.txt" %}')
    write(tpl / "root.txt", '{% include "root/etc/hostname" %}')
    write(tpl / "fifo.txt.j2", '{% include "fifo.txt" %}')
    write(tpl / "ok.txt", '{% include "sub/in.txt" %}')
    for name, message in (
        ("link.txt", "s.txt is a link out of the template's folder"),
        ("root.txt", "root/etc/hostname is a link out of the template's folder"),
        ("fifo.txt.j2", "fifo.txt is not a regular file"),
    ):
        result = run_cli("export", str(SAMPLES), "-q", "--template", f"tpl/{name}", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr == f"newscli: error: tpl/{name}:1: {message}\n"
    (tmp_path / "named.txt").symlink_to("tpl/ok.txt")  # the named template may be a link
    for name in ("tpl/ok.txt", "named.txt"):
        result = run_cli("export", str(SAMPLES), "-q", "--template", name, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (0, "included\n"), result.stderr


def test_a_null_value_prints_as_nothing_and_is_none_tells_it(tmp_path: Path) -> None:
    """h64: `set excerpt:=null` writes a null, and a template's `{{ a.excerpt }}` printed
    "None" where a file without the key printed nothing."""
    write(tmp_path / "f" / "one.md", '---\ntitle: "One"\nexcerpt: null\n---\n')
    write(tmp_path / "f" / "two.md", '---\ntitle: "Two"\n---\n')
    template = tmp_path / "t.txt"
    template.write_text(
        "{% for a in articles %}{{ a.title }}: [{{ a.excerpt }}] [{{ a.record.excerpt }}]"
        " {{ a.record.excerpt is none }}\n{% endfor %}",
        encoding="utf-8",
    )
    done = run_cli("export", str(tmp_path / "f"), "--template", str(template), "--sort", "title")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "One: [] [] True\nTwo: [] [] False\n"  # (lacking: not none)
