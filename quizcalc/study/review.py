"""Answering a card: grade → SM-2 → new schedule + review-log row, in one transaction; and undo.

Only the day's first answer to a card moves its schedule (SM-2 proper); later answers the same
day are step-7 re-asks, logged as ``relearn`` with the schedule unchanged. Drill answers are
logged as ``drill`` and leave the schedule alone unless the learner asked drills to move it;
then the day's first schedule-moving answer moves it, as a review would.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import (
    AnswerStep,
    CardState,
    SchedulerSettings,
    apply_answer,
    is_leech_lapse,
)
from quizcalc.scheduling.early import apply_early_answer
from quizcalc.scheduling.fsrs_answer import apply_fsrs_answer
from quizcalc.scheduling.ratings import (
    ProblemEvidence,
    Rating,
    problem_rating,
    quality_rating,
    typical_seconds,
)
from quizcalc.scheduling.sm2 import PASSING_QUALITY, SM2State, needs_relearning
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.models import CardRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.errors import CardNotFound, InvalidRequest
from quizcalc.study.log_kinds import ANSWERS_SQL, BLAME, IMPLICIT, RESET
from quizcalc.study.log_rows import restore_before, state_columns
from quizcalc.study.views import AnswerOutcome

__all__ = [
    "answer_step",
    "lock_schedule_row",
    "moved_schedule",
    "moved_today",
    "rating_of",
    "record_answer",
    "record_drill_answer",
    "undo_answer",
]


_L = ReviewLogRecord
MOVED_SCHEDULE: ColumnElement[bool] = or_(
    _L.kind == "review",
    and_(
        _L.kind == "drill",
        or_(
            _L.after_due.is_distinct_from(_L.before_due),
            _L.after_repetitions != _L.before_repetitions,
            _L.after_interval != _L.before_interval,
            _L.after_easiness != _L.before_easiness,
        ),
    ),
)
"""SQL: the log row moved its card's schedule. A drill row that did not move it copies the
state into ``after_*``; one that did always differs (SM-2 changes the state or the due day,
except for a card already moved that same day, which is never moved twice)."""


def lock_schedule_row(session: Session, card_key: int) -> None:
    """PostgreSQL: lock the card's ``schedule`` row (``SELECT … FOR UPDATE``) before its
    state is read, until the answer or undo commits.

    quizcalc's own writers already wait for each other on the collection's write lock (an
    advisory lock, :mod:`quizcalc.store.connection`); the row lock also holds off a writer
    that does not take it (an SQL session on the server, a tool of the learner's own), so the
    state read here is the one the answer's log row records as its "before". SQLite needs
    nothing: ``BEGIN IMMEDIATE`` already locked the whole database.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    lock = select(ScheduleRecord.card_key).where(ScheduleRecord.card_key == card_key)
    session.execute(lock.with_for_update())


def moved_today(session: Session, card_key: int, today: date) -> bool:
    """Whether the card's schedule already moved on study day ``today`` (an answer that moves
    it again that day is a re-ask). Not counting answers before a reset that day: a card reset
    to new is moved by its next answer, as a new card is."""
    last_reset = (
        select(func.coalesce(func.max(_L.id), 0))
        .where(_L.card_key == card_key, _L.study_day == today, _L.kind == RESET)
        .scalar_subquery()
    )
    moved = select(_L.id).where(
        _L.card_key == card_key, _L.study_day == today, MOVED_SCHEDULE, _L.id > last_reset
    )
    return session.scalar(moved.limit(1)) is not None


def moved_schedule(log: ReviewLogRecord) -> bool:
    """Whether ``log`` moved its card's schedule (the Python twin of :data:`MOVED_SCHEDULE`)."""
    if log.kind == "review":
        return True
    if log.kind != "drill":
        return False
    before = (log.before_repetitions, log.before_easiness, log.before_interval, log.before_due)
    after = (log.after_repetitions, log.after_easiness, log.after_interval, log.after_due)
    return before != after


OWN_TIMES_READ = 200
"""The learner's latest answer times of a family that its typical time is the median of."""

_OWN_TIMES = f"""
SELECT review_log.duration_ms FROM review_log JOIN cards ON cards.id = review_log.card_key
WHERE cards.family = :family AND review_log.kind IN {ANSWERS_SQL}
  AND review_log.duration_ms IS NOT NULL
ORDER BY review_log.id DESC LIMIT :limit
"""


def rating_of(
    session: Session, card: CardRecord, quality: int, evidence: ProblemEvidence | None
) -> Rating:
    """The FSRS rating an answer earns (the map is :mod:`quizcalc.scheduling.ratings`'s).

    A self-graded card's follows from its quality. A problem card's follows from the grader's
    evidence against the family's typical time: the median of the learner's latest answer
    times for that family once there are enough, else the family's stated time.
    """
    if evidence is None or card.family is None:
        return quality_rating(int(quality))
    from quizcalc.problems.registry import get_family

    own = [
        row[0] / 1000
        for row in session.execute(
            text(_OWN_TIMES), {"family": card.family, "limit": OWN_TIMES_READ}
        )
    ]
    family = get_family(card.family)
    stated = family.target_seconds[min(len(family.target_seconds), card.difficulty or 1) - 1]
    return problem_rating(evidence, typical_seconds(own, stated))


def answer_step(
    state: CardState,
    quality: int,
    rating: Rating,
    now: datetime,
    settings: SchedulerSettings,
    *,
    drill: bool = False,
) -> AnswerStep:
    """The schedule-moving step of the scheduler in force: FSRS from the rating; SM-2 from
    the quality (a review before the due day takes SM-2's early step; a drill the plain one)."""
    if settings.algorithm == "fsrs":
        return apply_fsrs_answer(state, quality, rating, now, settings)
    if drill:
        return apply_answer(state, quality, now, settings)
    return apply_early_answer(state, quality, now, settings)


def record_answer(
    session: Session,
    card_key: int,
    quality: int,
    *,
    now: datetime,
    settings: SchedulerSettings,
    answer_text: str | None = None,
    duration_ms: int | None = None,
    session_id: str | None = None,
    seed: int | None = None,
    misconception: str | None = None,
    evidence: ProblemEvidence | None = None,
) -> AnswerOutcome:
    """Grade one card; the caller's transaction commits schedule and log together.

    The day's first answer moves the schedule through the pure step
    :func:`~quizcalc.scheduling.answer.apply_answer` (a lapse that makes the card a leech
    also suspends it); a later one that day is a step-7 re-ask, logged as ``relearn``.
    """
    log, before, step = _log_answer(
        session,
        card_key,
        quality,
        drill=False,
        moves_schedule=True,
        now=now,
        settings=settings,
        answer_text=answer_text,
        duration_ms=duration_ms,
        session_id=session_id,
        seed=seed,
        misconception=misconception,
        evidence=evidence,
    )
    leech = step is not None and step.leech
    card = session.get(CardRecord, card_key)
    assert card is not None
    if leech:
        card.status = "suspended"
    if step is not None and settings.implicit_repetition and card.family is not None:
        from quizcalc.study.implicit_credit import credit_components

        credit_components(session, card, log, now, settings)
    due = log.after_due
    if due is None:  # a re-ask of a card that was never scheduled cannot happen: it moved first
        raise InvalidRequest(f"card {card_key} has no due day after an answer")
    return AnswerOutcome(
        card_key=card_key,
        quality=int(quality),
        kind=log.kind,
        before=before.memory,
        after=SM2State(log.after_repetitions, log.after_easiness, log.after_interval),
        due=due,
        again_today=step.again_today if step is not None else _again(log, settings),
        log_id=log.id,
        leech=leech,
    )


def _again(log: ReviewLogRecord, settings: SchedulerSettings) -> bool:
    """A re-ask is asked again: under SM-2 below quality 4 (step 7), under FSRS on Again."""
    if settings.algorithm == "fsrs":
        return log.rating == Rating.AGAIN
    return needs_relearning(log.quality)


def _became_leech(log: ReviewLogRecord, threshold: int | None) -> bool:
    lapsed = log.kind == "review" and log.quality < PASSING_QUALITY and log.before_repetitions > 0
    return threshold is not None and lapsed and is_leech_lapse(log.before_lapses + 1, threshold)


def record_drill_answer(
    session: Session,
    card_key: int,
    quality: int,
    *,
    now: datetime,
    settings: SchedulerSettings,
    moves_schedule: bool = False,
    answer_text: str | None = None,
    duration_ms: int | None = None,
    session_id: str | None = None,
    seed: int | None = None,
    misconception: str | None = None,
    evidence: ProblemEvidence | None = None,
) -> ReviewLogRecord:
    """Log one drill answer (kind ``"drill"``) in the caller's transaction; return the row.

    The schedule is left alone unless ``moves_schedule``; then it moves (as a review would) if
    this is the card's first schedule-moving answer of the study day (review or drill), and
    never twice a day. :func:`moved_schedule` on the returned row tells which happened.
    """
    log, _, _ = _log_answer(
        session,
        card_key,
        quality,
        drill=True,
        moves_schedule=moves_schedule,
        now=now,
        settings=settings,
        answer_text=answer_text,
        duration_ms=duration_ms,
        session_id=session_id,
        seed=seed,
        misconception=misconception,
        evidence=evidence,
    )
    return log


def _log_answer(
    session: Session,
    card_key: int,
    quality: int,
    *,
    drill: bool,
    moves_schedule: bool,
    now: datetime,
    settings: SchedulerSettings,
    answer_text: str | None,
    duration_ms: int | None,
    session_id: str | None,
    seed: int | None,
    misconception: str | None,
    evidence: ProblemEvidence | None = None,
) -> tuple[ReviewLogRecord, CardState, AnswerStep | None]:
    """Write the log row and, when the answer moves the schedule, the new state."""
    if not 0 <= int(quality) <= 5:
        raise InvalidRequest(f"a grade is 0 to 5, got {quality!r}")
    lock_schedule_row(session, card_key)
    record = session.get(CardRecord, card_key)
    if record is None:
        raise CardNotFound(
            f"no card with key {card_key}; it may have been removed in another window"
        )
    schedule = record.schedule
    before = schedule.state
    today = study_day(now, settings.rollover_hour)
    moves = moves_schedule and not moved_today(session, card_key, today)
    rating = rating_of(session, record, quality, evidence)
    # A review before the due day (custom study's review ahead) moves the schedule gently.
    step = answer_step(before, quality, rating, now, settings, drill=drill) if moves else None
    after = before if step is None else step.state
    kind = "drill" if drill else "review" if moves else "relearn"
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
        rating=int(rating),
        **state_columns(before, after),
    )
    session.add(log)
    if step is not None:
        schedule.state = step.state
    session.flush()
    return log, before, step


