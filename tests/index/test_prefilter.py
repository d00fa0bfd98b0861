"""The cache's SQL prefilter saves work and never changes a result."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, property_examples, run_cli, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.prefilter import Prefilter
from newscli.select.query import Selection, select

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
# Topics whose case folding is not ASCII-only, or that hold the cache's separator.
TOPICS = ["AI", "ai", "Économie", "STRASSE", "straße", "\u212aelvin", "kelvin", "a\x1fb", "b"]


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _article(number: int) -> str:
    """Article NUMBER: fields vary with the number, some missing, some out of range."""
    lines = ["---", f"title: {_yaml(f'Article {number}')}"]
    if number % 7:
        when = NOW - timedelta(hours=number * 5, microseconds=number)
        lines.append(f"publishedDateTime: {when.isoformat()}")
    if number % 5:
        lines.append(f"quality: {(number * 37) % 101}")
    if number % 6:
        lines.append(f"heat: {(number * 53) % 400 - 5}")  # some negative (unknown) heat
    if number % 4:
        lines.append(f"published: {'true' if number % 3 else 'false'}")
    chosen = [TOPICS[(number * k) % len(TOPICS)] for k in range(number % 4)]
    lines.append(f"topics: [{', '.join(_yaml(t) for t in chosen)}]")
    return "\n".join([*lines, "---", "", f"Body {number}.", ""])


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IndexCache]:
    """A folder of varied articles and a cache that already holds them all."""
    root = tmp_path_factory.mktemp("prefilter")
    for number in range(90):
        write(root / "feed" / f"a{number:03}.md", _article(number))
    cache, _ = IndexCache.open(str(root / "cache"))
    assert cache is not None
    load_paths([str(root / "feed")], cache=cache)
    return root / "feed", cache


def _paths(articles) -> list[str]:
    return [a.path for a in articles]


bounds = st.none() | st.integers(-10, 410)
instants = st.none() | st.integers(-400, 10).map(lambda h: NOW + timedelta(hours=h))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(
    max_examples=property_examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    topics=st.lists(st.sampled_from([*TOPICS, "K", "KELVIN", "zzz"]), max_size=3),
    all_topics=st.booleans(),
    published=st.none() | st.booleans(),
    quality=st.tuples(bounds, bounds),
    heat=st.tuples(bounds, bounds),
    dates=st.tuples(instants, instants),
)
def test_prefiltered_loads_select_exactly_what_full_loads_select(
    warm: tuple[Path, IndexCache], topics, all_topics, published, quality, heat, dates
) -> None:
    folder, cache = warm
    if any(
        low is not None and high is not None and low > high for low, high in (quality, heat, dates)
    ):
        return  # the query layer refuses these before loading
    selection = Selection(
        topics=tuple(topics), all_topics=all_topics, published=published,
        min_quality=quality[0], max_quality=quality[1], min_heat=heat[0], max_heat=heat[1],
        since=dates[0], until=dates[1],
    )  # fmt: skip
    full = load_paths([str(folder)])  # no cache at all
    fast = load_paths([str(folder)], cache=cache, prefilter=selection.prefilter())
    assert fast.parsed == 0
    assert _paths(select(fast.articles, selection)) == _paths(select(full.articles, selection))
    assert fast.passed_over + len(fast.articles) == len(full.articles)


def test_prefilter_leaves_out_what_cannot_match(warm: tuple[Path, IndexCache]) -> None:
    folder, cache = warm
    loaded = load_paths([str(folder)], cache=cache, prefilter=Prefilter(min_quality=90))
    assert loaded.passed_over > 60
    assert all(a.quality is not None and a.quality >= 90 for a in loaded.articles)


def test_topic_keys_fold_like_python(warm: tuple[Path, IndexCache]) -> None:
    """The Kelvin sign folds to a plain k in Python; SQL's lower() would miss it."""
    folder, cache = warm
    selection = Selection(topics=("KELVIN",))
    loaded = load_paths([str(folder)], cache=cache, prefilter=selection.prefilter())
    chosen = select(loaded.articles, selection)
    assert chosen and any("\u212aelvin" in a.topics for a in chosen)


def test_sql_condition_is_parameterised() -> None:
    condition, params = Prefilter(published=True, min_quality=5, topics=("x'y",)).sql()
    assert "x'y" not in condition
    assert params == [1, 5, "\x1fx'y\x1f"]
    assert Prefilter().sql() == ("1", [])


def test_field_only_found_in_left_out_articles_is_still_valid(tmp_path: Path) -> None:
    """--columns/--fields and --where accept a field found anywhere in the data, even
    when the articles that have it are not selected (the prefilter must not hide them)."""
    feed = tmp_path / "feed"
    write(feed / "low.md", "---\ntitle: Low\nquality: 10\nsection: Sport\n---\n")
    write(feed / "high.md", "---\ntitle: High\nquality: 90\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm from the cache
        shown = run_cli(
            "list", str(feed), "--min-quality", "50", "--columns", "title,section", env=env
        )
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.splitlines()[1:] == ["High\t"]
        where = run_cli(
            "export", str(feed), "--min-quality", "50", "--where", "section = 'Sport'", env=env
        )
        assert where.returncode == 0, where.stderr
        assert json.loads(where.stdout) == []


def test_verbose_counts_stay_whole(tmp_path: Path) -> None:
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    run_cli("list", "sample_feeds", env=env)
    result = run_cli("list", "sample_feeds", "--min-quality", "80", "-v", env=env, cwd=REPO)
    assert result.returncode == 0
    assert "18 files: 18 from the cache, 0 parsed, 0 invalid;" in result.stderr
