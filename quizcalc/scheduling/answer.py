"""One answer's effect on a card's whole schedule, as a pure step.

:func:`apply_answer` takes a card's :class:`CardState` (SM-2 memory, due day, counters), a
grade, the moment and the :class:`SchedulerSettings`, and returns the new state with its due
day, lapse count and leech flag. The study layer only decides *whether* an answer moves the
schedule (the day's first answer does; step-7 re-asks do not) and persists what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from quizcalc.scheduling.sm2 import (
    INITIAL_EASINESS,
    PASSING_QUALITY,
    SM2State,
    needs_relearning,
    review,
)
from quizcalc.scheduling.study_day import study_day

__all__ = [
    "CARD_STATE_FIELDS",
    "NEW_CARD_STATE",
    "AnswerStep",
    "CardState",
    "SchedulerSettings",
    "apply_answer",
    "is_leech_lapse",
]


@dataclass(frozen=True)
class CardState:
    """Everything the scheduler keeps about one card."""

    repetitions: int = 0
    """Successful recalls in a row."""
    easiness: float = INITIAL_EASINESS
    """SM-2's easiness factor."""
    interval: int = 0
    """Days from the last schedule-moving answer to the due day; 0 for a new card."""
    due: date | None = None
    """The study day it is due; ``None`` for a card never reviewed."""
    lapses: int = 0
    """Times a learned card (repetitions > 0) was failed."""
    reviews: int = 0
    """Schedule-moving answers so far."""
    last_reviewed_at: datetime | None = None
    """When the last schedule-moving answer was given."""
    stability: float | None = None
    """FSRS stability in days; ``None`` under SM-2 and for a card never reviewed."""
    difficulty: float | None = None
    """FSRS difficulty (1–10); ``None`` when ``stability`` is."""

    @property
    def memory(self) -> SM2State:
        """The part SM-2 itself reads and writes."""
        return SM2State(self.repetitions, self.easiness, self.interval)


NEW_CARD_STATE = CardState()
"""The state of a card never reviewed (and of one reset to new)."""

CARD_STATE_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(CardState))
""":class:`CardState`'s fields in order: the ``schedule`` columns that hold a card's state."""


@dataclass(frozen=True)
class SchedulerSettings:
    """The settings the answer step reads."""

    rollover_hour: int = 4
    """Local hour at which a study day starts."""
    leech_threshold: int | None = 8
    """Lapses at which a card becomes a leech; ``None`` never marks leeches."""
    algorithm: str = "sm2"
    """``sm2`` or ``fsrs``: which step an answer takes."""
    desired_retention: float = 0.9
    """Under FSRS: the predicted recall at which a card falls due."""
    parameters: tuple[float, ...] = ()
    """Under FSRS: the 21 parameters (empty: FSRS-6's defaults)."""
    implicit_repetition: bool = False
    """A passed problem credits the skills it encompasses; a misconception of one blames it."""


@dataclass(frozen=True)
class AnswerStep:
    """What one schedule-moving answer did."""

    state: CardState
    """The card's new state."""
    study_day: date
    """The study day the answer belongs to."""
    lapsed: bool
    """A learned card was failed (its lapse count went up)."""
    leech: bool
    """This lapse makes it a leech (suspend it)."""
    again_today: bool
    """SM-2 step 7: the card is asked again later today (graded below 4, not a leech)."""


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Anki's leech rule: a card becomes a leech at ``threshold`` lapses, and again every
    half-threshold after that (8, 12, 16 … with the default 8)."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(1, (threshold + 1) // 2) == 0


def apply_answer(
    state: CardState, quality: int, now: datetime, settings: SchedulerSettings
) -> AnswerStep:
    """The new state after a schedule-moving answer graded ``quality`` (0–5) at ``now``.

    SM-2 gives the new memory; the due day is the answer's study day plus the new interval;
    a failing grade on a learned card is a lapse, and a lapse reaching the leech rule's
    counts (:func:`is_leech_lapse`) flags a leech. ``now`` must be timezone-aware.
    """
    day = study_day(now, settings.rollover_hour)
    memory = review(state.memory, quality)
    lapsed = int(quality) < PASSING_QUALITY and state.repetitions > 0
    lapses = state.lapses + lapsed
    leech = (
        lapsed
        and settings.leech_threshold is not None
        and is_leech_lapse(lapses, settings.leech_threshold)
    )
    new = replace(
        state,
        repetitions=memory.repetitions,
        easiness=memory.easiness,
        interval=memory.interval,
        due=day + timedelta(days=memory.interval),
        lapses=lapses,
        reviews=state.reviews + 1,
        last_reviewed_at=now,
    )
    return AnswerStep(
        state=new,
        study_day=day,
        lapsed=lapsed,
        leech=leech,
        again_today=needs_relearning(quality) and not leech,
    )
