"""Folder listings: a warm run checks an unchanged folder as a whole, a changed one file
by file, and a listing always mirrors the rows it stands for, whatever happened."""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, property_examples, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newscli.index.cache_survey as cache_survey
from newscli.formats.records import to_json
from newscli.index.cache import IndexCache
from newscli.index.cache_keys import listing
from newscli.index.loader import load_paths
from newscli.index.prefilter import Prefilter


def open_cache(folder: Path) -> IndexCache:
    cache, warning = IndexCache.open(str(folder))
    assert cache is not None and warning is None
    return cache


def exported(paths: list[str], cache: IndexCache | None, least: int | None = None):
    """The export and the problems of a load; with ``least``, of the articles of at
    least that quality (the cache is given it as a prefilter, and may leave out others)."""
    prefilter = None if least is None else Prefilter(min_quality=least)
    result = load_paths(paths, cache=cache, jobs=1, prefilter=prefilter)
    articles = sorted(result.articles, key=lambda a: a.path)
    if least is not None:
        articles = [a for a in articles if a.quality is not None and a.quality >= least]
    return to_json(articles), sorted((p.path, p.reason) for p in result.problems)


def check_listings(cache: IndexCache) -> int:
    """Every listing equals the one its folder's rows give. Returns how many there are."""
    count = 0
    for folder, stored in cache.db.execute("SELECT folder, listing FROM folders").fetchall():
        query = "SELECT name, size, mtime_ns, ctime_ns, inode FROM files WHERE folder = ?"
        rows = cache.db.execute(query, (folder,)).fetchall()
        names = sorted((name.decode("utf-8", "surrogateescape"), *rest) for name, *rest in rows)
        assert stored == listing(names), folder
        count += 1
    return count


def refuse(*args: object) -> None:
    raise AssertionError("an unchanged folder was compared file by file")


def test_an_unchanged_folder_is_not_compared_file_by_file(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = open_cache(tmp_path / "cache")
    expected = exported([str(feeds)], None)
    assert exported([str(feeds)], cache) == expected  # cold: rows, then listings
    assert check_listings(cache) == 2  # feeds/ and feeds/archive/2024/: the folders with files
    monkeypatch.setattr(cache_survey, "_changed_folder", refuse)
    warm = load_paths([str(feeds)], cache=cache)
    assert warm.parsed == 0
    assert exported([str(feeds)], cache) == expected


def test_a_changed_folder_is_compared_file_by_file_and_listed_again(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    path = feeds / "rate-decision.md"
    info = path.stat()
    text = path.read_text()
    path.write_text(text.replace("quality: 84", "quality: 12"))  # same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    compared = []
    real = cache_survey._changed_folder
    monkeypatch.setattr(
        cache_survey, "_changed_folder", lambda db, *a: compared.append(a[0]) or real(db, *a)
    )
    result = load_paths([str(feeds)], cache=cache)
    assert result.parsed == 1 and len(compared) == 1
    assert {a.path: a.quality for a in result.articles}[str(path)] == 12
    check_listings(cache)
    compared.clear()
    assert load_paths([str(feeds)], cache=cache).parsed == 0
    assert compared == []  # listed again: whole again


def test_a_file_replaced_with_the_same_size_and_time_is_seen(feeds: Path, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    path = feeds / "rate-decision.md"
    info = path.stat()
    replacement = tmp_path / "new.md"
    replacement.write_text(path.read_text().replace("quality: 84", "quality: 12"))
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, path)  # only the inode differs
    assert exported([str(feeds)], cache) == exported([str(feeds)], None)


def test_a_deleted_folder_is_forgotten(feeds: Path, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    shutil.rmtree(feeds / "archive")
    assert exported([str(feeds)], cache) == exported([str(feeds)], None)
    assert check_listings(cache) == 1
    folders = {f for (f,) in cache.db.execute("SELECT DISTINCT folder FROM files")}
    assert folders == {os.fsencode(os.path.join(os.path.realpath(feeds), ""))}


def test_a_file_loaded_alone_drops_its_folder_listing(feeds: Path, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    path = feeds / "rate-decision.md"
    path.write_text(path.read_text().replace("quality: 84", "quality: 12"))
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1))
    assert load_paths([str(path)], cache=cache).articles[0].quality == 12
    assert check_listings(cache) == 1  # its folder's listing went with the new row
    assert exported([str(feeds)], cache) == exported([str(feeds)], None)
    assert check_listings(cache) == 2


# Random histories: files written, rewritten, deleted and renamed across folders, loads
# of folders and of single files, with and without a prefilter. After each load the
# results equal an uncached load, and every listing mirrors its rows.
FOLDERS = ["a", "a/b", "c", "a/.hidden"]
STEP = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 3), st.integers(0, 4), st.integers(0, 100)),
    st.tuples(st.just("break"), st.integers(0, 3), st.integers(0, 4)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.integers(0, 4)),
    st.tuples(st.just("rename"), st.integers(0, 3), st.integers(0, 4), st.integers(0, 3)),
    st.tuples(st.just("rmdir"), st.integers(0, 3)),
    st.tuples(st.just("load"), st.sampled_from(["", "a", "a/b", "c"]), st.integers(0, 100)),
    st.tuples(st.just("load file"), st.integers(0, 3), st.integers(0, 4)),
)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(
    max_examples=property_examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(STEP, min_size=1, max_size=25))
