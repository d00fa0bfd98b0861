"""The one edit engine: every change to an article file goes through ``edit_file``.

A change is a pure text transform (text and parsed front matter in; new text, the
intended changes and what to report out). The engine reads the file's bytes, refuses an
invalid file, runs the transform, checks with ``verify_edit`` that the new text parses
to the old mapping with only the intended change (every other line byte-identical),
refuses a file changed since it was selected (``expect``) or read-only (no write
permission: chmod 444), journals the old bytes, replaces the file atomically (a symbolic
link's target is edited) and journals the new stamp. The file's other names that the
walk found (``Version.names``: hard links in the folders walked) are made names of the
new file (edit.names), each only if it is still the file replaced; the others are left
alone and listed in ``Outcome.left``. ``restore_file`` is the same write path for undo,
checked by bytes instead (the names journaled made names of the restored file again).

The caller holds the folder locks (locking.folder_locks). Never prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.model import article_from_mapping
from newscli.article.reading import read_bytes
from newscli.article.record import to_record
from newscli.edit.atomic import read_only, write_atomic
from newscli.edit.locking import NOT_HELD, guarded
from newscli.edit.text_layout import TextEditError
from newscli.errors import InvalidArticleError, NewscliError, OutputError
from newscli.index.cache_keys import Stamp, stamp_of
from newscli.index.discovery import GONE

if TYPE_CHECKING:
    from newscli.edit.journal import Batch
    from newscli.edit.journal import Stamp as JournalStamp
    from newscli.edit.names import Relink
    from newscli.edit.text_verify import Change


class EditRefusedError(NewscliError):
    """The file was left alone; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ChangedError(EditRefusedError):
    """The file is no longer the version it was expected to be; it was left alone."""


class GoneError(EditRefusedError):
    """The file is not there any more (deleted or renamed since it was selected): there
    is nothing to edit (h138: an aggregator's churn made every edit exit 1)."""


class Version(NamedTuple):
    """One version of an article file, as it was loaded: its stamp, its known fields as
    a record (record.to_record), and the other names (hard links) the walk found of it,
    as shown (loader.LoadResult.links)."""

    stamp: Stamp
    record: tuple[Any, ...]
    names: tuple[str, ...] = ()


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""A FieldChange value for a key that is not there (before it is added, after unset)."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One reported change: ``PATH: FIELD OLD -> NEW``."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Plan:
    """What a transform makes of one file: the new text, the intended changes (for
    verify_edit) and the changes to report. The same text: nothing to do."""

    text: str
    changes: tuple[Change, ...] = ()
    report: tuple[FieldChange, ...] = ()


Transform = Callable[[str, dict[str, Any]], Plan]


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    report: tuple[FieldChange, ...] = field(default=())
    # the other names left alone (changed meanwhile, or not linkable): (name, reason)
    left: tuple[tuple[str, str], ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.report)


def _read(path: str, named: str | None = None) -> bytes:
    """The file's bytes; GoneError where ``named`` (the name the file was selected by,
    a link's too) is not there any more."""
    try:
        return read_bytes(path)
    except InvalidArticleError as exc:
        if named is not None and exc.reason in GONE_REASONS and not os.path.lexists(named):
            raise GoneError(exc.reason) from None
        raise EditRefusedError(exc.reason) from None


# (as reading.read_bytes says them: its folder removed, or made a plain file, h140)
GONE_REASONS = (GONE, "cannot read: Not a directory")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")  # a BOM stays, as U+FEFF (text_layout keeps it)
    except UnicodeDecodeError:
        raise EditRefusedError("invalid, not edited: not valid UTF-8") from None


def _mapping(text: str) -> dict[str, Any]:
    data, _ = parse_front_matter(text[1:] if text.startswith("\ufeff") else text)
    return data


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stamp_of(info)


