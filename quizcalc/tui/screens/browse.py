"""The browse screen: every card in a table, incremental search, filters, suspend and reset.

Typing in the search box re-runs the query after a short pause (debounced) in a thread worker;
the section, kind and "show" selects narrow it at once. Enter on a row opens
:class:`~quizcalc.tui.modals.card_detail.CardDetailModal`; `s` suspends or unsuspends the
highlighted card, `r` resets it to new after a confirmation (and `u` takes the reset back).
The layout fits 80×24: one row of filters, the table, a preview of the highlighted question,
a status line with the counts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from quizcalc.cards.display import latex_to_unicode
from quizcalc.study.errors import StudyError
from quizcalc.study.views import BrowseFilter, BrowseRow, ScheduleSnapshot
from quizcalc.tui.bug_reports import reports_bugs
from quizcalc.tui.modals.card_detail import CardDetailModal, DetailChoice
from quizcalc.tui.modals.confirm import ConfirmModal

if TYPE_CHECKING:
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["BrowseFailed", "BrowseLoaded", "BrowseScreen", "due_label", "row_cells"]

SEARCH_DELAY = 0.25
"""Seconds of quiet typing before the search runs."""

KINDS = (("Q/A", "basic"), ("Cloze", "cloze"), ("Problem", "problem"))
"""The kind filter's options (label, stored kind)."""

SHOW = (
    ("Due", "due"),
    ("Leeches", "leech"),
    ("Suspended", "suspended"),
    ("+ retired", "retired"),
)
"""The "show" filter's options: due today or overdue, leeches, suspended, all with retired."""


class BrowseLoaded(Message):
    """The worker ran the query: ``rows`` match ``query`` as of ``today``."""

    def __init__(
        self, query: BrowseFilter, rows: list[BrowseRow], sections: list[str], today: date
    ) -> None:
        super().__init__()
        self.query = query
        """The filter these rows answer."""
        self.rows = rows
        """Matching cards in reading order."""
        self.sections = sections
        """Every section (for the section select)."""
        self.today = today
        """The study day the due column is relative to."""


class BrowseFailed(Message):
    """The worker could not read the cards (``message`` is one line)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """What went wrong and what to do."""


def due_label(due: date | None, today: date) -> str:
    """``new``, ``today``, ``+3d`` (in three days) or ``-2d`` (two days overdue)."""
    if due is None:
        return "new"
    days = (due - today).days
    return "today" if days == 0 else f"{days:+d}d"


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


QUESTION_WIDTH = 18
"""The question column's width when the screen's width is not known."""
FIXED_COLUMNS = 66
"""Columns the table takes besides the question: the other eight at their widest, each
with its padding, the question's padding and the scrollbar."""


def question_width(screen_width: int) -> int:
    """The question column's width on a screen ``screen_width`` wide: what the other columns
    leave, so Status is never cut off (at least 12)."""
    return max(12, screen_width - FIXED_COLUMNS)


def _section_option(section: str) -> Content:
    """A section as the filter lists it: ``a › b`` (one line: the stylesheet ends a long
    one in …)."""
    return Content(" › ".join(" ".join(part.split()) for part in section.split("::")))


def row_cells(
    row: BrowseRow, today: date, question: int = QUESTION_WIDTH
) -> tuple[str | Text, ...]:
    """The table cells of one card (the question clipped to ``question`` characters)."""
    status: str | Text = row.status
    if row.status == "suspended":
        status = Text("susp", style="yellow")
    elif row.status == "retired":
        status = Text("retired", style="dim")
    if row.leech:
        status = Text.assemble(status, Text(" L", style="bold red"))
    due = due_label(row.due, today)
    return (
        _clip(latex_to_unicode(row.question), question),
        _clip(row.deck, 8),
        _clip(row.section or "—", 10),
        row.kind,
        Text(due, style="bold red") if due.startswith("-") else due,
        str(row.interval),
        f"{row.easiness:.2f}",
        str(row.lapses),
        status,
    )


