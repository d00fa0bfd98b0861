"""Rendering templates with Jinja2 in its immutable sandbox.

A template reads the context (plain data) and the filters below, nothing else: the
sandbox refuses attributes such as ``__class__`` (an error naming the template's file and
line, never a run of code), and nothing a template does can change the data. Templates
named as markup (``.html``, ``.xml``, ``.rss``, ``.svg``, ...: ESCAPED; also with ``.j2``,
``.tpl`` or ``.in`` after it), whose text begins as markup, or, not named as text
(``.txt``, ``.md``, ...), that hold a tag anywhere (markup_text), or that read markup
(_reads_markup: extends, includes, imports, or a name made at run time) escape every
value; others (text, Markdown) do not.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import math
import os
import re
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    SecurityError,
)
from markupsafe import Markup

from newscli.article.timeparse import format_day, format_rfc3339
from newscli.errors import TemplateError
from newscli.formats.digest import md_text, md_url
from newscli.formats.feeds import web_url
from newscli.formats.templating.given import Given
from newscli.wording import relative

BUILTIN_PACKAGE = "newscli.formats.templating"
BUILTIN_FOLDER = "builtin"
# names of markup (h111 MED: ".xhtml", ".rss", ".svg" escaped nothing), also with a
# suffix of a template or a source after it (".j2", ".in")
ESCAPED = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".rss", ".atom", ".rdf",
           ".opml", ".svg", ".svgz", ".xsl", ".xslt", ".kml")  # fmt: skip
# names of text: such a template escapes nothing unless its text begins as markup
TEXT = (".txt", ".text", ".md", ".markdown", ".csv", ".tsv", ".json", ".jsonl", ".yaml",
        ".yml", ".ics")  # fmt: skip
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template", ".in",
                      ".twig", ".njk")  # fmt: skip
# what a template's text may begin with before its first text (_markup_first)
_LEADING = (("{#", "#}"), ("{%", "%}"), ("{{", "}}"), ("<!--", "-->"))
# a tag's start: a name (with its namespace's, ``svg:svg``: h129 8) then a blank, "/" or
# ">", or "<!", "<?", "</" then a letter (``a < b`` is none, nor is a Markdown link to
# an address, ``<https://x.example/>``, ``<mailto:a@b.example>``)
_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?(?=[\s/>])|[!?/][A-Za-z])")


def builtin_names() -> list[str]:
    """The templates shipped in the package, by name."""
    folder = resources.files(BUILTIN_PACKAGE) / BUILTIN_FOLDER
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def builtin_source(name: str) -> str:
    if name not in builtin_names():
        known = ", ".join(builtin_names())
        raise TemplateError(f"no built-in template {name!r} (built-in: {known})")
    folder = resources.files(BUILTIN_PACKAGE) / BUILTIN_FOLDER
    return (folder / name).read_text(encoding="utf-8")


def _base(name: str | None) -> str:
    """A template's name in lower case without a template's suffix (.j2, .tpl, .in)."""
    base = (name or "").lower().rstrip(". ")  # (h115: "a.html." is a.html to a file system)
    while base.endswith(_TEMPLATE_SUFFIXES):
        base = base[: base.rindex(".")]
    return base


def escapes(name: str | None) -> bool:
    """Autoescape for templates named as markup (ESCAPED: .html, .xml, .rss, .svg, ...),
    also with a template's suffix after it (.j2, .jinja, .tpl, .in, ...)."""
    return _base(name).endswith(ESCAPED)


