"""Shared test helpers: fixture paths, golden files, and running the real command."""

from __future__ import annotations

import atexit
import contextlib
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from forkserver import ForkServer

# A suite started in the background of a non-interactive shell (`cmd &`, as `nohup ... &`
# does) inherits SIGINT ignored, and so would every command it starts, which then rightly
# keeps it ignored: the tests that send SIGINT expect a terminal's usual disposition.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# pytest rewrites each test module's asserts (about 6 s of one worker's collection)
# and keeps the result only when byte-code may be written: on machines that set
# PYTHONDONTWRITEBYTECODE, every worker of every run rewrote all of them again.
sys.dont_write_bytecode = False

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_feeds"
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
GOLDEN = REPO / "tests" / "golden"
# The console script `pip install .` (or `pip install -e .`) puts next to the Python that
# runs the tests: the command users run, which builds only the command it names.
NEWSCLI = Path(sys.executable).parent / "newscli"


def property_examples(default: int) -> int:
    """Hypothesis examples for a property test: a modest count by default, so the whole
    suite stays under two minutes on two cores; NEWSCLI_PROPERTY_SCALE=20 runs twenty
    times as many (a long soak before a release)."""
    scale = float(os.environ.get("NEWSCLI_PROPERTY_SCALE", "1"))
    return max(1, round(default * scale))


def installed_command() -> Path:
    """The installed `newscli` console script; a clear failure when it is missing."""
    assert NEWSCLI.is_file(), (
        f"{NEWSCLI} not found: the tests run the installed command; install the checkout "
        f"into this environment first ({sys.executable} -m pip install -e '.[test]')"
    )
    return NEWSCLI


@pytest.fixture(scope="session")
def newscli_script() -> Path:
    """The installed `newscli` console script (fails clearly when it is not installed)."""
    return installed_command()


