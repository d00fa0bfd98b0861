"""A user's template can print raw values (`record.*`): on a terminal, export's output
is made inert line by line (escape sequences, OSC 8 links, bidi overrides gone); into a
pipe or a file it is left as the template made it. Installed command."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from conftest import NEWSCLI, run_cli, run_in_terminal, write

TITLE = "a\\e]8;;http://evil\\e\\\\click\\e]8;;\\e\\\\ \\e[31mred\\e[0m \\u202e!"


def test_template_output_is_inert_on_a_terminal_only(tmp_path: Path) -> None:
    article = write(tmp_path / "raw.md", f'---\ntitle: "{TITLE}"\n---\n')
    template = write(tmp_path / "raw.txt", "{{ articles[0].record.title }}\nsecond line\n")
    code, screen = run_in_terminal("export", str(article), "--template", str(template))
    assert code == 0
    assert screen == "aclick red !\nsecond line\n"
    piped = run_cli("export", str(article), "--template", str(template))
    assert piped.returncode == 0
    assert piped.stdout.startswith("a\x1b]8;;http://evil\x1b\\click") and "\u202e" in piped.stdout
    # -o naming a terminal device (here a pseudo-terminal's, stdout a pipe) is a screen too
    leader, follower = pty.openpty()
    try:
        argv = [str(NEWSCLI), "export", str(article), "--template", str(template)]
        done = subprocess.run([*argv, "-o", os.ttyname(follower)], capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        screen = os.read(leader, 65536).replace(b"\r\n", b"\n")
    finally:
        os.close(leader)
        os.close(follower)
    assert screen == b"aclick red !\nsecond line\n"
