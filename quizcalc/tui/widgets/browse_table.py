"""The browse table's columns: which fit the width, their cells, the sort arrow, the selection mark.

Two layouts: below :data:`WIDE_FROM` columns the table shows the card, its deck, tags,
schedule and status (the section is on the preview line under the table, so 80 columns keep
every column whole); from there on it adds the section and the review count. The card column
takes whatever width is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text

from quizcalc.cards.display import latex_to_unicode
from quizcalc.cards.labels import slugify
from quizcalc.study.views import BrowseRow
from quizcalc.tui.widgets.flag_marker import FLAG_COLOURS

__all__ = [
    "NARROW",
    "SELECTED_MARK",
    "WIDE",
    "WIDE_FROM",
    "Column",
    "card_label",
    "cell",
    "columns_for",
    "due_label",
    "header",
    "shown_tags",
]

WIDE_FROM = 110
"""Terminal width from which the wide layout is used."""

SELECTED_MARK = "● "
"""What starts the card cell of a selected row."""

CARD_MIN = 16
"""The card column never gets narrower than this."""

FIXED_CHROME = 2
"""Columns the table's own scroll bar takes."""


@dataclass(frozen=True)
class Column:
    """One table column: its key (the sort it stands for, or its name) and fixed width."""

    key: str
    """The column key; for a sortable column, the sort name (see ``BROWSE_SORTS``)."""
    label: str
    """The header text (the sort arrow is added after it)."""
    width: int | None
    """Cells are cut to this width; ``None``: the card column, which takes the rest."""
    sortable: bool = True


NARROW = (
    Column("card", "Card", None),
    Column("deck", "Deck", 8),
    Column("tags", "Tags", 9),
    Column("due", "Due", 5),
    Column("interval", "Ivl", 5),
    Column("ease", "Ease", 5),
    Column("lapses", "Lps", 4),
    Column("status", "Status", 7, sortable=False),
)
"""Below :data:`WIDE_FROM`: all of these fit 80 columns whole."""

WIDE = (
    Column("card", "Card", None),
    Column("deck", "Deck", 10),
    Column("section", "Section", 14),
    Column("tags", "Tags", 14),
    Column("due", "Due", 6),
    Column("interval", "Ivl", 5),
    Column("ease", "Ease", 5),
    Column("lapses", "Lps", 4),
    Column("reviews", "Revs", 5),
    Column("status", "Status", 7, sortable=False),
)
"""From :data:`WIDE_FROM` on: the section and the review count too."""


def columns_for(width: int) -> tuple[tuple[Column, int], ...]:
    """The layout for a table ``width`` cells wide, each column with its cell width."""
    layout = WIDE if width >= WIDE_FROM else NARROW
    padding = 2 * len(layout)  # one cell of padding each side
    fixed = sum(c.width or 0 for c in layout)
    card = max(CARD_MIN, width - FIXED_CHROME - padding - fixed)
    return tuple((c, c.width if c.width is not None else card) for c in layout)


def header(column: Column, sort: str | None, descending: bool) -> Text:
    """The column's header, with ▲/▼ when the table is sorted by it."""
    if column.key != sort:
        return Text(column.label)
    return Text.assemble(column.label, ("▼" if descending else "▲", "bold"))


def due_label(due: date | None, today: date) -> str:
    """``new``, ``today``, ``+3d`` (in three days) or ``-2d`` (two days overdue)."""
    if due is None:
        return "new"
    days = (due - today).days
    return "today" if days == 0 else f"{days:+d}d"


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def card_label(row: BrowseRow) -> str:
    """What the card column says: the question, or for a problem card its family and level."""
    if row.family is not None:
        return f"{row.family} · d{row.difficulty}"
    return latex_to_unicode(row.question)


def shown_tags(row: BrowseRow) -> list[str]:
    """The row's tags, those that only repeat its section's headings last (they say least)."""
    headings = {slugify(part) for part in row.section.split("::")}
    return sorted(row.tags, key=lambda tag: tag in headings)


def _status(row: BrowseRow) -> Text:
    """``active`` (dim), ``susp``, ``retired``; a leech says so in red (``leech``, ``susp L``)."""
    if row.status == "suspended":
        status = Text("susp", style="yellow")
    elif row.status == "retired":
        status = Text("retired", style="dim")
    elif row.leech:
        return Text("leech", style="bold red")
    else:
        status = Text("active", style="dim")
    if row.leech:
        status.append(" L", style="bold red")
    return status


def cell(column: Column, width: int, row: BrowseRow, today: date, selected: bool) -> str | Text:
    """One cell of ``row`` in ``column`` (``width`` wide), the card cell marked if selected."""
    match column.key:
        case "card":
            mark = SELECTED_MARK if selected else ""
            text = Text(mark, style="bold green" if selected else "")
            if 0 < row.flag < len(FLAG_COLOURS):  # Anki's flag, in its colour
                text.append("⚑ ", style=f"bold {FLAG_COLOURS[row.flag]}")
            text.append(_clip(card_label(row), width - len(text)))
            return text
        case "deck":
            return _clip(row.deck, width)
        case "section":
            return _clip(row.section or "—", width)
        case "tags":
            return Text(_clip(" ".join(shown_tags(row)), width), style="cyan")
        case "due":
            due = due_label(row.due, today)
            return Text(due, style="bold red") if due.startswith("-") else due
        case "interval":
            return f"{row.interval}d" if row.due is not None else "—"
        case "ease":
            return f"{row.easiness:.2f}"
        case "lapses":
            return str(row.lapses)
        case "reviews":
            return str(row.reviews)
        case _:
            return _status(row)
