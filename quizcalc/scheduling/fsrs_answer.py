"""One answer's effect on a card's schedule under FSRS, as a pure step (SM-2's twin:
:func:`quizcalc.scheduling.answer.apply_answer`).

The rating moves the card's FSRS memory (:func:`~quizcalc.scheduling.fsrs.fsrs_review`, with
the days since its last schedule-moving answer); the due day is the answer's study day plus
the days until predicted recall falls to the desired retention. The SM-2 bookkeeping that does
not depend on the scheduler moves as under SM-2: repetitions in a row (reset by a failure),
lapses, the leech rule and the review count. Easiness follows SM-2's rule too, so that a switch
back to SM-2 finds a value (it replays the log anyway). Only Again asks the card again today:
FSRS rates Hard as recalled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from quizcalc.scheduling.answer import AnswerStep, CardState, SchedulerSettings, is_leech_lapse
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS, FsrsMemory, fsrs_interval, fsrs_review
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.sm2 import review
from quizcalc.scheduling.study_day import study_day

__all__ = ["apply_fsrs_answer", "fsrs_parameters", "memory_of"]


def fsrs_parameters(settings: SchedulerSettings) -> tuple[float, ...]:
    """The parameters in force: the fitted ones, else FSRS-6's defaults."""
    return settings.parameters or DEFAULT_PARAMETERS


def memory_of(state: CardState) -> FsrsMemory | None:
    """The card's FSRS memory, ``None`` when it has none yet."""
    if state.stability is None or state.difficulty is None:
        return None
    return FsrsMemory(state.stability, state.difficulty)


def apply_fsrs_answer(
    state: CardState, quality: int, rating: Rating, now: datetime, settings: SchedulerSettings
) -> AnswerStep:
    """The new state after a schedule-moving answer rated ``rating`` (``quality`` is the
    0–5 grade kept beside it) at ``now`` (timezone-aware)."""
    day = study_day(now, settings.rollover_hour)
    parameters = fsrs_parameters(settings)
    memory = memory_of(state)
    elapsed = 0
    if state.last_reviewed_at is not None:
        elapsed = max(0, (day - study_day(state.last_reviewed_at, settings.rollover_hour)).days)
    after = fsrs_review(memory, rating, elapsed, parameters)
    interval = fsrs_interval(after.stability, settings.desired_retention, parameters)
    recalled = rating != Rating.AGAIN
    lapsed = not recalled and state.repetitions > 0
    lapses = state.lapses + lapsed
    leech = (
        lapsed
        and settings.leech_threshold is not None
        and is_leech_lapse(lapses, settings.leech_threshold)
    )
    sm2 = review(state.memory, quality)
    new = replace(
        state,
        repetitions=state.repetitions + 1 if recalled else 0,
        easiness=sm2.easiness,
        interval=interval,
        due=day + timedelta(days=interval),
        lapses=lapses,
        reviews=state.reviews + 1,
        last_reviewed_at=now,
        stability=after.stability,
        difficulty=after.difficulty,
    )
    return AnswerStep(
        state=new, study_day=day, lapsed=lapsed, leech=leech, again_today=not recalled and not leech
    )
