"""Take the history an imported file carries (an Anki package's schedules and review log).

Only cards with no history in this database take it: a card already reviewed here keeps its
own schedule and log (the import names it), so importing twice, or importing a package of
cards studied in both places, never mixes two histories into one. Runs inside the import's
transaction, so a failure leaves the database as it was.

The reviews arrive as :class:`~quizcalc.exchange.ExchangeReview` rows whose study days and
before/after schedules the reader already worked out (for Anki: in this computer's time zone,
with the default rollover; see :mod:`quizcalc.exchange.apkg_history`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from quizcalc.exchange.model import AnkiManualRow, ExchangeCard, ExchangeReview
from quizcalc.store.models import (
    AnkiRevlogExtraRecord,
    CardRecord,
    ReviewLogRecord,
    ScheduleRecord,
)
from quizcalc.study.log_kinds import ANSWER_KINDS

__all__ = ["IMPORT_SESSION", "apply_imported_progress"]

IMPORT_SESSION = "import"
"""The ``session_id`` of review-log rows that came from an imported file."""


def _log_row(card_key: int, review: ExchangeReview) -> ReviewLogRecord:
    return ReviewLogRecord(
        card_key=card_key,
        reviewed_at=review.reviewed_at,
        study_day=review.study_day,
        quality=review.quality,
        answer_text=review.answer_text,
        duration_ms=review.duration_ms,
        kind=review.kind,
        session_id=IMPORT_SESSION,
        seed=review.seed,
        misconception=review.misconception,
        before_repetitions=review.before.repetitions,
        before_easiness=review.before.easiness,
        before_interval=review.before.interval,
        before_due=review.before.due,
        before_lapses=review.before.lapses,
        after_repetitions=review.after.repetitions,
        after_easiness=review.after.easiness,
        after_interval=review.after.interval,
        after_due=review.after.due,
    )


def _manual_row(card_key: int, row: AnkiManualRow) -> AnkiRevlogExtraRecord:
    return AnkiRevlogExtraRecord(
        card_key=card_key,
        anki_id=row.anki_id,
        ease=row.ease,
        ivl=row.ivl,
        last_ivl=row.last_ivl,
        factor=row.factor,
        time_ms=row.time_ms,
        type=row.type,
        reviewed_at=row.reviewed_at,
    )


def _history_here(session: Session, keys: list[int]) -> dict[int, tuple[int, int]]:
    """Per card with a log here: (its rows of every kind, the answers among them)."""
    answers = func.sum(case((ReviewLogRecord.kind.in_(ANSWER_KINDS), 1), else_=0))
    counts: dict[int, tuple[int, int]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = (
            select(ReviewLogRecord.card_key, func.count(), answers)
            .where(ReviewLogRecord.card_key.in_(chunk))
            .group_by(ReviewLogRecord.card_key)
        )
        counts.update(
            {int(key): (int(rows), int(n or 0)) for key, rows, n in session.execute(query).all()}
        )
    return counts


def apply_imported_progress(
    session: Session,
    records: dict[str, CardRecord],
    progress: dict[str, ExchangeCard],
    now: datetime,
) -> tuple[int, list[str]]:
    """Give imported history to the cards in ``records`` that have none here yet.

    ``records`` are the store's cards by card id (already synced from the file), ``progress``
    what the file carries by card id. A card suspended in the file is suspended here too.
    Returns (cards given a history, one line per card whose history was kept instead:
    ``<file>: <card id>: already has N reviews here; kept this database's history``, and one
    line per file counting the Anki review-log rows that are neither answers nor a Forget:
    they are kept apart, in ``anki_revlog_extra``, out of every statistic, for an export to
    give back). A Forget arrives as a ``reset`` row of the review log, as quizcalc's own.
    """
    del now  # the history carries its own times
    counts = _history_here(session, [record.id for record in records.values()])
    given = 0
    skipped: list[str] = []
    manual: dict[str, int] = {}
    for card_id, carried in progress.items():
        record = records.get(card_id)
        if record is None:
            continue
        if carried.suspended and record.status == "active":
            record.status = "suspended"
        state = carried.schedule
        if not carried.reviews and not carried.manual and (state is None or state.due is None):
            continue  # nothing learnt in the file (a new card, perhaps suspended)
        rows, answers = counts.get(record.id, (0, 0))
        here = max(answers, record.schedule.reviews if record.schedule else 0)
        if here or rows:  # a reset or an implicit credit is history too, though no answer
            had = f"{here} review{'' if here == 1 else 's'}" if here else "a history"
            skipped.append(
                f"{record.source}: {card_id}: already has {had} here; kept this database's history"
            )
            continue
        answered = [review for review in carried.reviews if review.kind in ANSWER_KINDS]
        schedule = record.schedule
        if schedule is None:
            schedule = ScheduleRecord()
            record.schedule = schedule
        if state is not None:
            schedule.repetitions = state.repetitions
            schedule.easiness = state.easiness
            schedule.interval = state.interval
            schedule.due = state.due
            schedule.lapses = state.lapses
            schedule.reviews = max(state.reviews, len(answered))
            schedule.last_reviewed_at = state.last_reviewed_at
        else:
            schedule.reviews = len(answered)
        if schedule.last_reviewed_at is None and answered:
            schedule.last_reviewed_at = answered[-1].reviewed_at
        session.add_all(_log_row(record.id, review) for review in carried.reviews)
        session.add_all(_manual_row(record.id, row) for row in carried.manual)
        given += 1
        if carried.manual:
            manual[record.source] = manual.get(record.source, 0) + len(carried.manual)
    skipped.extend(_manual_line(source, count) for source, count in manual.items())
    return given, skipped


def _manual_line(source: str, count: int) -> str:
    rows = "1 manual row" if count == 1 else f"{count} manual rows"
    return (
        f"{source}: {rows} of Anki's review log (set due date or reschedule) kept for"
        " Anki; quizcalc's statistics leave them out"
    )