def _replace(
    target: str,
    raw: bytes,
    new_raw: bytes,
    batch: LazyBatch | None,
    relink: Relink | None = None,
    names_first: bool = False,
    named: str = "",
) -> None:
    """Replace target (which held raw when read) by new_raw: journal first, atomically,
    and not at all if it changed meanwhile; then its other names (``relink``, which
    lists those left alone), or just before it (``names_first``: an undo's). ``named``:
    the link the edit was given, journaled with its target for `undo` to name."""
    from newscli.edit.journal import Stamp

    def unchanged() -> None:
        if _read(target, named or target) != raw:  # (gone meanwhile: GoneError, h141)
            raise EditRefusedError("file changed while it was being edited; left alone")
        if not guarded(os.path.dirname(target)):
            # (h141: its folder replaced by a copy, which another run may be editing
            # under the copy's own lock: the rename would put this run's text over it)
            raise EditRefusedError(f"{NOT_HELD}; left alone")
        if names_first and relink is not None:
            relink.finish()

    number = None
    if batch is not None:
        names = [n.path for n in relink.names] if relink is not None else []
        number = batch.record_old(target, raw, new_raw, names, named)
    # The new file's stamp, taken from the whole temporary file before it is renamed
    # (a rename keeps its inode, size and time): one taken after the rename failed when
    # another program removed the file just then (h110: an internal error that stopped
    # the batch), and would be that program's file if it replaced it (undo would then
    # take it for newscli's and put the old text over it).
    written: list[Stamp] = []

    def prepare(temporary: str) -> None:
        if relink is not None:
            relink.prepare(temporary)
        written.append(Stamp.of(temporary))

    try:
        try:
            write_atomic(target, new_raw, before_replace=unchanged, prepare=prepare)
        except BaseException:
            if relink is not None:  # (the temporary names made beside the other names)
                relink.discard()
            raise
    except (OutputError, EditRefusedError) as exc:
        if batch is not None and number is not None:
            batch.forget(number)
        if isinstance(exc, EditRefusedError):
            raise
        # (the report's line names the file already)
        raise EditRefusedError(
            f"cannot write it: {exc.reason}" if exc.reason else str(exc)
        ) from None
    if relink is not None and not names_first:
        relink.finish()
    if batch is not None and number is not None:
        batch.record_new(number, written[-1])


def _other_names(target: str, names: Sequence[str], shown: str) -> Relink | None:
    """The relinking of target's other names (as the walk found them), to be made
    names of the file that replaces it if they are still the file it is now."""
    from newscli.edit.names import OtherName, Relink, identity_of, resolved

    current = identity_of(target)
    if not names or current is None:
        return None
    others: list[OtherName] = []
    for name in names:
        path = resolved(name)
        if path != target and all(path != other.path for other in others):  # (spellings)
            others.append(OtherName(name, path, current))
    return Relink(others, shown)


def edit_file(
    path: str,
    transform: Transform,
    *,
    dry_run: bool = False,
    expect: Version | None = None,
    batch: LazyBatch | None = None,
) -> Outcome:
    """Apply transform to one article file (a symbolic link's target is edited).

    ``expect``: edit only that version of the file; ChangedError when its stamp or its
    known fields differ now. ``batch``: the undo journal of the command.

    Raises EditRefusedError (file left alone) when the file is invalid, the transform
    cannot edit it, the edit cannot be verified (or would leave an invalid article), the
    file changed meanwhile, it is read-only, or it cannot be written.
    """
    from newscli.edit.text_verify import verify_edit

    target = os.path.realpath(path)
    raw = _read(target, path)
    # Taken after the read: a file replaced since the version expected shows another
    # stamp (one rewritten after the read is refused when it is replaced).
    stamp = _stamp(target) if expect is not None else None
    text = _decode(raw)
    try:
        data = _mapping(text)
        article = article_from_mapping(path, data)
    except InvalidArticleError as exc:
        raise EditRefusedError(f"invalid, not edited: {exc.reason}") from None
    try:
        plan = transform(text, data)
    except TextEditError as exc:
        raise EditRefusedError(f"the edit could not be verified ({exc}); left alone") from None
    # (before "unchanged": a file replaced since by one the edit leaves as it is, a link to
    # an article already published, is said to have changed, h96)
    if expect is not None and (stamp != expect.stamp or to_record(article) != expect.record):
        raise ChangedError("changed since it was loaded; left alone")
    if plan.text == text or not plan.report:
        return Outcome(path)
    if read_only(target):
        raise EditRefusedError("read-only; left alone")
    try:
        new_data = verify_edit(text, plan.text, plan.changes, data)
        article_from_mapping(path, new_data)
    except TextEditError as exc:  # EditVerificationError, or the new text's layout
        raise EditRefusedError(f"the edit could not be verified ({exc}); left alone") from None
    except InvalidArticleError as exc:
        raise EditRefusedError(
            f"the edit would make it invalid: {exc.reason}; left alone"
        ) from None
    if dry_run:
        return Outcome(path, plan.report)
    relink = _other_names(target, expect.names, path) if expect is not None else None
    _replace(target, raw, plan.text.encode("utf-8"), batch, relink, named=path)
    return Outcome(path, plan.report, tuple(relink.left) if relink is not None else ())


