"""What studying a collection under FSRS will cost and keep: workload, retention, optimum.

:func:`simulate_workload` follows a collection day by day under FSRS at a desired retention:
every card already studied starts from its memory state and due day, new cards come in at
the daily limit, and each review's outcome is drawn from the card's predicted recall. It
returns the schedule-moving reviews of each day and how much the learner is expected to
remember at the end. :func:`optimal_retention` asks fsrs-rs for the retention that costs the
least study time per card remembered.

Why the day loop is here and not fsrs-rs's ``simulate``: the Rust simulator accepts existing
cards, but the Python binding (fsrs-rs-python 0.9) calls it without them, so it can only
simulate a deck learned from scratch. The loop below keeps the Rust simulator's model: a new
card's first rating and a recalled card's rating (Hard/Good/Easy) are drawn from
``default_simulator_config()``'s probabilities, recall from FSRS's retrievability, every memory
step is fsrs-rs's (:func:`~quizcalc.scheduling.fsrs.fsrs_review`), and the interval is the one
the FSRS scheduler gives (:func:`~quizcalc.scheduling.fsrs.fsrs_interval`). It leaves out what
quizcalc does not count as a schedule-moving review: the same-day re-asks after a failure and
the learning steps of a new card. Seeded, so one input gives one answer.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizcalc.scheduling.fsrs import (
    DEFAULT_PARAMETERS,
    FsrsMemory,
    fsrs_interval,
    fsrs_review,
    retrievability,
)
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.sm2 import MAX_INTERVAL_DAYS

__all__ = [
    "DEFAULT_SEED",
    "OPTIMAL_RETENTION_RANGE",
    "ExistingCard",
    "RatingOdds",
    "Workload",
    "WorkloadPlan",
    "default_rating_odds",
    "memory_from_sm2",
    "optimal_retention",
    "simulate_workload",
]

DEFAULT_SEED = 42
"""The seed a simulation uses unless told otherwise (fsrs-rs's own default)."""

OPTIMAL_RETENTION_RANGE = (0.70, 0.95)
"""The desired retentions fsrs-rs's optimum search tries: an answer at either end means the
optimum may lie beyond it."""

_NO_LIMIT = 1_000_000_000
"""A daily limit that never binds."""


@dataclass(frozen=True)
class ExistingCard:
    """A card already studied: its FSRS memory and where it stands against today (day 0)."""

    memory: FsrsMemory
    last_review_day: int
    """The study day of its last schedule-moving review, counted from today (0 or less)."""
    due_day: int
    """The study day it falls due, counted from today (negative when overdue)."""


@dataclass(frozen=True)
class RatingOdds:
    """How likely each rating is, where the simulation has to draw one."""

    first: tuple[float, float, float, float]
    """A new card's first rating: Again, Hard, Good, Easy."""
    recalled: tuple[float, float, float]
    """A recalled card's rating: Hard, Good, Easy (a forgotten one is always Again)."""


@lru_cache(maxsize=1)
def default_rating_odds() -> RatingOdds:
    """fsrs-rs's defaults (``default_simulator_config()``): Anki users' average ratings."""
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    first = tuple(float(p) for p in config.first_rating_prob)
    recalled = tuple(float(p) for p in config.review_rating_prob)
    return RatingOdds(
        first=(first[0], first[1], first[2], first[3]),
        recalled=(recalled[0], recalled[1], recalled[2]),
    )


@dataclass(frozen=True)
class WorkloadPlan:
    """Everything a simulation depends on."""

    days: int
    """Study days simulated, today being the first."""
    desired_retention: float
    """The recall probability at which FSRS makes a card due."""
    cards: Sequence[ExistingCard] = ()
    """The cards already studied."""
    new_cards: int = 0
    """Cards not yet studied."""
    new_per_day: int = 10
    """New cards introduced per study day (at most)."""
    reviews_per_day: int = 200
    """Due cards reviewed per study day (at most; the rest wait, overdue). New cards do not
    count against it."""
    parameters: Sequence[float] = DEFAULT_PARAMETERS
    """The learner's FSRS parameters (21 floats)."""
    seed: int = DEFAULT_SEED
    odds: RatingOdds | None = None
    """The rating probabilities; ``None``: :func:`default_rating_odds`."""
    maximum_interval: int = MAX_INTERVAL_DAYS

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"simulate at least one day, not {self.days}")
        if not 0 < self.desired_retention < 1:
            raise ValueError(
                f"desired retention must be between 0 and 1, got {self.desired_retention}"
            )
        if min(self.new_cards, self.new_per_day, self.reviews_per_day) < 0:
            raise ValueError("card counts and daily limits cannot be negative")


