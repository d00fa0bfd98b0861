"""A parsing worker that cannot open a file because the process is out of file
descriptors (EMFILE) must not record the file as invalid: the index cache would keep
"cannot read: Too many open files" until the file changes, and every later run (with a
normal limit) would leave the article out, validate would call it invalid, and
`export --unpublished --mark-published` would never ship it (h28)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import article_text, write

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="fork and RLIMIT_NOFILE"
)
NEWSCLI = str(Path(sys.executable).parent / "newscli")
FILES = 1500


def _limit(n: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))

    return apply


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_out_of_descriptors_is_not_cached_as_an_invalid_file(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for i in range(FILES):
        write(feeds / f"a{i:05d}.md", article_text(title=f"Article {i}"))
    short = 0  # runs that ended short of descriptors
    for n in range(12, 34, 2):
        cache = tmp_path / f"cache{n}"
        env = dict(
            os.environ,
            NEWSCLI_JOBS="2",
            NEWSCLI_CACHE_DIR=str(cache),
            NEWSCLI_STATE_DIR=str(tmp_path / "state"),
        )
        limited = subprocess.run(
            [NEWSCLI, "list", str(feeds)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limit(n),
        )
        assert "cannot read" not in limited.stderr, (n, limited.stderr[:300])
        assert "Traceback" not in limited.stderr
        if limited.returncode:  # short of descriptors: said as that, not as a bug
            assert limited.returncode == 1, (n, limited.stderr)
            lines = limited.stderr.splitlines()
            assert len(lines) == 1, (n, lines)
            assert lines[0].startswith("newscli: error: Too many open files"), lines
            assert lines[0].endswith("raise this process's limit (ulimit -n) and run again")
            short += 1
        normal = subprocess.run(
            [NEWSCLI, "validate", str(feeds)], env=env, capture_output=True, text=True, timeout=120
        )
        assert normal.returncode == 0, (n, normal.stdout[-300:])
        assert normal.stdout.endswith(
            f"{FILES} files checked: {FILES} valid, 0 invalid (0 problems)\n"
        )
    assert short, "no limit was low enough to run short: the message went untested"
