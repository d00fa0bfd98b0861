"""Where newscli keeps its state: the undo journal and the import state, under
``$NEWSCLI_STATE_DIR``, else ``$XDG_STATE_HOME/newscli``, else
``~/.local/state/newscli``."""

from __future__ import annotations

import os
from pathlib import Path

from newscli.errors import SettingError

__all__ = ["journal_dir", "state_dir"]


def state_dir() -> Path:
    """$NEWSCLI_STATE_DIR (absolute: SettingError otherwise), else $XDG_STATE_HOME/newscli,
    else ~/.local/state/newscli. (h110: a relative one was another folder from each
    folder run from, so `undo` there found no journal, and `import` no state.)"""
    explicit = os.environ.get("NEWSCLI_STATE_DIR")
    if explicit:
        if not os.path.isabs(explicit):
            raise SettingError(
                f"NEWSCLI_STATE_DIR={explicit[:80]!r} is not an absolute path: the undo "
                "journal and the import state must be in one place whatever folder a "
                "command runs from"
            )
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):  # (unset, or relative: the XDG spec says to ignore it)
        base = os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "newscli"


def journal_dir(root: Path | None = None) -> Path:
    return (root or state_dir()) / "journal"
