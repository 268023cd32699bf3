"""What implicit credit buys, and what it risks: a seeded simulation of one learner.

Behind ``quizcalc scheduler simulate --implicit on|off --transfer T``. Each skill is a family
at a difficulty (one per family of the graph and difficulty: 26 × 3 = 78 for the full skill
graph). Two memories are kept per skill:

- the **learner's true memory**, an FSRS-6 state with the default parameters: a review is
  passed with probability equal to its retrievability ``R(t, S)`` at that moment, and every
  review (passed: Good, failed: Again) moves it as FSRS-6 says;
- the **scheduler's belief**: FSRS with the same default parameters at the desired retention
  (0.9), fed the same ratings; a skill is due when its interval, counted from the last real
  review, has run out.

Skills are introduced ``new_per_day`` a day (components before the skills that encompass
them, all difficulty-1 skills before difficulty 2, and so on); the introduction is the first
review, rated Good, and not counted in ``total_reviews`` (it is the same in every run). There
are no same-day relearning steps: a failed skill is due again after FSRS's interval for its
Again state.

*Transfer* is the real question: does passing an encompassing skill actually refresh its
components? With transfer ``T``, each pass of an encompassing skill gives each of its
(introduced) components, at the same difficulty (along the edges that hold there), a Good
review in the learner's *true* memory with probability ``T × weight``. This happens whether
implicit credit is on or off: it is the learner, not the scheduler.

With ``implicit`` on, the scheduler also credits the components of each passed skill
(:func:`quizcalc.scheduling.implicit.fsrs_credit`) and orders each day's due skills by
:func:`quizcalc.scheduling.compression.compress`: a due component credited by an encompassing
skill passed earlier that day is not asked, unless the credit leaves it due. Blame is not
simulated (the simulated learner names no misconceptions).

``mean_retention`` is the learner's true retrievability averaged over the introduced skills at
the start of each day (before that day's reviews), then over the days.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from quizcalc.scheduling.compression import DueSkill, Offer, PlainGraph, components_at, compress
from quizcalc.scheduling.fsrs import (
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_PARAMETERS,
    FsrsMemory,
    fsrs_interval,
    fsrs_review,
    retrievability,
)
from quizcalc.scheduling.implicit import fsrs_credit
from quizcalc.scheduling.ratings import Rating

__all__ = ["ImplicitSimulation", "simulate_implicit", "skill_order"]

_EPOCH = date(2000, 1, 1)
"""Day 0 of a simulation, for the date-based credit step (any date does)."""


@dataclass(frozen=True)
class ImplicitSimulation:
    """What one simulated learner did and kept."""

    days: int
    """Days simulated."""
    skills: int
    """Skills in the simulation (introduced or not)."""
    total_reviews: int
    """Reviews asked, introductions apart."""
    reviews_per_day: tuple[int, ...]
    """Reviews asked on each day."""
    credits: int
    """Credits the scheduler gave (one per introduced component of each pass, whether or not
    it moved the due day; 0 with implicit off)."""
    mean_retention: float
    """The learner's true retrievability, averaged over introduced skills and days."""

    @property
    def mean_reviews_per_day(self) -> float:
        """Reviews asked per day, on average."""
        return self.total_reviews / self.days if self.days else 0.0


@dataclass
class _Skill:
    """One skill's two memories: the learner's true one and the scheduler's belief."""

    family: str
    difficulty: int
    true_memory: FsrsMemory | None = None
    true_last: int = 0
    belief: FsrsMemory | None = None
    belief_last: int = 0
    due: int = 0


@dataclass
class _Model:
    """The FSRS parameters and desired retention both memories and the credit use."""

    parameters: Sequence[float]
    desired_retention: float

    def introduce(self, skill: _Skill, day: int) -> None:
        """The first review, rated Good, in both memories."""
        first = fsrs_review(None, Rating.GOOD, 0, self.parameters)
        skill.true_memory = skill.belief = first
        skill.true_last = skill.belief_last = day
        skill.due = day + fsrs_interval(first.stability, self.desired_retention, self.parameters)

    def recall(self, skill: _Skill, day: int) -> float:
        """The learner's true probability of recalling ``skill`` on ``day``."""
        assert skill.true_memory is not None
        return retrievability(day - skill.true_last, skill.true_memory.stability, self.parameters)

    def refresh(self, skill: _Skill, rating: Rating, day: int) -> None:
        """A review rated ``rating`` in the learner's true memory."""
        elapsed = day - skill.true_last
        skill.true_memory = fsrs_review(skill.true_memory, rating, elapsed, self.parameters)
        skill.true_last = day

    def review(self, skill: _Skill, rating: Rating, day: int) -> None:
        """A real review: both memories move, and the scheduler sets the next due day."""
        self.refresh(skill, rating, day)
        belief = fsrs_review(skill.belief, rating, day - skill.belief_last, self.parameters)
        skill.belief, skill.belief_last = belief, day
        skill.due = day + fsrs_interval(belief.stability, self.desired_retention, self.parameters)

    def credit(self, skill: _Skill, weight: float, day: int) -> None:
        """The scheduler's credit (:func:`~quizcalc.scheduling.implicit.fsrs_credit`)."""
        assert skill.belief is not None
        credited = fsrs_credit(
            skill.belief,
            _EPOCH + timedelta(days=skill.belief_last),
            _EPOCH + timedelta(days=skill.due),
            weight,
            _EPOCH + timedelta(days=day),
            self.parameters,
            self.desired_retention,
        )
        skill.due = (credited - _EPOCH).days