def markup_text(path: str, name: str) -> bool:
    """Whether a template file's text is markup whatever its name (h111, h113): it
    begins as markup (a tag, ``<!DOCTYPE``, ``<?xml``, after blanks, Jinja's comments,
    tags and expressions, and HTML comments), or, named as no text (TEXT: .txt, .md,
    .json, ...; a .tpl, .j2 or no suffix), it holds a tag anywhere. Read in one pass
    (no pattern that backtracks: h113 H1, 24 Jinja tags took 29 s)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()  # (all of it: h114, a tag after the first MiB counted)
    except OSError:
        return False  # (its error comes when it is loaded)
    return _markup_first(text) or (not _base(name).endswith(TEXT) and _TAG.search(text) is not None)


def _markup_first(text: str) -> bool:
    at, end = 0, len(text)
    while True:
        while at < end and (text[at].isspace() or text[at] == "\ufeff"):
            at += 1
        for opening, closing in _LEADING:
            if text.startswith(opening, at):
                found = text.find(closing, at + len(opening))
                if found < 0:
                    return False
                at = found + len(closing)
                break
        else:
            return _TAG.match(text, at) is not None


# --- filters -------------------------------------------------------------------------


def rfc3339(value: Any) -> str:
    """A date as RFC 3339 UTC (``2025-03-14T09:12:00Z``); text is kept; none is ""."""
    if isinstance(value, datetime):
        return format_rfc3339(value)
    return "" if value is None else str(value)


def day(value: Any) -> str:
    """A date as ``2025-03-14``; none is ""."""
    return format_day(value) if isinstance(value, datetime) else ""


@jinja2.pass_context
def ago(context: Any, value: Any) -> str:
    """ "3 days ago" (or "in 2 hours", "just now") against the context's clock."""
    now = context.get("now")
    if not isinstance(value, datetime) or not isinstance(now, datetime):
        return ""
    return relative(value, now)


def domain(value: Any) -> str:
    """The host of a URL, without ``www.``; "" for anything that is not one."""
    if not isinstance(value, str):
        return ""
    try:
        host = urlsplit(value.strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def markdown_escape(value: Any) -> str:
    """Inert Markdown text: one line, Markdown characters escaped."""
    return md_text(None if value is None else str(value))


def markdown_url(value: Any) -> str:
    """An http(s) URL made safe inside Markdown's ``(...)``; "" for anything else."""
    return md_url(http_url(value))


def http_url(value: Any) -> str:
    """The value if it is an absolute http(s) URL, else "" (never a javascript: link)."""
    return (web_url(value) or "") if isinstance(value, str) else ""


def as_text(value: Any) -> str:
    """A field's value as one line of text, as a CSV cell shows it (a list joined with
    "; ", a mapping as JSON, a date as RFC 3339; h46: the newsletter showed Python's
    ``['Climate', 'Science']`` and ``{'name': ...}``), control characters gone."""
    from newscli.formats.records import cell_text
    from newscli.sanitize import clean

    return clean(cell_text(value))


FILTERS = {
    "text": as_text,
    "rfc3339": rfc3339,
    "day": day,
    "ago": ago,
    "domain": domain,
    "markdown_escape": markdown_escape,
    "markdown_url": markdown_url,
    "http_url": http_url,
}


MAX_REPEAT = 10_000_000  # characters (or items) one `*` may make
MAX_EXPONENT_BITS = 100_000  # bits of an integer one `**` may make
MAX_OUTPUT = 512 << 20  # characters a template may write
MAX_MEMORY = 2 << 30  # bytes the process may grow by while a template renders


_WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\d{8,}|\d*\.\d{8,})|\{[^{}]*:[^{}]*\d{8,}[^{}]*\}")
# a width or precision given as an argument: `%*d`, `%.*f` (h35)
_ARGUMENT_WIDTH = re.compile(r"%[-#0 +]*(?:\*|\d*\.\*)")
WIDE = "a width or precision of 10 million or more in a format"


def _too_wide(form: str, args: Any = ()) -> bool:
    """Whether %-formatting ``form`` with ``args`` asks for a width or precision of
    MAX_REPEAT or more: written in it, or given by an argument (`%*d`: any number among
    the arguments counts). (str.format: _BoundedFormatter checks each filled-in spec.)"""
    if _WIDE_FORMAT.search(form) or _wide_mapped(form):
        return True
    if not _ARGUMENT_WIDTH.search(form):
        return False
    values = args if isinstance(args, (tuple, list)) else (args,)
    return any(isinstance(v, int) and abs(v) >= MAX_REPEAT for v in values)