def test_random_histories_keep_results_and_listings_right(steps: list[tuple]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        root, cache = Path(temp) / "feeds", open_cache(Path(temp) / "cache")
        root.mkdir()
        clock = [1_700_000_000 * 10**9]

        def path(folder: int, number: int) -> Path:
            return root / FOLDERS[folder] / f"n{number}.md"

        def stamp(target: Path) -> None:  # every write gets a new time: no racy stamps
            clock[0] += 10**9
            os.utime(target, ns=(clock[0], clock[0]))

        for step in steps:
            kind, *args = step
            if kind in ("write", "break"):
                text = article_text(quality=args[2]) if kind == "write" else "---\nt: [\n---\n"
                stamp(write(path(args[0], args[1]), text))
            elif kind == "delete" and path(*args).exists():
                path(*args).unlink()
            elif kind == "rename" and path(args[0], args[1]).exists():
                target = path(args[2], args[1])
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path(args[0], args[1]), target)
            elif kind == "rmdir":
                shutil.rmtree(root / FOLDERS[args[0]], ignore_errors=True)
            elif kind == "load":
                folder = root / args[0]
                if folder.is_dir():
                    expected = exported([str(folder)], None, args[1])
                    assert exported([str(folder)], cache, args[1]) == expected
            elif kind == "load file" and path(*args).exists():
                files = [str(path(*args))]
                assert exported(files, cache) == exported(files, None)
            check_listings(cache)
        assert exported([str(root)], cache) == exported([str(root)], None)
        check_listings(cache)
        cache.close()


