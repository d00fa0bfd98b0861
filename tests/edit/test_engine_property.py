"""A property test of the whole edit path: random valid documents, random edits through
the transforms and the engine (verified, journaled, atomic), then `undo` of every batch
through the engine's restore gives back the original bytes. A refused edit leaves the
file's bytes alone."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import property_examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_text_edit import EDITS, _apply, documents

from newscli.article.model import article_from_mapping
from newscli.edit import journal, undo_plan
from newscli.edit.engine import EditRefusedError, LazyBatch, Transform, edit_file, restore_file
from newscli.edit.locking import folder_locks
from newscli.edit.text_layout import TextEditError
from newscli.edit.text_verify import parse_mapping
from newscli.edit.transforms import set_fields, tag_add, tag_remove, unset_fields
from newscli.errors import InvalidArticleError


def transform_of(op: tuple[Any, ...]) -> Transform:
    path = tuple(op[1].split("."))
    if op[0] == "set":
        return set_fields([(path, op[2])])
    if op[0] == "unset":
        return unset_fields([path])
    if op[0] == "add":
        return tag_add(op[1], op[2])
    return tag_remove(op[1], op[2], prune=op[3])


def core_result(text: str, op: tuple[Any, ...]) -> str | None:
    """The text the pure core makes of this edit, when it makes one that leaves a valid
    article (else None)."""
    try:
        made = _apply(text, parse_mapping(text), op)
        if made is None:
            return None
        article_from_mapping("a.md", parse_mapping(made[0]))
    except (TextEditError, InvalidArticleError):
        return None
    return made[0]


@settings(
    max_examples=property_examples(20),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
@given(documents(), st.lists(EDITS, min_size=1, max_size=4))
def test_random_edits_through_the_engine_then_undo(
    monkeypatch: pytest.MonkeyPatch,
    document: tuple[str, dict[str, Any]],
    edits: list[tuple[Any, ...]],
) -> None:
    text, data = document
    if "title" not in data:  # a title after the opening line: a valid article
        first, eol, rest = text.partition("\n")
        text = f'{first}{eol}title: "T"{first[len(first.rstrip(chr(13))) :]}{eol}{rest}'
    try:
        article_from_mapping("a.md", parse_mapping(text))
    except InvalidArticleError:
        assume(False)  # the engine refuses invalid articles: tested elsewhere
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        monkeypatch.setenv("NEWSCLI_STATE_DIR", str(root / "state"))
        article = root / "a.md"
        original = text.encode("utf-8")
        article.write_bytes(original)
        with folder_locks([folder]):  # (as every command edits)
            for op in edits:
                before = article.read_bytes()
                wanted = core_result(before.decode("utf-8"), op)
                batch = LazyBatch(["newscli", op[0]])
                try:
                    edit_file(str(article), transform_of(op), batch=batch)
                except EditRefusedError as exc:
                    assert wanted is None, exc.reason  # the core could make it: so must the engine
                    assert article.read_bytes() == before
                else:
                    assert wanted is None or article.read_bytes() == wanted.encode("utf-8")
                finally:
                    batch.commit()
            while True:
                try:
                    plan = undo_plan.undo_last()
                except journal.JournalError:
                    break
                for item in plan.files:
                    assert item.status == journal.RESTORE and item.expected is not None
                    restore_file(item.path, item.expected, item.old)
                undo_plan.finish_undo(plan)
        assert article.read_bytes() == original
