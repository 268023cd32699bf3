"""The ``scheduler simulate`` command: the learner's own collection, studied ahead under FSRS.

Part of :class:`~quizcalc.study.service.StudyService`. It reads every active card that can
be served: the ones never studied are new cards to come; each studied one starts from its
FSRS memory (the stored ``stability``/``difficulty`` where the FSRS scheduler has set them,
else its rated history replayed with the parameters in force, else, for a schedule without
history, FSRS's estimate from its SM-2 state) and is due, under the simulated retention,
one FSRS interval after its last review. The parameters are the learner's stored fit, else
the defaults (:mod:`quizcalc.study.fsrs_parameters`); the daily limits are the collection's.
The pure simulation is :mod:`quizcalc.scheduling.workload`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from quizcalc.scheduling.fsrs import (
    DEFAULT_DESIRED_RETENTION,
    FsrsMemory,
    fsrs_interval,
    memory_from_history,
)
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.workload import (
    DEFAULT_SEED,
    ExistingCard,
    Workload,
    WorkloadPlan,
    memory_from_sm2,
    optimal_retention,
    simulate_workload,
)
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.errors import InvalidRequest, use_case
from quizcalc.study.fsrs_parameters import FsrsParameters, read_fsrs_parameters
from quizcalc.study.queue import SERVABLE
from quizcalc.study.queue_limits import RunSQL
from quizcalc.study.review_history import card_histories, rated_days
from quizcalc.study.stats.sql import day_of

__all__ = [
    "CollectionCards",
    "SchedulerSimulation",
    "SchedulerSimulationUseCases",
    "collection_cards",
]

MAX_SIMULATED_DAYS = 3650
"""The longest simulation asked for (ten years)."""

_CARDS = f"""
SELECT c.id, s.due, s.interval, s.easiness, s.stability, s.difficulty
FROM cards AS c JOIN schedule AS s ON s.card_key = c.id
WHERE c.status = 'active' AND {SERVABLE}
ORDER BY c.id
"""


@dataclass(frozen=True)
class CollectionCards:
    """The collection as the simulation starts it."""

    studied: tuple[ExistingCard, ...]
    new: int
    """Active cards never studied (or reset to new)."""


def _relative(day: date, today: date) -> int:
    return (day - today).days


def _replayed(history: Sequence[tuple[Rating, date]], parameters: Sequence[float]) -> FsrsMemory:
    steps = [
        (rating, 0 if index == 0 else (day - history[index - 1][1]).days)
        for index, (rating, day) in enumerate(history)
    ]
    memory = memory_from_history(steps, parameters)
    assert memory is not None  # the history is not empty
    return memory


def collection_cards(
    run: RunSQL, today: date, parameters: Sequence[float], desired_retention: float
) -> CollectionCards:
    """Every active, servable card: the studied ones with their memory, last review and due
    day under FSRS at ``desired_retention`` (days counted from ``today``), and the new ones."""
    rows = run(_CARDS, {})
    studied_rows = [row for row in rows if row[1] is not None]
    histories = card_histories(run, [int(row[0]) for row in studied_rows])
    studied: list[ExistingCard] = []
    for key, due, interval, easiness, stability, difficulty in studied_rows:
        rated = rated_days(histories.get(int(key), []))
        if stability is not None and difficulty is not None:
            memory = FsrsMemory(float(stability), float(difficulty))
        elif rated:
            memory = _replayed(rated, parameters)
        else:
            memory = memory_from_sm2(float(easiness), int(interval), parameters)
        if rated:
            last = _relative(rated[-1][1], today)
        else:  # no answer to date it by: the schedule's own due day minus its interval
            last = _relative(day_of(due), today) - int(interval)
        last = min(0, last)
        gap = fsrs_interval(memory.stability, desired_retention, parameters)
        studied.append(ExistingCard(memory, last, last + gap))
    return CollectionCards(tuple(studied), len(rows) - len(studied_rows))


@dataclass(frozen=True)
class SchedulerSimulation:
    """What ``scheduler simulate`` reports."""

    days: int
    parameters: FsrsParameters
    studied_cards: int
    """Cards already studied when the simulation starts."""
    new_cards: int
    """Cards not studied yet when it starts."""
    new_per_day: int
    reviews_per_day: int
    workload: Workload
    optimal_retention: float
    """fsrs-rs's optimal desired retention for these parameters (see
    :func:`~quizcalc.scheduling.workload.optimal_retention`)."""

    @property
    def desired_retention(self) -> float:
        """The desired retention simulated."""
        return self.workload.desired_retention


class SchedulerSimulationUseCases(CollectionAccess):
    """``scheduler simulate``: workload and retention ahead, under FSRS."""

    @use_case("simulate your reviews")
    def simulate_scheduler(
        self,
        now: datetime,
        days: int,
        desired_retention: float | None = None,
        *,
        seed: int = DEFAULT_SEED,
    ) -> SchedulerSimulation:
        """Study the collection for ``days`` study days from today under FSRS at
        ``desired_retention`` (the collection's setting when ``None``), with the learner's
        parameters and daily limits; and the optimal retention for those parameters.

        Raises :class:`~quizcalc.study.errors.InvalidRequest` for a day count outside 1–3650
        or a retention outside (0, 1).
        """
        if not 1 <= days <= MAX_SIMULATED_DAYS:
            raise InvalidRequest(f"simulate between 1 and {MAX_SIMULATED_DAYS} days, not {days}")
        with self.transaction() as session:
            run = sql_runner(session)
            config = self._fresh_settings(run)
            retention = desired_retention
            if retention is None:
                retention = float(getattr(config, "desired_retention", DEFAULT_DESIRED_RETENTION))
            if not 0 < retention < 1:
                raise InvalidRequest(f"the retention must be between 0 and 1, not {retention}")
            parameters = read_fsrs_parameters(run)
            cards = collection_cards(run, self.today(now), parameters.parameters, retention)
        plan = WorkloadPlan(
            days=days,
            desired_retention=retention,
            cards=cards.studied,
            new_cards=cards.new,
            new_per_day=config.new_per_day,
            reviews_per_day=config.max_reviews_per_day,
            parameters=parameters.parameters,
            seed=seed,
        )
        return SchedulerSimulation(
            days=days,
            parameters=parameters,
            studied_cards=len(cards.studied),
            new_cards=cards.new,
            new_per_day=config.new_per_day,
            reviews_per_day=config.max_reviews_per_day,
            workload=simulate_workload(plan),
            optimal_retention=optimal_retention(
                parameters.parameters,
                deck_size=len(cards.studied) + cards.new,
                days=days,
                new_per_day=config.new_per_day,
                reviews_per_day=config.max_reviews_per_day,
            ),
        )
