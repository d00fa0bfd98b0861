"""The review queue: the stories to decide on, their state in this session, and the
actions that decide them (through the one edit engine, edit.engine.edit_file, under
the folder locks and journaled, so `newscli undo` reverts them too).

No Textual here: the app (review.app) only shows a Queue and calls its actions. Every
action either succeeds or raises ReviewError with one line for the status line, having
changed nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.errors import NewscliError
from newscli.index.cache_keys import stamp_of
from newscli.index.discovery import Problem

if TYPE_CHECKING:
    from newscli.edit.engine import LazyBatch, Transform, Version
    from newscli.index.cache_keys import Stamp

PENDING, PUBLISHED, REJECTED, SKIPPED = "to do", "published", "rejected", "skipped"
GONE = "gone"  # every file of the story deleted or renamed under the session
STATES = (PENDING, PUBLISHED, REJECTED, SKIPPED, GONE)
CHECKING = "checking the files…: press the key again when they are checked"
_PHRASES = {"topics": "change the topics of", "set": "set the field of"}  # "to {verb} ..."


class ReviewError(NewscliError):
    """An action was not done (nothing changed); the message says why, in one line."""


@dataclass(slots=True, eq=False)
class Item:
    """One story in the queue: its best article first, then the others."""

    kept: Article
    others: tuple[Article, ...] = ()
    state: str = PENDING
    # kept holds the queue's columns only (review.start): its file is read when it is
    # shown (Queue.full), before anything acts on it
    light: bool = False

    @property
    def articles(self) -> tuple[Article, ...]:
        return (self.kept, *self.others)

    def outlets(self) -> int:
        """How many outlets cover the story: its articles' providers and the outlets of
        their `related` coverage (by domain, else name, case-insensitively)."""
        seen = set()
        for article in self.articles:
            seen.add((article.provider_domain or article.provider_name or "").casefold())
            for item in _related(article):
                provider = item.get("provider")
                if isinstance(provider, Mapping):
                    name = provider.get("domain") or provider.get("name")
                    seen.add(str(name or "").casefold())
        seen.discard("")
        return len(seen)

    def coverage(self) -> int:
        """How many pieces cover the story: its articles, and the `related` coverage
        that is none of them (URLs compared as story dedup compares them)."""
        from newscli.select.stories import normalise_url

        own = {normalise_url(a.url or "") for a in self.articles} - {None}
        related: set[str] = set()
        for article in self.articles:
            for item in _related(article):
                url = item.get("webUrl")
                key = normalise_url(url) if isinstance(url, str) else None
                related.add(key or f"{article.path}#{item.get('title')}")
        return len(self.articles) + len(related - own)


def _related(article: Article) -> list[Mapping[str, object]]:
    related = article.data.get("related")
    return [r for r in related if isinstance(r, Mapping)] if isinstance(related, list) else []


@dataclass(slots=True)
class _Done:
    """One action of this session, for `u`: the item, its state before, and the journal
    batch of its edit (None for a skip)."""

    item: Item
    before: str
    batch: Path | None


@dataclass
class Queue:
    # One per story; until the stories are grouped (``grouped``), one per article.
    items: Sequence[Item]
    # Each file's stamp when it was loaded: with its article's known fields, the version
    # an edit expects (made when first needed: 100,000 records cost seconds at start-up).
    stamps: Mapping[str, Stamp]
    problems: Sequence[Problem] = ()
    now: datetime | None = None
    wait: float = 0.0  # seconds to wait for another run's folder lock
    everything: Sequence[Article] = ()  # every loaded article (fields for --where)
    view: Sequence[Item] = field(default_factory=list)  # the items shown (after `/`)
    where: str | None = None
    done: list[_Done] = field(default_factory=list)
    versions: dict[str, Version] = field(default_factory=dict)  # made, or reloaded
    unreadable: dict[str, str] = field(default_factory=dict)  # why a reload failed, by path
    grouped: bool = True  # False: the items are single articles, stories still to come
    # False: the items were read from the cache ahead of the walk that checks them
    # (review.start): nothing is decided on them until it has
    checked: bool = True
    # the other names (hard links) the walk found of each file, by its path (the
    # walk's own dict: filled in when a walk checking rows read ahead is done)
    links: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # a signal's exit code, set by the app's handler while a decision may be running: the
    # decision stops between two files (h116: SIGTERM during a story's publishing let it
    # edit hundreds of files more); ``stopped``: what it says of the files done then
    stop: int | None = None
    stopped: str | None = None

    def __post_init__(self) -> None:
        self.view = self.items

    # --- what is shown -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        made = getattr(self.items, "made", None)  # review.start.LazyItems: made ones only
        seen = self.items if made is None else made.values()
        for item in seen:
            counts[item.state] += 1
        counts[PENDING] += len(self.items) - len(seen)
        return counts

    def full(self, item: Item) -> bool:
        """Read the file of a light item's article (to show it, or act on it); False
        when it cannot be read now (the item stays light)."""
        if item.light:
            fresh = self.reload(item.kept)
            if fresh is not item.kept:
                item.kept, item.light = fresh, False
        return not item.light

    def apply_stories(
        self,
        stories: Sequence[tuple[Article, tuple[Article, ...]]],
        everything: Sequence[Article],
        stamps: Mapping[str, Stamp],
    ) -> None:
        """Replace the per-article rows by the stories (review.start.Stories.group).
        An item whose article stays kept is kept (its state, its article as reloaded);
        a story takes the state of a member decided meanwhile (a skip: p and r wait
        for the stories); this session's actions follow their articles' stories."""
        made = getattr(self.items, "made", None)
        before = list(made.values() if made is not None else self.items)
        old = {item.kept.path: item for item in before}
        fresh = {i.kept.path: i.kept for i in before if not i.light}

        def current(article: Article) -> Article:
            return fresh.get(article.path, article)

        items: list[Item] = []
        for kept, others in stories:
            item = old.get(kept.path)
            if item is None:
                item = Item(kept)
            elif item.light:
                item.kept, item.light = kept, False
            item.others = tuple(current(a) for a in others)
            items.append(item)
        story_of = {a.path: item for item in items for a in item.articles}
        for path, item in old.items():
            story = story_of.get(path)
            if story is not None and story is not item and story.state == PENDING:
                story.state = item.state
        for done in self.done:
            done.item = story_of.get(done.item.kept.path, done.item)
        self.items, self.everything, self.stamps = items, everything, stamps
        self.grouped = self.checked = True
        self.view = items
        if self.where is not None:
            self.narrow(self.where)

    def holding(self, path: str) -> tuple[Item, Article] | None:
        """The story holding the article at ``path`` and that article as now loaded (a
        prompt remembers its article: the stories may be regrouped meanwhile)."""
        made = getattr(self.items, "made", None)  # review.start.LazyItems: made ones only
        for item in self.items if made is None else list(made.values()):
            for article in item.articles:
                if article.path == path:
                    return item, article
        return None

    def places(self) -> dict[str, int]:
        """Where each article's story is in the view, by the article's path."""
        return {a.path: index for index, item in enumerate(self.view) for a in item.articles}

    def narrow(self, expression: str) -> None:
        """Show only the stories whose kept article passes a --where expression (empty:
        all). Raises select.where.WhereError (with the position) and changes nothing."""
        from datetime import timezone

        from newscli.select.query import where_filter

        if not self.grouped:
            raise ReviewError("grouping stories…: / works once they are grouped")
        expression = expression.strip()
        if not expression:
            self.view, self.where = self.items, None
            return
        now = self.now or datetime.now(timezone.utc)
        keep = where_filter(expression, self.everything or [i.kept for i in self.items], now)
        self.view = [item for item in self.items if keep(item.kept)]
        self.where = expression

    # --- actions -------------------------------------------------------------------

    def publish(self, item: Item) -> str:
        """Publish every article of the story."""
        from newscli.edit.transforms import publish

        self._ready(item, story=True)
        return self._decide(item, item.articles, publish(True), PUBLISHED, "publish", ["publish"])

    def reject(self, item: Item, reason: str | None) -> str:
        """Reject every article of the story (another of its articles would otherwise
        bring the story back), with the reason if one is given."""
        from newscli.edit.transforms import reject

        self._ready(item, story=True)
        told = ["reject", "--reason", reason] if reason else ["reject"]
        return self._decide(item, item.articles, reject(reason or None), REJECTED, "reject", told)

    def set_topics(self, item: Item, text: str, article: Article | None = None) -> str:
        """Make the topics of ``article`` (of the story ``item``; by default its kept
        article) the comma-separated list ``text`` (items added and removed in one
        edit; review.topics_text: a quoted item may hold a comma)."""
        from newscli.edit.transforms import tag_add, tag_remove
        from newscli.review.topics_text import topics_read_back

        article = self._ready(item, article=article)
        have = list(article.topics)
        wanted = topics_read_back(text, have)
        if wanted is None:  # the prompt left as it was: nothing to change
            raise ReviewError("topics unchanged")
        folded = {fold(t) for t in wanted}
        removed = [t for t in have if fold(t) not in folded]
        held = {fold(t) for t in have}
        added = [t for t in wanted if fold(t) not in held]
        if not removed and not added:
            raise ReviewError("topics unchanged")
        # added first: a list never left empty on the way keeps its style (a block list
        # emptied was written `topics: []`, and the added items then joined that flow)
        steps = ([tag_add("topics", added)] if added else []) + (
            [tag_remove("topics", removed)] if removed else []
        )
        # (history: the `tag` command that makes it; both ways at once is two commands,
        # named as review's own then)
        told = ["tag", "add", *added] if not removed else ["tag", "remove", *removed]
        if added and removed:
            told = ["review", "topics"]
        return self._decide(item, [article], chain(steps), item.state, "topics", told)

    def set_field(self, item: Item, text: str, article: Article | None = None) -> str:
        """``FIELD=VALUE`` on ``article`` (by default the story's kept article), as
        `newscli set` reads it."""
        from newscli.edit.field_values import FieldValueError, derived, parse_assignment, slip
        from newscli.edit.transforms import assign

        article = self._ready(item, article=article)
        try:
            assignment = parse_assignment(text.strip())
        except FieldValueError as exc:
            raise ReviewError(str(exc)) from None
        said = derived(assignment.field)
        if said is not None:  # (as `set`'s)
            hint = "" if "." in assignment.field else " (`newscli set --new-field` writes one)"
            raise ReviewError(f"{said}{hint}")
        said = slip(assignment.field)
        if said is not None and assignment.path[0] not in article.data:  # (as `set`'s)
            raise ReviewError(f"{said} (`newscli set --new-field` sets it as named)")
        state = item.state  # (h31: `published=yes` published, the counts said nothing)
        if assignment.field == "published" and isinstance(assignment.value, bool):
            state = PUBLISHED if assignment.value else _unless(state, PUBLISHED)
        if assignment.field == "rejected" and isinstance(assignment.value, bool):  # (h36)
            state = REJECTED if assignment.value else _unless(state, REJECTED)
        return self._decide(
            item, [article], assign([assignment]), state, "set", ["set", text.strip()]
        )

    def _ready(self, item: Item, story: bool = False, article: Article | None = None) -> Article:
        """Before an edit: the item's article read in full; with ``story`` (p and r
        decide whole stories), the stories known: never a story not known yet. Returns
        ``article`` (by default the kept one) as now loaded."""
        if not self.checked:
            raise ReviewError(CHECKING)
        if story and not self.grouped:
            raise ReviewError("grouping stories…: press the key again when they are grouped")
        if not self.full(item):
            from newscli.sanitize import escaped_path

            raise ReviewError(f"{escaped_path(item.kept.path)} cannot be read; nothing changed")
        if article is None:
            return item.kept
        return next((a for a in item.articles if a.path == article.path), article)

    def skip(self, item: Item) -> str:
        if not self.checked:
            raise ReviewError(CHECKING)
        self.done.append(_Done(item, item.state, None))
        item.state = SKIPPED
        return "skipped"

    def undo(self) -> str:
        """Take back this session's last action (its edit batch restored byte for byte,
        as `newscli undo` would)."""
        if not self.done:
            raise ReviewError("nothing to undo in this session")
        from newscli.edit.journal import BatchGoneError

        last = self.done[-1]
        apart: list[tuple[str, str]] = []
        kept: list[tuple[str, str]] = []
        gone = False
        if last.batch is not None:
            try:
                apart, kept = self._revert(last.batch)
            except BatchGoneError:  # another run's `newscli undo` took it back (h30)
                gone = True
            self._reload(last.item)
        self.done.pop()
        last.item.state = last.before
        if last.batch is None:
            return "undone"
        if gone:
            return (
                "already taken back outside this session (newscli undo, or pruned from "
                "the journal); the story shows its files as they are now"
            )
        if kept:
            return "undone, except " + _apart(kept)[2:] + " (left as it is)" + _apart(apart)
        return "undone: the files hold their old bytes" + _apart(apart)

    # --- the edit engine -------------------------------------------------------------

    def _decide(
        self,
        item: Item,
        articles: Sequence[Article],
        transform: Transform,
        state: str,
        verb: str,
        told: list[str],
    ) -> str:
        """Apply one edit to ``articles`` as one journal batch, under the folder locks,
        each file only if it is still the version loaded; then set the item's state.
        A failure takes back what was written and raises ReviewError. ``told``: the
        newscli command (before its paths) that makes the same change, the batch's
        command as `history` shows it (h49: `newscli review publish PATH` did not run)."""
        from newscli.edit.engine import ChangedError, EditRefusedError, LazyBatch, edit_file
        from newscli.edit.journal import JournalError
        from newscli.edit.locking import LockBusyError, LockError, folder_locks
        from newscli.sanitize import clean, escaped_path
        from newscli.wording import count

        paths = [a.path for a in articles]
        expected = {a.path: self.version(a) for a in articles}
        # (the folders of their other names too: made names of the edited files)
        names = [n for p in paths for n in self.links.get(p, ()) if _writable_folder(n)]
        changed = [p for p in paths if self._stale(p)]
        gone = [p for p in changed if not os.path.lexists(p)]
        if gone:  # deleted or renamed: no version of it to decide on
            rest = self._drop(item, set(gone))
            if not rest:  # nothing of it left to decide: not counted as to do (h29)
                item.state = GONE
            after = f"press the key again to {_PHRASES.get(verb, verb)} the rest" if rest else ""
            raise ReviewError(
                f"{escaped_path(gone[0])} is gone (deleted or renamed); nothing changed"
                + (f"; left out of its story: {after}" if after else "")
            )
        if changed:
            self._reload(item)
            if item.state == PENDING:  # (h47: another run published it: the row, its
                # label and the counts still said "to do")
                if all(a.published for a in item.articles):
                    item.state = PUBLISHED
                elif all(a.rejected for a in item.articles):
                    item.state = REJECTED
            broken = next((p for p in changed if p in self.unreadable), None)
            if broken is not None:  # (pressing the key again would say "reloaded" again)
                raise ReviewError(
                    f"{escaped_path(broken)} changed on disk and cannot be read now (nothing "
                    f"changed): {clean(self.unreadable[broken])}"
                )
            raise ReviewError(
                f"{escaped_path(changed[0])} changed on disk: reloaded; press the key again "
                f"to {_PHRASES.get(verb, verb)} this version"
            )
        # the journal's command: the newscli command that makes this change, as `history`
        # shows it for the shell (h49: `newscli review publish PATH` did not run)
        batch = LazyBatch(["newscli", *told, *paths])
        edited = 0
        apart: list[tuple[str, str]] = []  # other names left alone
        try:
            with folder_locks(paths + names, self.wait):
                try:
                    for path in paths:
                        if self.stop is not None:  # (a signal: the files done stay done,
                            # journaled: `newscli undo` reverts them)
                            self.stopped = (
                                f"interrupted: {verb} changed {count(edited, 'file')} of "
                                f"{len(paths)}" + (" (newscli undo reverts them)" if edited else "")
                            )
                            break
                        outcome = edit_file(path, transform, expect=expected[path], batch=batch)
                        edited += outcome.changed
                        apart += outcome.left
                finally:
                    if self.stopped is not None:  # (marked interrupted in history, as an
                        batch.abandon()  # edit command's batch is, h123)
                    else:
                        batch.commit()
        except ChangedError:
            undone = self._rollback(batch)
            self._reload(item)
            raise ReviewError(f"{escaped_path(path)} changed on disk: reloaded; {undone}") from None
        except EditRefusedError as exc:
            undone = self._rollback(batch)
            self._reload(item)  # the files taken back have new stamps
            raise ReviewError(f"{escaped_path(path)}: {clean(exc.reason)}; {undone}") from None
        except (LockBusyError, LockError) as exc:
            self._rollback(batch)  # (the lock is taken first: nothing written yet)
            self._reload(item)
            # (h116: "pass --wait", which a running review cannot take)
            said = str(exc).replace("pass --wait SECONDS", "start review with --wait SECONDS")
            raise ReviewError(clean(said)) from None
        except JournalError as exc:  # (a full disk) what was written is taken back
            undone = self._rollback(batch)
            self._reload(item)
            raise ReviewError(f"{clean(str(exc))}; {undone}") from None
        self._reload(item)
        if self.stopped is not None:  # (the app is leaving: its state stays as it was)
            raise ReviewError(self.stopped)
        folder = batch.batch.folder if batch.batch is not None and edited else None
        self.done.append(_Done(item, item.state, folder))
        item.state = state
        if not edited:
            return f"{verb}: nothing to change"
        return f"{verb}: {count(edited, 'file')} changed" + _apart(apart)

    def _rollback(self, batch: LazyBatch) -> str:
        """Take back what a failed decision wrote (its batch, if it has one); what the
        status line says of it: "nothing changed", or the file left as the decision
        wrote it (h123: one changed on disk meanwhile cannot be taken back, and the
        line said "nothing changed"; it stays in the journal for `newscli undo`)."""
        from newscli.sanitize import clean, escaped_path

        if batch.batch is None or not batch.batch.count:
            return "nothing changed"
        try:
            _, kept = self._revert(batch.batch.folder)
        except ReviewError as exc:  # (every file written refused: changed meanwhile)
            return f"not taken back: {exc} (newscli undo reverts it once it is put back)"
        if kept:
            name, reason = kept[0]
            return (
                f"not taken back: {escaped_path(name)}: {clean(reason)} (newscli undo "
                "reverts it once it is put back)"
            )
        return "nothing changed"

    def _revert(self, folder: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Restore the journal batch in ``folder`` (this session's; newer ones by other runs
        are left alone, and a file one of them changed again is refused, the others
        restored; all refused: ReviewError), under locks. Returns the other names of
        its files left alone and the files refused (each path, reason)."""
        from newscli.edit.engine import EditRefusedError, restore_file
        from newscli.edit.journal import ALREADY, RESTORE, BatchGoneError, JournalError, shown
        from newscli.edit.locking import LockBusyError, LockError, folder_locks
        from newscli.edit.undo_plan import begin_undo, finish_undo, undo_batch
        from newscli.sanitize import clean, escaped_path
        from newscli.wording import count

        try:
            # This session's batch, whatever other runs journaled since: each file is
            # restored only if it still holds what the decision wrote.
            plan = undo_batch(folder)
            names = [n for f in plan.files for n in f.names if _writable_folder(n)]
            with folder_locks([f.path for f in plan.files] + names, self.wait):
                plan = undo_batch(folder)  # again, under the locks
                refused = [f for f in plan.files if f.status not in (RESTORE, ALREADY)]
                if len(refused) == len(plan.files):
                    raise ReviewError(
                        f"{escaped_path(refused[0].shown)}: {clean(refused[0].reason)}"
                    )
                # The others restored, as `newscli undo` does (h31: one file another run
                # changed left every file of the decision as it was); the refused ones
                # stay in the journal, for an undo once they are put back.
                kept = [(shown(f.shown), f.reason) for f in refused]
                apart: list[tuple[str, str]] = []
                restored = 0
                begin_undo(plan)  # (killed part way, `history` says the undo was stopped)
                for position, item in enumerate(plan.files):
                    if self.stop is not None:  # (a signal, h121: stopped between two files;
                        # the rest stays in the journal, `newscli undo` finishes it)
                        rest = [f.number for f in plan.files[position:]]
                        finish_undo(plan, kept=[f.number for f in refused] + rest, interrupted=True)
                        self.stopped = (
                            f"interrupted: undo restored {count(restored, 'file')} of "
                            f"{len(plan.files)}; `newscli undo` again finishes it"
                        )
                        raise ReviewError(self.stopped)
                    if item.status == RESTORE and item.expected is not None:
                        left = restore_file(
                            item.path, item.expected, item.old, item.names, shown(item.shown)
                        )
                        restored += 1
                        apart += [(shown(name), reason) for name, reason in left]
                finish_undo(plan, kept=[f.number for f in refused])
            return apart, kept
        except EditRefusedError as exc:
            raise ReviewError(clean(exc.reason)) from None
        except BatchGoneError:
            raise
        except (LockBusyError, LockError, JournalError) as exc:
            raise ReviewError(clean(str(exc))) from None

    def version(self, article: Article) -> Version | None:
        """The version of ``article``'s file that was loaded (None: unknown)."""
        from newscli.article.record import to_record
        from newscli.edit.engine import Version

        if article.path not in self.versions:
            stamp = self.stamps.get(article.path)
            if stamp is None:
                return None
            names = tuple(self.links.get(article.path, ()))
            self.versions[article.path] = Version(stamp, to_record(article), names)
        return self.versions[article.path]

    def _stale(self, path: str) -> bool:
        """The file is no longer the version loaded (by its stamp)."""
        version = self.versions.get(path)
        if version is None:
            return False
        try:
            info = os.stat(path)
        except OSError:
            return True
        return stamp_of(info) != tuple(version.stamp)

    def _drop(self, item: Item, gone: set[str]) -> bool:
        """Leave the files in ``gone`` out of the item's story; whether any is left (the
        best one left is kept). An item with none left keeps its row, refusing edits."""
        left = [a for a in (item.kept, *item.others) if a.path not in gone]
        if not left:
            return False
        item.kept, item.others = left[0], tuple(left[1:])
        return True

    def _reload(self, item: Item) -> None:
        """Read the story's files again (after an edit, or when changed on disk); one
        that has become invalid keeps its old article in the queue."""
        item.kept = self.reload(item.kept)
        item.others = tuple(self.reload(a) for a in item.others)

    def reload(self, article: Article) -> Article:
        from newscli.article.reading import load_file
        from newscli.article.record import to_record
        from newscli.edit.engine import Version
        from newscli.errors import InvalidArticleError

        try:
            info = os.stat(article.path)
            fresh = load_file(article.path)
        except InvalidArticleError as exc:
            self.unreadable[article.path] = f"not a valid article: {exc.reason}"
            return article
        except OSError as exc:
            self.unreadable[article.path] = exc.strerror or type(exc).__name__
            return article
        self.unreadable.pop(article.path, None)
        names = tuple(self.links.get(article.path, ()))
        self.versions[article.path] = Version(stamp_of(info), to_record(fresh), names)
        return fresh