def _wide_mapped(form: str) -> bool:
    """Whether a `%(key)` conversion asks for a width or precision of MAX_REPEAT or more
    (`%(a)999999999s`): _WIDE_FORMAT does not see past the key, which Python lets hold
    balanced parentheses, so the key is skipped as Python skips it (`%%` is text)."""
    i = form.find("%")
    while i != -1:
        if form.startswith("%%", i):
            i = form.find("%", i + 2)
            continue
        i += 1
        if form.startswith("(", i):
            depth, i = 1, i + 1
            while i < len(form) and depth:
                depth += {"(": 1, ")": -1}.get(form[i], 0)
                i += 1
            match = _SPEC_AFTER_KEY.match(form, i)
            if match and any(int(run) >= MAX_REPEAT for run in match.groups() if run):
                return True
        i = form.find("%", i)
    return False


_SPEC_AFTER_KEY = re.compile(r"[-#0 +]*([0-9]*)(?:\.([0-9]*))?")


def _bounded_center(value: Any, width: int = 80) -> str:
    """Jinja's ``center``, within MAX_REPEAT."""
    if isinstance(width, int) and width > MAX_REPEAT:
        raise SecurityError(f"center({width}) makes more than {MAX_REPEAT:,} characters")
    return str(value).center(width)


def _bounded_format(value: Any, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` (``%`` formatting), without widths of 10 million or more."""
    if _too_wide(str(value), [*args, *kwargs.values()]):
        raise SecurityError(WIDE)
    return jinja2.filters.do_format(value, *args, **kwargs)


@contextlib.contextmanager
def _memory_bound() -> Iterator[None]:
    """While a template renders, the process may grow by MAX_MEMORY at most (an address
    space limit, Linux): what no single check bounds (``ljust``, ``indent``, ``batch``,
    chains of ``~``...) ends as "out of memory", exit 2, not by exhausting the machine."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (OSError, ValueError):
        yield
        return
    bound = used + MAX_MEMORY
    if hard != resource.RLIM_INFINITY:
        bound = min(bound, hard)
    if soft != resource.RLIM_INFINITY and soft <= bound:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _repeats(left: Any, right: Any) -> int:
    """How many characters or items ``left * right`` makes (0: not a repetition)."""
    for items, times in ((left, right), (right, left)):
        if isinstance(items, (str, list, tuple)) and isinstance(times, int):
            return len(items) * times
    return 0


def _bits(left: Any, right: Any) -> float:
    """About how many bits the integer ``left ** right`` has (0: not such a power)."""
    if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        return right * math.log2(abs(left))
    return 0.0


def _check_spec(spec: str) -> None:
    """A format spec's width and precision (any run of digits, in any script Python
    reads as digits) under MAX_REPEAT."""
    if any(len(run) >= 8 and int(run) >= MAX_REPEAT for run in _DIGITS.findall(spec)):
        raise SecurityError(WIDE)


_DIGITS = re.compile(r"\d+")  # (\d: every decimal digit, as int() and format specs take)


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(SandboxedEscapeFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        return super().format_field(value, format_spec)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Refuses an unsafe attribute at once, rather than as an undefined value that a
    test such as ``is defined`` could pass over quietly."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} is not allowed"
        )

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` in a template, as Jinja's sandbox runs them,
        each field's format spec checked once its nested fields are filled in (h39: a
        width from a namespace's attribute, a list in a list, or in Arabic-Indic digits
        passed a check of the arguments)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        form = value.__self__
        if _WIDE_FORMAT.search(form):
            raise SecurityError(WIDE)
        formatter: SandboxedFormatter = (
            _BoundedEscapeFormatter(self, escape=form.escape)
            if isinstance(form, Markup)
            else _BoundedFormatter(self)
        )
        kind, mapping = type(form), value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if not mapping:
                return kind(formatter.vformat(form, args, kwargs))
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument")
            return kind(formatter.vformat(form, (), args[0]))

        return bounded

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**`` within bounds: ``"a" * 1000000000`` or ``9 ** 9 ** 9`` would
        fill the memory (or the output) before anything could be written."""
        if operator == "*" and _repeats(left, right) > MAX_REPEAT:
            raise SecurityError(f"repeating a value makes more than {MAX_REPEAT:,} items")
        if operator == "%" and isinstance(left, str) and _too_wide(left, right):
            raise SecurityError(WIDE)
        if operator == "**" and _bits(left, right) > MAX_EXPONENT_BITS:
            raise SecurityError(f"{left} ** {right} is too big a number")
        return super().call_binop(context, operator, left, right)


class _Folder(jinja2.FileSystemLoader):
    """The templates of one folder (the user's template's): an include naming a link out
    of it (h35: ``../`` was refused, a link beside the template read any file) or what
    is not a regular file (a FIFO: it would block) is refused. The template named on
    the command line is the user's own choice, wherever a link of that name leads."""

    def __init__(self, folder: str, named: str) -> None:
        super().__init__(folder)
        self.root, self.named = os.path.realpath(folder), named

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if template != self.named:
            from jinja2.loaders import split_template_path

            path = os.path.join(self.root, *split_template_path(template))
            real = os.path.realpath(path)
            if os.path.commonpath([real, self.root]) != self.root:
                raise SecurityError(f"{template} is a link out of the template's folder")
            if os.path.exists(real) and not os.path.isfile(real):
                raise SecurityError(f"{template} is not a regular file")
        return super().get_source(environment, template)