def skill_order(graph: PlainGraph) -> list[str]:
    """Every family the graph names, each after its components (otherwise in the graph's
    order): the order in which a course would introduce them."""
    names = list(dict.fromkeys([*graph, *(e[0] for edges in graph.values() for e in edges)]))
    order: list[str] = []
    visiting: set[str] = set()

    def place(family: str) -> None:
        if family in order:
            return
        if family in visiting:
            raise ValueError(f"the skill graph has a cycle through {family!r}")
        visiting.add(family)
        for edge in graph.get(family, ()):
            place(edge[0])
        visiting.discard(family)
        order.append(family)

    for family in names:
        place(family)
    return order


def simulate_implicit(
    graph: PlainGraph,
    *,
    days: int,
    implicit: bool,
    transfer: float,
    seed: int,
    new_per_day: int = 3,
    difficulties: Sequence[int] = (1, 2, 3),
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> ImplicitSimulation:
    """Simulate one learner for ``days`` days (see the module docstring); the same arguments
    give the same result."""
    if not 0 <= transfer <= 1:
        raise ValueError(f"transfer must be between 0 and 1, got {transfer}")
    model = _Model(parameters, desired_retention)
    skills = [_Skill(f, d) for d in difficulties for f in skill_order(graph)]
    index = {(s.family, s.difficulty): i for i, s in enumerate(skills)}
    # One stream per skill for its review outcomes and one for the transfers it receives, all
    # drawn from random.Random(seed): runs that differ only in ``implicit`` then draw the same
    # numbers for a skill's k-th review (common random numbers), so their difference is the
    # scheduler's, not the dice's.
    rng = random.Random(seed)
    outcome_streams = [random.Random(rng.getrandbits(64)) for _ in skills]
    transfer_streams = [random.Random(rng.getrandbits(64)) for _ in skills]
    introduced = 0
    reviews_per_day: list[int] = []
    credits = 0
    daily_retention: list[float] = []

    for day in range(days):
        if introduced:
            recalls = [model.recall(s, day) for s in skills[:introduced]]
            daily_retention.append(sum(recalls) / introduced)
        due_index = {
            DueSkill(i, s.family, s.difficulty): i
            for i, s in enumerate(skills[:introduced])
            if s.due <= day
        }
        for skill in skills[introduced : introduced + new_per_day]:
            model.introduce(skill, day)
        introduced = min(len(skills), introduced + new_per_day)

        due = list(due_index)
        offers = compress(due, graph) if implicit else [Offer(s) for s in due]
        passed: set[DueSkill] = set()
        asked = 0
        for offer in offers:
            i = due_index[offer.skill]
            skill = skills[i]
            if offer.credited_by in passed and skill.due > day:
                continue  # credited when its encompassing skill was passed: not asked
            passes = outcome_streams[i].random() < model.recall(skill, day)
            model.review(skill, Rating.GOOD if passes else Rating.AGAIN, day)
            asked += 1
            if not passes:
                continue
            passed.add(offer.skill)
            for component, weight in components_at(graph, skill.family, skill.difficulty):
                j = index.get((component, skill.difficulty))
                if j is None or j >= introduced:
                    continue  # not a skill of this run, or not introduced yet
                if transfer_streams[j].random() < transfer * weight:
                    model.refresh(skills[j], Rating.GOOD, day)
                if implicit:
                    model.credit(skills[j], weight, day)
                    credits += 1
        reviews_per_day.append(asked)

    return ImplicitSimulation(
        days=days,
        skills=len(skills),
        total_reviews=sum(reviews_per_day),
        reviews_per_day=tuple(reviews_per_day),
        credits=credits,
        mean_retention=fmean(daily_retention) if daily_retention else 0.0,
    )
