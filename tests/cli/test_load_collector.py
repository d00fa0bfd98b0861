"""After a load, the collector does not walk what the load made (issue 15: the first
collection after a warm load of 100,000 files took 0.1 s, walking every object)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import article_text, write

RUN = """
import gc, sys
from newscli.cli import main
sys.argv = ["newscli", "export", sys.argv[1], "-o", sys.argv[2]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(gc.get_freeze_count())
"""


def test_what_a_load_made_is_kept_out_of_the_collectors_way(tmp_path: Path) -> None:
    for number in range(20):
        write(tmp_path / "feed" / f"a{number:02}.md", article_text(title=f"T{number}"))
    run = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "feed"), str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) >= 20 * 3  # each article and the objects it holds
    assert (tmp_path / "out.json").read_text().count('"T') == 20
