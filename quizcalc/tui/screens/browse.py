"""The browse screen: every card in a table; search, sort, select, suspend, reset and tag.

The search box takes the search syntax of :mod:`quizcalc.study.browse_search` (``tag:``,
``deck:``, ``section:``, ``family:``, ``is:due``, ``-term``, ``"a phrase"``); typing re-runs
the query after a short pause (debounced) in a thread worker, and a term that is not
understood is said on the status line. The section, kind and "show" selects narrow it at once.
A header click or a key sorts by a column (again: reversed). Space selects a row, `a` every
match; `s`, `r`, `t`/`T` act on the selection or the highlighted card (see
:mod:`~quizcalc.tui.screens.browse_changes`), `u` undoes. Enter opens
:class:`~quizcalc.tui.modals.card_detail.CardDetailModal`. The layout fits 80×24: one row of
filters, the table (:mod:`~quizcalc.tui.widgets.browse_table`), a preview line with the
highlighted card's question and section, a status line with the counts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.worker import get_current_worker

from quizcalc.study.errors import StudyError
from quizcalc.study.views import BrowseFilter, BrowseRow
from quizcalc.tui.bug_reports import reports_bugs
from quizcalc.tui.modals.card_detail import CardDetailModal, DetailChoice
from quizcalc.tui.screens.browse_changes import BrowseChanges
from quizcalc.tui.widgets.browse_table import Column, card_label, cell, columns_for, header
from quizcalc.tui.widgets.search_box import SearchBox
from quizcalc.tui.widgets.settled_footer import SettledFooter

__all__ = ["BrowseFailed", "BrowseLoaded", "BrowseScreen"]

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

SORT_NAMES = {
    "due": "due date",
    "interval": "interval",
    "ease": "ease",
    "lapses": "lapses",
    "reviews": "reviews",
    "deck": "deck",
    "section": "section",
    "card": "question",
    "tags": "tags",
}
"""How the status line names each sort."""


def _section_option(section: str) -> Content:
    """A section as the filter lists it: ``a › b`` (one line: the stylesheet ends a long
    one in …)."""
    return Content(" › ".join(" ".join(part.split()) for part in section.split("::")))


class BrowseLoaded(Message):
    """The worker ran the query: ``rows`` match ``query`` as of ``today``."""

    def __init__(
        self, query: BrowseFilter, rows: list[BrowseRow], sections: list[str], today: date
    ) -> None:
        super().__init__()
        self.query = query
        """The filter these rows answer."""
        self.rows = rows
        """Matching cards in the order asked for."""
        self.sections = sections
        """Every section (for the section select)."""
        self.today = today
        """The study day the due column is relative to."""


class BrowseFailed(Message):
    """The worker could not run the query (``message`` is one line)."""

    def __init__(self, query: BrowseFilter, message: str) -> None:
        super().__init__()
        self.query = query
        """The filter that failed."""
        self.message = message
        """What went wrong and what to do (a search term not understood, a busy database)."""


class BrowseScreen(BrowseChanges):
    """All cards with search, sort and filters; select rows and change them together."""

    SUB_TITLE = "Browse"
    """Shown in the header after the app title."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the home screen"),
        Binding("q", "app.pop_screen", "Back", show=False, tooltip="Back to the home screen"),
        Binding("slash", "focus_search", "Search", key_display="/", show=False),
        Binding("space", "toggle_selection", "Select", tooltip="Select or unselect the row"),
        Binding("a", "select_all", "All", show=False, tooltip="Select every match (again: none)"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend", tooltip="The selected cards"),
        Binding("r", "reset", "Reset", tooltip="Back to new (history kept); asks first"),
        Binding("t", "add_tag", "Tag", tooltip="Add tags to the selected cards"),
        Binding("T", "remove_tag", "Untag", show=False, tooltip="Remove tags from them"),
        Binding("u", "undo", "Undo", show=False, tooltip="Take back the last change"),
        Binding("d", "sort('due')", "Sort by due", show=False),
        Binding("i", "sort('interval')", "Sort by interval", show=False),
        Binding("e", "sort('ease')", "Sort by ease", show=False),
        Binding("l", "sort('lapses')", "Sort by lapses", show=False),
        Binding("v", "sort('reviews')", "Sort by reviews", show=False),
        Binding("k", "sort('deck')", "Sort by deck", show=False),
        Binding("S", "sort('section')", "Sort by section", show=False),
        Binding("o", "sort(None)", "Reading order", show=False, tooltip="Unsorted: file order"),
    ]
    """Escape goes back (in the search box it clears the search first); `/` searches; space
    and `a` select; `s`, `r`, `t`, `T` and `u` change the selection; `d i e l v k S` sort by a
    column (again: reversed), `o` goes back to reading order."""

    def __init__(self, query: BrowseFilter | None = None) -> None:
        super().__init__()
        self.query_filter = query or BrowseFilter()
        """The filter in force (the widgets and sort keys write it; the worker reads it)."""
        self.today: date | None = None
        """The study day of the last query."""
        self.columns: tuple[tuple[Column, int], ...] = ()
        """The table's columns and their widths (they depend on the screen's width)."""
        self.problem: str | None = None
        """Why the last search could not run (a term not understood), else ``None``."""
        self.shown_query: BrowseFilter | None = None
        """The filter the rows on show answer (while :attr:`problem` is set, an older one)."""
        self._sections: list[str] = []
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        """Filters on top, the table, the preview and the status line."""
        yield Header()
        with Horizontal(id="browse-filters"):
            yield SearchBox(self.query_filter.text, id="browse-search")
            yield Select[str]([], prompt="Section", id="browse-section")
            yield Select[str](KINDS, prompt="Kind", id="browse-kind")
            yield Select[str](SHOW, prompt="Show", id="browse-show")
        yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="browse-preview")
        yield Static("Loading…", id="browse-status")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Set the columns and run the first query."""
        self.columns = columns_for(self.app.size.width)
        self.redraw_rows(rebuild=True)
        self._table().focus()
        self.reload()

    def _table(self) -> DataTable[str | Text]:
        return self.query_one("#browse-table", DataTable)

    def on_resize(self, event: Resize) -> None:
        """Lay the columns out again when the width changes which of them fit."""
        widths = columns_for(event.size.width)
        if widths != self.columns:
            self.columns = widths
            self.redraw_rows(rebuild=True)

    # --- querying -----------------------------------------------------------------------

    def reload(self) -> None:
        """Run the current filter again (in a worker)."""
        self._debounce = None
        self.run_query(self.query_filter)

    def refresh_rows(self) -> None:
        """After a change: query the rows on show again, even while the search box holds a
        term that is not understood (then the table answers the last good search)."""
        if self.problem is not None and self.shown_query is not None:
            self.run_query(self.shown_query)
        else:
            self.reload()

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
            self.post_message(BrowseFailed(query, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(BrowseLoaded(query, rows, sections, service.today(now)))

    def on_browse_failed(self, message: BrowseFailed) -> None:
        """Say why the cards could not be read; the table keeps the last good result."""
        if message.query != self.query_filter:
            return
        self.problem = message.message
        self._show_status()

    def on_browse_loaded(self, message: BrowseLoaded) -> None:
        """Fill the table, keeping the cursor on the same card when it is still listed."""
        fresh = message.query == self.query_filter
        if not fresh and not (self.problem is not None and message.query == self.shown_query):
            return  # a newer query is on its way
        if fresh:
            self.problem = None
        self.shown_query = message.query
        current = self.highlighted
        self.rows = message.rows
        self.today = message.today
        self.selected &= {r.key for r in message.rows}
        self.redraw_rows()
        if current is not None:
            for index, row in enumerate(message.rows):
                if row.key == current.key:
                    self._table().move_cursor(row=index)
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

    def redraw_rows(self, *, rebuild: bool = False) -> None:
        """Refill the table from :attr:`rows` (``rebuild``: the columns too), cursor kept."""
        if not self.columns:
            return
        table = self._table()
        cursor = table.cursor_row
        table.clear(columns=rebuild or not table.columns)
        if not table.columns:
            for column, width in self.columns:
                label = header(column, self.query_filter.sort, self.query_filter.descending)
                table.add_column(label, width=width, key=column.key)
        if self.rows is None or self.today is None:
            return
        for row in self.rows:
            selected = row.key in self.selected
            cells = [cell(c, w, row, self.today, selected) for c, w in self.columns]
            table.add_row(*cells, key=str(row.key))
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        self._show_status()

    def _show_status(self) -> None:
        status_line = self.query_one("#browse-status", Static)
        if self.problem is not None:
            status_line.update(Text(self.problem, style="bold red", end=""))  # may take 2 lines
            return
        rows = self.rows or []
        today = self.today
        due = sum(1 for r in rows if r.due is not None and today is not None and r.due <= today)
        new = sum(1 for r in rows if r.due is None)
        suspended = sum(1 for r in rows if r.status == "suspended")
        status = Text.assemble(
            (f"{len(rows)} card{'' if len(rows) == 1 else 's'}", "bold"),  # the matches
            f" · {due} due · {new} new · {suspended} susp",
        )
        if self.selected:
            status.append(f" · {len(self.selected)} selected (a: all/none)", style="bold green")
        sort = self.query_filter.sort
        if sort is not None:
            arrow = "▼" if self.query_filter.descending else "▲"
            status.append(f" · by {SORT_NAMES.get(sort, sort)} {arrow}")
        if self.last_change is not None:
            status.append(f" · u undoes {self.last_change.label}", style="italic")
        status.no_wrap = True
        status.overflow = "ellipsis"
        status_line.update(status)

    def _show_preview(self) -> None:
        row = self.highlighted
        preview = Text(no_wrap=True, end="", overflow="ellipsis")
        if row is not None:
            if row.section:
                preview.append(f"{row.section} › ", style="bold")
            preview.append(" ".join(card_label(row).split()))
        self.query_one("#browse-preview", Static).update(preview)

    @property
    def highlighted(self) -> BrowseRow | None:
        """The card under the cursor, if any."""
        if not self.rows:
            return None
        index = self._table().cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def move_cursor_down(self) -> None:
        """Move to the next row (after space selects one, as in a file manager)."""
        self._table().action_cursor_down()

    # --- filters and sorting ------------------------------------------------------------

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
        self._table().focus()

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
        return replace(
            self.query_filter,
            text=self.query_one("#browse-search", Input).value,
            section=value("#browse-section"),
            kind=value("#browse-kind"),
            due=show == "due",
            leech=show == "leech",
            suspended=show == "suspended",
            include_retired=show == "retired",
        )

    def action_sort(self, column: str | None) -> None:
        """Sort by ``column``; the same column again reverses; ``None``: reading order."""
        current = self.query_filter
        descending = column is not None and current.sort == column and not current.descending
        self.query_filter = replace(current, sort=column, descending=descending)
        if self.shown_query is not None:
            self.shown_query = replace(self.shown_query, sort=column, descending=descending)
        self.redraw_rows(rebuild=True)  # the header's arrow
        self.refresh_rows()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a sortable column's header sorts by it."""
        event.stop()
        key = event.column_key.value
        if any(c.key == key and c.sortable for c, _ in self.columns):
            self.action_sort(key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Preview the whole question of the highlighted card."""
        event.stop()
        self._show_preview()

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#browse-search", Input).focus()

    # --- the detail ---------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter opens the card's detail; its `s` and `r` act on that card alone."""
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
            if choice is None:
                return
            kept, self.selected = self.selected, set()  # act on the card shown, not the rest
            try:
                if choice == "suspend":
                    self.action_toggle_suspend()
                else:
                    self.action_reset()
            finally:
                self.selected = kept

        self.app.push_screen(CardDetailModal(detail), callback=done)