class BrowseScreen(Screen[None]):
    """All cards with search and filters; Enter details a card, `s` suspends, `r` resets."""

    SUB_TITLE = "Browse"
    """Shown in the header after the app title."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the home screen"),
        Binding("q", "app.pop_screen", "Back", show=False, tooltip="Back to the home screen"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("r", "reset", "Reset", tooltip="Back to new (history kept); asks first"),
        Binding("u", "undo_reset", "Undo reset", show=False),
    ]
    """Escape goes back; `/` searches; `s`, `r` and `u` act on the highlighted card."""

    def __init__(self, query: BrowseFilter | None = None) -> None:
        super().__init__()
        self.query_filter = query or BrowseFilter()
        """The filter in force (the widgets write it; the worker reads it)."""
        self.rows: list[BrowseRow] | None = None
        """The cards on show (``None`` until the first query has come back)."""
        self.today: date | None = None
        """The study day of the last query."""
        self.undo: tuple[int, ScheduleSnapshot] | None = None
        """The last reset (card key and its old schedule), for `u`."""
        self._sections: list[str] = []
        self._debounce: Timer | None = None

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def compose(self) -> ComposeResult:
        """Filters on top, the table, the preview and the status line."""
        yield Header()
        with Horizontal(id="browse-filters"):
            yield Input(
                self.query_filter.text,
                placeholder="Search text or id",
                id="browse-search",
            )
            yield Select[str]([], prompt="Section", id="browse-section")
            yield Select[str](KINDS, prompt="Kind", id="browse-kind")
            yield Select[str](SHOW, prompt="Show", id="browse-show")
        yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="browse-preview")
        yield Static("Loading…", id="browse-status")
        yield Footer()

    def on_mount(self) -> None:
        """Set the columns and run the first query."""
        table: DataTable[str | Text] = self.query_one("#browse-table", DataTable)
        table.add_columns("Card", "Deck", "Section", "Kind", "Due", "Ivl", "EF", "Lps", "Status")
        table.focus()
        self.reload()

    # --- querying -----------------------------------------------------------------------

    def reload(self) -> None:
        """Run the current filter again (in a worker)."""
        self._debounce = None
        self.run_query(self.query_filter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse")
    @reports_bugs("the card browser")
    def run_query(self, query: BrowseFilter) -> None:
        """Query the cards and the sections off the UI thread."""
        service = self.quiz_app.service
        if service is None:
            return
        now = self.quiz_app.now()
        try:
            rows = service.browse(query, now)
            sections = service.sections()
        except StudyError as exc:
            self.post_message(BrowseFailed(str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(BrowseLoaded(query, rows, sections, service.today(now)))

    def on_browse_failed(self, message: BrowseFailed) -> None:
        """Say why the cards could not be read."""
        self.query_one("#browse-status", Static).update(Text(message.message, style="bold red"))

    def on_browse_loaded(self, message: BrowseLoaded) -> None:
        """Fill the table, keeping the cursor on the same card when it is still listed."""
        if message.query != self.query_filter:
            return  # a newer query is on its way
        table: DataTable[str | Text] = self.query_one("#browse-table", DataTable)
        current = self.highlighted
        self.rows = message.rows
        self.today = message.today
        table.clear()
        width = question_width(self.size.width)
        for row in message.rows:
            table.add_row(*row_cells(row, message.today, width), key=str(row.key))
        if current is not None:
            for index, row in enumerate(message.rows):
                if row.key == current.key:
                    table.move_cursor(row=index)
                    break
        if message.sections != self._sections:
            self._sections = message.sections
            select: Select[str] = self.query_one("#browse-section", Select)
            chosen = select.value
            select.set_options((_section_option(name), name) for name in message.sections)
            if isinstance(chosen, str) and chosen in message.sections:
                select.value = chosen
        self._show_status()
        self._show_preview()

    def on_resize(self) -> None:
        """Lay the rows out again for the new width (the question column takes the slack)."""
        if self.rows is not None:
            self.reload()

    def _show_status(self) -> None:
        rows = self.rows or []
        today = self.today
        due = sum(1 for r in rows if r.due is not None and today is not None and r.due <= today)
        new = sum(1 for r in rows if r.due is None)
        leeches = sum(1 for r in rows if r.leech)
        suspended = sum(1 for r in rows if r.status == "suspended")
        status = Text.assemble(
            (f"{len(rows)} card{'' if len(rows) == 1 else 's'}", "bold"),
            f" · {due} due · {new} new · {leeches} leech{'' if leeches == 1 else 'es'}"
            f" · {suspended} suspended",
        )
        if self.undo is not None:
            status.append(" · u undoes the reset", style="italic")
        self.query_one("#browse-status", Static).update(status)

    def _show_preview(self) -> None:
        row = self.highlighted
        text = "" if row is None else " ".join(latex_to_unicode(row.question).split())
        self.query_one("#browse-preview", Static).update(Text(text, no_wrap=True, end=""))

    @property
    def highlighted(self) -> BrowseRow | None:
        """The card under the cursor, if any."""
        if not self.rows:
            return None
        table: DataTable[str | Text] = self.query_one("#browse-table", DataTable)
        index = table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # --- filters ------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the learner types, once they pause."""
        event.stop()
        self.query_filter = self._current_filter()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DELAY, self.reload)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box goes to the table."""
        event.stop()
        self.query_one("#browse-table", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A filter select changed: query at once."""
        event.stop()
        self.query_filter = self._current_filter()
        self.reload()

    def _current_filter(self) -> BrowseFilter:
        def value(select_id: str) -> str | None:
            chosen = self.query_one(select_id, Select).value
            return chosen if isinstance(chosen, str) else None

        show = value("#browse-show")
        return BrowseFilter(
            text=self.query_one("#browse-search", Input).value,
            section=value("#browse-section"),
            kind=value("#browse-kind"),
            due=show == "due",
            leech=show == "leech",
            suspended=show == "suspended",
            include_retired=show == "retired",
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Preview the whole question of the highlighted card."""
        event.stop()
        self._show_preview()

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#browse-search", Input).focus()

    # --- card actions -------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter opens the card's detail."""
        event.stop()
        row = self.highlighted
        service = self.quiz_app.service
        if row is None or service is None:
            return
        try:
            detail = service.card_detail(row.key)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return

        def done(choice: DetailChoice | None) -> None:
            if choice == "suspend":
                self._toggle_suspend(row.key, detail.status)
            elif choice == "reset":
                self._confirm_reset(row.key, detail.question)

        self.app.push_screen(CardDetailModal(detail), callback=done)

    def action_toggle_suspend(self) -> None:
        """Suspend the highlighted card, or unsuspend it."""
        row = self.highlighted
        if row is not None:
            self._toggle_suspend(row.key, row.status)

    def _toggle_suspend(self, key: int, status: str) -> None:
        service = self.quiz_app.service
        if service is None:
            return
        if status == "retired":
            self.notify("A retired card cannot be suspended.", severity="warning")
            return
        try:
            new = service.set_suspended(key, status != "suspended")
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("Card suspended: it is not served." if new == "suspended" else "Card active.")
        self.reload()

    def action_reset(self) -> None:
        """Reset the highlighted card to new, after asking."""
        row = self.highlighted
        if row is not None:
            self._confirm_reset(row.key, row.question)

    def _confirm_reset(self, key: int, question: str) -> None:
        def answer(yes: bool | None) -> None:
            service = self.quiz_app.service
            if not yes or service is None:
                return
            try:
                self.undo = (key, service.reset_card(key))
            except StudyError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("Card reset to new (history kept). Press u to undo.")
            self.reload()

        text = (
            f"Reset “{_clip(latex_to_unicode(question), 50)}” to a new card?\n"
            "Its interval, easiness and lapses start over; its review history is kept."
        )
        self.app.push_screen(ConfirmModal("Reset card", text, confirm_label="Reset"), answer)

    def action_undo_reset(self) -> None:
        """Take back the last reset."""
        service = self.quiz_app.service
        if self.undo is None or service is None:
            self.notify("No reset to undo.", severity="warning")
            return
        key, snapshot = self.undo
        self.undo = None
        try:
            service.restore_schedule(key, snapshot)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("Reset undone: the old schedule is back.")
        self.reload()