def test_the_cache_remembers_how_big_a_walk_is(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newscli.index.loader as loader
    from newscli.index.discovery import folder_key

    cache = open_cache(tmp_path / "cache")
    assert cache.known_files([folder_key(str(feeds))]) == 0
    expected = exported([str(feeds)], cache)
    assert cache.known_files([folder_key(str(feeds))]) == 18
    assert cache.known_files([folder_key(str(feeds / "archive"))]) == 5
    walks = []
    real = loader.scan
    monkeypatch.setattr(loader, "scan", lambda *a, **k: walks.append(k) or real(*a, **k))
    monkeypatch.setattr(loader, "PARALLEL_WALK_FILES", 18)
    monkeypatch.setattr(loader, "free_core", lambda: True)  # however busy this machine is
    assert exported([str(feeds)], cache) == expected
    assert [k["parallel"] for k in walks] == [True]


def rewrite_after_fetch(path: Path, old: str, new: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once IndexCache.fetch has read the rows ahead, ``old`` in the file becomes
    ``new`` (in place, the same size: a new stamp only); no folder below the root is
    walked before that, by this process or the walk helper (which starts at once)."""
    import time

    import newscli.index.walk as walk

    real_fetch, real_walk = IndexCache.fetch, walk.walk_trees
    rewritten = path.parent.parent.parent / "rewritten"

    def fetch_then_rewrite(self: IndexCache, *args: Any) -> Any:
        fetched = real_fetch(self, *args)
        text = path.read_text()
        with open(path, "r+") as handle:
            handle.write(text.replace(old, new))
        rewritten.touch()
        return fetched

    def walk_trees(*args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + 10
        while not rewritten.exists() and time.monotonic() < deadline:
            time.sleep(0.002)
        return real_walk(*args, **kwargs)

    monkeypatch.setattr(IndexCache, "fetch", fetch_then_rewrite)
    monkeypatch.setattr(walk, "walk_trees", walk_trees)


def test_a_file_changed_after_the_rows_were_read_ahead_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the walk helper, the survey's rows are read while the walk goes on (before
    this process walks its part): a file rewritten after they were read is read again,
    and a folder that did not change is still taken whole."""
    import newscli.index.loader as loader

    feeds = tmp_path / "feeds"
    for i in range(4):
        write(feeds / f"d{i}" / "a.md", article_text(title=f"Title {i}", quality=40 + i))
        write(feeds / f"d{i}" / "b.md", article_text(title=f"Other {i}", quality=60 + i))
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache, least=41)
    monkeypatch.setattr(loader, "PARALLEL_WALK_FILES", 0)
    monkeypatch.setattr(loader, "free_core", lambda: True)
    path = feeds / "d0" / "a.md"
    rewrite_after_fetch(path, "quality: 40", "quality: 90", monkeypatch)
    compared = []
    real_changed = cache_survey._changed_folder
    monkeypatch.setattr(
        cache_survey,
        "_changed_folder",
        lambda db, folder, *a: compared.append(folder) or real_changed(db, folder, *a),
    )
    result = load_paths([str(feeds)], cache=cache, jobs=1, prefilter=Prefilter(min_quality=41))
    assert result.parsed == 1 and {a.path: a.quality for a in result.articles}[str(path)] == 90
    assert compared == [os.path.join(os.path.realpath(feeds / "d0"), "").encode()]
    assert exported([str(feeds)], cache, least=41) == exported([str(feeds)], None, least=41)


def test_export_texts_read_ahead_are_kept_only_for_unchanged_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm export reads its articles' export JSON with the rows, while the walk goes
    on (IndexCache.fetch with exports): a file rewritten after that is exported as it is
    now, not as read ahead, and the unchanged folders' texts are the ones read ahead."""
    import newscli.index.loader as loader
    from newscli.formats.records import record_text

    feeds = tmp_path / "feeds"
    for i in range(4):
        write(feeds / f"d{i}" / "a.md", article_text(title=f"Title {i}", quality=40 + i))
        write(feeds / f"d{i}" / "b.md", article_text(title=f"Other {i}", quality=60 + i))
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    monkeypatch.setattr(loader, "PARALLEL_WALK_FILES", 0)
    monkeypatch.setattr(loader, "free_core", lambda: True)
    path = feeds / "d0" / "a.md"
    rewrite_after_fetch(path, "Title 0", "Fresh 0", monkeypatch)
    result = load_paths([str(feeds)], cache=cache, jobs=1, exports=True)
    unchanged = {str(feeds / f"d{i}" / name) for i in range(1, 4) for name in ("a.md", "b.md")}
    assert set(cache._ready) == {os.path.realpath(p) for p in unchanged}  # read ahead
    texts = {a.path: record_text(a) for a in result.articles}
    assert '"Fresh 0"' in texts[str(path)] and "Title 0" not in texts[str(path)]
    articles = sorted(result.articles, key=lambda a: a.path)
    assert to_json(articles) == exported([str(feeds)], None)[0]


def test_export_texts_read_ahead_stop_at_their_budget(tmp_path: Path) -> None:
    """h155 MED: the budget was checked after each query of 500 texts, and a selection
    of 500 articles of 1 MiB each held 430 MB more than it. Now it is checked after each
    text, and the cache reads on as before after a read stopped half way."""
    import sys

    from newscli.index.discovery import folder_key

    feeds = tmp_path / "feeds"
    for i in range(30):
        write(feeds / "d" / f"a{i:02}.md", article_text(title=f"Title {i} " + "x" * 2000))
    cache = open_cache(tmp_path / "cache")
    expected = exported([str(feeds)], cache)
    roots = [folder_key(str(feeds))]
    whole = cache_survey.exports_ahead(cache.db, cache_survey.fetch(cache.db, roots, Prefilter()))
    texts = [text for found in whole.values() for text, _ in found.values()]
    assert len(texts) == 30
    one = max(sys.getsizeof(text) for text in texts)
    with cache._reading():
        fetched = cache_survey.fetch(cache.db, roots, Prefilter())
        some = cache_survey.exports_ahead(cache.db, fetched, budget=3 * one)
    assert 3 <= sum(len(found) for found in some.values()) <= 4  # (over by one text at most)
    assert exported([str(feeds)], cache) == expected  # (the statement left no read open)


@pytest.mark.parametrize("change", ["rewritten", "removed", "same text"])
def test_an_article_another_run_stored_anew_after_the_selection_is_left_out(
    tmp_path: Path, change: str
) -> None:
    """h155 F3: an export reads a selected article's export JSON from the cache after
    selecting it by its row. Another run that stored the file's new version (or forgot
    the removed file) in between gave it the new text, which contradicted the selection
    (quality 10 in an export of --min-quality 50), or none (a record with a path only).
    Now each text is checked against the version selected: another is left out (said
    by the caller), and the next run exports the new version. A file rewritten with
    the same text is the same version. Fails without the check (the new text is
    written), and without `left` filled."""
    from newscli.errors import ArticleChangedError
    from newscli.formats.records import record_text, record_texts

    feeds = tmp_path / "feeds"
    path = write(feeds / "d" / "a.md", article_text(title="Old title", quality=60))
    write(feeds / "d" / "b.md", article_text(title="Other", quality=70))
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    selected = load_paths([str(feeds)], cache=cache, jobs=1, prefilter=Prefilter(min_quality=50))
    article = next(a for a in selected.articles if a.path == str(path))
    if change == "rewritten":
        path.write_text(article_text(title="New title", quality=10))
    elif change == "removed":
        path.unlink()
    else:
        path.write_text(path.read_text())
        os.utime(path, ns=(1, 1))  # (another stamp)
    other = open_cache(tmp_path / "cache")  # another run, storing what it found
    load_paths([str(feeds)], cache=other, jobs=1)
    left: list[str] = []
    texts = list(record_texts(selected.articles, left=left))  # (read a slice at a time)
    if change == "same text":
        assert left == [] and len(texts) == 2 and '"Old title"' in texts[0]
        return
    assert left == [str(path)] and len(texts) == 1 and '"Other"' in texts[0]
    with pytest.raises(ArticleChangedError, match="changed since this run selected it"):
        record_text(article)  # (read alone)
    again, _ = exported([str(feeds)], open_cache(tmp_path / "cache"))
    assert ("New title" in again) == (change == "rewritten") and "Old title" not in again


def test_a_damaged_version_leaves_its_article_out_once(tmp_path: Path) -> None:
    """A file's row whose version is not its text's (a flipped bit) is taken for changed:
    left out, and forgotten, so that the next run reads the file again and exports it.
    Fails when the row is not forgotten (left out at every run)."""
    from newscli.formats.records import record_texts

    feeds = tmp_path / "feeds"
    path = write(feeds / "d" / "a.md", article_text(title="Kept title"))
    cache = open_cache(tmp_path / "cache")
    expected = exported([str(feeds)], cache)
    # (files_changed deletes an updated row: the damage is written as a new row's)
    row = cache.db.execute("SELECT * FROM files").fetchone()
    names = [d[0] for d in cache.db.execute("SELECT * FROM files").description]
    damaged = tuple(b"x" * 16 if n == "version" else v for n, v in zip(names, row, strict=True))
    with cache.db:
        cache.db.execute("DELETE FROM files")
        cache.db.execute(f"INSERT INTO files VALUES ({', '.join('?' * len(row))})", damaged)
    run = open_cache(tmp_path / "cache")
    loaded = load_paths([str(feeds)], cache=run, jobs=1)
    left: list[str] = []
    assert list(record_texts(loaded.articles, left=left)) == [] and left == [str(path)]
    assert exported([str(feeds)], open_cache(tmp_path / "cache")) == expected


def test_texts_prefetched_for_output_stop_at_their_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h155 (older): an export read its texts 500 at a time whatever their size (600
    front matters of 1 MiB: 515 MB). Now a prefetch holds up to PREFETCH_BYTES of them;
    the rest are read one by one as written, the same texts."""
    import sys

    import newscli.index.cache as cache_module
    from newscli.formats.records import record_texts

    feeds = tmp_path / "feeds"
    for i in range(30):
        write(feeds / "d" / f"a{i:02}.md", article_text(title=f"Title {i} " + "é" * 3000))
    cache = open_cache(tmp_path / "cache")
    expected = exported([str(feeds)], cache)
    articles = load_paths([str(feeds)], cache=cache, jobs=1).articles
    keys = [a.export_text.key for a in articles]  # type: ignore[union-attr]
    one = max(sys.getsizeof(text) for text, _ in cache.exports(keys).values())
    monkeypatch.setattr(cache_module, "PREFETCH_BYTES", 3 * one)
    cache.prefetch(keys)
    assert 3 <= len(cache._ready) <= 4  # (over by one text at most)
    cache._ready.clear()
    texts = list(record_texts(articles))
    assert len(texts) == 30 and not cache.broken
    assert exported([str(feeds)], cache) == expected
    no_cache = load_paths([str(feeds)], jobs=1).articles
    assert texts == list(record_texts(no_cache))


def _forged(text: str, same_as: str, key: bytes) -> str:
    """``text`` with the 48 letters of its ``PAD`` chosen ('a' or 'c', one bit apart)
    so that its checksum (CRC-32, affine in the bits of a text of a given length) is
    ``same_as``'s: what a file's author can do in a moment."""
    from newscli.index.cache_keys import checksum

    start = text.index(PAD)

    def crc(bits: int) -> int:
        pad = "".join("c" if bits >> i & 1 else "a" for i in range(len(PAD)))
        return checksum(key, text[:start] + pad + text[start + len(PAD) :])

    base = crc(0)
    rows = [(crc(1 << i) ^ base, 1 << i) for i in range(len(PAD))]  # (column, its bit)
    want, chosen = checksum(key, same_as) ^ base, 0
    for bit in range(32):  # Gaussian elimination over GF(2)
        pivot = next((r for r in rows if r[0] >> bit & 1), None)
        assert pivot is not None
        rows = [(c ^ pivot[0], b ^ pivot[1]) if c >> bit & 1 and r is not pivot else (c, b)
                for r in rows for c, b in [r]]  # fmt: skip
        rows.remove(pivot)
        if want >> bit & 1:
            want ^= pivot[0]
            chosen ^= pivot[1]
    assert want == 0 and crc(chosen) == checksum(key, same_as)
    pad = "".join("c" if chosen >> i & 1 else "a" for i in range(len(PAD)))
    return text[:start] + pad + text[start + len(PAD) :]


PAD = "a" * 48


def test_a_new_version_forged_to_the_old_ones_checksum_is_still_another(tmp_path: Path) -> None:
    """h157 MED: the version was the text's CRC-32, which a file's author can match in
    a moment: a new version of quality 10, padded to the old one's CRC, passed for the
    version selected by --min-quality 50. Now it is a BLAKE2b digest. Fails with the
    CRC-32 as the version."""
    from newscli.formats.records import record_texts
    from newscli.index.cache_keys import checksum, to_bytes

    feeds = tmp_path / "feeds"
    old = article_text(title="Title", quality=60).replace("\n---\n", f"\npad: {PAD}\n---\n")
    path = write(feeds / "a.md", old)
    cache = open_cache(tmp_path / "cache")
    exported([str(feeds)], cache)
    selected = load_paths([str(feeds)], cache=cache, jobs=1, prefilter=Prefilter(min_quality=50))
    (article,) = selected.articles
    key = to_bytes(article.export_text.key)  # type: ignore[union-attr]
    old_json = next(record_texts([article])).rsplit(',"path":', 1)[0] + "}"
    new = old.replace("quality: 60", "quality: 10")
    other = open_cache(tmp_path / "cache")
    path.write_text(new)
    load_paths([str(feeds)], cache=other, jobs=1)  # (stored: its JSON, to be forged)
    ((_, new_json, _),) = cache_survey.stored_texts(other.db, [key])
    forged_json = _forged(new_json, old_json, key)
    assert checksum(key, forged_json) == checksum(key, old_json) and '"quality":10' in forged_json
    pad = forged_json[forged_json.index('"pad":"') + 7 :][: len(PAD)]
    path.write_text(new.replace(PAD, pad))
    os.utime(path, ns=(2, 2))
    load_paths([str(feeds)], cache=open_cache(tmp_path / "cache"), jobs=1)
    left: list[str] = []
    assert list(record_texts(selected.articles, left=left)) == [] and left == [str(path)]
