"""Reference copy (pre-step 9) of :mod:`quizcalc.study.stats.activity`.

Activity over time: answers and answering time per study day, streaks, the due forecast.

One aggregate query per figure, grouped by day in SQL; Python only walks the (at most a few
thousand) day rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from quizcalc.store.models import CardRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.queue import SERVABLE
from quizcalc.study.stats.model import DayCount, ForecastDay, Streaks
from quizcalc.study.stats.periods import FORECAST_DAYS, HEATMAP_DAYS, days_back

__all__ = ["activity_by_day", "dense_days", "due_forecast", "relearn_answers", "streaks"]


def activity_by_day(session: Session) -> list[DayCount]:
    """Answers (every kind) and their summed durations for every study day with an answer.

    Oldest first. Whole history: the longest streak and the total need it, and on the
    ``(study_day, …, duration_ms)`` index the scan reads no table row.
    """
    log = ReviewLogRecord
    rows = session.execute(
        select(log.study_day, func.count(), func.coalesce(func.sum(log.duration_ms), 0))
        .group_by(log.study_day)
        .order_by(log.study_day)
    )
    return [DayCount(day=day, reviews=int(n), seconds=int(ms or 0) / 1000) for day, n, ms in rows]


def relearn_answers(session: Session) -> int:
    """Relearn re-asks in the whole history (the answers the per-group tables leave out)."""
    log = ReviewLogRecord
    return int(session.scalar(select(func.count()).where(log.kind == "relearn")) or 0)


def dense_days(days: Iterable[DayCount], today: date, span: int = HEATMAP_DAYS) -> list[DayCount]:
    """The ``span`` study days ending with ``today``, oldest first, days without answers as 0."""
    start = days_back(today, span)
    known = {d.day: d for d in days if start <= d.day <= today}
    return [
        known.get(start + timedelta(days=i), DayCount(start + timedelta(days=i), 0, 0.0))
        for i in range(span)
    ]


def streaks(active_days: Sequence[date], today: date) -> Streaks:
    """Current and longest runs of consecutive days in ``active_days`` (sorted, ascending).

    Days after ``today`` (a clock set back, a time-zone change) are ignored. The current run
    ends today, or yesterday while today has no answer yet, so a streak survives until the
    day is over.
    """
    longest, longest_end = 0, None
    run, previous = 0, None
    for day in active_days:
        if day > today:
            break
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        previous = day
        if run >= longest:
            longest, longest_end = run, day
    current = 0
    if previous is not None and today - previous <= timedelta(days=1):
        current = run
    return Streaks(current=current, longest=longest, longest_end=longest_end)


def due_forecast(session: Session, today: date, span: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Active, servable cards due on each of the ``span`` days from ``today``.

    Today's count includes every overdue card, as the queue would serve them (before its
    daily cap); cards answered today are already due later and are not counted.
    """
    cards = aliased(CardRecord, name="c")
    last = today + timedelta(days=span - 1)
    rows = session.execute(
        select(ScheduleRecord.due, func.count())
        .join(cards, cards.id == ScheduleRecord.card_key)
        .where(
            text(f"c.status = 'active' AND {SERVABLE}"),
            ScheduleRecord.due.is_not(None),
            ScheduleRecord.due <= last,
        )
        .group_by(ScheduleRecord.due)
    )
    counts = [0] * span
    for due, n in rows:
        if due is not None:
            counts[max(0, (due - today).days)] += int(n)
    return [ForecastDay(today + timedelta(days=i), counts[i]) for i in range(span)]
