"""What `export -o` must never write over: an article file the run read or one beside
those exported, a folder's lock file, or a file of newscli's state (the undo journal)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscli.index.loader import LoadResult


def not_an_input(
    output: str | None, loaded: LoadResult, paths: list[str], template: str | None = None
) -> None:
    """-o must not name an article file the run read (it would be replaced), nor one
    beside them: an article file (by its name) in a folder given or holding a file given
    (h35: `export k/a.md -o k/b.md` replaced b.md, which nothing could bring back), nor a
    folder's lock file (replaced, it would lock nothing: an edit could run meanwhile),
    nor a file the run read besides the articles (_not_read)."""
    if output and output != "-":
        from newscli.edit.locking import LOCK_NAME
        from newscli.errors import OutputError
        from newscli.index.discovery import found_as
        from newscli.terminal.destination import given_descriptor

        given_descriptor(output)  # (/dev/fd/N: refused first when N is not the caller's)

        read = found_as(loaded.groups, output)
        if read is not None:
            raise OutputError(f"cannot write {output}: it is an article file read ({read})")
        beside = _among_articles(output, paths)
        if beside is not None:
            raise OutputError(
                f"cannot write {output}: it is an article file in {beside}, among those "
                "exported (newscli writes over no article; name another file)"
            )
        if os.path.basename(os.path.realpath(output)) == LOCK_NAME:
            raise OutputError(f"cannot write {output}: it is a folder's lock file")
        _not_state(output)
        _not_read(output, template)


IMPORT_STATE = "imports.json"  # ingest.state.FILE_NAME (not imported: start-up, tested)


def _not_state(output: str) -> None:
    """-o must not name the undo journal or a file in it (h137 LOW: `-o
    .../journal/BATCH/old.log` replaced the old versions of the last edit, which no undo
    could then restore), nor the import state file. Other files of the state folder are
    the user's (it may be a working folder: NEWSCLI_STATE_DIR=/srv/news)."""
    real = os.path.realpath(output)
    if os.path.exists(real) and not os.path.isfile(real):
        return  # (a device, a FIFO, a folder: written as a stream or refused elsewhere)
    from newscli.edit.state_place import state_dir
    from newscli.errors import OutputError, SettingError

    try:
        state = state_dir()
    except SettingError:  # (relative: refused where the state is used, guarded here too)
        state = Path(os.path.abspath(os.environ.get("NEWSCLI_STATE_DIR", "")))
    journal = os.path.realpath(state / "journal")
    if os.path.commonpath([real, journal]) == journal:
        raise OutputError(
            f"cannot write {output}: it is in newscli's undo journal ({journal}); name another file"
        )
    if real == os.path.realpath(state / IMPORT_STATE):
        raise OutputError(f"cannot write {output}: it is newscli's import state; name another file")


def _not_read(output: str, template: str | None) -> None:
    """-o must not name the config file the run read, nor the template or a template it
    reads (h99: `--template my.html -o my.html` replaced the template with its output;
    an included file, the config file too)."""
    from newscli.cli.presets import CONFIG_READ
    from newscli.errors import OutputError

    real = os.path.realpath(output)
    if not os.path.isfile(real):  # (a FIFO, a device, a new file: nothing read is lost)
        return
    if any(_same_file(real, path) for path in CONFIG_READ):
        raise OutputError(f"cannot write {output}: it is the config file this run read")
    if template is not None:
        from newscli.formats.templating.engine import files_read

        files, folder = files_read(template)
        inside = folder is not None and os.path.commonpath([real, folder]) == folder
        if inside or any(_same_file(real, path) for path in files):
            raise OutputError(
                f"cannot write {output}: it is a template this run reads ({template} or "
                "what it includes); name another file"
            )


def _among_articles(output: str, paths: list[str]) -> str | None:
    """The path given (a folder, or a file's folder) that the existing regular file
    ``output``, named as an article file (.md, .markdown), is in; None if none is."""
    import stat

    from newscli.index.walk import ARTICLE_SUFFIXES

    try:
        real = os.path.realpath(output)
        # (the name of the file written, not of a link to it: h39, -o out.json -> k/b.md)
        if not real.lower().endswith(ARTICLE_SUFFIXES):
            return None
        if not stat.S_ISREG(os.stat(output).st_mode):
            return None
        for path in paths:
            folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
            root = os.path.realpath(folder)
            if os.path.commonpath([real, root]) == root:
                return folder
    except (OSError, ValueError):
        return None
    return None


def _same_file(path: str, other: str) -> bool:
    """One file, by any of its names (h100: a hard link of the config was written over)."""
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False
