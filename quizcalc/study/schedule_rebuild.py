"""Every card's schedule rebuilt from the review log: what a switch of scheduler does.

Switching between SM-2 and FSRS replays each card's log through the new scheduler's own steps
(:func:`quizcalc.scheduling.replay.replay_card`), in the write transaction that saves the
setting: FSRS memory states come from the whole history, and SM-2 replayed is the schedule
SM-2 would have given all along, so switching there and back returns the same SM-2 schedule.

A card with progress but no log (progress imported without its history) keeps its SM-2
state; under FSRS it gets the memory fsrs-rs derives from its ease and interval. Burying,
suspension and flags are not scheduling state: a rebuild leaves them alone.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import CardState, SchedulerSettings
from quizcalc.scheduling.fsrs_answer import fsrs_parameters
from quizcalc.scheduling.replay import CreditStep, replay_card, sm2_anchor_memory
from quizcalc.store.models import ScheduleRecord
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.review_history import card_histories

__all__ = ["rebuild_schedules"]


def _without_log(state: CardState, settings: SchedulerSettings) -> CardState:
    if settings.algorithm != "fsrs":
        return replace(state, stability=None, difficulty=None)
    if state.due is None:  # new: FSRS gives it a memory at its first review
        return replace(state, stability=None, difficulty=None)
    anchor = sm2_anchor_memory(state.easiness, state.interval, fsrs_parameters(settings))
    return replace(state, stability=anchor.stability, difficulty=anchor.difficulty)


def rebuild_schedules(
    session: Session, settings: SchedulerSettings, credit: CreditStep | None = None
) -> int:
    """Replay every card's log under ``settings`` in the caller's (write) transaction and
    store the states; returns how many schedules changed."""
    histories = card_histories(sql_runner(session))
    changed = 0
    for schedule in session.scalars(select(ScheduleRecord)):
        rows = histories.get(schedule.card_key)
        old = schedule.state
        new = replay_card(rows, settings, credit) if rows else _without_log(old, settings)
        if new != old:
            schedule.state = new
            changed += 1
    session.flush()
    return changed
