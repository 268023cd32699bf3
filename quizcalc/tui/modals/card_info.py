"""Card info (`i` in review), as Anki shows it: dates, schedule, times, origin, history.

The facts sit in two columns above the review-history table (newest first). Escape, `i` or
`q` closes it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from quizcalc.study.card_marks import FLAG_NAMES, short_interval
from quizcalc.tui.widgets.flag_marker import flag_text
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.card_info import CardInfo

__all__ = ["CardInfoModal", "spent"]


def spent(ms: int | None) -> str:
    """A duration as people read it: ``3.1 s``, ``2 min 5 s``; ``—`` for none."""
    if ms is None:
        return "—"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _day(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


class CardInfoModal(ModalScreen[None]):
    """Everything about one card, as Anki's card info; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", tooltip="Back to the review"),
        Binding("i", "dismiss(None)", "Close", show=False, tooltip="Back to the review"),
        Binding("q", "dismiss(None)", "Close", show=False, tooltip="Back to the review"),
    ]
    """Escape (or `i` again, or `q`) closes."""

    def __init__(self, info: CardInfo) -> None:
        super().__init__()
        self.info = info
        """The card shown."""

    def compose(self) -> ComposeResult:
        """The facts, then the history table."""
        d = self.info.detail
        with Vertical(id="info-box") as box:
            box.border_title = f"Card info · {d.card_id}"
            box.border_subtitle = d.status
            yield Static(self._facts(), id="info-facts")
            yield DataTable(id="info-history", cursor_type="row", zebra_stripes=True)
        yield SettledFooter()

    def _facts(self) -> Table:
        info, d = self.info, self.info.detail
        s = d.schedule
        new = s.due is None
        left = [
            ("Added", _day(info.added)),
            ("First review", _day(info.first_review)),
            ("Latest review", _day(info.latest_review)),
            ("Interval", "—" if new else short_interval(s.interval)),
            ("Ease", "—" if new else f"{s.easiness * 100:.0f}%"),
            ("Due", "new" if new else _day(s.due)),
        ]
        right = [
            ("Reviews", str(s.reviews)),
            ("Lapses", str(s.lapses)),
            ("Average time", spent(info.average_ms)),
            ("Total time", spent(info.total_ms) if info.answers else "—"),
            ("Card type", d.kind if not d.is_problem else f"{d.family} · level {d.difficulty}"),
            ("Flag", flag_text(info.flag) if info.flag else FLAG_NAMES[0]),
        ]
        grid = Table.grid(padding=(0, 1), expand=True)
        for _ in range(2):
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        for (a, b), (c, e) in zip(left, right, strict=True):
            grid.add_row(a, b, c, e)
        where = d.deck if not d.section else f"{d.deck} › {d.section}"
        if info.buried_until is not None:
            where += f" · buried until {info.buried_until.isoformat()}"
        rows = [
            ("Deck", where),
            ("Source", f"{PurePath(d.source).name}:{d.line}"),
            ("Tags", d.tags or "—"),
        ]
        if info.anki is not None:
            rows.append(("Note type", info.anki.note_type))
        wide = Table.grid(padding=(0, 1), expand=True)
        wide.add_column(style="bold", no_wrap=True)
        wide.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        for label, value in rows:
            wide.add_row(label, Text(value))
        outer = Table.grid(expand=True)
        outer.add_row(grid)
        outer.add_row(wide)
        return outer

    def on_mount(self) -> None:
        """Fill the history (newest first) and focus it."""
        table: DataTable[str] = self.query_one("#info-history", DataTable)
        table.add_columns("Date", "Type", "Rating", "Interval", "Time")
        for row in self.info.detail.history:
            answer = row.is_answer
            table.add_row(
                row.reviewed_at.strftime("%Y-%m-%d %H:%M"),
                row.label,
                str(row.quality) if answer else "—",
                short_interval(row.after_interval) if answer or row.after_due else "new",
                spent(row.duration_ms) if answer else "—",
                key=str(row.log_id),
            )
        if not self.info.detail.history:
            table.add_row("never answered", "", "", "", "")
        table.focus()
