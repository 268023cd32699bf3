"""The home screen's deck list: decks, their sections and subsections, with today's counts.

As in Anki's deck list, a deck opens and closes (▾/▸) to show its sections, and every row has
its own New, Learn and Due counts: what a session over that deck or section would serve today.
The screen decides what Enter on a row does (a review of just that row); this widget shows
rows, keeps which are open across refreshes, and names the selected one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable

if TYPE_CHECKING:
    from quizcalc.study.deck_list import DeckListRow
    from quizcalc.study.scope import StudyScope

__all__ = ["COUNT_COLUMNS", "DeckList"]

COUNT_COLUMNS = ("New", "Learn", "Due", "Total")
"""The counts after the name, in Anki's order (New, Learn, Due), then the card total."""

_COUNT_WIDTH = 5
_CELL_PADDING = 1
_MIN_NAME_WIDTH = 12
_COUNT_TONES = {"New": "text-success", "Learn": "text-error", "Due": "text-warning"}
"""Theme colours of the counts; due and new as in the stats above the list."""


class DeckList(DataTable[Text]):
    """Decks and sections with New / Learn / Due / Total; `space` (or →/←) opens and closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_row", "Open/close", show=False, tooltip="Show or hide"),
        Binding("right", "expand_row", "Open", show=False, tooltip="Show its sections"),
        Binding("left", "collapse_row", "Close", show=False, tooltip="Hide its sections"),
    ]
    """Open and close rows (Enter is the screen's: review the selected row)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=_CELL_PADDING)
        self.rows_known: list[DeckListRow] = []
        """Every row, shown or folded away, in tree order."""
        self.shown: list[DeckListRow] = []
        """The rows on screen, top to bottom."""
        self._open: dict[StudyScope, bool] = {}
        self._name_width = 0

    def on_mount(self) -> None:
        """The counts take the theme's colours: drawn again when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    # --- what is shown -------------------------------------------------------------------------

    def show_rows(self, rows: Sequence[DeckListRow]) -> None:
        """Show ``rows`` (tree order); the selection and what is open stay as they were."""
        self.rows_known = list(rows)
        self._redraw()

    @property
    def selected(self) -> DeckListRow | None:
        """The row under the cursor (``None`` when there are no rows)."""
        if not self.shown:
            return None
        return self.shown[min(max(self.cursor_row, 0), len(self.shown) - 1)]

    def is_open(self, row: DeckListRow) -> bool:
        """Whether the rows under ``row`` are shown (decks start open, sections closed)."""
        return self._open.get(row.scope, row.depth == 0)

    def _visible(self) -> list[DeckListRow]:
        shown: list[DeckListRow] = []
        closed_depth: int | None = None
        for row in self.rows_known:
            if closed_depth is not None and row.depth > closed_depth:
                continue
            closed_depth = None
            shown.append(row)
            if row.has_children and not self.is_open(row):
                closed_depth = row.depth
        return shown

    def _redraw(self, keep: StudyScope | None = None) -> None:
        current = self.selected
        keep = keep if keep is not None else current.scope if current is not None else None
        self.shown = self._visible()
        width = self._fit_name_width()
        if width != self._name_width or not self.columns:
            self._name_width = width
            self.clear(columns=True)
            self.add_column("Deck / section", key="name", width=width)
            for name in COUNT_COLUMNS:
                self.add_column(Text(name, justify="right"), key=name.lower(), width=_COUNT_WIDTH)
        else:
            self.clear()
        variables = self.app.get_css_variables()
        for row in self.shown:
            self.add_row(self._label(row, width), *self._counts(row, variables))
        if keep is not None:
            for index, row in enumerate(self.shown):
                if row.scope == keep:
                    self.move_cursor(row=index, animate=False)
                    break
            else:
                # The kept row is folded away: its nearest shown parent takes the cursor.
                parents = [
                    i
                    for i, row in enumerate(self.shown)
                    if row.deck == keep.deck
                    and (row.section is None or (keep.section or "").startswith(row.section))
                ]
                if parents:
                    self.move_cursor(row=parents[-1], animate=False)

    def _fit_name_width(self) -> int:
        """The name column takes what the counts leave, so no count is ever cut off."""
        counts = len(COUNT_COLUMNS) * (_COUNT_WIDTH + 2 * _CELL_PADDING)
        available = self.scrollable_content_region.width - counts - 2 * _CELL_PADDING
        return max(_MIN_NAME_WIDTH, available)

    def _label(self, row: DeckListRow, width: int) -> Text:
        marker = ("▾ " if self.is_open(row) else "▸ ") if row.has_children else "  "
        label = Text("  " * row.depth + marker)
        label.append(row.name, style="bold" if row.depth == 0 else "")
        label.truncate(width, overflow="ellipsis")
        return label

    def _counts(self, row: DeckListRow, variables: dict[str, str]) -> list[Text]:
        values = {"New": row.new, "Learn": row.learning, "Due": row.due}
        cells = []
        for name in COUNT_COLUMNS[:-1]:
            value = values[name]
            style = "dim" if not value else f"bold {variables.get(_COUNT_TONES[name], '')}"
            cells.append(Text(str(value), style=style.strip(), justify="right"))
        cells.append(Text(str(row.total), style="dim", justify="right"))
        return cells

    def on_resize(self, event: Resize) -> None:
        """A new width: the names are fitted again."""
        if self.rows_known and self._fit_name_width() != self._name_width:
            self._redraw()

    # --- opening and closing -------------------------------------------------------------------

    def action_toggle_row(self) -> None:
        """Open a closed row, close an open one."""
        row = self.selected
        if row is not None and row.has_children:
            self._open[row.scope] = not self.is_open(row)
            self._redraw(keep=row.scope)

    def action_expand_row(self) -> None:
        """Show the sections under the selected row."""
        row = self.selected
        if row is not None and row.has_children and not self.is_open(row):
            self.action_toggle_row()

    def action_collapse_row(self) -> None:
        """Hide the sections under the selected row (on a leaf: go to its parent)."""
        row = self.selected
        if row is None:
            return
        if row.has_children and self.is_open(row):
            self.action_toggle_row()
            return
        index = self.shown.index(row)
        for above in range(index - 1, -1, -1):
            if self.shown[above].depth < row.depth:
                self.move_cursor(row=above, animate=False)
                return
