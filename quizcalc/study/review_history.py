"""Each card's history from the review log, as plain data for the schedulers to replay.

The review log is the source of truth: every change to a card's schedule is a row of it (an
answer, an implicit credit from an encompassing skill, a reset to new). :func:`card_histories`
reads those rows, in the order they happened, into :class:`LoggedReview` values;
:func:`rated_days` turns one card's history into what FSRS reads: the schedule-moving answers
since its last reset, each with its rating and study day.

Plain SQL over the log's columns (no ORM objects): a heavy learner's log has millions of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from quizcalc.scheduling.ratings import Rating, quality_rating
from quizcalc.study.log_kinds import ANSWER_KINDS
from quizcalc.study.queue_limits import RunSQL
from quizcalc.study.stats.sql import day_of

__all__ = [
    "ANSWER_KINDS",
    "LoggedReview",
    "card_histories",
    "rated_days",
]


_ROWS = """
SELECT id, card_key, reviewed_at, study_day, kind, quality, rating, weight, cause_id,
       before_repetitions, before_easiness, before_interval, before_due,
       after_repetitions, after_easiness, after_interval, after_due,
       duration_ms, misconception, before_lapses
FROM review_log {where}
ORDER BY card_key, reviewed_at, id
"""


@dataclass(frozen=True)
class LoggedReview:
    """One review-log row, as the schedulers replay it."""

    id: int
    card_key: int
    reviewed_at: datetime
    study_day: date
    kind: str
    """``review``, ``relearn``, ``drill``, ``implicit`` or ``reset``."""
    quality: int
    rating: Rating
    """The stored FSRS rating, or (rows written before ratings were stored) the one its
    quality maps to."""
    weight: float | None
    """An ``implicit`` row's share of a real review."""
    cause_id: int | None
    """An ``implicit`` row's causing review."""
    before: tuple[int, float, int, date | None]
    """Repetitions, easiness, interval and due day before the row."""
    after: tuple[int, float, int, date | None]
    """The same after it."""
    duration_ms: int | None
    misconception: str | None
    before_lapses: int = 0
    """Lapses before the row."""

    @property
    def moved_schedule(self) -> bool:
        """An answer that moved the card's schedule: a review, or a drill that moved it."""
        if self.kind == "review":
            return True
        return self.kind == "drill" and self.before != self.after


def _datetime(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _optional_day(value: object) -> date | None:
    return None if value is None else day_of(value)


def card_histories(
    run: RunSQL, card_keys: Iterable[int] | None = None
) -> dict[int, list[LoggedReview]]:
    """Every card's log rows in the order they happened (all cards, or ``card_keys``)."""
    params: dict[str, object] = {}
    where = ""
    if card_keys is not None:
        keys = sorted(set(card_keys))
        if not keys:
            return {}
        where = f"WHERE card_key IN ({', '.join(str(int(key)) for key in keys)})"
    histories: dict[int, list[LoggedReview]] = {}
    for row in run(_ROWS.format(where=where), params):
        quality = int(row[5])
        stored = row[6]
        review = LoggedReview(
            id=int(row[0]),
            card_key=int(row[1]),
            reviewed_at=_datetime(row[2]),
            study_day=day_of(row[3]),
            kind=str(row[4]),
            quality=quality,
            rating=Rating(int(stored)) if stored is not None else quality_rating(quality),
            weight=None if row[7] is None else float(row[7]),
            cause_id=None if row[8] is None else int(row[8]),
            before=(int(row[9]), float(row[10]), int(row[11]), _optional_day(row[12])),
            after=(int(row[13]), float(row[14]), int(row[15]), _optional_day(row[16])),
            duration_ms=None if row[17] is None else int(row[17]),
            misconception=row[18],
            before_lapses=int(row[19] or 0),
        )
        histories.setdefault(review.card_key, []).append(review)
    return histories


def rated_days(history: Sequence[LoggedReview]) -> list[tuple[Rating, date]]:
    """The schedule-moving answers since the card's last reset, as ``(rating, study day)``.

    Same-day re-asks (``relearn``) and drills that left the schedule alone are not in it (they
    did not move the schedule under either scheduler), nor are implicit credits (not answers).
    """
    start = 0
    for index, review in enumerate(history):
        if review.kind == "reset":
            start = index + 1
    return [(r.rating, r.study_day) for r in history[start:] if r.moved_schedule]
