"""The original SM-2 algorithm (Wozniak, 1990) as a pure function.

``review(state, quality)`` returns a new :class:`SM2State`; nothing is mutated and no clock
is read, so a test can assert exact intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import IntEnum

__all__ = [
    "INITIAL_EASINESS",
    "MAX_INTERVAL_DAYS",
    "MIN_EASINESS",
    "PASSING_QUALITY",
    "RELEARN_UNTIL_QUALITY",
    "Quality",
    "SM2State",
    "needs_relearning",
    "next_easiness",
    "review",
    "review_step",
]

INITIAL_EASINESS = 2.5
"""SM-2's easiness factor for a card never reviewed."""

MIN_EASINESS = 1.3
"""SM-2's floor for the easiness factor: below it cards would come back too often."""

PASSING_QUALITY = 3
"""Grades at or above this count as recalled (the interval grows)."""

MAX_INTERVAL_DAYS = 36_500
"""The longest interval (100 years, Anki's default maximum): SM-2's interval grows without
bound, and a date that far out would not fit a calendar (``OverflowError`` after some 90
passing grades in a row)."""

RELEARN_UNTIL_QUALITY = 4
"""SM-2 step 7: within a day, a card graded below this is asked again until it reaches it."""


class Quality(IntEnum):
    """SM-2's six grades, from total blackout to perfect recall."""

    BLACKOUT = 0
    WRONG_FAMILIAR = 1
    WRONG_EASY_RECALL = 2
    CORRECT_HARD = 3
    CORRECT_HESITANT = 4
    PERFECT = 5

    @property
    def label(self) -> str:
        """A short human label, as shown beside the grade keys."""
        return _LABELS[self]


_LABELS = {
    Quality.BLACKOUT: "blackout",
    Quality.WRONG_FAMILIAR: "wrong, familiar",
    Quality.WRONG_EASY_RECALL: "wrong, easy once seen",
    Quality.CORRECT_HARD: "right, hard",
    Quality.CORRECT_HESITANT: "right, hesitant",
    Quality.PERFECT: "perfect",
}


@dataclass(frozen=True)
class SM2State:
    """A card's SM-2 memory state."""

    repetitions: int = 0
    """Successful recalls in a row (reset to 0 by a failing grade)."""
    easiness: float = INITIAL_EASINESS
    """The easiness factor EF, at least :data:`MIN_EASINESS`."""
    interval: int = 0
    """Days until the next review; 0 for a card never reviewed."""


def review(state: SM2State, quality: int) -> SM2State:
    """Apply one graded answer (0–5) to ``state`` and return the new state.

    q ≥ 3: interval 1, then 6, then ``ceil(interval × EF)`` with the EF *before* this update;
    repetitions + 1, the interval at most :data:`MAX_INTERVAL_DAYS`. q < 3: repetitions 0,
    interval 1. EF is updated on every answer by
    ``EF += 0.1 − (5−q)(0.08 + (5−q)·0.02)`` and floored at 1.3.
    """
    repetitions, easiness, interval = review_step(
        state.repetitions, state.easiness, state.interval, quality
    )
    return replace(state, repetitions=repetitions, easiness=easiness, interval=interval)


def review_step(
    repetitions: int, easiness: float, interval: int, quality: int
) -> tuple[int, float, int]:
    """:func:`review` on plain numbers: the repetitions, easiness and interval after an answer
    graded ``quality`` (for replaying many answers without a state object per answer)."""
    q = int(quality)
    if not 0 <= q <= 5:
        raise ValueError(f"SM-2 quality must be 0..5, got {quality!r}")
    if q >= PASSING_QUALITY:
        if repetitions == 0:
            grown_interval = 1
        elif repetitions == 1:
            grown_interval = 6
        else:
            grown = math.ceil(round(min(interval, MAX_INTERVAL_DAYS) * easiness, 9))
            grown_interval = min(grown, MAX_INTERVAL_DAYS)
        return repetitions + 1, next_easiness(easiness, q), grown_interval
    return 0, next_easiness(easiness, q), 1


def next_easiness(easiness: float, quality: int) -> float:
    """EF after an answer graded ``quality`` (0–5): ``EF + 0.1 − (5−q)(0.08 + (5−q)·0.02)``,
    floored at 1.3 and rounded to 6 places (the part of :func:`review` that every answer
    moves, whatever the interval does)."""
    q = int(quality)
    if not 0 <= q <= 5:
        raise ValueError(f"SM-2 quality must be 0..5, got {quality!r}")
    miss = 5 - q
    return round(max(MIN_EASINESS, easiness + 0.1 - miss * (0.08 + miss * 0.02)), 6)


def needs_relearning(quality: int) -> bool:
    """True when SM-2 step 7 asks the card again later in the same session."""
    return int(quality) < RELEARN_UNTIL_QUALITY
