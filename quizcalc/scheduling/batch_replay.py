"""Many cards' schedules replayed from their logs at once: a rebuild at a heavy learner's scale.

:func:`~quizcalc.scheduling.replay.replay_card` replays one card's log row by row through the
scheduler's own answer steps, each a new frozen state. At 50,000 cards and a million rows
that is minutes of Python. Most cards' logs hold answers only (no implicit credit, blame or
reset), and for them only the *final* state matters, so this module replays them in bulk:

- under FSRS, fsrs-rs computes every card's final memory in one call
  (``FSRS.memory_state_batch``, each card's ratings with the days between its answers, an
  anchored card starting from the memory fsrs-rs derives from its SM-2 ease and interval);
  the rest of the state (repetitions, easiness, lapses, reviews, the last answer) is plain
  counting, and the due day comes from the final memory as the answer step computes it;
- under SM-2, a loop over plain numbers takes the same steps as
  :func:`~quizcalc.scheduling.early.apply_early_answer` (a ``review``) and
  :func:`~quizcalc.scheduling.answer.apply_answer` (a drill that moved the schedule), with
  the same formulas (:func:`~quizcalc.scheduling.sm2.review_step`,
  :func:`~quizcalc.scheduling.early.early_pass_interval`).

The result is identical to :func:`replay_card`'s, to the bit (fsrs-rs's batch forward pass
and its step-by-step ``next_states`` do the same float32 arithmetic):
``tests/scheduling/test_batch_replay.py`` compares the two on random logs, and
``tests/study/test_scheduler_switch.py`` on the demo history. A card whose log holds anything
else is the caller's to replay step by step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from quizcalc.scheduling.answer import NEW_CARD_STATE, CardState, SchedulerSettings
from quizcalc.scheduling.early import early_pass_interval
from quizcalc.scheduling.fsrs import fsrs_interval, fsrs_model
from quizcalc.scheduling.fsrs_answer import fsrs_parameters
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.replay import anchored_start
from quizcalc.scheduling.sm2 import PASSING_QUALITY, next_easiness, review_step

__all__ = ["PlainAnswer", "PlainHistory", "replay_plain_histories"]


class PlainAnswer(NamedTuple):
    """One schedule-moving answer of a card's log (a named tuple: a million are built)."""

    kind: str
    """``review`` or ``drill`` (a drill that moved the schedule)."""
    quality: int
    """The 0–5 grade."""
    rating: int
    """The FSRS rating (:class:`~quizcalc.scheduling.ratings.Rating`'s number)."""
    day: date
    """Its study day: ``study_day(reviewed_at, rollover_hour)`` under the settings replayed
    with (the caller works it out, often without building a datetime per row)."""


@dataclass(frozen=True, slots=True)
class PlainHistory:
    """A card's log that holds answers only: where it starts and its schedule-moving answers
    (same-day re-asks and drills that moved nothing change no state, so they are left out)."""

    before: tuple[int, float, int, date | None]
    """The first row's state before it: repetitions, easiness, interval, due."""
    before_lapses: int
    """The first row's lapses before it."""
    answers: tuple[PlainAnswer, ...]
    last_reviewed_at: datetime | None = None
    """When the last of ``answers`` was given (timezone-aware); ``None`` without answers."""


def replay_plain_histories(
    histories: Sequence[PlainHistory], settings: SchedulerSettings
) -> list[CardState]:
    """Each history's final state under ``settings.algorithm``, in order: what
    :func:`~quizcalc.scheduling.replay.replay_card` gives for the same log."""
    if settings.algorithm == "fsrs":
        return _fsrs_states(histories, settings)
    return [_sm2_state(history, settings) for history in histories]


def _sm2_state(history: PlainHistory, settings: SchedulerSettings) -> CardState:
    """The SM-2 replay of one card: apply_early_answer for a review, apply_answer for a drill."""
    start = anchored_start(history.before, history.before_lapses) or NEW_CARD_STATE
    if not history.answers:
        return start
    repetitions, easiness, interval = start.repetitions, start.easiness, start.interval
    due, lapses, reviews = start.due, start.lapses, start.reviews
    for answer in history.answers:
        day = answer.day
        quality = answer.quality
        if answer.kind == "review" and due is not None and due > day and quality >= PASSING_QUALITY:
            interval = early_pass_interval(interval, easiness, (due - day).days)
            easiness = next_easiness(easiness, quality)
        else:
            lapses += quality < PASSING_QUALITY and repetitions > 0
            repetitions, easiness, interval = review_step(repetitions, easiness, interval, quality)
        due = day + timedelta(days=interval)
        reviews += 1
    return CardState(
        repetitions=repetitions,
        easiness=easiness,
        interval=interval,
        due=due,
        lapses=lapses,
        reviews=reviews,
        last_reviewed_at=history.last_reviewed_at,
        stability=None,
        difficulty=None,
    )


def _fsrs_states(histories: Sequence[PlainHistory], settings: SchedulerSettings) -> list[CardState]:
    """The FSRS replay of every card, the memories from one fsrs-rs batch call."""
    import fsrs_rs_python

    parameters = fsrs_parameters(settings)
    model = fsrs_model(parameters)
    starts: list[CardState] = []
    items: list[fsrs_rs_python.FSRSItem] = []
    starting: list[fsrs_rs_python.MemoryState | None] = []
    for history in histories:
        anchored = anchored_start(history.before, history.before_lapses)
        anchor = None
        start = NEW_CARD_STATE
        if anchored is not None:
            anchor = model.memory_state_from_sm2(anchored.easiness, max(1, anchored.interval), 0.9)
            start = replace(anchored, stability=anchor.stability, difficulty=anchor.difficulty)
        starts.append(start)
        if not history.answers:
            continue
        reviews = []
        previous: date | None = None  # a replay starts with no last review, anchored or not
        for answer in history.answers:
            elapsed = 0 if previous is None else max(0, (answer.day - previous).days)
            reviews.append(fsrs_rs_python.FSRSReview(answer.rating, elapsed))
            previous = answer.day
        items.append(fsrs_rs_python.FSRSItem(reviews))
        starting.append(anchor)
    memories = iter(model.memory_state_batch(items, starting) if items else [])
    eases: dict[tuple[float, int], float] = {}  # next_easiness, worked out once per pair
    states: list[CardState] = []
    for history, start in zip(histories, starts, strict=True):
        if not history.answers:
            states.append(start)
            continue
        memory = next(memories)
        repetitions, easiness, lapses = start.repetitions, start.easiness, start.lapses
        for answer in history.answers:
            recalled = answer.rating != Rating.AGAIN
            lapses += not recalled and repetitions > 0
            step = (easiness, answer.quality)
            if step not in eases:
                eases[step] = next_easiness(*step)
            easiness = eases[step]
            repetitions = repetitions + 1 if recalled else 0
        interval = fsrs_interval(memory.stability, settings.desired_retention, parameters)
        states.append(
            CardState(
                repetitions=repetitions,
                easiness=easiness,
                interval=interval,
                due=history.answers[-1].day + timedelta(days=interval),
                lapses=lapses,
                reviews=start.reviews + len(history.answers),
                last_reviewed_at=history.last_reviewed_at,
                stability=memory.stability,
                difficulty=memory.difficulty,
            )
        )
    return states
