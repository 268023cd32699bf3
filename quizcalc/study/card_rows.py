"""A card's row as its file gives it, and new cards written in bulk (for the sync).

New cards go in as plain rows (SQLAlchemy's bulk ``INSERT … RETURNING``), not ORM objects:
building and flushing 20,000 objects kept the collection's write lock for seconds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from quizcalc.cards import Card
from quizcalc.scheduling.answer import NEW_CARD_STATE
from quizcalc.store.models import CardRecord, DeckRecord, ScheduleRecord, SourceRecord
from quizcalc.study.anki_renderings import store_new_cards

__all__ = ["card_values", "insert_new_cards"]


def card_values(card: Card, source: SourceRecord, position: int) -> dict[str, Any]:
    """A card's columns as its file gives them (all but the deck)."""
    return {
        "card_id": card.id,
        "source_id": source.id,
        "kind": card.kind.value,
        "question": card.question,
        "answer": card.answer,
        "section": card.section,
        "tags": " ".join(card.tags),
        "source": card.source,
        "line": card.line,
        "position": position,
        "family": card.problem.family if card.problem else None,
        "difficulty": card.problem.difficulty if card.problem else None,
        "cloze_number": card.cloze_number,
        "note": card.note,
    }


KEY_CHUNK = 500
"""Card ids looked up by one ``IN (…)``. The cards go in as one plain ``executemany`` and
their keys are read back by id: SQLAlchemy's ``INSERT … RETURNING`` of many rows on SQLite
splices the returned rows together again after each small batch (quadratic: 10,000 cards
took seconds)."""

_SCHEDULE_COLUMNS = ("repetitions", "easiness", "interval", "due", "lapses", "reviews")
_NEW_SCHEDULE = {name: getattr(NEW_CARD_STATE, name) for name in _SCHEDULE_COLUMNS} | {
    "last_reviewed_at": NEW_CARD_STATE.last_reviewed_at
}
"""A new card's schedule row (:data:`NEW_CARD_STATE`), less its card key."""


def _status(card: Card, suspended: Collection[str]) -> str:
    return "suspended" if card.id in suspended else "active"


def insert_new_cards(
    session: Session,
    new: Sequence[tuple[Card, DeckRecord, int]],
    source: SourceRecord,
    now: datetime,
    suspended: Collection[str] = (),
    flags: Mapping[str, int] | None = None,
) -> None:
    """Insert new cards, each with a new schedule, as bulk rows rather than ORM objects: a
    20,000-card import is written in about a second of the write lock instead of seconds.

    Cards whose id is in ``suspended`` (suspended in the file they came from: the learner's
    choice, kept with or without their progress) arrive suspended, the others active; cards
    in ``flags`` arrive with that flag, as Anki had them."""
    if not new:
        return
    session.flush()  # new decks get their keys
    rows = [
        card_values(card, source, position)
        | {
            "deck_id": deck.id,
            "status": _status(card, suspended),
            "flag": (flags or {}).get(card.id, 0),
            "created_at": now,
            "updated_at": now,
        }
        for card, deck, position in new
    ]
    cards = cast(Table, CardRecord.__table__)
    session.execute(insert(cards), rows)  # one plain executemany: no RETURNING
    ids = [row["card_id"] for row in rows]
    key_of: dict[str, int] = {}
    for start in range(0, len(ids), KEY_CHUNK):
        chunk = ids[start : start + KEY_CHUNK]
        query = select(CardRecord.card_id, CardRecord.id).where(CardRecord.card_id.in_(chunk))
        key_of.update((card_id, key) for card_id, key in session.execute(query))
    keys = [key_of[card_id] for card_id in ids]  # in the order of ``new``
    session.execute(insert(ScheduleRecord), [_NEW_SCHEDULE | {"card_key": k} for k in keys])
    store_new_cards(
        session,
        (
            (key, card.kind.value, card.question, card.answer, card.note)
            for key, (card, _, _) in zip(keys, new, strict=True)
        ),
    )