def environment(folder: str | None, *, html: bool = False, named: str = "") -> jinja2.Environment:
    """The sandbox; templates load from ``folder`` (a user template's), then the
    built-in ones (so a user template can extend or include those). ``html``: the output
    is HTML whatever the template's name, so every template escapes. ``named``: the
    template's own name in ``folder`` (_Folder)."""
    loaders: list[jinja2.BaseLoader] = []
    if folder is not None:
        loaders.append(_Folder(folder, named))
    loaders.append(jinja2.PackageLoader(BUILTIN_PACKAGE, BUILTIN_FOLDER))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True if html else escapes,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=_Undefined,
        finalize=_shown,
    )
    env.filters.update(FILTERS)
    # (h51: `item.titel is none` was False, not the error a typo is; `defined` and
    # `undefined` test any name)
    env.tests.update(
        {name: _strict_test(t) for name, t in dict(env.tests).items() if "defined" not in name}
    )
    env.filters["center"] = _bounded_center
    env.filters["format"] = _bounded_format
    return env


def _shown(value: Any) -> Any:
    """What ``{{ value }}`` prints: a null (``excerpt: null``, as `set excerpt:=null`
    writes) is empty, as a value the file lacks is, never "None" (h64)."""
    return "" if value is None else value


class _Undefined(jinja2.ChainableUndefined):
    """A value the data lacks (``item.record.editorNote`` of a file without one, and
    what follows it) is empty, as before; a name the template itself gets wrong
    (``articel``, not one of the names given, or ``item.titel``, not a key of a mapping
    newscli gives: given.Given) is an error where it is shown, iterated or tested, so a
    typo never sends a newsletter of blanks (h46). ``is defined`` and ``default`` still
    test any name."""

    __slots__ = ()

    def _name_unknown(self) -> bool:
        given = self._undefined_obj
        return (given is jinja2.utils.missing and self._undefined_hint is None) or isinstance(
            given,
            (Given, datetime),  # (a date newscli gives: `now.yeer`, h51)
        )

    def __eq__(self, other: object) -> bool:
        """(h51: `sort(attribute="qualty")` compared the keys equal and kept the order;
        `item.titel == "x"` was False)"""
        if self._name_unknown():
            self._fail_with_undefined_error()
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return super().__hash__()

    @property
    def _undefined_message(self) -> str:
        if isinstance(self._undefined_obj, Given):
            return f"{self._undefined_name!r} is not a name this value has"
        return super()._undefined_message

    def __str__(self) -> str:
        if self._name_unknown():
            self._fail_with_undefined_error()
        return super().__str__()

    def __iter__(self) -> Iterator[Any]:
        if self._name_unknown():
            self._fail_with_undefined_error()
        return super().__iter__()

    def __bool__(self) -> bool:
        if self._name_unknown():
            self._fail_with_undefined_error()
        return super().__bool__()

    def __len__(self) -> int:
        if self._name_unknown():
            self._fail_with_undefined_error()
        return super().__len__()


