"""What a drill practises and which problems it serves: the spec, the plan, the instances.

Pure (no database): the worksheet export and the drill set-up screen use it without opening
the store. :mod:`quizcalc.study.drills` runs a plan and re-exports these names.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizcalc.config import Config
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.problem_review import SEED_BITS, draw_seed, instance_for

if TYPE_CHECKING:
    from quizcalc.problems.model import Problem

__all__ = [
    "MAX_COUNT",
    "MAX_MINUTES",
    "PROBLEMS_PER_MINUTE",
    "DrillItem",
    "DrillPlan",
    "DrillSpec",
    "InstanceDrawer",
    "draw_instances",
    "plan_drill",
]

MAX_COUNT = 500
"""Most problems in one drill (the ``drill_count`` setting's bound)."""
MAX_MINUTES = 600
"""Longest time limit in minutes (the ``drill_minutes`` setting's bound)."""
PROBLEMS_PER_MINUTE = 10
"""A drill with a time limit but no count plans this many problems per minute (a cap)."""
_REROLLS = 12
"""Tries at a fresh instance when a drawn one repeats a prompt already in the drill."""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class DrillSpec:
    """What a drill practises: families, one difficulty, a count and/or a time limit, a seed.

    Validated on construction: a :class:`ValueError` with a one-line message a learner can act
    on. Repeated families are kept once, in the order given.
    """

    families: tuple[str, ...]
    """Problem family names (see ``quizcalc problems list``), in the order chosen."""
    difficulty: int = 1
    """1, 2 or 3, for every problem."""
    count: int | None = 10
    """Number of problems; ``None`` for "until the time is up"."""
    minutes: int | None = None
    """Time limit; ``None`` for no limit. With a count too, whichever comes first ends it."""
    seed: int | None = None
    """Seed of the set: the same seed gives the same problems in the same order."""

    def __post_init__(self) -> None:
        families = tuple(dict.fromkeys(self.families))
        if not families:
            raise InvalidRequest(
                "choose at least one problem family (see `quizcalc problems list`), "
                "a section or the weakest skills"
            )
        for name in families:
            if name not in FAMILY_NAMES:
                raise InvalidRequest(
                    f"unknown problem family {name!r}; choose from: {', '.join(FAMILY_NAMES)}"
                )
        object.__setattr__(self, "families", families)
        if not _whole(self.difficulty) or self.difficulty not in (1, 2, 3):
            raise InvalidRequest(f"difficulty must be 1, 2 or 3 (got {self.difficulty!r})")
        if self.count is not None and (not _whole(self.count) or not 1 <= self.count <= MAX_COUNT):
            raise InvalidRequest(
                f"the number of problems must be between 1 and {MAX_COUNT} (got {self.count!r})"
            )
        if self.minutes is not None and (
            not _whole(self.minutes) or not 1 <= self.minutes <= MAX_MINUTES
        ):
            raise InvalidRequest(
                f"the time limit must be between 1 and {MAX_MINUTES} minutes (got {self.minutes!r})"
            )
        if self.count is None and self.minutes is None:
            raise InvalidRequest("give a number of problems, a time limit in minutes, or both")
        if self.seed is not None and (not _whole(self.seed) or self.seed < 0):
            raise InvalidRequest(f"the seed must be a whole number, 0 or more (got {self.seed!r})")

    @classmethod
    def from_settings(
        cls,
        families: Iterable[str],
        config: Config,
        *,
        difficulty: int | None = None,
        count: int | None = None,
        minutes: int | None = None,
        seed: int | None = None,
    ) -> DrillSpec:
        """A spec with the ``drill_*`` settings filling what was not given.

        A time limit given without a count means "as many as fit"; otherwise the count
        defaults to ``drill_count`` and the limit to ``drill_minutes`` (0: none).
        """
        if count is None and minutes is None:
            count = config.drill_count
        return cls(
            families=tuple(families),
            difficulty=config.drill_difficulty if difficulty is None else difficulty,
            count=count,
            minutes=(config.drill_minutes or None) if minutes is None else minutes,
            seed=seed,
        )

    @property
    def label(self) -> str:
        """One line for a title bar: ``10 problems · 5 min · chain_rule, gd_steps · level 2``."""
        parts = []
        if self.count is not None:
            parts.append(f"{self.count} problem{'s' if self.count != 1 else ''}")
        if self.minutes is not None:
            parts.append(f"{self.minutes} min")
        parts += [", ".join(self.families), f"difficulty {self.difficulty}"]
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        return " · ".join(parts)


@dataclass(frozen=True)
class DrillItem:
    """One planned problem: a skill and the seed of its instance."""

    family: str
    difficulty: int
    seed: int


@dataclass(frozen=True)
class DrillPlan:
    """The problems of a drill, in order (a time-limited drill plans up to a cap)."""

    spec: DrillSpec
    seed: int
    """The seed the set was drawn from (the spec's, or a fresh one, shown so it can be redone)."""
    items: tuple[DrillItem, ...]

    @property
    def total(self) -> int | None:
        """Problems the drill ends after, or ``None`` when only the time limit ends it."""
        return self.spec.count


def plan_drill(spec: DrillSpec, rng: random.Random | None = None) -> DrillPlan:
    """Draw the drill's problems: the same set for the same ``spec.seed``, a fresh one otherwise.

    Families come in rounds, each round a shuffle of all of them, with no family twice in a
    row across rounds (unless it is the only one); so every family gets its share. Without
    a seed in the spec, one is drawn from ``rng`` (default: the OS's entropy) and kept in
    :attr:`DrillPlan.seed`. Cheap: no problem is generated here.
    """
    seed = spec.seed if spec.seed is not None else draw_seed(rng or random.SystemRandom())
    draw = random.Random(seed)
    needed = spec.count if spec.count is not None else _time_cap(spec)
    families = list(spec.families)
    order: list[str] = []
    while len(order) < needed:
        round_ = families[:]
        draw.shuffle(round_)
        if order and len(round_) > 1 and round_[0] == order[-1]:
            swap = draw.randrange(1, len(round_))
            round_[0], round_[swap] = round_[swap], round_[0]
        order.extend(round_)
    seeds: set[tuple[str, int]] = set()
    items = []
    for family in order[:needed]:
        item_seed = draw_seed(draw)
        while (family, item_seed) in seeds:
            item_seed = draw_seed(draw)
        seeds.add((family, item_seed))
        items.append(DrillItem(family, spec.difficulty, item_seed))
    return DrillPlan(spec=spec, seed=seed, items=tuple(items))


def _time_cap(spec: DrillSpec) -> int:
    assert spec.minutes is not None
    return min(MAX_COUNT, spec.minutes * PROBLEMS_PER_MINUTE)


class InstanceDrawer:
    """Generates a drill's instances, re-rolling a seed whose prompt is already in the drill.

    Some skills have few distinct instances at level 1; a worksheet or drill showing the same
    problem twice looks broken. Re-rolls are derived from the seed, so they are deterministic.
    """

    def __init__(self) -> None:
        self.seen: set[tuple[str, int, str]] = set()
        """``(family, difficulty, prompt)`` of every instance drawn so far."""

    def draw(self, item: DrillItem) -> Problem:
        """The instance of ``item``, or of a re-rolled seed if its prompt was drawn already."""
        problem = instance_for(item.family, item.difficulty, item.seed)
        for attempt in range(1, _REROLLS + 1):
            if (problem.family, problem.difficulty, problem.prompt) not in self.seen:
                break
            seed = (item.seed + attempt * 0x9E3779B1) % (1 << SEED_BITS)
            problem = instance_for(item.family, item.difficulty, seed)
        self.seen.add((problem.family, problem.difficulty, problem.prompt))
        return problem


def draw_instances(plan: DrillPlan) -> tuple[Problem, ...]:
    """Every problem of ``plan``, generated (no prompt twice where the skill allows it).

    Deterministic in the plan. Imports the generators (SymPy for some families).
    """
    instances = InstanceDrawer()
    return tuple(instances.draw(item) for item in plan.items)
