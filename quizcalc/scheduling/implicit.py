"""Implicit repetition: a passed review of an encompassing skill credits its components.

When a skill that performs another skill on the way (a momentum step takes a gradient-descent
step) is passed, the component has been practised too, though not asked. Its due day moves by
the edge's *weight* (a share of a real review, in [0, 1]) of the way a real review would move
it:

- ``d_now`` is the component's current due day (a card never reviewed gets no credit);
- ``d_real`` is the due day a real Good review *now* would give it (quality 4 under SM-2, an
  early answer counting only the days that passed, as :func:`apply_early_answer` does; rating
  Good under FSRS);
- the credited due day is ``d_now + round(weight × (d_real − d_now))``, rounded half up, and
  never earlier than ``d_now``: credit never makes a card due sooner.

A credit is not a review: the review count, the last review's moment, the lapse count and the
memory a grade would change (SM-2's easiness and repetitions, FSRS's difficulty) stay. SM-2's
``interval`` becomes the new due day minus the last review's study day, so the next real review
grows it from the time the card was really left alone *plus* the credit. Under FSRS the
stability moves by the weight's share from the current one toward the Good review's (never
down), and the due day moves as above.

:func:`blame` is the other direction: a failure whose named misconception belongs to a
component makes the component due today (never later than it already was).

Pure functions, the clock a parameter, as in the rest of :mod:`quizcalc.scheduling`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from quizcalc.scheduling.answer import CardState, SchedulerSettings
from quizcalc.scheduling.early import apply_early_answer
from quizcalc.scheduling.fsrs import (
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_PARAMETERS,
    FsrsMemory,
    fsrs_interval,
    fsrs_review,
)
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.sm2 import Quality
from quizcalc.scheduling.study_day import study_day

__all__ = [
    "FsrsCredit",
    "blame",
    "blamed_due",
    "credited_due",
    "fsrs_credit",
    "sm2_credit",
]


def _check_weight(weight: float) -> None:
    if not 0 <= weight <= 1:
        raise ValueError(f"a credit's weight must be between 0 and 1, got {weight}")


def credited_due(current: date, real: date, weight: float) -> date:
    """``current + round(weight × (real − current))`` (half up), never before ``current``."""
    _check_weight(weight)
    days = math.floor(weight * (real - current).days + 0.5)
    return current + timedelta(days=max(0, days))


def sm2_credit(
    state: CardState, weight: float, now: datetime, settings: SchedulerSettings
) -> CardState:
    """The SM-2 card ``state`` after a pass, at ``now``, of a skill encompassing it with
    ``weight`` (see the module docstring); unchanged for a card never reviewed."""
    _check_weight(weight)
    if state.due is None:
        return state
    real = apply_early_answer(state, Quality.CORRECT_HESITANT, now, settings).state.due
    assert real is not None
    due = credited_due(state.due, real, weight)
    if state.last_reviewed_at is not None:
        interval = (due - study_day(state.last_reviewed_at, settings.rollover_hour)).days
    else:
        interval = state.interval + (due - state.due).days
    return replace(state, due=due, interval=interval)


@dataclass(frozen=True)
class FsrsCredit:
    """An FSRS card's memory and due day after a credit."""

    memory: FsrsMemory
    """Stability moved toward a Good review's; difficulty unchanged."""
    due: date
    """The credited due day."""


def fsrs_credit(
    memory: FsrsMemory,
    last_review: date,
    due: date,
    weight: float,
    today: date,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> FsrsCredit:
    """An FSRS card's state after a pass, on study day ``today``, of a skill encompassing it
    with ``weight``: ``last_review`` is its last real review's study day and ``due`` its due
    day (see the module docstring). The last review day stays: a credit is not a review."""
    _check_weight(weight)
    elapsed = max(0, (today - last_review).days)
    good = fsrs_review(memory, Rating.GOOD, elapsed, parameters)
    real = today + timedelta(days=fsrs_interval(good.stability, desired_retention, parameters))
    gain = max(0.0, good.stability - memory.stability)
    return FsrsCredit(
        memory=replace(memory, stability=memory.stability + weight * gain),
        due=credited_due(due, real, weight),
    )


def blamed_due(due: date, today: date) -> date:
    """The due day of a component blamed on ``today``: today, or earlier if already overdue."""
    return min(due, today)


def blame(state: CardState, now: datetime, settings: SchedulerSettings) -> CardState:
    """The SM-2 card ``state`` made due on ``now``'s study day, because a failure of a skill
    encompassing it named a misconception of its own; unchanged for a card never reviewed (it
    is not yet learned) or one already due. The interval becomes the days since its last
    review, as for a credit (at least 1, so SM-2 still grows it)."""
    today = study_day(now, settings.rollover_hour)
    if state.due is None or state.due <= today:
        return state
    if state.last_reviewed_at is not None:
        interval = (today - study_day(state.last_reviewed_at, settings.rollover_hour)).days
    else:
        interval = state.interval - (state.due - today).days
    return replace(state, due=today, interval=max(1, interval))