def restore_file(
    path: str,
    expected: bytes,
    old: bytes,
    names: Sequence[str] = (),
    shown: str | None = None,
) -> tuple[tuple[str, str], ...]:
    """Undo: write old back over path if it still holds exactly expected (atomic, the
    same write path as every edit). Raises ChangedError otherwise. ``names``: the other
    names the edit made names of the file it wrote, made names of the restored file
    again where they still are that file, or hold exactly ``old`` (the file the edit
    replaced: a run killed before it relinked them; or the file restored: an undo
    killed before it replaced path, as they are relinked first, so that the next undo
    finds path still to restore); the others are left alone: returned as (name,
    reason), the file named ``shown`` (one removed since is no name to keep: skipped)."""
    # (a link made at the file's name since the edit is followed and stays a link, as
    # an edit follows one: h116, undo replaced it with a file, its target left edited)
    shown, path = shown or path, os.path.realpath(path)
    raw = check_restore(path, expected)
    relink = None
    if names:
        from newscli.edit.names import OtherName, Relink, identity_of

        relink = Relink([], shown, "the edit")
        edited = identity_of(path)
        others = []
        for name in names:
            now = identity_of(name)
            if now is None:  # removed since: no name to keep
                continue
            if now == edited or (not os.path.islink(name) and _holds(name, old)):
                # (a link holding the old bytes through its target is no name of the file:
                # it stays a link, h101)
                others.append(OtherName(name, name, now))
            else:
                relink.leave_changed(name)
        relink.names = others
    _replace(path, raw, old, None, relink, names_first=True)
    return tuple(relink.left) if relink is not None else ()


def check_restore(path: str, expected: bytes) -> bytes:
    """What restore_file checks before it writes (`undo -n` says what `undo` would do,
    h98: it said "would restore" of a read-only file `undo` then refused): the file's
    bytes. Raises ChangedError or EditRefusedError."""
    raw = _read(path)
    if raw != expected:
        raise ChangedError("changed since the edit; not reverted")
    if read_only(path):
        raise EditRefusedError("read-only; not reverted")
    return raw


def _holds(path: str, data: bytes) -> bool:
    """Whether the file ``path`` holds exactly ``data`` (a FIFO or device put there holds
    nothing: h100, a blocking open waited for a writer for ever, the locks held)."""
    try:
        return read_bytes(path) == data
    except (OSError, InvalidArticleError):
        return False


class LazyBatch:
    """The journal batch of one command, begun at its first write (a run that changes
    nothing leaves no batch)."""

    def __init__(self, command: Sequence[str]):
        self.command = list(command)
        self.batch: Batch | None = None

    def record_old(
        self, path: str, old: bytes, new: bytes, names: Sequence[str] = (), named: str = ""
    ) -> int:
        if self.batch is None:
            from newscli.edit.journal import Batch

            self.batch = Batch.begin(self.command)
        return self.batch.record_old(path, old, new, names, named)

    def record_new(self, number: int, stamp: JournalStamp) -> None:
        if self.batch is not None:
            self.batch.record_new(number, stamp)

    def forget(self, number: int) -> None:
        if self.batch is not None:
            self.batch.forget(number)

    def commit(self) -> None:
        if self.batch is not None:
            self.batch.commit()

    def abandon(self) -> None:
        """Interrupted (Ctrl-C, SIGTERM): leave the batch as a crash leaves it, marked
        interrupted in history; undo still reverts every file it replaced."""
        if self.batch is not None:
            self.batch.abandon()
