"""Byte-preserving edits of the `published` flag, through the one edit engine
(engine.edit_file, with the transforms.publish transform).

``rewrite_published`` (in transforms) is publish's byte-level rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass

from newscli.edit.engine import ChangedError, EditRefusedError, LazyBatch, Version, edit_file
from newscli.edit.transforms import publish, rewrite_published

__all__ = [
    "ChangedError",
    "EditRefusedError",
    "EditResult",
    "Version",
    "rewrite_published",
    "set_published",
]


@dataclass(frozen=True, slots=True)
class EditResult:
    path: str
    old: bool
    new: bool

    @property
    def changed(self) -> bool:
        return self.old != self.new


def set_published(
    path: str,
    value: bool,
    *,
    dry_run: bool = False,
    expect: Version | None = None,
    batch: LazyBatch | None = None,
) -> EditResult:
    """Set `published` in one article file, through the one edit engine
    (engine.edit_file: verified, atomic, journaled when ``batch`` is given). A symbolic
    link's target is edited.

    ``expect``: edit only that version of the file (the one a selection or an export was
    made from); ChangedError when its stamp or its known fields differ now.

    Raises EditRefusedError (file left alone) when the file is invalid, the edit cannot
    be verified, the file changed meanwhile, or it cannot be written.
    """
    outcome = edit_file(path, publish(value), dry_run=dry_run, expect=expect, batch=batch)
    old = outcome.report[0].old if outcome.report else value
    return EditResult(path, old, value)
