"""An answer given before a card is due (custom study's "review ahead"), as a pure step.

SM-2 assumes a review on the due day: a pass multiplies the interval by the easiness. Applied
to a card answered days early, that would push it as far as if the whole interval had been
survived. Anki's filtered decks (its v2/v3 ``early review`` interval) instead count only the
days that really passed; quizcalc does the same with SM-2's easiness:

- a **pass** (3–5) gives the card ``max(interval, ceil(elapsed × EF))`` days from today, where
  ``elapsed`` is the days since its last schedule-moving answer: it never shortens the
  interval and grows it only with the time that passed. The repetition count is unchanged
  (SM-2's 1 → 6 day steps still come on time) and EF moves as SM-2 moves it for that grade;
- a **fail** (0–2) is a lapse exactly as on the due day (:func:`apply_answer`).

A review-log row written by this step is a ``review`` whose ``before_due`` is after its study
day: the log alone tells an early answer from an on-time one, so a rebuild of the schedule
from the log can apply the same rule.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from quizcalc.scheduling.answer import AnswerStep, CardState, SchedulerSettings, apply_answer
from quizcalc.scheduling.sm2 import MAX_INTERVAL_DAYS, PASSING_QUALITY, needs_relearning, review
from quizcalc.scheduling.study_day import study_day

__all__ = ["apply_early_answer", "early_pass_interval", "is_early"]


def is_early(state: CardState, now: datetime, settings: SchedulerSettings) -> bool:
    """Whether an answer at ``now`` comes before the card's due day."""
    return state.due is not None and state.due > study_day(now, settings.rollover_hour)


def early_pass_interval(interval: int, easiness: float, early_by: int) -> int:
    """The interval a pass ``early_by`` days before the due day gives a card whose interval
    was ``interval``: ``max(interval, ceil(elapsed × EF))`` with ``elapsed`` the days that
    really passed, at least 1 and at most :data:`MAX_INTERVAL_DAYS`."""
    elapsed = max(0, interval - early_by)
    grown = math.ceil(round(elapsed * easiness, 9))
    return min(MAX_INTERVAL_DAYS, max(interval, grown, 1))


def apply_early_answer(
    state: CardState, quality: int, now: datetime, settings: SchedulerSettings
) -> AnswerStep:
    """The new state after answering a card before it is due (see the module docstring).

    A card that is due (or new) is answered as usual, by :func:`apply_answer`.
    """
    if not is_early(state, now, settings) or int(quality) < PASSING_QUALITY:
        return apply_answer(state, quality, now, settings)
    assert state.due is not None
    day = study_day(now, settings.rollover_hour)
    interval = early_pass_interval(state.interval, state.easiness, (state.due - day).days)
    memory = review(state.memory, quality)
    new = replace(
        state,
        easiness=memory.easiness,
        interval=interval,
        due=day + timedelta(days=interval),
        reviews=state.reviews + 1,
        last_reviewed_at=now,
    )
    return AnswerStep(
        state=new,
        study_day=day,
        lapsed=False,
        leech=False,
        again_today=needs_relearning(quality),
    )
