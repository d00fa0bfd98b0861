"""A file name that is not UTF-8, as the README's "Safe output" says: TSV and JSON
show the byte as the escape \\udcXX, which in JSON Python's os.fsencode turns back into
the name's bytes (h83 3: the behaviour was not written down)."""

import json
import os
import subprocess
import sys
from pathlib import Path

NEWSCLI = str(Path(sys.executable).parent / "newscli")


def test_a_name_that_is_not_utf8_in_tsv_and_json(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    name = b"bad\xffname.md"
    with open(os.fsencode(feeds) + b"/" + name, "wb") as file:
        file.write(b'---\ntitle: "Bad name"\n---\n')

    def run(*args: str) -> bytes:
        done = subprocess.run([NEWSCLI, *args], cwd=tmp_path, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    rows = run("list", "feeds", "--columns", "path").splitlines()
    assert rows[1:] == [b"feeds/bad\\udcffname.md"]
    text = run("export", "feeds", "--fields", "path")
    assert b'"feeds/bad\\udcffname.md"' in text
    path = os.fsencode(json.loads(text)[0]["path"])
    assert path == b"feeds/" + name and os.path.exists(os.path.join(os.fsencode(tmp_path), path))
