"""The queue list: a virtual list (Textual's line API) that renders only the rows on
screen, so 100,000 stories cost no more than 20; and the modal screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static

from newscli.review.queue import Item
from newscli.review.rows import header, row


class Prompt(Input):
    """Textual's Input, given its keys one at a time by the app (ReviewApp._typed), each
    acted on at once, in the order typed. Textual inserts a printable key as it comes
    but runs Input's bindings (Ctrl-U, Backspace, the arrows, Enter) only once the key
    has gone up to the app: keys read together (typed fast over a slow link, pasted)
    were applied out of order, so Ctrl-U, "Climate", Enter inserted the text, cleared it,
    and submitted an empty value (the article's topics emptied). Enter and Escape hand
    the text to the app at once (``submitted``, ``cancelled``): the key after them is
    the queue's."""

    def __init__(
        self,
        *,
        submitted: Callable[[str], None],
        cancelled: Callable[[], None],
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.submitted, self.cancelled = submitted, cancelled

    async def take(self, event: events.Key) -> None:
        """One key typed in the prompt: Escape cancels, Input's bindings run (Enter
        submits), a printable key is inserted (over the selection, if any)."""
        if event.key == "escape":
            self.cancelled()
            return
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if await self.app.run_action(binding.action, self):
                    return
        await super()._on_key(event)

    def paste(self, event: events.Paste, listing: bool = False) -> None:
        """Pasted text, its lines joined by ", " (a list of topics pasted one per line
        is that list; Input alone would keep its first line and drop the rest), made
        inert as any untrusted text (h29: a pasted ESC reached the terminal raw and
        scrambled the line shown): escape sequences dropped (an ESC at a line's end
        too, not shown as U+FFFD), other controls shown. ``listing``: the prompt holds
        a list, and a paste next to an entry is an entry of its own (h30: pasted after
        the last topic it was glued to it)."""
        from newscli.review.pastes import restored
        from newscli.sanitize import clean

        lines = [clean(line.rstrip("\x1b")).strip() for line in restored(event.text).splitlines()]
        text = ", ".join(line for line in lines if line)
        if listing and text:
            before, after = self.value[: self.cursor_position], self.value[self.cursor_position :]
            if before.strip() and not (before.rstrip().endswith(",") or text[0] == ","):
                text = ", " + text
            if after.strip() and not (after.lstrip().startswith(",") or text[-1] == ","):
                text += ", "
        super()._on_paste(events.Paste(text))

    async def action_submit(self) -> None:
        self.submitted(self.value)


class QueueList(ScrollView, can_focus=True):
    """The stories of the queue, one line each, the current one highlighted."""

    DEFAULT_CSS = "QueueList { height: 1fr; overflow-x: hidden; }"
    # Its own keys (a scroll view's would scroll without moving the current story).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", show=False),
        Binding("k,up", "move(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("g,home", "first", show=False),
        Binding("G,end", "last", show=False),
    ]

    def __init__(self, items: Sequence[Item], on_move: Callable[[], None], **kwargs: Any):
        super().__init__(**kwargs)
        self.items = items
        self.cursor = 0
        self.on_move = on_move
        self.grouped = True  # False: one row per article, the stories still to come

    def set_items(self, items: Sequence[Item], cursor: int = 0) -> None:
        self.items = items
        self.cursor = max(0, min(cursor, len(items) - 1))
        self.virtual_size = Size(1, len(items))
        self.refresh()
        self.move(0)

    def on_mount(self) -> None:
        self.virtual_size = Size(1, len(self.items))  # the width: as wide as the widget

    @property
    def row_width(self) -> int:
        return self.scrollable_content_region.width

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if self.items else None

    def move(self, delta: int, *, absolute: int | None = None) -> None:
        target = self.cursor + delta if absolute is None else absolute
        self.cursor = max(0, min(target, len(self.items) - 1))
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True
        )
        self.refresh()
        self.on_move()

    def action_move(self, delta: int) -> None:
        self.move(delta)

    def action_page(self, direction: int) -> None:
        self.move(direction * self.page)

    def action_first(self) -> None:
        self.move(0, absolute=0)

    def action_last(self) -> None:
        self.move(0, absolute=len(self.items) - 1)

    @property
    def page(self) -> int:
        return max(1, self.size.height - 1)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.row_width
        # every segment styled: Textual's NO_COLOR filter fails on a segment without one
        style = self.rich_style
        if index >= len(self.items):
            return Strip.blank(width, style)
        text: Text = row(self.items[index], width, index == self.cursor, self.grouped)
        segments = [
            Segment(part, part_style or style, control)
            for part, part_style, control in text.render(self.app.console, end="")
        ]
        return Strip(segments).adjust_cell_length(width, style)

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.items):
            self.move(0, absolute=index)


class HeaderLine(Widget):
    """The column names, as wide as the queue's rows."""

    DEFAULT_CSS = "HeaderLine { height: 1; }"

    def render(self) -> Text:
        queue = self.screen.query(QueueList)
        return header(queue.first().row_width if queue else self.size.width)


class TextScreen(ModalScreen[None]):
    """A page of text (the keys, the invalid files); any key closes it (ReviewApp._typed),
    but its scrolling ones."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll { width: 90%; height: 80%; border: round $accent;
                                  background: $surface; padding: 0 1; }
    """
    SCROLLING = ("up", "down", "pageup", "pagedown")  # the other keys close it

    def __init__(self, title: str, body: RenderableType):
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.title_text
            box.border_subtitle = "any key closes"
            yield Static(self.body)

    def on_click(self, event: events.Click) -> None:
        self.dismiss()
