"""A NUL character in the config file (a YAML escape, ``"\\0"``) is one config error
naming the key, exit 2: before, a path holding one (feeds, a preset's paths, output,
cache-dir, a source file) ended as an internal error (ValueError: embedded null byte)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


@pytest.mark.parametrize(
    ("config", "args", "key"),
    [
        ('feeds: ["a\\0b"]\n', ("list",), "feeds[0]"),
        ('feeds: ["a\\0b"]\n', ("stats",), "feeds[0]"),
        ('presets:\n  p:\n    paths: [ok, "a\\0b"]\n', ("list", "--preset", "p"),
         "presets.p.paths[1]"),
        ('presets:\n  p:\n    output: "x\\0.json"\n', ("export", str(SAMPLES), "--preset", "p"),
         "presets.p.output"),
        ('presets:\n  p:\n    cache-dir: "c\\0"\n', ("list", str(SAMPLES), "--preset", "p"),
         "presets.p.cache-dir"),
        ('presets:\n  p:\n    limit: 1\n', ("presets",), None),
        ('sources:\n  - "a\\0b.opml"\n', ("import", "--into", "into", "--dry-run"), "sources[0]"),
    ],
)  # fmt: skip
def test_a_nul_in_the_config_is_a_config_error(
    tmp_path: Path, config: str, args: tuple[str, ...], key: str | None
) -> None:
    write(tmp_path / "c.yaml", config)
    result = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
    if key is None:  # the same file without a NUL: read as usual
        assert result.returncode == 0, result.stderr
        return
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    reason = "text cannot hold a NUL character (\\0)"
    assert result.stderr == f"newscli: error: c.yaml: {key}: {reason}\n"
