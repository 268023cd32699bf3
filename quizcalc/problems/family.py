"""What a problem family is: metadata plus a pure builder from a seeded RNG to a problem."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from quizcalc.grading.answers import Answer
from quizcalc.problems.model import Problem, Trajectory

__all__ = ["DIFFICULTIES", "Draft", "Family", "draw_until", "rng_for"]

DIFFICULTIES = (1, 2, 3)
"""Every family offers these: 1 is an interview warm-up by hand, 3 the hardest."""

T = TypeVar("T")


@dataclass(frozen=True)
class Draft:
    """A family's content for one instance; :meth:`Family.generate` adds family, seed, level."""

    prompt: str
    answer: Answer
    solution: tuple[str, ...]
    hints: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    trajectory: Trajectory | None = None


Builder = Callable[[random.Random, int], Draft]
"""``build(rng, difficulty) -> Draft``: all randomness comes from ``rng``."""


def rng_for(family: str, seed: int, difficulty: int) -> random.Random:
    """The RNG for one instance, seeded from the string ``family:seed:difficulty``.

    String seeds are hashed with SHA-512 by :mod:`random`, so the stream is the same on every
    run and platform (no ``PYTHONHASHSEED`` dependence) and families never share streams.
    """
    return random.Random(f"{family}:{seed}:{difficulty}")


def draw_until(
    rng: random.Random, draw: Callable[[random.Random], T], valid: Callable[[T], bool]
) -> T:
    """Draw from ``draw`` until ``valid`` accepts (deterministic: same RNG, same result).

    Generators reject instances that would be degenerate (a zero answer where a wrong answer
    would coincide with it, a learning rate too close to a stability boundary, ...).
    """
    for _ in range(1000):
        candidate = draw(rng)
        if valid(candidate):
            return candidate
    raise RuntimeError("no valid instance in 1000 draws: the generator's ranges are too tight")


@dataclass(frozen=True)
class Family:
    """A problem family: a skill that draws a fresh instance for every review."""

    name: str
    """Registry key, e.g. ``chain_rule`` (what a ```problem block names)."""
    title: str
    """Short human title, e.g. "Chain rule through a tiny network"."""
    description: str
    """One line: what the learner practises."""
    build: Builder
    """The pure builder from a seeded RNG and a difficulty to a :class:`Draft`."""
    target_seconds: tuple[int, int, int]
    """Per difficulty 1..3: a correct answer within this time earns quality 5."""
    difficulties: tuple[int, ...] = DIFFICULTIES
    """The difficulties offered."""
    levels: Sequence[str] = ()
    """Per difficulty, what changes (for documentation and ``quizcalc problems`` listings)."""

    def generate(self, seed: int, difficulty: int = 1) -> Problem:
        """The instance of this family for ``(seed, difficulty)``; same arguments, same problem."""
        if type(difficulty) is not int or difficulty not in self.difficulties:
            valid = ", ".join(str(d) for d in self.difficulties)
            raise ValueError(
                f"difficulty must be one of {valid} for family {self.name!r} (got {difficulty!r})"
            )
        draft = self.build(rng_for(self.name, seed, difficulty), difficulty)
        return Problem(
            family=self.name,
            seed=seed,
            difficulty=difficulty,
            prompt=draft.prompt,
            answer=draft.answer,
            solution=draft.solution,
            hints=draft.hints,
            params=draft.params,
            target_seconds=self.target_seconds[difficulty - 1],
            trajectory=draft.trajectory,
        )
