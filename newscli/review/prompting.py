"""The review app's prompts (a mixin of review.app.ReviewApp): reject's reason, topics,
FIELD=VALUE, and the `/` filter, which runs once its "filtering…" is on the terminal
and which Ctrl-C or a signal stops (review.stoppable)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static

from newscli.article.model import Article
from newscli.review.queue import Item, Queue, ReviewError
from newscli.review.stoppable import Stopped, ctrl_c_signals, output_written
from newscli.review.topics_text import shown_topics
from newscli.sanitize import clean, escaped_path

if TYPE_CHECKING:
    from textual.app import App

    from newscli.review.widgets import QueueList

    _Base = App[None]
else:
    _Base = object

INTERRUPTED = 130  # the return code after Ctrl-C or SIGINT (the command exits with it)
GROUPING = "grouping stories…: press the key again when they are grouped"

PROMPTS = {
    "reject": "Reject the story; reason (optional). Enter: reject · Esc: cancel",
    "topics": "Topics, comma-separated. Enter: save · Esc: cancel",
    "field": "FIELD=VALUE (quality=85, category=analysis). Enter: set · Esc: cancel",
    "where": "Show stories where (a --where expression; empty: all). Enter · Esc",
}


class Prompting(_Base):
    """The prompt line under the detail: one open at a time (``asking``: its kind)."""

    queue: Queue
    asking: str | None
    asked_for: str | None  # the path of the article a prompt is for
    message: Text | None
    filtering: bool  # a `/` filter runs: a signal stops it
    filter_due: bool  # one is to run once "filtering…" is on the terminal

    if TYPE_CHECKING:  # (ReviewApp's)

        @property
        def list(self) -> QueueList: ...
        def say(self, message: str, error: bool = False) -> None: ...
        def show_status(self) -> None: ...
        def _signalled(self, code: int, later: Callable[..., object] | None = None) -> None: ...
        def _act(
            self, action: Callable[[Item], str], advance: bool, item: Item | None = None
        ) -> None: ...

    def action_ask(self, kind: str) -> None:
        item = self.list.current
        if item is None and kind != "where":
            self.say("nothing to review", error=True)
            return
        if kind == "reject" and not self.queue.grouped:  # it decides a whole story
            self.say(GROUPING, error=True)
            return
        self.asking = kind
        # the stories may be regrouped while the prompt is open: it remembers its article
        self.asked_for = item.kept.path if item is not None else None
        self.message = None
        prompt = self.query_one("#prompt", Input)
        prompt.value = {
            "topics": shown_topics(item.kept.topics) if item else "",
            "where": self.queue.where or "",
        }.get(kind, "")  # (FIELD=VALUE starts empty: what is typed is the whole edit)
        label = Text(PROMPTS[kind], style="bold")
        if kind == "field" and item is not None:
            label.append(f"\nnow: quality={_shown(item.kept.quality)}", style="dim")
        self.query_one("#promptlabel", Static).update(label)
        self.query_one("#promptbox").add_class("open")
        prompt.cursor_position = len(prompt.value)
        prompt.screen.set_focus(prompt)  # at once (focus() waits its turn behind the keys)
        self.show_status()

    def action_cancel(self) -> None:
        if self.asking is not None:
            self._close_prompt()
            self.say("cancelled")

    def _close_prompt(self) -> None:
        self.asking = None
        self.query_one("#promptbox").remove_class("open")
        self.list.screen.set_focus(self.list)  # at once, before the next key

    def _submitted(self, value: str) -> None:
        """The prompt's text, on Enter."""
        kind, path = self.asking, self.asked_for
        if kind == "where":
            self._narrow(value)
            return
        self._close_prompt()
        if kind is None or path is None:
            return
        found = self._holding(path)
        if found is None:  # its story left the queue (regrouped meanwhile)
            self.say(f"{escaped_path(path)} is no longer in the queue; nothing changed", error=True)
            return
        item, article = found
        if kind == "reject":
            reason = value.strip() or None
            self._act(lambda item: self.queue.reject(item, reason), True, item)
        elif kind == "topics":
            self._act(lambda item: self.queue.set_topics(item, value, article), False, item)
        elif kind == "field":
            self._act(lambda item: self.queue.set_field(item, value, article), False, item)

    def _holding(self, path: str) -> tuple[Item, Article] | None:
        """The story holding the article at ``path`` (the current one, most often)."""
        current = self.list.current
        if current is not None:
            for article in current.articles:
                if article.path == path:
                    return current, article
        return self.queue.holding(path)

    def _narrow(self, expression: str) -> None:
        if not self.queue.grouped:  # it shows stories: the prompt stays open, its text kept
            label = Text(PROMPTS["where"] + "\n", style="bold")
            label.append("grouping stories…: press Enter again once they are grouped", "red")
            self.query_one("#promptlabel", Static).update(label)
            return
        if self.filter_due:  # (Enter again before it started)
            return
        label = Text(PROMPTS["where"] + "\n", style="bold")
        self.query_one("#promptlabel", Static).update(
            label.append("filtering… Ctrl-C stops it", style="bold")
        )
        self.filter_due = True
        self.call_after_refresh(self._filter, expression, time.monotonic() + 2.0)

    def _filter(self, expression: str, give_up: float) -> None:
        """The filter, once "filtering…" is on the terminal (waiting for it up to
        ``give_up``): Ctrl-C or SIGINT stops it (the prompt stays, its text kept);
        SIGTERM stops it and leaves."""
        from newscli.select.where import WhereError

        if self.asking != "where":  # (closed meanwhile: Esc)
            self.filter_due = False
            return
        if not output_written(self._driver) and time.monotonic() < give_up:
            self.set_timer(0.01, lambda: self._filter(expression, give_up))
            return
        self.filter_due = False
        before = self.queue.view, self.queue.where
        try:
            with ctrl_c_signals():  # (the flag only inside: the terminal's modes restored)
                try:
                    self.filtering = True
                    self.queue.narrow(expression)
                finally:
                    self.filtering = False
        except Stopped as stopped:
            self.queue.view, self.queue.where = before
            if stopped.code != INTERRUPTED:
                self._signalled(stopped.code)
                return
            label = Text(PROMPTS["where"] + "\n", style="bold")
            label.append("stopped (Ctrl-C): no story was hidden; change it or Esc", "red")
            self.query_one("#promptlabel", Static).update(label)
            return
        except ReviewError as exc:
            self._close_prompt()
            self.say(str(exc), error=True)
            return
        except WhereError as exc:  # in place, under the prompt, with the caret
            label = Text(PROMPTS["where"] + "\n", style="bold")
            line, caret = exc.shown()
            label.append(f"{clean(exc.message)}\n  {line}\n", style="red")
            label.append("  " + caret, style="bold red")
            self.query_one("#promptlabel", Static).update(label)
            return
        self._close_prompt()
        self.list.set_items(self.queue.view)
        shown = len(self.queue.view)
        self.say(
            f"{shown} of {len(self.queue.items)} stories shown"
            if self.queue.where
            else "every story shown"
        )


def _shown(value: object) -> str:
    return "null" if value is None else str(value)
