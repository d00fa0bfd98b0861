"""A template error names the file and line where it happened, an included file's too,
and a template that runs out of memory is that one line too (exit 2), not an internal
error. Installed command."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

import pytest
from conftest import NEWSCLI, SAMPLES, run_cli, write


def test_an_error_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path / "main.txt", 'a\n{% include "inc.txt" %}\n')
    write(tmp_path / "inc.txt", "x\ny\n{{ 1 // 0 }}\n")
    result = run_cli("export", str(SAMPLES), "--template", "main.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("newscli: error: ") and "inc.txt:3: " in result.stderr


def test_a_template_out_of_memory_is_a_template_error(tmp_path: Path) -> None:
    chain = " ~ ".join(["s"] * 200)  # 2 GB by concatenation, within the sandbox's limits
    write(tmp_path / "big.txt", '{% set s = "x" * 9999999 %}{{ ' + chain + " }}\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    result = subprocess.run(
        [str(NEWSCLI), "export", str(SAMPLES), "--template", "big.txt"],
        cwd=tmp_path, capture_output=True, text=True, preexec_fn=limit, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "newscli: error: big.txt:1: out of memory (the template builds a value too big to hold)\n"
    )


def test_errors_jinja_raises_itself_are_template_errors(tmp_path: Path) -> None:
    for name, text in (
        ("tr.txt", '{{ "abc"|truncate(1) }}\n'),
        ("cy.txt", "{{ cycler().next() }}\n"),
    ):
        write(tmp_path / name, text)
        result = run_cli("export", str(SAMPLES), "--template", name, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"newscli: error: {name}:1: ")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_repetition_and_powers_have_limits_and_a_missing_include_is_named(tmp_path: Path) -> None:
    write(tmp_path / "rep.txt", '{{ "ab" * 3 }} {{ [1] * 2 }} {{ 2 ** 10 }}\n{{ "a" * 10**9 }}\n')
    write(tmp_path / "pow.txt", "{{ 9 ** 999999999 }}\n")
    write(tmp_path / "inc.txt", 'a\n{% include "gone.txt" %}\n')
    write(tmp_path / "ok.txt", '{{ "ab" * 3 }} {{ [1] * 2 }} {{ 2 ** 10 }} {{ 3 * 4 }}'
          '{{ "ab"|center(6) }}|{{ "%5s"|format("a") }}|{{ "{:>4}".format("b") }}'
          '|{{ "%3s" % "c" }}|{{ 7 % 3 }}\n')  # fmt: skip
    write(tmp_path / "wide.txt", '{{ "x" | center(1000000000) }}\n')
    write(tmp_path / "fmt.txt", 'a\n{{ "%1000000000s" | format("a") }}\n')
    write(tmp_path / "sfmt.txt", '{{ "{:>1000000000}".format("a") }}\n')
    write(tmp_path / "long.txt", "{{ 2 ** 20000 }}\n")
    write(tmp_path / "out.txt", '{% for i in range(100) %}{{ "x" * 9999999 }}{% endfor %}\n')
    write(tmp_path / "mod.txt", '{{ "%100000000s" % "a" }}\n')
    write(tmp_path / "ljust.txt", '{{ "a".ljust(3000000000)|length }}\n')
    for name, message in (
        ("mod.txt", "mod.txt:1: a width or precision of 10 million or more in a format"),
        ("ljust.txt", "ljust.txt:1: out of memory (the template builds a value too big"),
        ("wide.txt", "wide.txt:1: center(1000000000) makes more than 10,000,000 characters"),
        ("fmt.txt", "fmt.txt:2: a width or precision of 10 million or more in a format"),
        ("sfmt.txt", "sfmt.txt:1: a width or precision of 10 million or more in a format"),
        ("long.txt", "long.txt:1: a number too long to write (more than 4,300 digits)"),
        ("out.txt", "out.txt: the output passes 512 MiB (the limit)"),  # (no one line)
        ("rep.txt", "rep.txt:2: repeating a value makes more than 10,000,000 items"),
        ("pow.txt", "pow.txt:1: 9 ** 999999999 is too big a number"),
        ("inc.txt", "inc.txt:2: template not found: gone.txt"),
    ):
        result = run_cli("export", str(SAMPLES), "-q", "--template", name, cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert result.stderr.startswith(f"newscli: error: {message}"), result.stderr
    ok = run_cli("export", str(SAMPLES), "-q", "--template", "ok.txt", cwd=tmp_path)
    assert (ok.returncode, ok.stdout) == (0, "ababab [1, 1] 1024 12  ab  |    a|   b|  c|1\n"), (
        ok.stderr
    )


def test_a_template_link_to_nothing_says_where_it_leads(tmp_path: Path) -> None:
    """h102: a loop of links, or a link to a name not there, given as --template was "no
    such file or built-in template", naming a file that is there."""
    (tmp_path / "l1.txt").symlink_to("l2.txt")
    (tmp_path / "l2.txt").symlink_to("l1.txt")
    (tmp_path / "d.txt").symlink_to("gone.txt")
    for name, said in [
        ("l1.txt", "'l1.txt' is a link to itself (a loop of symbolic links)"),
        ("d.txt", "'d.txt' is a link to 'gone.txt', which is not there"),
    ]:
        result = run_cli("export", str(SAMPLES), "--template", name, cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == f"newscli: error: --template: {said}\n"


def test_a_control_in_an_error_message_is_shown_as_an_escape(tmp_path: Path) -> None:
    """h129 4: the message's escape sequences were left out (`a\\x1b[31mb` shown as
    "ab"): each control is written as an escape now, so the line hides nothing."""
    write(tmp_path / "t.txt", '{% include "a\x1b[31mb\x07c" %}\n')
    result = run_cli("export", str(SAMPLES), "--template", "t.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "newscli: error: t.txt:1: template not found: a\\x1b[31mb\\x07c\n"