def _fsrs_memory_without(
    session: Session, log: ReviewLogRecord, settings: SchedulerSettings
) -> CardState:
    """The card's FSRS memory replayed from its log without ``log`` (the log is the truth:
    the row keeps no FSRS memory of its own to restore)."""
    from quizcalc.scheduling.replay import replay_card
    from quizcalc.study.collection_base import sql_runner
    from quizcalc.study.review_history import card_histories

    rows = card_histories(sql_runner(session), [log.card_key]).get(log.card_key, [])
    return replay_card([row for row in rows if row.id != log.id], settings)


def _cause_card(session: Session, row: ReviewLogRecord) -> str:
    """The card whose review wrote credit or blame ``row``: its id, or what is known of it."""
    cause = None if row.cause_id is None else session.get(ReviewLogRecord, row.cause_id)
    card = None if cause is None else session.get(CardRecord, cause.card_key)
    return "another card" if card is None else card.card_id


def _blocked_by(session: Session, newer: ReviewLogRecord) -> str:
    """Why an answer cannot be undone while ``newer`` (the card's latest row) stands, and what
    to do: each kind of row is taken back its own way."""
    if newer.kind == RESET:
        return (
            "this card was reset to new after that answer, so the answer stays: undo the reset"
            " first (u in Browse, straight after the reset), then the answer"
        )
    if newer.kind == IMPLICIT:
        return (
            f"this card was credited by a later review of {_cause_card(session, newer)}:"
            " undo that review first (its undo takes the credit back)"
        )
    if newer.kind == BLAME:
        return (
            f"this card was made due by a later review of {_cause_card(session, newer)} that"
            " named one of its misconceptions: undo that review first (its undo takes that back)"
        )
    return "a later answer to this card must be undone first"