@dataclass(frozen=True)
class Workload:
    """What a simulation found."""

    desired_retention: float
    reviews_per_day: tuple[int, ...]
    """Schedule-moving reviews of cards already studied, each simulated day (day 0 = today)."""
    new_per_day: tuple[int, ...]
    """Cards studied for the first time, each simulated day."""
    recalled: int
    """Of all the reviews, those recalled (rated Hard, Good or Easy)."""
    studied_cards: int
    """Cards studied at least once by the end (already studied ones included)."""
    memorized: float
    """Expected number of studied cards the learner would recall on the day after the last
    simulated one: the sum of their FSRS retrievabilities."""

    @property
    def total_reviews(self) -> int:
        """Reviews over the whole simulation, first study of new cards left out."""
        return sum(self.reviews_per_day)

    @property
    def total_new(self) -> int:
        """New cards studied over the whole simulation."""
        return sum(self.new_per_day)

    @property
    def average_reviews_per_day(self) -> float:
        """Reviews per simulated day, on average."""
        return self.total_reviews / len(self.reviews_per_day)

    @property
    def expected_retention(self) -> float | None:
        """Mean retrievability of the studied cards the day after the simulation:
        :attr:`memorized` / :attr:`studied_cards` (``None`` when nothing was studied)."""
        return self.memorized / self.studied_cards if self.studied_cards else None

    @property
    def recall_rate(self) -> float | None:
        """Share of the simulated reviews that were recalled (``None`` without reviews)."""
        return self.recalled / self.total_reviews if self.total_reviews else None


@dataclass
class _Card:
    memory: FsrsMemory
    last_day: int
    due_day: int


def _draw(rng: random.Random, odds: Sequence[float], ratings: Sequence[Rating]) -> Rating:
    return rng.choices(list(ratings), weights=list(odds))[0]


def simulate_workload(plan: WorkloadPlan) -> Workload:
    """Study ``plan``'s collection for ``plan.days`` days under FSRS (see the module).

    Each day: the due cards, most overdue first (then in the order given), up to the review
    limit, are each recalled with their predicted probability and rescheduled; then up to the
    new limit of new cards are studied for the first time.
    """
    odds = plan.odds or default_rating_odds()
    rng = random.Random(plan.seed)
    parameters = tuple(plan.parameters)

    def interval(memory: FsrsMemory) -> int:
        return fsrs_interval(
            memory.stability, plan.desired_retention, parameters, plan.maximum_interval
        )

    cards = [_Card(card.memory, min(0, card.last_review_day), card.due_day) for card in plan.cards]
    queue = [(card.due_day, index) for index, card in enumerate(cards)]
    heapq.heapify(queue)  # most overdue first, then in the order given
    remaining_new = plan.new_cards
    reviews = [0] * plan.days
    learned = [0] * plan.days
    recalled = 0
    for day in range(plan.days):
        while queue and queue[0][0] <= day and reviews[day] < plan.reviews_per_day:
            _, index = heapq.heappop(queue)
            card = cards[index]
            elapsed = day - card.last_day
            if rng.random() < retrievability(elapsed, card.memory.stability, parameters):
                rating = _draw(rng, odds.recalled, (Rating.HARD, Rating.GOOD, Rating.EASY))
                recalled += 1
            else:
                rating = Rating.AGAIN
            card.memory = fsrs_review(card.memory, rating, elapsed, parameters)
            card.last_day = day
            card.due_day = day + interval(card.memory)
            heapq.heappush(queue, (card.due_day, index))
            reviews[day] += 1
        for _ in range(min(plan.new_per_day, remaining_new)):
            rating = _draw(rng, odds.first, tuple(Rating))
            memory = fsrs_review(None, rating, 0, parameters)
            cards.append(_Card(memory, day, day + interval(memory)))
            heapq.heappush(queue, (cards[-1].due_day, len(cards) - 1))
            remaining_new -= 1
            learned[day] += 1
    end = plan.days
    memorized = math.fsum(
        retrievability(end - card.last_day, card.memory.stability, parameters) for card in cards
    )
    return Workload(
        desired_retention=plan.desired_retention,
        reviews_per_day=tuple(reviews),
        new_per_day=tuple(learned),
        recalled=recalled,
        studied_cards=len(cards),
        memorized=memorized,
    )


def memory_from_sm2(
    easiness: float, interval: int, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> FsrsMemory:
    """FSRS's estimate of a memory from an SM-2 state alone (fsrs-rs's
    ``memory_state_from_sm2``, assuming 90 % recall at the end of the interval), for a card
    whose schedule has no review history to replay (an imported schedule, say)."""
    import fsrs_rs_python

    state = fsrs_rs_python.FSRS(list(parameters)).memory_state_from_sm2(
        easiness, float(max(1, interval)), 0.9
    )
    return FsrsMemory(float(state.stability), float(state.difficulty))


def optimal_retention(
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    *,
    deck_size: int,
    days: int,
    new_per_day: int,
    reviews_per_day: int | None = None,
) -> float:
    """fsrs-rs's optimal retention for ``parameters``: the desired retention (searched within
    :data:`OPTIMAL_RETENTION_RANGE`) at which a deck of ``deck_size`` cards, learned from scratch at
    ``new_per_day`` and studied for ``days`` days, costs the least study time per card
    remembered at the end (its simulator, its default costs and rating odds, seeds 42 on).

    The learner's existing cards are not passed in: the binding would keep their desired
    retention fixed and only vary the new cards', which answers another question.
    """
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    config.deck_size = max(1, deck_size)
    config.learn_span = max(1, days)
    config.learn_limit = max(1, new_per_day)
    config.review_limit = _NO_LIMIT if reviews_per_day is None else max(1, reviews_per_day)
    config.max_ivl = float(MAX_INTERVAL_DAYS)
    return float(fsrs_rs_python.optimal_retention(config, list(parameters)))
