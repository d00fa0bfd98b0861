"""One address however its host or path is written is one URL key (h93 LOW): a host
with a trailing dot, an internationalised host and its punycode, and a path with `.`
and `..` segments were keys of their own, so two copies of one article were two
stories. Another path stays another article. Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write

URLS = {
    "a": "https://bücher.example/news/./2025/story",
    "b": "https://xn--bcher-kva.example./news/2025/story",
    "c": "https://www.bücher.example/news/x/../2025/story/",
    "d": "https://bücher.example/news/2025/other",  # another article of the site
    # two domains (h95: IDNA 2003 mapped straße to strasse)
    "e": "https://straße.example/news/2025/story",
    "f": "https://strasse.example/news/2025/story",
}


@pytest.mark.parametrize("cache", ["--no-cache", "warm"])
def test_one_address_written_several_ways_is_one_story(tmp_path: Path, cache: str) -> None:
    for n, (name, url) in enumerate(URLS.items()):
        write(tmp_path / "f" / f"{name}.md", f'---\ntitle: "Book fair opens in Leipzig"\n'
              f"publishedDateTime: 2025-03-01T1{n}:00:00Z\nwebUrl: {url}\n---\n")  # fmt: skip
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    args = ["clusters", "f", "--same-story", "url", "--format", "json"]
    if cache == "warm":
        assert run_cli(*args, cwd=tmp_path, env=env).returncode == 0
    done = run_cli(*args, *([cache] if cache != "warm" else []), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    stories = sorted(
        sorted(Path(a["path"]).stem for a in s["articles"]) for s in json.loads(done.stdout)
    )
    assert stories == [["a", "b", "c"]]  # (d alone: clusters shows stories of several)


PAIRS = {  # (h96: each pair was two keys)
    "g": "https://\uff46\uff55\uff4c\uff4c.example/n/s",  # fullwidth letters
    "h": "https://full.example/n/s",
    "i": "https://ideo\u3002example/n/s",  # an ideographic full stop
    "j": "https://ideo.example/n/s",
    "k": "https://x.example/%2E/n/a/%2e%2E/s",  # escaped dot segments
    "l": "https://x.example/n/s",
    "m": "https://[2001:DB8:0:0::1]/n/s",  # one IPv6 address, two ways
    "n": "https://[2001:db8::1]/n/s",
    "o": "http://0xc0.0.2.1/n/s",  # (h97: an IPv4 address in hex, as browsers read it)
    "p": "http://192.0.2.1/n/s",
    "q": "https://n%65ws.example/n/s",  # an escaped host
    "r": "https://news.example/n/s",
    "s": "https://y.example/n\\s",  # a backslash in the path
    "t": "https://y.example/n/s",
}


def test_a_host_or_path_as_a_browser_reads_it_is_one_key(tmp_path: Path) -> None:
    for n, (name, url) in enumerate(PAIRS.items()):
        write(tmp_path / "f" / f"{name}.md", f'---\ntitle: "Book fair opens in Leipzig"\n'
              f"publishedDateTime: 2025-03-01T{n:02d}:00:00Z\nwebUrl: '{url}'\n---\n")  # fmt: skip
    done = run_cli("clusters", "f", "--same-story", "url", "--format", "json", "--no-cache",
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    stories = sorted(
        sorted(Path(a["path"]).stem for a in s["articles"]) for s in json.loads(done.stdout)
    )
    assert stories == [["g", "h"], ["i", "j"], ["k", "l"], ["m", "n"], ["o", "p"], ["q", "r"],
                       ["s", "t"]]  # fmt: skip
