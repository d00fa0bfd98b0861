"""Unknown field names and sort keys suggest the closest known name (through the
installed command), instead of listing every field on one line."""

from __future__ import annotations

import pytest
from conftest import run_cli as newscli

from newscli.select.fields import KNOWN, closest, unknown_field


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (
            ["--where", "quality > 5 and qualty < 9"],
            "newscli: error: --where: unknown field 'qualty'; did you mean 'quality'? "
            "(`newscli fields PATH` lists them all)",
        ),
        (
            ["--columns", "date,Title"],
            "newscli: error: --columns: unknown field 'Title'; did you mean 'title'? "
            "(`newscli fields PATH` lists them all)",
        ),
        (
            ["--where", "provider.domian = 'x'"],
            "newscli: error: --where: unknown field 'provider.domian'; "
            "did you mean 'provider.domain'? (`newscli fields PATH` lists them all)",
        ),
        (
            ["--sort", "qualty"],
            "newscli: error: --sort: unknown key 'qualty'; did you mean 'quality'? "
            "(keys: date, quality, heat, title, provider, story.size, story.outlets, "
            "story.first, story.rank, story.id)",
        ),
        (
            ["--sort", "size"],
            "newscli: error: --sort: unknown key 'size' "
            "(keys: date, quality, heat, title, provider, story.size, story.outlets, "
            "story.first, story.rank, story.id)",
        ),
    ],
)
def test_unknown_names_suggest_the_closest(args: list[str], first_line: str) -> None:
    result = newscli("list", "sample_feeds", *args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == first_line


def test_export_fields_suggests_and_never_lists_everything() -> None:
    result = newscli("export", "sample_feeds", "--fields", "title,sourceFeed.regoin")
    assert result.returncode == 2
    assert result.stderr == (
        "newscli: error: --fields: unknown field 'sourceFeed.regoin'; did you mean "
        "'sourceFeed.region'? (`newscli fields PATH` lists them all)\n"
    )


def test_closest_and_no_guess() -> None:
    assert closest("QUALITY", KNOWN) == "quality"
    assert closest("heaat", KNOWN) == "heat"
    assert closest("zzzzzz", KNOWN) is None
    assert unknown_field("zzzzzz", KNOWN) == (
        "unknown field 'zzzzzz' (`newscli fields PATH` lists them all)"
    )
