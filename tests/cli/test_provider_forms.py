"""A provider asked for (--provider, --prefer-provider) matches an article's provider
whatever form either side writes it in: a domain with a scheme, a path, ``www.``,
``m.`` or ``amp.``, a name with spaces around it, in any case (h25: `--prefer-provider
https://m.apnews.com/` matched nothing and said so, while story.outlets counted the
two forms as one outlet). The installed command, warm and without the cache alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli as newscli

FILES = {
    # name, domain, url (the two share a URL: one story)
    "wire.md": ("Reuters", "https://m.Reuters.com/world", "https://story.example/a"),
    "ap.md": ("  AP  ", "amp.apnews.com", "https://story.example/a"),
    "harbor.md": ("Harbor Ledger", "www.harbor.example", "https://harbor.example/b"),
}


def _article(name: str, domain: str, url: str, title: str) -> str:
    return (
        "---\n"
        f"title: {title}\n"
        "publishedDateTime: '2025-03-01T10:00:00Z'\n"
        f"originalUrl: {url}\n"
        "quality: 50\n"
        "provider:\n"
        f"  name: '{name}'\n"
        f"  domain: {domain}\n"
        "---\n\nBody.\n"
    )


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("providers")
    for n, (name, (provider, domain, url)) in enumerate(FILES.items()):
        (folder / name).write_text(_article(provider, domain, url, f"Headline number {n}"))
    return folder


def _run(feeds: Path, *args: str) -> tuple[list[str], str]:
    out = []
    for cache in ([], ["--no-cache"]):
        done = newscli(
            *args,
            str(feeds),
            "--format",
            "json",
            *cache,
            env={
                "NEWSCLI_CACHE_DIR": str(feeds.parent / "cache"),
                "NEWSCLI_STATE_DIR": str(feeds.parent / "state"),
            },
        )
        assert done.returncode == 0, done.stderr
        out.append(([Path(a["path"]).name for a in json.loads(done.stdout)], done.stderr))
    assert out[0] == out[1]
    return out[0]


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("reuters.com", ["wire.md"]),
        ("https://www.REUTERS.com/", ["wire.md"]),
        ("m.reuters.com", ["wire.md"]),
        ("Reuters", ["wire.md"]),
        ("ap", ["ap.md"]),
        (" AP ", ["ap.md"]),
        ("https://apnews.com/politics", ["ap.md"]),
        ("harbor.example", ["harbor.md"]),
        ("HARBOR LEDGER ", ["harbor.md"]),
    ],
)
def test_provider_matches_any_form(feeds: Path, asked: str, found: list[str]) -> None:
    assert _run(feeds, "list", "--provider", asked) == (found, "")


def test_a_provider_no_article_has_is_still_said(feeds: Path) -> None:
    # (no fold joins one outlet to another: a longer name, another top-level domain)
    for asked in ("Reuters World", "reuters.org"):
        said = f"newscli: note: no article is from provider '{asked}'\n"
        assert _run(feeds, "list", "--provider", asked) == ([], said)


@pytest.mark.parametrize(
    ("preferred", "kept"),
    [
        ("https://m.apnews.com/", "ap.md"),
        ("AP", "ap.md"),
        ("www.reuters.com", "wire.md"),
        ("reuters.org", None),  # no outlet of that name or domain: the usual order, a note
    ],
)
def test_prefer_provider_matches_any_form(feeds: Path, preferred: str, kept: str | None) -> None:
    shipped, said = _run(feeds, "export", "--dedupe", "--prefer-provider", preferred)
    story = [name for name in shipped if name in ("ap.md", "wire.md")]
    assert len(story) == 1 and "harbor.md" in shipped
    if kept is None:
        note = f"newscli: note: no article is from provider {preferred!r} (--prefer-provider)\n"
        assert said == note
        # the usual order then: the same as without any preference
        assert story == [n for n in _run(feeds, "export", "--dedupe")[0] if n != "harbor.md"]
    else:
        assert (story, said) == ([kept], "")
