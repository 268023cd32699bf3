"""Answering a card: grade → SM-2 → new schedule + review-log row, in one transaction; and undo.

Only the day's first answer to a card moves its schedule (SM-2 proper); later answers the same
day are step-7 re-asks, logged as ``relearn`` with the schedule unchanged.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.scheduling.sm2 import PASSING_QUALITY, SM2State, needs_relearning, review
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study.views import AnswerOutcome

__all__ = ["record_answer", "undo_answer"]


def record_answer(
    session: Session,
    card_key: int,
    quality: int,
    *,
    now: datetime,
    today: date,
    answer_text: str | None = None,
    duration_ms: int | None = None,
    session_id: str | None = None,
    seed: int | None = None,
    misconception: str | None = None,
) -> AnswerOutcome:
    """Grade one card; the caller's transaction commits schedule and log together."""
    if not 0 <= int(quality) <= 5:
        raise ValueError(f"quality must be 0..5, got {quality!r}")
    record = session.get(CardRecord, card_key)
    if record is None:
        raise LookupError(f"no card with key {card_key}")
    schedule = record.schedule
    before = SM2State(schedule.repetitions, schedule.easiness, schedule.interval)
    before_due = schedule.due
    first_today = (
        session.scalar(
            select(ReviewLogRecord.id).where(
                ReviewLogRecord.card_key == card_key,
                ReviewLogRecord.study_day == today,
                ReviewLogRecord.kind == "review",
            )
        )
        is None
    )
    if first_today:
        after = review(before, quality)
        due: date | None = today + timedelta(days=after.interval)
        kind = "review"
    else:
        after, due, kind = before, before_due, "relearn"
    log = ReviewLogRecord(
        card_key=card_key,
        reviewed_at=now,
        study_day=today,
        quality=int(quality),
        answer_text=answer_text,
        duration_ms=duration_ms,
        kind=kind,
        session_id=session_id,
        seed=seed,
        misconception=misconception,
        before_repetitions=before.repetitions,
        before_easiness=before.easiness,
        before_interval=before.interval,
        before_due=before_due,
        before_lapses=schedule.lapses,
        after_repetitions=after.repetitions,
        after_easiness=after.easiness,
        after_interval=after.interval,
        after_due=due,
    )
    session.add(log)
    if kind == "review":
        if quality < PASSING_QUALITY and before.repetitions > 0:
            schedule.lapses += 1
        schedule.repetitions = after.repetitions
        schedule.easiness = after.easiness
        schedule.interval = after.interval
        schedule.due = due
        schedule.reviews += 1
        schedule.last_reviewed_at = now
    session.flush()
    assert due is not None
    return AnswerOutcome(
        card_key=card_key,
        quality=int(quality),
        kind=kind,
        before=before,
        after=after,
        due=due,
        again_today=needs_relearning(quality),
        log_id=log.id,
    )


def undo_answer(session: Session, log_id: int) -> int:
    """Remove review-log row ``log_id`` and restore the schedule it changed; returns the card key.

    Only the most recent answer to that card can be undone (undo walks back in order).
    """
    log = session.get(ReviewLogRecord, log_id)
    if log is None:
        raise LookupError(f"no answer {log_id} to undo")
    newer = session.scalar(
        select(ReviewLogRecord.id).where(
            ReviewLogRecord.card_key == log.card_key, ReviewLogRecord.id > log.id
        )
    )
    if newer is not None:
        raise ValueError("a later answer to this card must be undone first")
    if log.kind == "review":
        schedule = session.get(CardRecord, log.card_key).schedule  # type: ignore[union-attr]
        schedule.repetitions = log.before_repetitions
        schedule.easiness = log.before_easiness
        schedule.interval = log.before_interval
        schedule.due = log.before_due
        schedule.lapses = log.before_lapses
        schedule.reviews = max(0, schedule.reviews - 1)
        previous = session.scalar(
            select(ReviewLogRecord.reviewed_at)
            .where(
                ReviewLogRecord.card_key == log.card_key,
                ReviewLogRecord.kind == "review",
                ReviewLogRecord.id < log.id,
            )
            .order_by(ReviewLogRecord.id.desc())
            .limit(1)
        )
        schedule.last_reviewed_at = previous
    card_key = log.card_key
    session.delete(log)
    session.flush()
    return card_key