def undo_answer(
    session: Session,
    log_id: int,
    leech_threshold: int | None = None,
    settings: SchedulerSettings | None = None,
) -> int:
    """Remove review-log row ``log_id`` and restore the schedule it changed; returns the card key.

    Only the most recent answer to that card can be undone (undo walks back in order): a newer
    row is refused with what it is and how to take it back (a later answer, a reset, a credit
    or blame from a later review of another card). An answer that suspended its card as a
    leech is undone with the suspension.
    """
    log = session.get(ReviewLogRecord, log_id)
    if log is None:
        raise CardNotFound(f"no answer {log_id} to undo (already undone in another window?)")
    lock_schedule_row(session, log.card_key)
    newer = session.scalar(
        select(ReviewLogRecord)
        .where(ReviewLogRecord.card_key == log.card_key, ReviewLogRecord.id > log.id)
        .order_by(ReviewLogRecord.id.desc())
        .limit(1)
    )
    if newer is not None:
        raise InvalidRequest(_blocked_by(session, newer))
    if moved_schedule(log):
        schedule = session.get(CardRecord, log.card_key).schedule  # type: ignore[union-attr]
        restore_before(schedule, log)
        schedule.reviews = max(0, schedule.reviews - 1)
        previous = session.scalar(
            select(ReviewLogRecord.reviewed_at)
            .where(
                ReviewLogRecord.card_key == log.card_key,
                MOVED_SCHEDULE,
                ReviewLogRecord.id < log.id,
            )
            .order_by(ReviewLogRecord.id.desc())
            .limit(1)
        )
        schedule.last_reviewed_at = previous
        if settings is not None and settings.algorithm == "fsrs":
            memory = _fsrs_memory_without(session, log, settings)
            schedule.stability, schedule.difficulty = memory.stability, memory.difficulty
    card_key = log.card_key
    from quizcalc.study.implicit_credit import undo_credits

    undo_credits(session, log.id)
    card = session.get(CardRecord, card_key)
    if card is not None and card.status == "suspended" and _became_leech(log, leech_threshold):
        card.status = "active"
    session.delete(log)
    session.flush()
    return card_key
