"""Implicit repetition: a passed review of an encompassing skill credits its components.

When a skill that performs another skill on the way (a momentum step takes a gradient-descent
step) is passed, the component has been practised too, though not asked. Its due day moves
toward where a real review would put it, by the edge's *weight* (a share of a real review, in
[0, 1]) of the way, and no further than a cap:

- ``d_now`` is the component's current due day (a card never reviewed gets no credit);
- ``d_real`` is the due day a real Good review *now* would give it (rating Good under FSRS;
  quality 4 under SM-2, an early answer counting only the days that passed, as
  :func:`~quizcalc.scheduling.early.apply_early_answer` does);
- the credited due day is ``d_now + round(weight × (d_real − d_now))``, rounded half up,
  then capped (below), and never earlier than ``d_now``: credit never makes a card due sooner.

**The cap.** Credit is a bet that practising the encompassing skill refreshed the component.
If it did not (no transfer), the component's real memory is what its last real review left,
so the cap bounds the loss: under FSRS the credited due day is at most the day that memory's
predicted recall falls to ``desired retention − CREDIT_RETENTION_MARGIN`` (0.85 at the default
0.9); under SM-2, which has no forgetting curve, at most ``SM2_CREDIT_STRETCH`` (1.9) times the
current interval after the last review — the ratio of those two FSRS-6 intervals on the
default curve.

**Only the due day moves.** A credit is not a review: the memory (SM-2's easiness, repetitions
and interval; FSRS's stability and difficulty), the review count, the last review's moment and
the lapse count stay. The next real review therefore grows the interval from what real reviews
established, and credits never compound into later intervals.

Both changes (the cap, and not moving the interval or stability) come from the simulation in
:mod:`quizcalc.scheduling.implicit_simulation`: crediting the full weighted share and moving
FSRS stability by it lowered a learner's mean retention by over 3 points when practice does not
transfer at all; with the cap and the due day alone it stays within half a point (see
``tests/scheduling/test_implicit_simulation.py``). The simulation schedules with FSRS; the SM-2
credit follows the same two rules by analogy, unmeasured.

:func:`blame` is the other direction: a failure whose named misconception belongs to a
component makes the component due today (never later than it already was).

Pure functions, the clock a parameter, as in the rest of :mod:`quizcalc.scheduling`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
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
    "CREDIT_RETENTION_MARGIN",
    "SM2_CREDIT_STRETCH",
    "blame",
    "blamed_due",
    "credit_step",
    "credited_due",
    "fsrs_credit",
    "sm2_credit",
]


CREDIT_RETENTION_MARGIN = 0.05
"""How far below the desired retention a credit may let a component's un-credited predicted
recall fall before it is asked (FSRS): the cap on what a credit can cost without transfer."""

SM2_CREDIT_STRETCH = 1.9
"""The most a credit may stretch an SM-2 card's interval (due day − last review day ≤ 1.9 ×
interval): FSRS-6's default forgetting curve reaches 85 % recall 1.906 times as late as 90 %,
rounded down."""


def _check_weight(weight: float) -> None:
    if not 0 <= weight <= 1:
        raise ValueError(f"a credit's weight must be between 0 and 1, got {weight}")


def credited_due(current: date, real: date, weight: float) -> date:
    """``current + round(weight × (real − current))`` (half up), never before ``current``."""
    _check_weight(weight)
    days = math.floor(weight * (real - current).days + 0.5)
    return current + timedelta(days=max(0, days))


def _capped(current: date, real: date, weight: float, cap: date) -> date:
    """The weighted due day (:func:`credited_due`), at most ``cap``, never before ``current``."""
    return max(current, min(credited_due(current, real, weight), cap))


def sm2_credit(
    state: CardState, weight: float, now: datetime, settings: SchedulerSettings
) -> CardState:
    """The SM-2 card ``state`` after a pass, at ``now``, of a skill encompassing it with
    ``weight`` (see the module docstring): only its due day moves. Unchanged for a card never
    reviewed or whose last review's moment is unknown (the cap counts from it)."""
    _check_weight(weight)
    if state.due is None or state.last_reviewed_at is None:
        return state
    real = apply_early_answer(state, Quality.CORRECT_HESITANT, now, settings).state.due
    assert real is not None
    last = study_day(state.last_reviewed_at, settings.rollover_hour)
    cap = last + timedelta(days=math.ceil(round(state.interval * SM2_CREDIT_STRETCH, 9)))
    return replace(state, due=_capped(state.due, real, weight, cap))


def fsrs_credit(
    memory: FsrsMemory,
    last_review: date,
    due: date,
    weight: float,
    today: date,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> date:
    """An FSRS card's credited due day after a pass, on study day ``today``, of a skill
    encompassing it with ``weight``: ``memory`` is what its real reviews left,
    ``last_review`` the last one's study day and ``due`` its due day (see the module
    docstring). Its memory and last review day stay as they are."""
    _check_weight(weight)
    elapsed = max(0, (today - last_review).days)
    good = fsrs_review(memory, Rating.GOOD, elapsed, parameters)
    real = today + timedelta(days=fsrs_interval(good.stability, desired_retention, parameters))
    floor = desired_retention - CREDIT_RETENTION_MARGIN
    cap = last_review + timedelta(days=fsrs_interval(memory.stability, floor, parameters))
    return _capped(due, real, weight, cap)


def blamed_due(due: date, today: date) -> date:
    """The due day of a component blamed on ``today``: today, or earlier if already overdue."""
    return min(due, today)


def blame(state: CardState, now: datetime, settings: SchedulerSettings) -> CardState:
    """The SM-2 card ``state`` made due on ``now``'s study day, because a failure of a skill
    encompassing it named a misconception of its own; only the due day moves. Unchanged for a
    card never reviewed (it is not yet learned) or one already due."""
    if state.due is None:
        return state
    return replace(state, due=blamed_due(state.due, study_day(now, settings.rollover_hour)))


def credit_step(
    state: CardState, weight: float, now: datetime, settings: SchedulerSettings
) -> CardState:
    """The credit of ``weight`` at ``now`` under the scheduler in force (``settings``): SM-2's
    :func:`sm2_credit`, or FSRS's :func:`fsrs_credit` on the card's memory. A card never
    reviewed (or, under FSRS, without a memory yet) is unchanged."""
    if settings.algorithm != "fsrs":
        return sm2_credit(state, weight, now, settings)
    if (
        state.due is None
        or state.last_reviewed_at is None
        or state.stability is None
        or state.difficulty is None
    ):
        return state
    due = fsrs_credit(
        FsrsMemory(state.stability, state.difficulty),
        study_day(state.last_reviewed_at, settings.rollover_hour),
        state.due,
        weight,
        study_day(now, settings.rollover_hour),
        settings.parameters or DEFAULT_PARAMETERS,
        settings.desired_retention,
    )
    return replace(state, due=due)
