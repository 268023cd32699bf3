"""A card's schedule rebuilt from its review log, under SM-2 or FSRS (pure).

The log is the source of truth: every change to a schedule is a row (an answer, an implicit
credit, a reset), so replaying the rows in order through the scheduler's own steps rebuilds
the state. That is how a switch of scheduler works, and why switching back and forth loses
nothing: SM-2 replayed from the log is the schedule SM-2 would have given all along.

The rules, row by row:

- ``review``: the answer step of the scheduler (under SM-2 an answer before the due day takes
  the early-review step, as it did live); a ``drill`` that moved the schedule: the answer step;
- ``relearn`` and a drill that moved nothing: no change (same-day re-asks never move a
  schedule, under either scheduler);
- ``reset``: back to new (the review count and last review time stay, as a reset keeps them);
- ``implicit``: the credit step for its weight (:func:`~quizcalc.scheduling.implicit.
  credit_step`, unless the caller gives another); ``blame``: due that day
  (:func:`~quizcalc.scheduling.implicit.blame`).

A card whose first row starts from a state other than new (progress imported from Anki, whose
own log was not SM-2's) is *anchored*: the replay starts from that recorded state, and under
FSRS from the memory fsrs-rs derives from its SM-2 ease and interval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Protocol

from quizcalc.scheduling.answer import NEW_CARD_STATE, CardState, SchedulerSettings, apply_answer
from quizcalc.scheduling.early import apply_early_answer
from quizcalc.scheduling.fsrs import fsrs_model
from quizcalc.scheduling.fsrs_answer import apply_fsrs_answer, fsrs_parameters
from quizcalc.scheduling.implicit import blame, credit_step
from quizcalc.scheduling.ratings import Rating

__all__ = ["CreditStep", "ReplayedRow", "anchored_start", "replay_card", "sm2_anchor_memory"]


class ReplayedRow(Protocol):
    """What the replay reads of one review-log row."""

    @property
    def kind(self) -> str:
        """``review``, ``relearn``, ``drill``, ``implicit`` or ``reset``."""
        ...

    @property
    def quality(self) -> int:
        """The 0–5 grade."""
        ...

    @property
    def rating(self) -> Rating:
        """The FSRS rating."""
        ...

    @property
    def reviewed_at(self) -> datetime:
        """When it happened."""
        ...

    @property
    def weight(self) -> float | None:
        """An implicit row's share of a review."""
        ...

    @property
    def before(self) -> tuple[int, float, int, date | None]:
        """Repetitions, easiness, interval, due before the row."""
        ...

    @property
    def before_lapses(self) -> int:
        """Lapses before the row."""
        ...

    @property
    def after(self) -> tuple[int, float, int, date | None]:
        """Repetitions, easiness, interval, due after the row."""
        ...

    @property
    def moved_schedule(self) -> bool:
        """An answer that moved the schedule."""
        ...


CreditStep = Callable[[CardState, float, datetime, SchedulerSettings], CardState]
"""The implicit credit step: ``(state, weight, now, settings) -> state``."""


def sm2_anchor_memory(easiness: float, interval: int, parameters: Sequence[float]) -> CardState:
    """The FSRS memory fsrs-rs derives from an SM-2 ease and interval (Anki's conversion for
    cards with no usable history), as a state carrying only stability and difficulty."""
    memory = fsrs_model(parameters).memory_state_from_sm2(easiness, max(1, interval), 0.9)
    return replace(NEW_CARD_STATE, stability=memory.stability, difficulty=memory.difficulty)


def anchored_start(
    before: tuple[int, float, int, date | None], before_lapses: int
) -> CardState | None:
    """The SM-2 state a card's log starts from, given its first row's state before
    (repetitions, easiness, interval, due) and lapses before; ``None`` when the log starts
    from new (the card is not anchored)."""
    repetitions, easiness, interval, due = before
    if (repetitions, interval, due) == (0, 0, None) and before_lapses == 0:
        return None
    return replace(
        NEW_CARD_STATE,
        repetitions=repetitions,
        easiness=easiness,
        interval=interval,
        due=due,
        lapses=before_lapses,
    )


def _start(rows: Sequence[ReplayedRow], settings: SchedulerSettings) -> CardState:
    if not rows:
        return NEW_CARD_STATE
    anchored = anchored_start(rows[0].before, rows[0].before_lapses)
    if anchored is None:
        return NEW_CARD_STATE
    if settings.algorithm != "fsrs":
        return anchored
    easiness, interval = anchored.easiness, anchored.interval
    memory = sm2_anchor_memory(easiness, interval, fsrs_parameters(settings))
    return replace(anchored, stability=memory.stability, difficulty=memory.difficulty)


def replay_card(
    rows: Sequence[ReplayedRow],
    settings: SchedulerSettings,
    credit: CreditStep | None = None,
) -> CardState:
    """The state the card's log ``rows`` (in order) give under ``settings.algorithm``."""
    fsrs = settings.algorithm == "fsrs"
    state = _start(rows, settings)
    for row in rows:
        if row.kind == "reset":
            state = replace(
                NEW_CARD_STATE, reviews=state.reviews, last_reviewed_at=state.last_reviewed_at
            )
        elif row.kind == "implicit" and row.weight is not None:
            state = (credit or credit_step)(state, row.weight, row.reviewed_at, settings)
        elif row.kind == "blame":
            state = blame(state, row.reviewed_at, settings)
        elif row.moved_schedule:
            if fsrs:
                step = apply_fsrs_answer(state, row.quality, row.rating, row.reviewed_at, settings)
            elif row.kind == "review":
                step = apply_early_answer(state, row.quality, row.reviewed_at, settings)
            else:
                step = apply_answer(state, row.quality, row.reviewed_at, settings)
            state = step.state
    if not fsrs:
        state = replace(state, stability=None, difficulty=None)
    return state
