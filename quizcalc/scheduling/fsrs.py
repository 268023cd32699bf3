"""FSRS-6 as pure steps over a card's memory, on top of fsrs-rs (the Rust implementation).

FSRS keeps two numbers per card: *stability* S (days until recall falls to 90 %) and
*difficulty* D (1–10). After a review rated Again/Hard/Good/Easy, ``elapsed_days`` after the
previous one, it returns the new memory; the next interval is the time at which the predicted
recall falls to the desired retention. The clock and the parameters are arguments, so a test
gets exact numbers; fsrs-rs does the arithmetic (it is the implementation Anki ships).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.sm2 import MAX_INTERVAL_DAYS

if TYPE_CHECKING:
    import fsrs_rs_python

__all__ = [
    "DEFAULT_DESIRED_RETENTION",
    "DEFAULT_PARAMETERS",
    "FsrsMemory",
    "forgetting_curve",
    "fsrs_interval",
    "fsrs_model",
    "fsrs_review",
    "memory_from_history",
    "retrievability",
]

DEFAULT_DESIRED_RETENTION = 0.9
"""The recall probability at which a card falls due, unless the learner sets another."""

DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip
"""FSRS-6's 21 default parameters (fsrs-rs 0.9's ``DEFAULT_PARAMETERS``, rounded to 4 places
as published); ``w[20]`` is the decay of the forgetting curve."""


@dataclass(frozen=True)
class FsrsMemory:
    """A card's FSRS memory state."""

    stability: float
    """Days after the last review until predicted recall falls to 90 %."""
    difficulty: float
    """How hard the card is, from 1 (easy) to 10."""


@lru_cache(maxsize=8)
def _model(parameters: tuple[float, ...]) -> fsrs_rs_python.FSRS:
    import fsrs_rs_python  # the extension loads in ~1 ms, but only where FSRS is used

    return fsrs_rs_python.FSRS(list(parameters))


def fsrs_model(parameters: Sequence[float] = DEFAULT_PARAMETERS) -> fsrs_rs_python.FSRS:
    """fsrs-rs's model for ``parameters`` (one per parameter set, kept): for the batch calls
    (many cards' memories at once) that :func:`fsrs_review` makes one at a time."""
    return _model(tuple(parameters))


def retrievability(
    elapsed_days: float, stability: float, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> float:
    """FSRS-6's predicted recall ``elapsed_days`` after a review that left ``stability``:
    ``(1 + factor·t/S)^(−decay)`` with ``decay = w[20]`` and ``factor = 0.9^(−1/decay) − 1``
    (so that R = 0.9 when t = S)."""
    return forgetting_curve(parameters)(elapsed_days, stability)


def forgetting_curve(
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> Callable[[float, float], float]:
    """:func:`retrievability` with ``parameters`` bound, ``(elapsed_days, stability) -> R``:
    the curve's constants worked out once, for predicting many reviews."""
    decay = parameters[20]
    factor = 0.9 ** (-1 / decay) - 1

    def recall(elapsed_days: float, stability: float) -> float:
        return float((1 + factor * max(0.0, elapsed_days) / stability) ** -decay)

    return recall


def fsrs_review(
    memory: FsrsMemory | None,
    rating: Rating,
    elapsed_days: int,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> FsrsMemory:
    """The memory after a review rated ``rating``, ``elapsed_days`` after the previous one
    (``memory`` is ``None`` for a card's first review; 0 days is a same-day review)."""
    import fsrs_rs_python

    model = _model(tuple(parameters))
    current = (
        None if memory is None else fsrs_rs_python.MemoryState(memory.stability, memory.difficulty)
    )
    states = model.next_states(current, DEFAULT_DESIRED_RETENTION, max(0, elapsed_days))
    chosen = {
        Rating.AGAIN: states.again,
        Rating.HARD: states.hard,
        Rating.GOOD: states.good,
        Rating.EASY: states.easy,
    }[Rating(rating)]
    return FsrsMemory(chosen.memory.stability, chosen.memory.difficulty)


def fsrs_interval(
    stability: float,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    maximum: int = MAX_INTERVAL_DAYS,
) -> int:
    """Whole days until predicted recall falls to ``desired_retention`` (at least 1 and at
    most ``maximum``): the ``t`` solving ``R(t, S) = desired_retention``, rounded."""
    if not 0 < desired_retention < 1:
        raise ValueError(f"desired retention must be between 0 and 1, got {desired_retention}")
    decay = parameters[20]
    factor = 0.9 ** (-1 / decay) - 1
    days = stability / factor * (desired_retention ** (-1 / decay) - 1)
    if not math.isfinite(days):
        return maximum
    return max(1, min(maximum, round(days)))


def memory_from_history(
    history: Sequence[tuple[Rating, int]], parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> FsrsMemory | None:
    """The memory after a whole history of ``(rating, days since the previous review)``
    (the first review's days are ignored); ``None`` for an empty history."""
    memory: FsrsMemory | None = None
    for rating, days in history:
        memory = fsrs_review(memory, rating, 0 if memory is None else days, parameters)
    return memory
