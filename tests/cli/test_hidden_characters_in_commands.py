"""h36: a control character in a field's name or a value: `set` refuses such a name
(it showed as another key everywhere), an edit's report shows one in a name escaped,
and `history` shows each command as bash takes it back (`$'...'`), not with the
character dropped or made a space. Installed command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import run_cli, write


def test_set_refuses_a_field_name_with_a_control_character(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: t\n---\n")
    for name in ("n\x1b[2Jote", "x\u202ey", "a\nb"):
        result = run_cli("set", f"{name}=1", "a.md", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "a field name with a control character" in result.stderr
        assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert path.read_text(encoding="utf-8") == "---\ntitle: t\n---\n"


def test_unset_shows_the_name_escaped_and_history_gives_the_command_back(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "a.md", '---\ntitle: t\n"n\\x1b[2Jote": "1"\n---\n')
    unset = run_cli("unset", "n\x1b[2Jote", "a.md", cwd=tmp_path)
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout == 'a.md: "n\\x1b[2Jote" "1" -> (none)\n'  # (name escaped, quoted)
    assert run_cli("set", "note=a\nb", "it's=x", "a.md", cwd=tmp_path).returncode == 0
    lines = run_cli("history", cwd=tmp_path).stdout.splitlines()
    shown = ["newscli " + line.split("  newscli ", 1)[1] for line in lines]
    assert shown[0] == "newscli set $'note=a\\nb' 'it'\"'\"'s=x' a.md"
    assert shown[1] == "newscli unset $'n\\e[2Jote' a.md"
    argvs = (["set", "note=a\nb", "it's=x", "a.md"], ["unset", "n\x1b[2Jote", "a.md"])
    for command, argv in zip(shown, argvs, strict=True):  # bash reads it back as it ran
        script = f"set -- {command[len('newscli ') :]}; printf '%s\\0' \"$@\""
        said = subprocess.run(["bash", "-c", script], capture_output=True, check=True)
        assert [w.decode() for w in said.stdout.split(b"\0")[:-1]] == argv
    assert "note" in path.read_text(encoding="utf-8")


def test_history_gives_a_name_that_is_not_text_back_as_its_bytes(tmp_path: Path) -> None:
    """h41: a Latin-1 folder name was shown as $'x\\udce9y', which bash reads as other
    bytes (a folder that does not exist)."""
    folder = os.fsdecode(b"x\xe9y")
    write(tmp_path / folder / "a.md", "---\ntitle: t\n---\n")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("set", "quality=1", folder, "--all", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    line = run_cli("history", cwd=tmp_path, env=env).stdout.splitlines()[0]
    command = line.split("  newscli ", 1)[1]
    assert command == "set quality=1 $'x\\xe9y' --all"
    said = subprocess.run(["bash", "-c", f"set -- {command}; printf '%s\\0' \"$@\""],
                          capture_output=True, check=True)  # fmt: skip
    assert said.stdout.split(b"\0")[2] == b"x\xe9y"  # the folder's own bytes


def test_an_assignment_after_a_path_is_named(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", "---\ntitle: t\n---\n")
    result = run_cli("set", "feeds", "quality=77", "--all", cwd=tmp_path)
    assert result.returncode == 2
    assert "'quality=77' comes after a path: FIELD=VALUE... first, then paths" in result.stderr


def test_history_escapes_a_character_shown_as_nothing(tmp_path: Path) -> None:
    """h69 5: `reject --reason 'null' + U+034F` (a combining grapheme joiner) was shown
    as 'null' in history: a character that draws nothing, or a space that is no space,
    is escaped too, and bash reads it back as it ran."""
    write(tmp_path / "a.md", "---\ntitle: t\n---\n")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    reason = "null\u034f\u00a0x"
    assert run_cli("reject", "a.md", "--reason", reason, cwd=tmp_path, env=env).returncode == 0
    line = run_cli("history", cwd=tmp_path, env=env).stdout.splitlines()[0]
    command = line.split("  newscli ", 1)[1]
    # (its UTF-8 bytes: bash reads them back in any locale, cron's C too: h91)
    assert command == "reject a.md --reason $'null\\xcd\\x8f\\xc2\\xa0x'"
    for locale in ("C", "C.UTF-8"):
        said = subprocess.run(["bash", "-c", f"set -- {command}; printf '%s\\0' \"$@\""],
                              capture_output=True, check=True,
                              env={**os.environ, "LC_ALL": locale})  # fmt: skip
        assert said.stdout.split(b"\0")[3].decode() == reason, locale
