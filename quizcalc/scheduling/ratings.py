"""FSRS ratings (Again, Hard, Good, Easy) from what a review recorded (Step 11's first brick).

FSRS schedules from four ratings where SM-2 takes a quality from 0 to 5. Self-graded cards
map their quality directly: 0–2 (not recalled) → Again, 3 → Hard, 4 → Good, 5 → Easy.

A problem card is graded by the grader, so its rating comes from the evidence of the attempt:

- not solved, or solved only by elimination (every other option tried first) → Again;
- solved after a hint or a second try → Hard;
- solved at the first try with no hint → Easy within half the family's typical time, Good
  within one and a half times it, Hard when slower.

The typical time is the median of the learner's own answer times for that family once there
are :data:`OWN_TIMES_NEEDED` of them, and the family's stated time before
(:func:`typical_seconds`). A named misconception is a wrong answer: Again, like any other.
Pure functions over plain values, so tests give exact inputs and get exact ratings.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "OWN_TIMES_NEEDED",
    "ProblemEvidence",
    "Rating",
    "problem_rating",
    "quality_rating",
    "typical_seconds",
]

OWN_TIMES_NEEDED = 20
"""Answer times of a family the learner needs before their median replaces the stated time."""


class Rating(IntEnum):
    """FSRS's four ratings, numbered as FSRS numbers them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def quality_rating(quality: int) -> Rating:
    """The rating of a self-graded review of SM-2 ``quality`` (0–5)."""
    if not 0 <= quality <= 5:
        raise ValueError(f"quality {quality} is not between 0 and 5")
    if quality <= 2:
        return Rating.AGAIN
    return {3: Rating.HARD, 4: Rating.GOOD}.get(quality, Rating.EASY)


@dataclass(frozen=True)
class ProblemEvidence:
    """What a problem card's attempt showed, as the review log keeps it."""

    solved: bool
    """A correct answer was given."""
    tries: int
    """Answers submitted (the correct one included)."""
    hints: int
    """Hints revealed."""
    seconds: float
    """Time from the prompt to the last answer."""
    by_elimination: bool = False
    """Solved only after every other option of a choice was tried."""


def typical_seconds(own: Sequence[float], stated: float) -> float:
    """The family's typical answer time: the median of the learner's ``own`` times once there
    are :data:`OWN_TIMES_NEEDED`, else the family's ``stated`` time."""
    if len(own) >= OWN_TIMES_NEEDED:
        return float(statistics.median(own))
    return float(stated)


def problem_rating(evidence: ProblemEvidence, typical: float) -> Rating:
    """The rating a problem card's attempt earns against the family's ``typical`` time."""
    if not evidence.solved or evidence.by_elimination:
        return Rating.AGAIN
    if evidence.tries > 1 or evidence.hints > 0:
        return Rating.HARD
    if evidence.seconds <= typical / 2:
        return Rating.EASY
    if evidence.seconds <= typical * 1.5:
        return Rating.GOOD
    return Rating.HARD