def _unless(state: str, undone: str) -> str:
    """The state after a field undoes ``undone``: to do, if it was that state."""
    return PENDING if state == undone else state


def _apart(left: Sequence[tuple[str, str]]) -> str:
    """What a status line adds for the other names of the files edited left alone."""
    from newscli.sanitize import clean, escaped_path
    from newscli.wording import count

    if not left:
        return ""
    name, reason = left[0]
    more = f" (and {count(len(left) - 1, 'other name')})" if len(left) > 1 else ""
    return f"; {escaped_path(name)}: {clean(reason)}{more}"


def _writable_folder(path: str) -> bool:
    """A name in a folder this user may write in (locked; in another, it is left alone)."""
    return os.access(os.path.dirname(path) or ".", os.W_OK | os.X_OK)


def chain(steps: Sequence[Transform]) -> Transform:
    """One transform doing ``steps`` in turn (one edit, one journal record, verified
    as a whole by the engine)."""
    from newscli.article.frontmatter_yaml import parse_front_matter
    from newscli.edit.engine import FieldChange, Plan

    def transform(text: str, data: dict[str, object]) -> Plan:
        changes: dict[tuple[str, ...], object] = {}
        reports: dict[str, FieldChange] = {}
        for step in steps:
            plan = step(text, data)
            if plan.text == text:
                continue
            text = plan.text
            data, _ = parse_front_matter(text[1:] if text.startswith("\ufeff") else text)
            for change in plan.changes:
                changes[change.path] = change
            for report in plan.report:
                first = reports.get(report.field)
                reports[report.field] = FieldChange(
                    report.field, first.old if first else report.old, report.new
                )
        return Plan(text, tuple(changes.values()), tuple(reports.values()))  # type: ignore[arg-type]

    return transform


def best_first(articles: Sequence[Article]) -> list[Article]:
    from newscli.select.stories import best_first_key

    return sorted(articles, key=best_first_key)
