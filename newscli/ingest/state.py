"""What each source's server said last time (ETag, Last-Modified), for conditional GET.

One JSON file, ``imports.json`` under ``$NEWSCLI_STATE_DIR``, else
``$XDG_STATE_HOME/newscli`` (``~/.local/state/newscli``), keyed by the source URL and
the folder imported into: a 304 means nothing new for that folder only. Written
atomically; an unreadable or damaged file counts as empty (every source is then
fetched in full once).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field

from newscli.edit.atomic import write_atomic
from newscli.edit.state_place import state_dir

FILE_NAME = "imports.json"
MAX_SIZE = 64 << 20  # bytes read at most (a larger file counts as damaged: empty)


@dataclass(slots=True)
class ImportState:
    path: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> ImportState:
        path = os.path.join(state_dir(), FILE_NAME)
        try:
            # never blocks: a FIFO (or device) under that name is no state (h22: a FIFO
            # hung `import` until killed); it is replaced by the file when saved
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            with open(fd, "rb") as handle:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SIZE:
                    return cls(path)
                data = json.loads(handle.read(MAX_SIZE + 1))
        except (OSError, ValueError):
            return cls(path)
        sources = data.get("sources") if isinstance(data, dict) else None
        if not isinstance(sources, dict):
            return cls(path)
        entries = {
            key: {k: v for k, v in value.items() if isinstance(v, str)}
            for key, value in sources.items()
            if isinstance(key, str) and isinstance(value, dict)
        }
        return cls(path, entries)

    @staticmethod
    def key(url: str, folder: str) -> str:
        return f"{os.path.realpath(folder)}\n{url}"

    def validators(self, url: str, folder: str) -> tuple[str | None, str | None]:
        entry = self.entries.get(self.key(url, folder), {})
        return entry.get("etag"), entry.get("lastModified")

    def articles(self, url: str, folder: str) -> int | None:
        """How many files the folder held after the import that saved the validators
        (None: not known)."""
        value = self.entries.get(self.key(url, folder), {}).get("articles", "")
        return int(value) if value.isdigit() else None

    def remember(
        self, url: str, folder: str, etag: str | None, modified: str | None, articles: int
    ) -> None:
        """The validators, and how many files the folder holds now (h45: files deleted
        since, a 304 would hide their items for good: fewer now, the source is fetched
        in full)."""
        entry = {k: v for k, v in (("etag", etag), ("lastModified", modified)) if v}
        if entry:
            self.entries[self.key(url, folder)] = {**entry, "articles": str(articles)}
        else:
            self.entries.pop(self.key(url, folder), None)

    def save(self) -> None:
        """Write the state file (raises OutputError when it cannot be written)."""
        from newscli.errors import OutputError
        from newscli.wording import cannot_create

        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:  # (h31: a file under the state folder's name)
            raise OutputError(cannot_create(folder, exc)) from None
        text = json.dumps({"version": 1, "sources": self.entries}, indent=1, sort_keys=True)
        write_atomic(self.path, text.encode("utf-8") + b"\n")