def _strict_test(test: Any) -> Callable[..., Any]:
    """A Jinja test that fails on a name the template got wrong (_Undefined), as showing
    it does (its own decorations, pass_context and the like, kept by wraps)."""

    @functools.wraps(test)
    def strict(*args: Any, **kwargs: Any) -> Any:
        for value in args:
            if isinstance(value, _Undefined) and value._name_unknown():
                value._fail_with_undefined_error()
        return test(*args, **kwargs)

    return strict


def _where(exc: BaseException, shown: dict[str, str], template: str) -> str:
    """``FILE:LINE`` of the template line that failed, as the user named the file (the
    template alone when no line of it is at fault: the whole output too big)."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None or line is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            # the innermost template frame: the user's file, or one it includes
            if frame.filename in shown or not frame.filename.endswith((".py", ">")):
                filename, line = frame.filename, frame.lineno
                break
    name = shown.get(filename or "", filename or template)
    return f"{name}:{line}" if line else name


def _link_end(path: str) -> str:
    """What a link that leads to no file leads to: a loop, or a name that is not there."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "itself (a loop of symbolic links)"
    return f"{os.readlink(path)!r}, which is not there"


def load(template: str, *, html: bool = False) -> tuple[jinja2.Template, dict[str, str]]:
    """A template, parsed: a built-in template's name, else a file; and how to name its
    files in errors. Raises TemplateError. (A built-in name wins, so that
    ``--template digest.md > digest.md`` renders the built-in one, not the empty file
    the shell just made; ``./digest.md`` is the file.)"""
    is_file = template not in builtin_names() and os.path.isfile(template)
    if not is_file and template not in builtin_names():
        if os.path.exists(template):  # a folder, FIFO or device: never opened
            what = "a folder" if os.path.isdir(template) else "not a regular file"
            raise TemplateError(f"--template: {template!r} is {what}")
        if os.path.islink(template):  # (h102: a link loop or a dangling link was "no such
            # file or built-in template", naming a file that is there)
            raise TemplateError(f"--template: {template!r} is a link to {_link_end(template)}")
        known = ", ".join(builtin_names())
        raise TemplateError(
            f"--template: no such file or built-in template: {template!r} (built-in: {known})"
        )
    # (through a link: the folder of the file it leads to, whose includes are beside it)
    real = os.path.realpath(template)
    folder, name = (os.path.dirname(real), os.path.basename(real))
    shown = {os.path.join(folder, name): template} if is_file else {}
    # an HTML template's output is HTML, and so is what it includes, whatever that
    # file's own name (`page.html` including `item.inc` escaped nothing in it)
    # (the name typed counts as the file's own: a link `page.html` to `real.tpl`, h114)
    markup = html or escapes(name) or escapes(os.path.basename(template))
    markup = markup or (is_file and (markup_text(real, name) or _reads_markup(real)))
    env = environment(folder if is_file else None, html=markup, named=name)
    with _errors(shown, template):
        loaded = env.get_template(name)
    if not is_file and loaded.filename:
        shown[loaded.filename] = name
    return loaded, shown


