"""The config file's `sources:` (what `newscli import` imports with no SOURCE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscli import config


def load(tmp_path: Path, text: str) -> config.Config:
    path = tmp_path / "newscli.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(str(path))


def test_sources_with_defaults_and_files_relative_to_the_config(tmp_path: Path) -> None:
    loaded = load(tmp_path, """\
sources:
  - url: https://news.example/rss.xml
    topics: AI
    quality: 60
    category: news
    provider: Example News
  - lists/feeds.opml
""")  # fmt: skip
    assert loaded.sources == (
        config.SourceConfig("https://news.example/rss.xml", ("AI",), 60, "news", "Example News"),
        config.SourceConfig(str(tmp_path / "lists" / "feeds.opml")),
    )
    assert load(tmp_path, "feeds: [x]\n").sources == ()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("sources: 3", "sources: expected a list of URLs, files or mappings"),
        ("sources: [{url: x, quality: 150}]", "sources[0].quality: expected an integer 0-100"),
        ("sources: [{url: x, quality: true}]", "sources[0].quality: expected an integer 0-100"),
        ("sources: [a, {topics: [AI]}]", "sources[1].url: expected a URL or a file"),
        ("sources: [{url: x, topic: AI}]", "sources[0]: unknown key 'topic' (expected: url, "),
        ("sources: [{url: x, topics: [1]}]", "sources[0].topics: expected a list of topics"),
        ("sources: [{url: x, provider: ''}]", "sources[0].provider: expected text"),
        ("sources: [[x]]", "sources[0]: expected a URL, a file or a mapping with url"),
        # h102: one source given as the key's value is named by the key
        ("sources: ''", "sources: expected a URL or a file, not blanks"),
        ("sources: {url: ' '}", "sources.url: expected a URL or a file"),
        ("sources: [a, '  ']", "sources[1]: expected a URL or a file, not blanks"),
        # h129 3: written into every article imported as they were
        (
            'sources: [{url: x, provider: "\\aBell"}]',
            "sources[0].provider: '\\x07Bell' holds a control character",
        ),
        (
            'sources: [{url: x, topics: ["\\e[31mRed"]}]',
            "sources[0].topics: '\\x1b[31mRed' holds a control character",
        ),
        (
            'sources: [{url: x, category: "a\\u200bb"}]',
            "sources[0].category: 'a\\u200bb' holds an invisible character",
        ),
    ],
)
def test_bad_sources_name_the_file_and_the_key(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(config.ConfigError) as caught:
        load(tmp_path, text + "\n")
    assert str(caught.value).startswith(f"{tmp_path / 'newscli.yaml'}: {error}")
