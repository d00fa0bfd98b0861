"""Exception types raised by the newscli core.

The core never prints and never exits; the CLI maps these to exit codes in one place.
"""

from __future__ import annotations


class NewscliError(Exception):
    """Base class for every error the core raises on purpose."""


class InvalidArticleError(NewscliError):
    """A file is not a valid article. ``reason`` is one human-readable line."""

    def __init__(self, reason: str, *, line: int | None = None, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field


class DamagedRecordError(NewscliError):
    """A record stored for a file (the index cache's) is not what a record can be: its
    values of the wrong types (h149: a flipped bit made a topic list a number). The
    caller reads the file instead."""


class ArticleChangedError(NewscliError):
    """An article's export JSON, asked for after the run selected the article, is not
    the version selected: another run sharing the index cache stored the file's new
    version, or forgot it as removed, or the file itself changed or went (h155 F3: a
    record contradicted the filters that selected it, or held its path alone). Outputs
    made an article at a time leave such an article out (said on stderr, not marked
    published: the next run exports it); others make themselves again without it."""

    def __init__(self, path: str):
        super().__init__(f"{path}: changed since this run selected it; run again")
        self.path = path


class LeftOutError(NewscliError):
    """Articles were left out of an output as changed since the run selected them
    (ArticleChangedError; each said on stderr): the rest was written. Exit 1."""


class PathNotFoundError(NewscliError):
    """A path named by the user does not exist."""

    def __init__(self, path: str):
        super().__init__(f"no such file or folder: {path or repr(path)}")  # '' for ''
        self.path = path


class OutputError(NewscliError):
    """The result could not be written where the user asked. ``reason``: why, without
    the path (for a line that names the file already), if known."""

    def __init__(self, message: str, *, reason: str | None = None):
        super().__init__(message)
        self.reason = reason


class QueryError(NewscliError):
    """A selection option is not usable (bad regex, sort key, expression): a usage error.
    ``options``: those the error is about, when it names none (two bounds together), so
    that one a preset gave can be named (cli.presets.named)."""

    def __init__(self, message: str, options: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.options = options


class SettingError(NewscliError):
    """An environment variable newscli reads holds a value it cannot use (a usage
    error: exit 2)."""


class WorkerError(NewscliError):
    """A worker process ended before its work was done (killed: SIGKILL, the kernel's
    out-of-memory killer). ``how``: "killed by signal 9, SIGKILL", "exit code 3", or ""
    when it cannot be told. A runtime error (exit 1)."""

    def __init__(self, message: str, how: str = ""):
        super().__init__(message)
        self.how = how


class StrictModeError(NewscliError):
    """--strict was given and at least one input file is invalid."""


class EditsRefusedError(NewscliError):
    """Some files could not be edited (each was reported); the others were."""


class EmptySelectionError(NewscliError):
    """--fail-if-empty was given and nothing was selected. ``quiet``: say nothing (the
    exit code tells; cron mail stays empty)."""

    def __init__(self, message: str, *, quiet: bool = False):
        super().__init__(message)
        self.quiet = quiet


class TemplateError(QueryError):
    """A template cannot be found, parsed or rendered (a usage error: exit 2). The
    message names the template's file and line."""
