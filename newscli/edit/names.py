"""The other names of an edited file: its hard links that the run found in the folders
it walked (index.discovery.scan). An edit replaces the file it edits by a new one
(atomic.write_chunks_atomic); each other name is then made a name of the new file too,
so that the names stay one file, one article:

- before the rename, the new file (the temporary one, written and fsynced) is linked
  under a temporary name in each other name's folder (``Relink.prepare``);
- after it, each of those is renamed over its name if that name is still the file that
  was replaced (same device and inode, checked just before), and each such folder is
  fsynced (``Relink.finish``).

A name that is no longer that file (replaced meanwhile), or that cannot be linked (no
permission, another mount of the file system), is left alone and listed in
``Relink.left`` with the reason; one removed meanwhile is no name to keep (none is made
again, nothing is said). Each step is a link or a rename: a kill at any point
leaves every name a whole version, the old or the new, and at most a temporary name,
removed by the next run that takes that folder's lock or writes in it
(atomic.remove_stale_temporaries). Never prints.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from newscli.edit.atomic import remove_stale_temporaries, sync_folders, temporary_name
from newscli.edit.locking import NOT_HELD, guarded

Identity = tuple[int, int]  # (device, inode)


def resolved(name: str) -> str:
    """A name with its folder resolved and its last part kept: the name itself (a name
    replaced by a symbolic link meanwhile is not followed)."""
    folder, base = os.path.split(name)
    return os.path.join(os.path.realpath(folder or "."), base)


def identity_of(path: str) -> Identity | None:
    """The (device, inode) of the name itself (not followed); None if it is gone."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@dataclass(frozen=True, slots=True)
class OtherName:
    shown: str  # as given (for the reports)
    path: str  # resolved (see resolved)
    accepted: Identity  # the file it must still be when it is replaced


@dataclass
class Relink:
    """Make the names a name of the new file (see the module)."""

    names: Sequence[OtherName]
    edited: str  # the edited file, as shown (in the reasons)
    since: str = "it was read"  # (an undo's: "the edit")
    left: list[tuple[str, str]] = field(default_factory=list)  # (name as shown, reason)
    _prepared: list[tuple[OtherName, str]] = field(default_factory=list)

    def leave_changed(self, name: str) -> None:
        self.left.append((name, f"changed since {self.since}, no longer the same file as "
                                f"{self.edited}; left alone"))  # fmt: skip

    def _leave_failed(self, name: str, why: str) -> None:
        self.left.append((name, f"cannot be made the same file as {self.edited} again "
                                f"({why}); left alone"))  # fmt: skip

    def prepare(self, new_file: str) -> None:
        """Link ``new_file`` under a temporary name beside each name."""
        for name in self.names:
            folder = os.path.dirname(name.path)
            remove_stale_temporaries(folder)
            temporary = temporary_name(folder)
            self._prepared.append((name, temporary))  # (named first: a signal removes it)
            try:
                os.link(new_file, temporary)
            except OSError as exc:
                self._prepared.pop()
                if identity_of(name.path) is not None:  # (else removed: no name to keep)
                    self._leave_failed(name.shown, str(exc.strerror or exc))

    def finish(self) -> None:
        """After the edited file's rename: each prepared name renamed over its name if
        that is still the file replaced (else left alone), its folder fsynced."""
        folders: dict[str, None] = {}
        try:
            while self._prepared:
                name, temporary = self._prepared[0]
                renamed = False
                try:
                    current = identity_of(name.path)
                    if current is not None and not guarded(os.path.dirname(name.path)):
                        # (h146: a name in a folder replaced, or whose lock file was
                        # removed, since this run locked it: another run may edit there)
                        self.left.append((name.shown, f"{NOT_HELD}; left alone"))
                    elif current == name.accepted:
                        os.replace(temporary, name.path)
                        renamed = True
                        folders[os.path.dirname(name.path)] = None
                    elif current is not None:  # (removed: no name to keep, none made)
                        self.leave_changed(name.shown)
                except OSError as exc:
                    self._leave_failed(name.shown, str(exc.strerror or exc))
                self._prepared.pop(0)
                if not renamed:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)
        finally:
            self.discard()
            sync_folders(folders)

    def discard(self) -> None:
        """Remove the temporary names not renamed (the edit failed, or was stopped)."""
        while self._prepared:
            _, temporary = self._prepared.pop()
            with contextlib.suppress(OSError):
                os.unlink(temporary)
