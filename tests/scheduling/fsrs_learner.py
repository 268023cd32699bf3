"""A simulated learner whose memory follows FSRS-6 with known, non-default parameters.

Each card is met on its own day, then reviewed again and again until the last day: the
learner's true memory moves by :func:`~quizcalc.scheduling.fsrs.fsrs_review` under
:data:`TRUE_PARAMETERS`, each review is recalled with the true retrievability (a seeded RNG),
a recall is rated Hard, Good or Easy, a miss Again. The next review comes when the true recall
has fallen to a retention drawn between 70 % and 95 %, give or take 40 %, so elapsed days and
outcomes vary. A fit on this history has a known answer to move toward.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from quizcalc.scheduling.evaluation import Answer
from quizcalc.scheduling.fsrs import (
    DEFAULT_PARAMETERS,
    FsrsMemory,
    fsrs_interval,
    fsrs_review,
    retrievability,
)
from quizcalc.scheduling.ratings import Rating

__all__ = ["FIRST_DAY", "TRUE_PARAMETERS", "simulated_answers"]

TRUE_PARAMETERS: tuple[float, ...] = (
    1.0, 3.0, 8.0, 25.0, *DEFAULT_PARAMETERS[4:20], 0.4,
)  # fmt: skip
"""The learner's true FSRS-6 parameters: initial stabilities 1, 3, 8 and 25 days (the
defaults: 0.21, 1.29, 2.31, 8.30) and a forgetting-curve decay of 0.4 (default 0.154)."""

FIRST_DAY = date(2026, 1, 1)

_QUALITY = {Rating.AGAIN: 1, Rating.HARD: 3, Rating.GOOD: 4, Rating.EASY: 5}
"""An SM-2 quality for each rating (SM-2 is only replayed from it)."""


def simulated_answers(cards: int = 400, days: int = 300, seed: int = 7) -> list[Answer]:
    """The learner's answers: ``cards`` cards, three new a day, over ``days`` days."""
    rng = random.Random(seed)
    answers = []
    for card in range(cards):
        day = card // 3
        memory: FsrsMemory | None = None
        last = day
        while day < days:
            if memory is None:
                rating = rng.choices(list(Rating), (0.15, 0.15, 0.55, 0.15))[0]
            elif rng.random() >= retrievability(day - last, memory.stability, TRUE_PARAMETERS):
                rating = Rating.AGAIN
            else:
                rating = rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), (0.15, 0.7, 0.15))[0]
            memory = fsrs_review(memory, rating, day - last, TRUE_PARAMETERS)
            when = FIRST_DAY + timedelta(days=day)
            at = datetime(when.year, when.month, when.day, 18, tzinfo=UTC) + timedelta(minutes=card)
            answers.append(Answer(card, at, when, rating, _QUALITY[rating]))
            last = day
            wait = fsrs_interval(memory.stability, rng.uniform(0.7, 0.95), TRUE_PARAMETERS)
            day += max(1, round(wait * rng.uniform(0.6, 1.4)))
    return answers
