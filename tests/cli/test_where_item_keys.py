"""h48: a key inside the items of `images` or `related` other than the catalogue's few
(`images.width`, `related.publishedDateTime`) could not be named in --where or
--columns ("unknown field"). Any key some article's items have is a field now, giving a
list; a key no item has is still an unknown field. Installed command, checked against
PyYAML's own reading of the files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_cli, write

ITEMS = {
    "a": "images:\n  - url: https://x.example/a.jpg\n    width: 800\n",
    "b": "images:\n  - url: https://x.example/b.jpg\n    width: 320\n  - url: https://x.example/c.jpg\n",
    "c": "related:\n  - title: Other view\n    webUrl: https://y.example/1\n    publishedDateTime: "
    "2025-01-02T00:00:00Z\n    provider: {name: Y, rank: 3}\n",
    "d": "",
}


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_keys_inside_images_and_related_items_are_fields(tmp_path: Path, cache: list[str]) -> None:
    for name, extra in ITEMS.items():
        write(tmp_path / "f" / f"{name}.md", f'---\ntitle: "{name}"\n{extra}---\nbody\n')
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}

    def titles(*args: str) -> list[str]:
        run = run_cli("list", "f", *cache, "--format", "tsv", "--columns", "title", *args,
                      cwd=tmp_path, env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        return sorted(run.stdout.split()[1:])

    for _ in range(2):  # cold, then warm
        data = {n: yaml.safe_load(ITEMS[n]) or {} for n in ITEMS}  # (the independent view)
        wide = [
            n for n, d in data.items() if any(i.get("width") == 800 for i in d.get("images", []))
        ]
        assert titles("--where", "images.width contains 800") == wide == ["a"]
        assert titles("--where", "images.width") == ["a", "b"]  # set in some item
        assert titles("--where", "related.provider.rank contains 3") == ["c"]
        assert titles("--where", "related.publishedDateTime") == ["c"]
        shown = run_cli("list", "f", *cache, "--format", "tsv", "--columns", "title,images.width",
                        cwd=tmp_path, env=env)  # fmt: skip
        assert "b\t320" in shown.stdout.splitlines(), shown.stdout
    typo = run_cli("list", "f", *cache, "--where", "images.widht > 1", cwd=tmp_path, env=env)
    assert typo.returncode == 2
    assert typo.stderr.startswith("newscli: error: --where: unknown field 'images.widht'")