def _reads_markup(template: str) -> bool:
    """Whether a template extends, includes or imports markup (a file of its folder
    named or written as markup, or a built-in one named so): its output is markup too
    (h112: a `.tpl` extending `base.html` wrote a title's <script> raw)."""
    found, anywhere, elsewhere = _references(template)
    if anywhere is not None:  # a name made at run time may be any file of the folder or
        return True  # a built-in one, newsletter.html among them (h114)
    others = found - {template}
    if any(escapes(os.path.basename(p)) or markup_text(p, os.path.basename(p)) for p in others):
        return True
    return any(escapes(name) for name in elsewhere & set(builtin_names()))


def files_read(template: str) -> tuple[set[str], str | None]:
    """The real paths of the user's files a template reads: the file itself and the
    templates of its folder it names in include, import, from and extends, and theirs
    (a built-in one: none); and that folder when one of them names a template by a
    value (every file there may be read). Nothing for a template that cannot load (its
    error comes first)."""
    found, folder, _ = _references(template)
    return found, folder


def _references(template: str) -> tuple[set[str], str | None, set[str]]:
    """files_read's two, and the names those files give that are no file of the folder
    (a built-in template's)."""
    from jinja2 import meta
    from jinja2.loaders import split_template_path

    if template in builtin_names() or not os.path.isfile(template):
        return set(), None, set()
    real = os.path.realpath(template)
    folder = os.path.dirname(real)
    found, todo = {real}, [real]
    elsewhere: set[str] = set()
    env = environment(None)
    while todo:
        path = todo.pop()
        try:
            with open(path, encoding="utf-8") as file:
                names = meta.find_referenced_templates(env.parse(file.read()))
        except (OSError, ValueError, jinja2.TemplateError):
            continue
        for name in names:
            if name is None:  # (a name made by the template: any file of the folder)
                return found, folder, elsewhere
            try:  # (as the loader reads it: "/inc.html" is the folder's, h100)
                parts = split_template_path(name)
            except jinja2.TemplateNotFound:
                continue
            path = os.path.realpath(os.path.join(folder, *parts))
            if not os.path.isfile(path):
                elsewhere.add(name)
            elif path not in found:
                found.add(path)
                todo.append(path)
    return found, None, elsewhere


def render(template: str, context: dict[str, Any], *, html: bool = False) -> str:
    """Render a template (see load; ``html``: escape whatever the name). Any failure is
    a TemplateError naming the file and line."""
    loaded, shown = load(template, html=html)
    with _errors(shown, template), _memory_bound():
        pieces, size = [], 0
        for piece in loaded.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the output passes {MAX_OUTPUT >> 20} MiB (the limit)")
            pieces.append(piece)
        return "".join(pieces)
    raise AssertionError("unreachable")  # for mypy: _errors re-raises


@contextlib.contextmanager
def _errors(shown: dict[str, str], template: str) -> Iterator[None]:
    try:
        yield
    except (jinja2.TemplateError, SecurityError, ArithmeticError, LookupError,
            TypeError, ValueError, AttributeError, RecursionError, MemoryError,
            RuntimeError, AssertionError) as exc:  # fmt: skip
        message = str(getattr(exc, "message", None) or exc).replace("\n", " ")
        if isinstance(exc, ValueError) and "integer string conversion" in message:
            message = "a number too long to write (more than 4,300 digits)"
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"template not found: {exc.name}"
        if isinstance(exc, MemoryError):
            message = "out of memory (the template builds a value too big to hold)"
        raise TemplateError(f"{_where(exc, shown, template)}: {message}") from None
    except OSError as exc:
        raise TemplateError(f"cannot read {template}: {exc.strerror or exc}") from None
