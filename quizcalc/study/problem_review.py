"""Reviewing a problem card: draw a fresh instance, grade typed attempts, map to SM-2 quality.

A problem card is a *skill* (a family at a difficulty): each review draws a new seed, and the
seed is logged with the typed answer so any past instance can be shown again exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from quizcalc.scheduling.sm2 import Quality

if TYPE_CHECKING:
    from quizcalc.grading.answers import Verdict
    from quizcalc.problems.model import Problem

__all__ = ["ProblemAttempt", "auto_quality", "draw_seed", "instance_for"]

SEED_BITS = 31
"""Seeds fit a signed 32-bit column in any database."""


def draw_seed(rng: random.Random) -> int:
    """A fresh instance seed from ``rng`` (pass ``random.SystemRandom()`` in production)."""
    return rng.getrandbits(SEED_BITS)


def instance_for(family: str, difficulty: int, seed: int) -> Problem:
    """The problem instance of a skill for ``seed`` (pure: the same seed gives the same one)."""
    from quizcalc.problems import generate

    return generate(family, seed, difficulty)


@dataclass(frozen=True)
class ProblemAttempt:
    """What the learner has done on one problem instance so far."""

    problem: Problem
    tries: tuple[str, ...] = ()
    """Every answer submitted, in order."""
    verdicts: tuple[Verdict, ...] = ()
    """The grader's verdict for each try."""
    hints_shown: int = 0
    """How many hints were revealed."""
    gave_up: bool = False
    """True when the learner asked for the solution without a correct answer."""
    elapsed_seconds: float = 0.0
    """Time from the prompt appearing to the last submission."""

    @property
    def solved(self) -> bool:
        """Some try was graded correct."""
        return any(v.correct for v in self.verdicts)

    @property
    def finished(self) -> bool:
        """Solved, or given up: the worked solution may be shown and the card graded."""
        return self.solved or self.gave_up

    def submit(self, text: str, verdict: Verdict, elapsed_seconds: float) -> ProblemAttempt:
        """A new attempt with one more try recorded (an unreadable input is not a try)."""
        if verdict.error is not None:
            return self
        return replace(
            self,
            tries=(*self.tries, text),
            verdicts=(*self.verdicts, verdict),
            elapsed_seconds=elapsed_seconds,
        )

    def with_hint(self) -> ProblemAttempt:
        """One more hint revealed (capped at the number of hints)."""
        return replace(self, hints_shown=min(self.hints_shown + 1, len(self.problem.hints)))

    def give_up(self, elapsed_seconds: float) -> ProblemAttempt:
        """The learner stops and looks at the solution."""
        return replace(self, gave_up=True, elapsed_seconds=elapsed_seconds)

    @property
    def quality(self) -> Quality:
        """The SM-2 grade this attempt earns (see :func:`auto_quality`)."""
        return auto_quality(self)

    @property
    def misconception(self) -> str | None:
        """Tag of the last known wrong answer matched, for the review log and statistics."""
        tags = [v.misconception for v in self.verdicts if v.misconception]
        return tags[-1] if tags else None

    @property
    def logged_answer(self) -> str:
        """What goes into the review log: every try, separated by `` ⏎ ``."""
        return " ⏎ ".join(self.tries)


def auto_quality(attempt: ProblemAttempt) -> Quality:
    """Auto-grade → SM-2 quality.

    Correct and quick (within the family's target time) 5; correct but slow 4; correct
    after a hint or a second try 3; a recognised misconception or "close" 2; wrong 1;
    gave up with nothing typed 0. (Trying and then asking for the solution is "wrong".)
    """
    if attempt.solved:
        first_correct = next(i for i, v in enumerate(attempt.verdicts) if v.correct)
        if first_correct > 0 or attempt.hints_shown > 0:
            return Quality.CORRECT_HARD
        if attempt.elapsed_seconds <= attempt.problem.target_seconds:
            return Quality.PERFECT
        return Quality.CORRECT_HESITANT
    if not attempt.verdicts:  # gave up without typing anything gradable
        return Quality.BLACKOUT
    last = attempt.verdicts[-1]
    if last.misconception or last.close:
        return Quality.WRONG_EASY_RECALL
    return Quality.WRONG_FAMILIAR
