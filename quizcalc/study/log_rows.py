"""The schedule columns every review-log row carries: the card's state before and after it.

An answer, a credit, a blame and a reset all record the state they found and the state they
left, so that an undo can put the first back (:func:`restore_before`) and a replay can check
itself against the second. One builder of those columns, for every kind of row.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from quizcalc.store.models import ReviewLogRecord, ScheduleRecord

__all__ = ["ScheduleFields", "restore_before", "state_columns"]


class ScheduleFields(Protocol):
    """What a log row keeps of a schedule (a ``CardState``, a ``ScheduleSnapshot``…)."""

    @property
    def repetitions(self) -> int: ...
    @property
    def easiness(self) -> float: ...
    @property
    def interval(self) -> int: ...
    @property
    def due(self) -> date | None: ...
    @property
    def lapses(self) -> int: ...


def state_columns(before: ScheduleFields, after: ScheduleFields) -> dict[str, object]:
    """The ``before_*`` and ``after_*`` columns of a row that took ``before`` to ``after``."""
    return {
        "before_repetitions": before.repetitions,
        "before_easiness": before.easiness,
        "before_interval": before.interval,
        "before_due": before.due,
        "before_lapses": before.lapses,
        "after_repetitions": after.repetitions,
        "after_easiness": after.easiness,
        "after_interval": after.interval,
        "after_due": after.due,
    }


def restore_before(schedule: ScheduleRecord, row: ReviewLogRecord) -> None:
    """Put back the schedule ``row`` found (its ``before_*`` columns); the review count, the
    last review's moment and any FSRS memory are the caller's to restore."""
    schedule.repetitions = row.before_repetitions
    schedule.easiness = row.before_easiness
    schedule.interval = row.before_interval
    schedule.due = row.before_due
    schedule.lapses = row.before_lapses
