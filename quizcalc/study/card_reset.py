"""A reset to new (Anki's "Forget") as a row of the review log, and its undo.

The review log is the one history every schedule is rebuilt from, so a reset is written into
it, in the reset's own transaction: kind ``reset``, quality 0, no rating, ``before_*`` the
schedule the card had and ``after_*`` a new card's (:data:`NEW_CARD_STATE`). Without the row
a replay of the log would bring the reset card's progress back. A reset is not an answer:
every reader that counts answers leaves these rows out (:mod:`quizcalc.study.log_kinds`).

The schedule goes back to new (repetitions, interval and lapses 0, easiness 2.5, no due day,
no FSRS memory); its count of reviews and the time of the last one are kept, and so is every
earlier row of the log. Undoing a reset writes the old schedule back and removes its row,
refused once the card has a newer row (it was studied after the reset).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import NEW_CARD_STATE, CardState
from quizcalc.store.models import ReviewLogRecord
from quizcalc.study.batches import batches
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.log_kinds import RESET
from quizcalc.study.log_rows import state_columns
from quizcalc.study.views import ScheduleSnapshot

__all__ = [
    "remove_reset_rows",
    "reset_state",
    "write_reset_rows",
]

_CHUNK = 500
"""Card keys (or rows) per statement (SQLite caps the number of bound parameters)."""


def reset_state(before: ScheduleSnapshot) -> CardState:
    """The schedule a reset leaves: a new card's, with the count of reviews and the time of
    the last one kept."""
    return replace(NEW_CARD_STATE, reviews=before.reviews, last_reviewed_at=before.last_reviewed_at)


def _already_new(before: ScheduleSnapshot) -> bool:
    after = reset_state(before)
    unchanged = (after.repetitions, after.easiness, after.interval, after.due, after.lapses)
    return unchanged == (
        before.repetitions,
        before.easiness,
        before.interval,
        before.due,
        before.lapses,
    ) and (before.stability, before.difficulty) == (None, None)


def _row(card_key: int, before: ScheduleSnapshot, now: datetime, today: date) -> dict[str, object]:
    after = reset_state(before)
    return {
        "card_key": card_key,
        "reviewed_at": now,
        "study_day": today,
        "quality": 0,
        "rating": None,
        "kind": RESET,
        **state_columns(before, after),
    }


def write_reset_rows(
    session: Session, befores: Mapping[int, ScheduleSnapshot], now: datetime, today: date
) -> dict[int, ScheduleSnapshot]:
    """Log the reset of every card of ``befores`` (card key → the schedule it had) in the
    caller's transaction; the same snapshots, each carrying the id of its reset row.

    A card that was new already (a reset changes nothing of its schedule) gets no row, so
    resetting a whole selection does not fill the log of cards never studied."""
    ids: dict[int, int] = {}
    rows = [
        _row(key, before, now, today) for key, before in befores.items() if not _already_new(before)
    ]
    statement = insert(ReviewLogRecord).returning(ReviewLogRecord.id, ReviewLogRecord.card_key)
    for chunk in batches(rows, _CHUNK):
        for log_id, card_key in session.execute(statement, chunk):
            ids[int(card_key)] = int(log_id)
    return {key: replace(before, reset_log_id=ids.get(key)) for key, before in befores.items()}


def remove_reset_rows(session: Session, snapshots: Mapping[int, ScheduleSnapshot]) -> None:
    """Undo's half of the log: remove the reset rows ``snapshots`` name (card key → what the
    reset returned), in the caller's transaction.

    Refused (InvalidRequest, nothing removed) when a card has a row newer than its reset: it
    was studied (or credited) after the reset, and that row's ``before_*`` is the new card.
    """
    resets = {key: s.reset_log_id for key, s in snapshots.items() if s.reset_log_id is not None}
    keys: Sequence[int] = list(resets)
    studied = 0
    for chunk in batches(keys, _CHUNK):
        newest = session.execute(
            select(ReviewLogRecord.card_key, func.max(ReviewLogRecord.id))
            .where(ReviewLogRecord.card_key.in_(chunk))
            .group_by(ReviewLogRecord.card_key)
        )
        studied += sum(1 for key, last in newest if last is not None and last > resets[key])
    if studied:
        if len(keys) == 1:
            cards = "the card was"
        else:
            cards = f"{studied} of the cards {'was' if studied == 1 else 'were'}"
        raise InvalidRequest(
            f"{cards} studied after the reset: the reset stays (undo those answers first)"
        )
    for chunk in batches(list(resets.values()), _CHUNK):
        session.execute(
            delete(ReviewLogRecord).where(
                ReviewLogRecord.id.in_(chunk), ReviewLogRecord.kind == RESET
            )
        )
