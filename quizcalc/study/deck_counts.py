"""The deck list's counts per deck and section, each from the index that finds its cards.

Four grouped statements instead of one pass that tests every condition on every card: the
active cards' totals from the cards' reading-order index alone, the due reviews walking
``schedule.due`` up to today, the new cards from its ``NULL`` entries, and the cards being
relearned from today's log. Merged in Python into one :class:`SectionCounts` per deck and
section. Plain SQL, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizcalc.scheduling.sm2 import RELEARN_UNTIL_QUALITY
from quizcalc.study.queue import (
    _SIBLING_NOT_SEEN_TODAY,
    _TODAY,
    SERVABLE,
    UNBURIED,
    after_reset_today,
)
from quizcalc.study.queue_limits import RunSQL

__all__ = ["SectionCounts", "counts_by_section"]

_UNBURIED = UNBURIED.strip().removeprefix("AND").strip()

TOTALS = """
SELECT c.deck_id, c.section, COUNT(*), MIN(COALESCE(c.source_id, 0)), MIN(c.position)
FROM cards AS c WHERE +c.status = 'active'
GROUP BY c.deck_id, c.section
"""
"""Active cards and where each section starts. ``+c.status`` keeps SQLite off the status
index (a lookup in the table per card): it reads ``ix_cards_deck_reading_order`` alone."""

DUE = f"""
SELECT c.deck_id, c.section, COUNT(*), SUM(CASE WHEN {_UNBURIED} THEN 1 ELSE 0 END)
FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key
WHERE s.due IS NOT NULL AND s.due <= :today AND c.status = 'active' AND {SERVABLE}
  AND c.id NOT IN (SELECT card_key FROM review_log WHERE {_TODAY}){_SIBLING_NOT_SEEN_TODAY}
GROUP BY c.deck_id, c.section
"""
"""Due reviews not answered today (a cloze's sibling aside), and those not buried by hand."""

NEW = f"""
SELECT c.deck_id, c.section, COUNT(*), SUM(CASE WHEN {_UNBURIED} THEN 1 ELSE 0 END)
FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key
WHERE s.due IS NULL AND c.status = 'active' AND {SERVABLE}{_SIBLING_NOT_SEEN_TODAY}
GROUP BY c.deck_id, c.section
"""
"""New cards (a cloze's sibling aside), and those not buried by hand."""

LEARNING = f"""
SELECT c.deck_id, c.section, COUNT(*) FROM cards AS c
WHERE c.id IN (
    SELECT l.card_key FROM review_log AS l
    JOIN (SELECT card_key, MAX(id) AS last_id FROM review_log WHERE {_TODAY}
          GROUP BY card_key) AS latest ON latest.last_id = l.id
    WHERE l.quality < {RELEARN_UNTIL_QUALITY} AND {after_reset_today("l")})
  AND +c.status = 'active' AND {SERVABLE}
GROUP BY c.deck_id, c.section
"""
"""Cards whose last answer today failed: being relearned. Today's few answers drive
(``+c.status`` keeps SQLite from reading every active card instead)."""


@dataclass
class SectionCounts:
    """One deck's cards filed under one section (exactly that path)."""

    deck: str
    section: str
    total: int
    """Active cards."""
    start: tuple[int, int]
    """Where the section starts: the smallest source key and position."""
    due: int = 0
    """Due reviews, buried by hand or not."""
    new: int = 0
    """New cards, buried by hand or not."""
    learning: int = 0
    """Cards being relearned (failed today)."""
    queue_due: int = 0
    """Due reviews a queue would consider (not buried by hand)."""
    queue_new: int = 0
    """New cards a queue would consider (not buried by hand)."""


def counts_by_section(run: RunSQL, today: date) -> list[SectionCounts]:
    """Every deck's and section's counts on ``today`` (sections with active cards only)."""
    day = {"today": today.isoformat()}
    names = {key: str(name) for key, name in run("SELECT id, name FROM decks", {})}
    found: dict[tuple[int, str], SectionCounts] = {}
    for deck, section, total, source, position in run(TOTALS, {}):
        found[deck, section] = SectionCounts(names[deck], section, total, (source, position))
    for deck, section, count, unburied in run(DUE, day):
        found[deck, section].due, found[deck, section].queue_due = count, unburied
    for deck, section, count, unburied in run(NEW, day):
        found[deck, section].new, found[deck, section].queue_new = count, unburied
    for deck, section, count in run(LEARNING, day):
        found[deck, section].learning = count
    return list(found.values())