@pytest.fixture(autouse=True, scope="session")
def compiled_package() -> None:
    """Compile newscli's byte-code once, as `pip install .` does: most tests start the
    installed command as a process, and with PYTHONDONTWRITEBYTECODE set (as on this
    project's machines) each would otherwise compile every module it imports again."""
    import compileall

    compileall.compile_dir(str(REPO / "newscli"), quiet=2)


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests (and the commands they start) use their own index cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["NEWSCLI_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(autouse=True)
def private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test (and the commands it starts) journals its edits into its own state
    folder (the undo journal), never the user's: `undo` reverts only that test's edits."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def versions_checked() -> Iterator[None]:
    """Each test begins with stored texts checked against the version selected, as a
    command but `review` runs (review.start turns that off for its process)."""
    from newscli.article.record import StoredText

    StoredText.checked = True
    yield
    StoredText.checked = True


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    """A copy of sample_feeds that a test may change."""
    target = tmp_path / "feeds"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository as the working folder, so paths print as typed."""
    monkeypatch.chdir(REPO)
    return REPO


class GoldenUpdated(UserWarning):
    """A golden file was rewritten (NEWSCLI_UPDATE_GOLDEN=1)."""


REWRITTEN: list[str] = []  # goldens rewritten in this run, for the summary


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; NEWSCLI_UPDATE_GOLDEN=1 rewrites it instead, and
    says so (a warning, and a list at the end of the run) when it changed."""
    path = GOLDEN / name
    if os.environ.get("NEWSCLI_UPDATE_GOLDEN"):
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                before: str | None = handle.read()
        except FileNotFoundError:
            before = None
        if before != actual:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            REWRITTEN.append(name)
            change = "created" if before is None else "changed"
            warnings.warn(f"golden {name} {change}: review the diff", GoldenUpdated, stacklevel=2)
    with open(path, encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert actual == expected, f"output differs from {path}"


# Tests that take seconds each (many processes, big corpora, a browser, a cold mypy):
# started first, so that both workers finish together instead of one waiting for the
# other's last long test. Order only; a renamed test just runs in its usual place.
LONG_FIRST = (
    "test_lint.py::test_mypy_clean",
    "e2e/test_kill_faults.py",
    "e2e/test_newsletter_browser.py",
    "e2e/test_interrupt_cold_load.py",
    "e2e/test_review_terminal.py",
    "review/test_review_keys.py",
    "cli/test_curation_cli.py::test_parallel",
    "cli/test_story_options.py",
    "e2e/test_readme.py",
    "e2e/test_golden_updates.py::test_a_real_update_run",
    "index/test_cache.py",
    "select/test_rejected_rules.py",
    "article/test_yaml_fast.py::test_random_documents_match_the_full_loader",
    "article/test_frontmatter_yaml.py::test_values_match_pyyaml",
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (the default run): one worker more than the cores this process may run
    on (``taskset``, a container's CPU set). Most tests wait for the processes they start
    (and some for a signal's moment), so a core is often idle: on 2 cores, 3 workers ran
    the default tier in 118 s against 148 s (4: 122 s). PYTEST_XDIST_AUTO_NUM_WORKERS,
    when set, is xdist's own choice and wins (None: xdist's hook decides)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # (not on macOS)
        cores = os.cpu_count() or 1
    return cores + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((n for n, key in enumerate(LONG_FIRST) if key in item.nodeid), len(LONG_FIRST))

    items.sort(key=rank)  # stable: the others keep their order


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """In update mode, name the goldens that changed (or say that none did)."""
    if not os.environ.get("NEWSCLI_UPDATE_GOLDEN"):
        return
    terminalreporter.section("NEWSCLI_UPDATE_GOLDEN=1")
    names = sorted(set(REWRITTEN))
    for name in names:
        terminalreporter.write_line(f"rewritten: tests/golden/{name}")
    if not names:
        terminalreporter.write_line("no golden file changed")


@cache
def _fork_server() -> ForkServer:
    """This test process's fork server (tests/forkserver.py), stopped at exit."""
    server = ForkServer(installed_command())
    atexit.register(server.close)
    return server


def run_cli(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `newscli` command as a real subprocess, stdout and stderr as pipes."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NEWSCLI_DEBUG", None)
    server = _fork_server()
    if server.usable(full_env):
        return server.run(args, cwd, full_env, timeout=120)
    return subprocess.run(
        [str(installed_command()), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def rewrite_later(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in the file, its mtime a second
    later: the cache sees a new version however coarse the clock."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


ARTICLE = """---
title: "{title}"
publishedDateTime: {date}
quality: {quality}
heat: 5
published: {published}
topics: [{topics}]
---
"""


def outlet_article(title: str, when: str, url: str, name: str, domain: str) -> str:
    """An article of one outlet (story tests): title, date, URL and provider."""
    return (
        f'---\ntitle: "{title}"\npublishedDateTime: {when}\nwebUrl: "{url}"\n'
        f"provider:\n  name: {name}\n  domain: {domain}\n---\n"
    )


def article_text(
    title: str = "A title",
    date: str = "2025-01-01T00:00:00Z",
    quality: int = 50,
    published: bool = False,
    topics: str = "AI",
) -> str:
    return ARTICLE.format(
        title=title,
        date=date,
        quality=quality,
        published=str(published).lower(),
        topics=topics,
    )


def run_in_terminal(
    *args: str, env: dict[str, str] | None = None, cwd: Path = REPO, columns: int | None = None
) -> tuple[int, str]:
    """Run the installed `newscli` with stdout on a pseudo-terminal; return (code,
    screen) with CRLF as LF. ``env`` adds to (or overrides) COLUMNS=120, TERM.
    ``columns``: the terminal is that wide (24 lines), and COLUMNS, LINES and TERM are
    only what ``env`` sets."""
    leader, follower = pty.openpty()
    if columns is None:
        base = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"}
    else:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TERM")}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "newscli"), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**base, **(env or {})},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=30)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


# A suite started under nohup (or by a runner that ignores SIGHUP) would hand the ignored
# SIGHUP to every command it starts, which then rightly keeps ignoring it: the hang-up
# tests need the default a user's shell gives (h30).
if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def kind(value: Any) -> type:
    """The type PyYAML gives: a Yaml11Int is its int, marked (h136: a quality or heat
    YAML 1.2 reads otherwise is refused; tests/article/test_yaml11_numbers.py)."""
    from newscli.article.yaml_scalars import Yaml11Int

    return int if type(value) is Yaml11Int else type(value)


@pytest.fixture
def under_lock(tmp_path: Path) -> Iterator[None]:
    """tmp_path's newscli lock, held by this process for the test: the edit engine
    writes only in a folder whose lock the run holds (as every command takes it)."""
    from newscli.edit.locking import folder_locks

    with folder_locks([str(tmp_path)]):
        yield


@contextlib.contextmanager
def held_elsewhere(folder: Path) -> Iterator[None]:
    """The folder's newscli lock, held through another open file (as another process
    would: a lock of this process's own folder_locks would be taken for its own)."""
    import fcntl

    from newscli.edit.locking import LOCK_NAME

    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


def is_locked(folder: Path) -> bool:
    """Whether the folder's newscli lock file is held (tried through another open file,
    as another process would)."""
    import fcntl

    from newscli.edit.locking import LOCK_NAME

    fd = os.open(folder / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
