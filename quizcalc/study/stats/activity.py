"""Activity over time: answers and answering time per study day, streaks, the due forecast.

One aggregate query per figure, grouped by day in SQL; Python only walks the (at most a few
thousand) day rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from quizcalc.study.log_kinds import ANSWERS_SQL
from quizcalc.study.queue import SERVABLE
from quizcalc.study.stats.model import DayCount, ForecastDay, Streaks
from quizcalc.study.stats.periods import FORECAST_DAYS, HEATMAP_DAYS, days_back
from quizcalc.study.stats.sql import RunSQL, day_of

__all__ = ["Activity", "activity_by_day", "dense_days", "due_forecast", "streaks"]

_PER_DAY_AND_KIND = f"""
SELECT study_day, kind, count(*), coalesce(sum(duration_ms), 0)
FROM review_log
WHERE kind IN {ANSWERS_SQL}
GROUP BY study_day, kind
ORDER BY study_day, kind
"""
"""Answers only: implicit credits and resets are not answers, and a day with only those is
not a study day."""


@dataclass(frozen=True)
class Activity:
    """The whole history, day by day."""

    days: list[DayCount]
    """Every study day with an answer, oldest first."""
    relearn_answers: int
    """Relearn re-asks in the whole history (the answers the per-group tables leave out)."""


def activity_by_day(run: RunSQL) -> Activity:
    """Answers (every kind) and their summed durations for every study day with an answer.

    Whole history: the longest streak and the total need it. One pass over the
    ``(study_day, kind, …, duration_ms)`` covering index, grouped by day and kind (the
    index's own order: no sort), also counts the relearn re-asks.
    """
    days: list[DayCount] = []
    relearn = 0
    current: object = None
    answers = milliseconds = 0
    for day, kind, n, ms in run(_PER_DAY_AND_KIND, {}):
        if kind == "relearn":
            relearn += int(n)
        if day != current:
            if current is not None:
                days.append(DayCount(day_of(current), answers, milliseconds / 1000))
            current, answers, milliseconds = day, 0, 0
        answers += int(n)
        milliseconds += int(ms or 0)
    if current is not None:
        days.append(DayCount(day_of(current), answers, milliseconds / 1000))
    return Activity(days=days, relearn_answers=relearn)


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


_FORECAST = f"""
SELECT s.due, count(*)
FROM schedule AS s JOIN cards AS c ON c.id = s.card_key
WHERE c.status = 'active' AND {SERVABLE} AND s.due IS NOT NULL AND s.due <= :last
GROUP BY s.due
"""


def due_forecast(run: RunSQL, today: date, span: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Active, servable cards due on each of the ``span`` days from ``today``.

    Today's count includes every overdue card, as the queue would serve them (before its
    daily cap); cards answered today are already due later and are not counted.
    """
    last = today + timedelta(days=span - 1)
    counts = [0] * span
    for due, n in run(_FORECAST, {"last": last.isoformat()}):
        if due is not None:
            counts[max(0, (day_of(due) - today).days)] += int(n)
    return [ForecastDay(today + timedelta(days=i), counts[i]) for i in range(span)]
