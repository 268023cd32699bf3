"""The plain data of the reviewer's card actions: flags, a card's marks and their changes,
each grade's interval (no SQLAlchemy: the review screen imports this on its way to the first
card)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizcalc.scheduling.sm2 import PASSING_QUALITY

__all__ = ["FLAG_NAMES", "CardChange", "CardMarks", "GradePreview", "short_interval"]

FLAG_NAMES = ("no flag", "red", "orange", "green", "blue", "pink", "turquoise", "purple")
"""Anki's flags by number: 0 is none, 1–7 its seven colours."""


@dataclass(frozen=True)
class CardMarks:
    """The marks the reviewer can change on a card, none of which touch its schedule."""

    status: str
    """``"active"``, ``"suspended"`` or ``"retired"``."""
    buried_until: date | None
    """The study day a buried card comes back (``None``: not buried)."""
    flag: int
    """0 (none) to 7, Anki's colours (:data:`FLAG_NAMES`)."""


@dataclass(frozen=True)
class CardChange:
    """One change to a card's marks, with what it replaced (what undo writes back)."""

    card_key: int
    action: str
    """``"suspend"``, ``"bury"`` or ``"flag"``."""
    before: CardMarks
    after: CardMarks

    @property
    def leaves_queue(self) -> bool:
        """Whether the card left today's queue (suspended or buried): the next card shows."""
        return self.action in ("suspend", "bury")


def short_interval(days: int) -> str:
    """An interval as Anki writes it on its answer buttons: ``1d``, ``24d``, ``1.6mo``, ``2.1y``."""
    if days < 30:
        return f"{days}d"
    amount, unit = (days / 30, "mo") if days < 365 else (days / 365, "y")
    return f"{amount:.1f}".removesuffix(".0") + unit


@dataclass(frozen=True)
class GradePreview:
    """What one grade would do to the card on screen, for its key's label (``4 · 6d``)."""

    quality: int
    interval: int
    """Days from today to the due day this grade gives (the current one for a re-ask)."""
    again_today: bool
    """The card comes back later today (SM-2 step 7)."""

    @property
    def text(self) -> str:
        """``again`` for a failing grade (or a re-ask not yet passed), else the interval."""
        if self.quality < PASSING_QUALITY or (self.again_today and self.interval == 0):
            return "again"
        return short_interval(self.interval)
