"""The installed command as a real process: pipes, a terminal, exit codes, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli, run_in_terminal


def test_terminal_gets_a_coloured_table() -> None:
    code, screen = run_in_terminal("list", "sample_feeds", "--topic", "space")
    assert code == 0
    assert "Date (UTC)" in screen and "4 articles" in screen
    assert "\x1b[36m" in screen  # colour on a terminal (cyan dates)
    assert "\t" not in screen


def test_no_color_is_honoured_on_a_terminal() -> None:
    code, screen = run_in_terminal("list", "sample_feeds", env={"NO_COLOR": "1"})
    assert code == 0
    assert "Date (UTC)" in screen
    assert "\x1b[36m" not in screen and "\x1b[32m" not in screen  # no colours (bold is fine)


def test_pipe_gets_plain_tsv() -> None:
    result = run_cli("list", "sample_feeds")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("date\tquality\theat\tpublished")
    assert len(lines) == 19
    assert "\x1b" not in result.stdout


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("newscli")
    via_script = subprocess.run(
        [str(script), "export", "sample_feeds"], cwd=REPO, capture_output=True, text=True
    )
    via_module = run_cli("export", "sample_feeds")
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout
    assert len(json.loads(via_script.stdout)) == 18


def test_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "no").write_text("a file, so no folder can be made here")
    cases = {
        ("list", "sample_feeds"): 0,
        ("export", "sample_feeds", "--topic", "none-such"): 0,
        ("list", str(tmp_path / "missing")): 1,
        ("export", "sample_feeds", "-o", str(tmp_path / "no" / "dir.json")): 1,
        ("export", "tests/fixtures/hostile", "--strict"): 1,
        ("list", "--min-quality", "x"): 2,
        ("nonsense",): 2,
    }
    for args, expected in cases.items():
        result = run_cli(*args)
        assert result.returncode == expected, (args, result.stderr)
        assert "Traceback" not in result.stderr, args


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(300):
        (many / f"a{i:03}.md").write_text(f"---\ntitle: Article {i} {'x' * 200}\n---\n")
    proc = subprocess.run(
        f"{sys.executable} -m newscli list {many} | head -n 1",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.stdout.startswith("date\t")
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_interrupt_is_one_line() -> None:
    code = (
        "import sys, newscli.index.loader as l\n"
        "def stop(*a, **k): raise KeyboardInterrupt\n"
        "l.load_paths = stop\n"
        "sys.argv = ['newscli', 'list', 'sample_feeds']\n"
        "from newscli.cli import main\nmain()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 130
    assert result.stderr == "newscli: error: interrupted\n"
