"""A --topic or --provider value that no article has gets one note on stderr (not with
-q), whether the articles came from the files or from the index cache (which passes
over files that cannot match, so it is asked about those)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES
from conftest import run_cli as newscli

from newscli.select.query import Selection
from newscli.select.unmatched import Unmatched

TYPO = "newscli: note: no article has topic 'Spcae'\n"
PREFER_TYPO = "newscli: note: no article is from provider 'Harbor Ledgr' (--prefer-provider)\n"


def run(cache: Path, *args: str) -> tuple[str, str]:
    result = newscli("list", str(SAMPLES), "--cache-dir", str(cache), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of the sample folder, warm for every case (none of them changes it)."""
    cache = tmp_path_factory.mktemp("unmatched") / "cache"
    run(cache)
    return cache


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--topic", "Spcae"], TYPO),
        (["--topic", "Spcae", "--topic", "SPACE"], TYPO),
        (["--topic", "space", "--min-quality", "99"], ""),  # exists, just not selected
        (["--topic", "space", "--since", "2030-01-01"], ""),
        (["--provider", "www.HARBORLEDGER.example", "--provider", "Harbor Ledger"], ""),
        (["--provider", "Nope News"], "newscli: note: no article is from provider 'Nope News'\n"),
        (["--topic", "Spcae", "-q"], ""),
        (["--exclude-topic", "Spcae"], ""),
        (["--dedupe", "--prefer-provider", "Harbor Ledgr"], PREFER_TYPO),
        (["--dedupe", "--prefer-provider", "WWW.harborledger.example"], ""),
        (["--prefer-provider", "Harbor Ledger", "--prefer-provider", "Harbor Ledgr"], PREFER_TYPO),
        (["--dedupe", "--prefer-provider", "Harbor Ledgr", "-q"], ""),
    ],
)
def test_notes_warm_and_uncached(warm_cache: Path, args: list[str], stderr: str) -> None:
    warm = run(warm_cache, *args)  # the cache passes over what cannot match
    uncached = run(warm_cache, "--no-cache", *args)
    assert warm == uncached
    assert warm[1] == stderr


def test_the_note_of_a_cold_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run(cache, "--topic", "Spcae")
    assert cold[1] == TYPO and cold[0].count("\n") == 1  # the header alone
    assert run(cache, "--topic", "Spcae") == cold  # and warm


def test_a_single_named_file_passed_over_by_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    file = str(SAMPLES / "exoplanet-water.md")
    for _ in range(2):
        result = newscli("list", file, "--topic", "space", "--max-quality", "0",
                         "--cache-dir", str(cache))  # fmt: skip
        assert (result.returncode, result.stderr) == (0, "")
        typo = newscli("list", file, "--topic", "Spcae", "--cache-dir", str(cache))
        assert typo.stderr == TYPO


def test_unmatched_matches_like_the_selection() -> None:
    seen = Unmatched(Selection(topics=("Straße", "AI"), providers=("BBC.co.uk", "Reuters")))
    seen.see(["STRASSE"], "reuters", None)
    assert seen.notes() == [
        "note: no article has topic 'AI'",
        "note: no article is from provider 'BBC.co.uk'",
    ]
    seen.see(["ai"], None, "www.bbc.co.uk")
    assert not seen and seen.notes() == []


def test_prefer_provider_notes_in_clusters_and_not_from_the_config(
    warm_cache: Path, tmp_path: Path
) -> None:
    """clusters (its stories made from the cache) says the same; the config's
    prefer-providers, a standing choice, gets no note when an outlet is not in today's
    folder."""
    args = ["clusters", str(SAMPLES), "--cache-dir", str(warm_cache), "--format", "json"]
    typo = newscli(*args, "--prefer-provider", "Harbor Ledgr")
    assert typo.returncode == 0 and typo.stderr == PREFER_TYPO, typo.stderr
    config = tmp_path / "config.yaml"
    config.write_text("prefer-providers: [Harbor Ledgr]\n")
    quiet = newscli(*args, "--config", str(config))
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert quiet.stdout == typo.stdout
