"""The review app (Textual): the queue, the current story in detail, a status line;
one key per decision. Every decision is a Queue action (review.queue)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from newscli.review.prompting import INTERRUPTED, Prompting
from newscli.review.queue import PENDING, Item, Queue, ReviewError
from newscli.review.rows import KEYS_LINE, counts_line, detail, help_table
from newscli.review.stoppable import Stopped
from newscli.review.widgets import HeaderLine, Prompt, QueueList, TextScreen
from newscli.sanitize import clean, escaped_path
from newscli.wording import count

if TYPE_CHECKING:
    from newscli.review.start import Stories

WIDE = 120  # from this many columns, the queue and the detail side by side
SHORT = 18  # below this many lines, the queue and the detail share the height
TERMINATED = 143  # after SIGTERM
HUNG_UP = 129  # its terminal went away (128 + SIGHUP)
MESSAGE_LINES = 4  # a status message wraps to this many lines at most
STUCK = 3.0  # seconds leaving may take after a signal (see ReviewApp._signalled)


class ReviewApp(Prompting, App[None]):
    TITLE = "newscli review"
    ENABLE_COMMAND_PALETTE = False  # ctrl+p: nothing of Textual's own on top of the keys
    CSS = """
    Screen { layout: vertical; }
    #main { height: 1fr; layout: vertical; }
    #queuebox { height: 10; }
    #detailbox { height: 1fr; border-top: solid $accent; padding: 0 1; }
    #status { height: auto; max-height: 5; background: $panel; }
    #promptbox { height: auto; display: none; }
    #promptbox.open { display: block; }
    #promptlabel { height: auto; }
    #prompt { height: 1; border: none; padding: 0 1; }
    Screen.wide #main { layout: horizontal; }
    Screen.wide #queuebox { height: 1fr; width: 1fr; }
    Screen.wide #detailbox { width: 1fr; border-top: none; border-left: solid $accent; }
    Screen.short #queuebox { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "publish", "publish"),
        Binding("r", "ask('reject')", "reject"),
        Binding("t", "ask('topics')", "topics"),
        Binding("e", "ask('field')", "edit"),
        Binding("s", "skip", "skip"),
        Binding("u", "undo", "undo"),
        Binding("o", "open", "open"),
        Binding("slash", "ask('where')", "where"),
        Binding("question_mark", "help", "help"),
        Binding("i", "invalid", "invalid files"),
        Binding("space", "detail(1)", "detail page down", show=False),
        Binding("b", "detail(-1)", "detail page up", show=False),
        Binding("escape", "cancel", show=False),
        Binding("q", "quit", "quit"),
        # Ctrl-C quits (exit 130), even in a prompt (not Textual's "press ctrl+q")
        Binding("ctrl+c", "interrupt", show=False, priority=True),
    ]

    def __init__(
        self,
        queue: Queue,
        *,
        opener: Callable[[str], object] | None = None,
        now: datetime | None = None,
        stories: Stories | None = None,
        signals: bool = False,
    ):
        from newscli.review.pastes import install

        install()  # (pastes holding ESC arrive whole: review.pastes)
        super().__init__()
        self.queue = queue
        # the grouping still to do (queue.grouped is False): in a thread after the
        # first screen; the rows are then replaced by the stories
        self.stories = stories
        self.grouping: threading.Thread | None = None
        self.now = now or queue.now or datetime.now(timezone.utc)
        self.opener = opener
        self.message: Text | None = None
        self.asking: str | None = None
        self.asked_for: str | None = None  # the path of the article a prompt is for
        self.signals = signals  # SIGINT quits as Ctrl-C does (the command's app only)
        self.early_signal: int | None = None  # a SIGINT/SIGTERM/SIGHUP before the app could act
        self.terms: tuple[int, ...] = ()  # the signals handled (run_interruptible)
        self.interruptible = False  # run by run_interruptible (the command)
        self.replaced: dict[int, Any] = {}  # signal -> the handler on_mount replaced
        self.filtering = False  # a `/` filter runs: a signal stops it (review.stoppable)
        self.filter_due = False  # one is to run once "filtering…" is on the screen

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            with Vertical(id="queuebox"):
                yield HeaderLine()
                yield QueueList(self.queue.view, self.show_current, id="queue")
            with VerticalScroll(id="detailbox"):
                yield Static(id="detail")
        with Vertical(id="promptbox"):
            yield Static(id="promptlabel")
            yield Prompt(  # typing adds to the text
                submitted=self._submitted,
                cancelled=self.action_cancel,
                id="prompt",
                select_on_focus=False,
            )
        yield Static(id="status")

    def _terminal_gone(self) -> None:
        """Leave once the terminal has hung up without a SIGHUP (it was not the run's
        controlling one): its input then reads as an endless end of file, and the app
        ran on alone at a full core (h17's pty harness: 25 minutes)."""
        with contextlib.suppress(OSError, ValueError):
            if not os.isatty(0):
                self.exit(return_code=HUNG_UP)

    def on_mount(self) -> None:
        # (unless SIGINT is ignored: `newscli review &` in a script)
        self.signals = self.signals and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        if self.signals:
            loop = asyncio.get_running_loop()
            # (Python-level handlers, not the loop's: they run even while a write to the
            # terminal blocks the loop; the exit itself is then the loop's to do)
            for signum in self.terms or (signal.SIGINT,):
                self.replaced[signum] = signal.signal(
                    signum, lambda n, _: self._signalled(_code(n), loop.call_soon_threadsafe)
                )
            if self.early_signal is not None:
                self._signalled(_code(self.early_signal))
        if os.isatty(0):  # (a terminal to lose: not a headless test's app)
            self.set_interval(1.0, self._terminal_gone)
        self.app_resume_signal.subscribe(self, self._redraw)
        self.list.grouped = self.queue.grouped
        self.query_one(QueueList).focus()
        self.show_current()
        if not self.queue.grouped and self.stories is not None:
            self.call_after_refresh(self._start_grouping)

    def _redraw(self, _: object) -> None:
        """Back from a stop (Ctrl-Z or `kill -TSTP`, then `fg`): the shell wrote over the
        screen, and Textual draws only what changed, so the whole screen is drawn again
        (h47: it stayed blank until a key was pressed)."""
        self.screen.refresh(repaint=True, layout=True)

    # --- the stories, grouped in the background ------------------------------------------

    def _start_grouping(self) -> None:
        """A daemon thread (not a Textual worker: those are joined on exit, and q must
        not wait for the grouping); no process is forked beside the app's threads."""
        self.grouping = threading.Thread(target=self._group, name="newscli-stories", daemon=True)
        self.grouping.start()

    def _group(self) -> None:
        assert self.stories is not None
        done: Callable[[], None]
        try:
            check = getattr(self.stories, "check", None)  # (a test's stand-in may have none)
            answer = check() if check is not None else None  # rows read ahead: checked first
            if answer is not None:
                with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
                    self.call_from_thread(self._checked, answer.vouched)
            result = self.stories.group()
        except Exception as exc:  # shown in the status line; the app goes on
            done = partial(self._grouping_failed, exc)
        else:
            done = partial(self._grouped, *result)
        with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
            self.call_from_thread(done)

    def _checked(self, vouched: bool) -> None:
        """The walk has checked the rows read ahead: exact (decisions may start), or
        not (they wait for the stories, which replace the rows)."""
        self.queue.checked = vouched
        if self.message is not None and self.message.plain.startswith("checking the files"):
            self.message = None  # its "press the key again" holds no more
        self.show_status()

    def _grouping_failed(self, exc: Exception) -> None:
        self.say(f"grouping stories failed: {exc}; p and r stay unavailable", error=True)

    def _grouped(self, *result: object) -> None:
        """The stories replace the rows; the cursor stays on the same article (on its
        story), else on the top row if it was there, else on the next row still there."""
        queue, items, cursor = self.queue, self.list.items, self.list.cursor
        current = items[cursor].kept.path if items else None
        queue.apply_stories(*result)  # type: ignore[arg-type]
        places = queue.places()
        after = (places.get(_path(items, i)) for i in range(cursor + 1, len(items)))
        target = places.get(current) if current is not None else 0
        if target is None and cursor == 0:  # at the top (g, then p): the top still (CI, stop
            target = 0  # 38: the row after a vanished top one was published instead)
        if target is None:  # its story is left out: the next row still there, else the last
            target = next((i for i in after if i is not None), len(queue.view) - 1)
        self.list.grouped = True
        self.list.set_items(queue.view, target)
        if self.message is not None and self.message.plain.startswith("grouping stories"):
            self.message = None
        self.show_status()

    def run_interruptible(self) -> None:
        """run(), SIGINT quitting as Ctrl-C does (return code 130), SIGTERM with 143 and
        SIGHUP with 129, from the very start: one that comes while Textual starts (before
        on_mount hands them to the app's loop) is kept and acted on then (raised inside
        Textual's start, it could leave the process hanging). Ignored signals stay
        ignored (``nohup``, ``&`` in a script)."""
        from newscli.index.forking import HANDLED

        previous = {n: signal.getsignal(n) for n in sorted(HANDLED)}
        handled = [n for n, h in previous.items() if self.signals and h is not signal.SIG_IGN]
        self.terms = tuple(handled)
        self.interruptible = True
        for signum in handled:
            signal.signal(signum, self._early)
        try:
            self.run()
        finally:
            for signum in handled:
                signal.signal(signum, previous[signum])

    def _early(self, signum: int, frame: object) -> None:
        if self.early_signal is None:
            self.early_signal = signum

    def on_unmount(self) -> None:
        for signum, handler in self.replaced.items():  # (the handlers on_mount replaced)
            signal.signal(signum, handler)

    def _signalled(self, code: int, later: Callable[..., object] | None = None) -> None:
        """SIGINT or SIGTERM: leave with ``code``; and if leaving takes over STUCK seconds,
        end the process with it then. Leaving writes to the terminal (it is restored, the
        counts said): a terminal that is not read (output stopped with Ctrl-S, a stalled
        connection) blocked those writes, and the run outlived its SIGTERM until the
        terminal was read again. Every decision is written atomically and journaled, so
        ending there loses nothing, as a SIGKILL would not. While a `/` filter runs (the
        loop held), the filter is stopped instead (Stopped, raised in it)."""
        if self.filtering:
            self.filtering = False
            raise Stopped(code)
        if self.queue.stop is not None:  # (leaving already: the first signal's code is
            return  # the exit's, h123: two in a row left with the last one's)
        self.queue.stop = code  # (a decision running stops between two files)
        if self.interruptible:  # (the command's run: not an app run in a test's process)
            watchdog = threading.Timer(STUCK, os._exit, (code,))
            watchdog.daemon = True
            watchdog.start()
        if later is not None:  # (from a signal handler: the exit waits for the loop)
            with contextlib.suppress(RuntimeError):  # (the loop closed: leaving already)
                later(self.exit, None, code)
        else:
            self.exit(return_code=code)

    def action_interrupt(self) -> None:
        """Ctrl-C (a key: the terminal is raw) or SIGINT: leave; the command exits 130."""
        self.exit(return_code=INTERRUPTED)

    def on_resize(self, event: events.Resize) -> None:
        self.screen.set_class(event.size.width >= WIDE, "wide")
        self.screen.set_class(event.size.height < SHORT, "short")

    @property
    def list(self) -> QueueList:
        return self.query_one(QueueList)

    def show_current(self) -> None:
        item = self.list.current
        pane = self.query_one("#detail", Static)
        if item is None:
            pane.update(Text("Nothing to review here: no story is selected.", style="italic"))
        elif not os.path.lexists(item.kept.path):  # deleted or renamed since it was read
            gone = (
                f"{escaped_path(item.kept.path)} is gone (deleted or renamed since it was listed)."
            )
            pane.update(Text(gone, style="italic"))
        else:
            self.queue.full(item)  # its file read now (the first rows are light)
            pane.update(detail(item, _body(item.kept.path), self.now))
            self.query_one("#detailbox", VerticalScroll).scroll_home(animate=False)
        self.show_status()

    def show_status(self) -> None:
        q = self.queue
        first = counts_line(q.counts(), len(q.view), len(q.items), q.where, len(q.problems))
        if not q.checked:
            first.append(" · checking files…", style="italic")
        elif not q.grouped:
            first.append(" · grouping stories…", style="italic")
        width = max(1, self.size.width)
        first.truncate(width, overflow="ellipsis")  # one line, whatever the width
        if self.message is None:
            second = Text(KEYS_LINE, style="dim")
            second.truncate(width, overflow="ellipsis")
        else:  # a message wraps, up to MESSAGE_LINES lines (h32: a long one was cut)
            second = self.message.copy()
            second.truncate(width * MESSAGE_LINES - 1, overflow="ellipsis")
        self.query_one("#status", Static).update(Text("\n").join([first, second]))

    def say(self, message: str, error: bool = False) -> None:
        self.message = Text(clean(message), style="bold red" if error else "bold")
        self.show_status()

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, (events.Key, events.Paste))
            and not event.is_forwarded  # (as read: not one coming back up from a widget)
            and (len(self.screen_stack) == 1 or isinstance(self.screen, TextScreen))
        ):
            await self._typed(event)
        else:
            await super().on_event(event)

    async def _typed(self, event: events.Key | events.Paste) -> None:
        """One key (or paste) as read, acted on before the next one: where the keys
        before it have left things, whatever has the focus. Textual hands a key to the
        focused widget and runs the bindings once it has come back up, handing on the
        next keys meanwhile: keys read together (typed fast over a slow link, pasted)
        went to the queue while the prompt their t opened was not focused yet (s
        skipped, p published), were lost when the focus moved as they came back up,
        or closed a page of text twice (a crash); a Tab in a prompt left every key
        ignored."""
        if isinstance(event, events.Paste):
            if self.asking is not None:  # (the queue takes no text)
                self.query_one(Prompt).paste(event, listing=self.asking == "topics")
            return
        if await self._check_bindings(event.key, priority=True):  # Ctrl-C
            return
        screen = self.screen
        if isinstance(screen, TextScreen):
            if event.key in TextScreen.SCROLLING:
                await self._check_bindings(event.key)
            else:
                screen.dismiss()
            return
        if self.asking is not None:
            await self.query_one(Prompt).take(event)
            return
        if self.message is not None:
            self.message = None  # the next key brings the keys back
            self.show_status()
        await self._check_bindings(event.key)  # from the focused widget up

    # --- moving (the keys are QueueList's) -------------------------------------------

    def action_detail(self, direction: int) -> None:
        """Page through the detail pane (the mouse is never needed)."""
        box = self.query_one("#detailbox", VerticalScroll)
        box.scroll_to(y=box.scroll_y + direction * max(1, box.size.height - 1), animate=False)

    def _next_todo(self) -> None:
        """After a decision: the next story still to do (below, else above)."""
        items, start = self.list.items, self.list.cursor
        order = list(range(start + 1, len(items))) + list(range(start))
        target = next((i for i in order if items[i].state == PENDING), start)
        self.list.move(0, absolute=target)

    # --- decisions ------------------------------------------------------------------

    def _act(self, action: Callable[[Item], str], advance: bool, item: Item | None = None) -> None:
        """``action`` on ``item`` (by default the current one: the cursor goes to it)."""
        if item is not None and item is not self.list.current and item in self.list.items:
            self.list.move(0, absolute=self.list.items.index(item))
        item = item or self.list.current
        if item is None:
            self.say("nothing to review", error=True)
            return
        try:
            message = action(item)
        except ReviewError as exc:
            self.list.refresh()
            self.show_current()
            self.say(str(exc), error=True)
            return
        if advance:
            self._next_todo()
        else:
            self.list.refresh()
            self.show_current()
        self.say(message)

    def action_publish(self) -> None:
        self._act(self.queue.publish, advance=True)

    def action_skip(self) -> None:
        self._act(self.queue.skip, advance=True)

    def action_undo(self) -> None:
        last = self.queue.done[-1].item if self.queue.done else None
        try:
            message = self.queue.undo()
        except ReviewError as exc:
            self.say(str(exc), error=True)
            return
        if last is not None and last in self.list.items:
            self.list.move(0, absolute=self.list.items.index(last))
        self.list.refresh()
        self.show_current()
        self.say(message)

    def action_open(self) -> None:
        from newscli.formats.feeds import web_url

        item = self.list.current
        url = web_url(item.kept.url) if item is not None and item.kept.url else None
        if url is None:
            self.say("no http(s) URL to open", error=True)
            return
        if self.opener is None:
            self._browse(url)
            return
        self.opener(url)
        self.say(f"opened {url}")

    def _browse(self, url: str) -> None:
        """A graphical browser opens beside the terminal; a terminal browser (lynx,
        w3m, without a display) gets the terminal while the app is suspended."""
        import webbrowser

        try:
            browser = webbrowser.get()
            if type(browser) is webbrowser.GenericBrowser:  # runs in the foreground
                with self.suspend():
                    opened = browser.open(url)
            else:
                opened = browser.open(url)
        except (webbrowser.Error, OSError) as exc:
            self.say(f"cannot open a browser: {exc}", error=True)
            return
        self.say(f"opened {url}" if opened else f"the browser did not open {url}", not opened)

    def action_help(self) -> None:
        self.push_screen(TextScreen("Keys", help_table()))

    def action_invalid(self) -> None:
        problems = self.queue.problems
        if not problems:
            self.say("no invalid files")
            return
        body = Text("\n").join(Text(f"{escaped_path(p.path)}: {clean(p.reason)}") for p in problems)
        self.push_screen(TextScreen(f"{count(len(problems), 'invalid file')}, skipped", body))


def _code(signum: int) -> int:
    """The return code a handled signal leaves with."""
    if signum == signal.SIGINT:
        return INTERRUPTED
    return HUNG_UP if signum == getattr(signal, "SIGHUP", None) else TERMINATED


def _path(items: object, index: int) -> str:
    """The path of row ``index`` (without making an item of review.start.LazyItems)."""
    path = getattr(items, "path", None)
    return path(index) if path is not None else items[index].kept.path  # type: ignore[index]


def _body(path: str) -> str:
    from newscli.article.reading import load_with_body
    from newscli.errors import InvalidArticleError

    try:
        return load_with_body(path)[1]
    except InvalidArticleError:
        return ""


def screen_text(app: App[object]) -> str:
    """The screen as plain text, line by line (for tests and the README)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    lines = console.export_text(styles=False).splitlines()
    return "\n".join(line.rstrip() for line in lines) + "\n"
