"""``quizcalc cards list`` as a table that fits the terminal: one line a card, never wrapped.

Long ids, questions and sections end in ``…``; below :data:`WIDE` columns the section and
easiness columns are left out so the id, the question and the schedule stay readable at 80.
``--json`` is the form for scripts; this one is for eyes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from quizcalc.study.card_counts import CardCount
    from quizcalc.study.views import CardRow

__all__ = ["WIDE", "cards_table", "print_cards", "question_cell"]

WIDE = 110
"""Terminal width from which the section and EF columns are shown."""

KIND_LABELS = {"basic": "Q/A", "cloze": "cloze", "problem": "problem"}
"""How each stored kind is shown (as in Browse's kind filter)."""


_SKILL = re.compile(r"Generated problem: (?P<family>\S+) \(difficulty (?P<difficulty>\d+)\)")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def question_cell(row: CardRow) -> str:
    """The question on one line, maths in Unicode; a problem card names its skill
    (``momentum · d2``, as the statistics do), since its prompt is drawn at review time."""
    from quizcalc.cards.display import latex_to_unicode

    skill = _SKILL.fullmatch(row.question) if row.kind == "problem" else None
    if skill is not None:
        return f"{skill['family']} · d{skill['difficulty']}"
    return _one_line(latex_to_unicode(row.question))


def cards_table(rows: Sequence[CardRow], count: CardCount, width: int, *, retired: bool) -> Table:
    """The table of ``rows`` laid out for a terminal ``width`` columns wide.

    The title counts the learner's cards (as home, Browse and the statistics do); retired
    rows, listed only with ``retired``, are counted apart, and when they are left out a
    caption says how to see them.
    """
    wide = width >= WIDE
    title = f"{count.cards} card{'' if count.cards == 1 else 's'}"
    if count.suspended:
        title += f" ({count.suspended} suspended)"
    caption = None
    if count.retired:
        if retired:
            title += f" + {count.retired} retired"
        else:
            caption = f"+ {count.retired} retired (history only): cards list --retired shows them"
    table = Table(
        title=title,
        caption=caption,
        box=None,
        header_style="bold",
        pad_edge=False,
        expand=True,
        title_justify="left",
        caption_justify="left",
    )

    def column(name: str, *, flexible: bool = False, right: bool = False) -> None:
        table.add_column(
            name,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if right else "left",
            ratio=1 if flexible else None,
            min_width=8 if flexible else None,
        )

    column("id")
    column("question", flexible=True)
    column("kind")
    if wide:
        column("section", flexible=True)
    column("status")
    column("due")
    column("ivl", right=True)
    if wide:
        column("EF", right=True)
    column("revs", right=True)
    id_width = max(10, min(24, width // 6))
    table.columns[0].max_width = id_width
    for r in rows:
        cells = [
            r.id,
            question_cell(r),
            KIND_LABELS.get(r.kind, r.kind),
        ]
        if wide:
            cells.append(_one_line(r.section.replace("::", " › ")) or "—")
        cells += [r.status, r.due.isoformat() if r.due else "new", str(r.interval)]
        if wide:
            cells.append(f"{r.easiness:.2f}")
        cells.append(str(r.reviews))
        table.add_row(*cells)
    return table


def print_cards(
    rows: Sequence[CardRow], count: CardCount, *, retired: bool, console: Console | None = None
) -> None:
    """Print :func:`cards_table` at the console's width (the terminal's, or ``COLUMNS``)."""
    console = console or Console()
    console.print(cards_table(rows, count, console.width, retired=retired), highlight=False)
