"""What "a card" is, once: the cards the learner has, which every count in quizcalc reports.

A card is one the learner can study or browse: **active or suspended**, whatever its source
(a Markdown file, the bundled deck, an Anki import) and kind (Q/A, cloze, problem skill).
Left out, and counted apart:

- **retired** cards: removed from their file, kept only for their history (sync brings one
  back if its text returns);
- **drill-only skill cards**: made by a drill so its answers hang on a card when no deck holds
  that skill (``source_id`` empty); they are retired from birth and never shown as cards.

The home screen's card total and its per-section totals, Browse (and its section list),
``quizcalc cards list`` and the statistics' card states all filter with :func:`is_counted`;
a backup holds every row, and says ``97 cards (+ 3 retired)`` with :func:`count_cards`, so its
number visibly matches the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from quizcalc.store.models import CardRecord

__all__ = ["COUNTED_STATUSES", "CardCount", "count_cards", "is_counted"]

COUNTED_STATUSES = ("active", "suspended")
"""Card statuses the learner sees as cards (see the module docstring)."""


def is_counted(cards: type[CardRecord] = CardRecord) -> ColumnElement[bool]:
    """The SQL condition "a card the learner has" on ``cards`` (a ``CardRecord`` or alias)."""
    return cards.status.in_(COUNTED_STATUSES)


@dataclass(frozen=True)
class CardCount:
    """The collection's cards by what the learner sees of them."""

    cards: int
    """Cards the learner has: active + suspended (:func:`is_counted`)."""
    suspended: int
    """Of :attr:`cards`, the suspended ones."""
    retired: int
    """Rows kept for history only: retired cards, drill-only skill cards included."""
    drill_only: int
    """Of :attr:`retired`, the drill-only skill cards (tied to no file)."""

    @property
    def rows(self) -> int:
        """Every card row in the database (what a backup writes)."""
        return self.cards + self.retired


def count_cards(session: Session) -> CardCount:
    """Count the cards in one query (see :class:`CardCount`)."""
    counted = is_counted()
    retired = ~counted
    row = session.execute(
        select(
            func.count(case((counted, 1))),
            func.count(case((CardRecord.status == "suspended", 1))),
            func.count(case((retired, 1))),
            func.count(case((retired & CardRecord.source_id.is_(None), 1))),
        )
    ).one()
    cards, suspended, retired_rows, drill_only = (int(n) for n in row)
    return CardCount(cards=cards, suspended=suspended, retired=retired_rows, drill_only=drill_only)
