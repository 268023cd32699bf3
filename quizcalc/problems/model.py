"""A generated problem instance: prompt, expected answer, worked solution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizcalc.grading.answers import Answer, Misconception

__all__ = ["Problem", "Trajectory"]


@dataclass(frozen=True)
class Trajectory:
    """Iterates of an optimiser, for the terminal plot beside a worked solution."""

    w: tuple[float, ...]
    """w_0 … w_k."""
    loss: tuple[float, ...]
    """L(w_0) … L(w_k)."""
    label: str = ""
    """The plot's title, Markdown with LaTeX math like the prompt, e.g.
    ``\\(\\eta = 0.1\\), \\(L(w) = 0.25w^{4}\\)`` (a front end renders it as maths)."""


@dataclass(frozen=True)
class Problem:
    """One instance of a problem family, pure data, deterministic in (family, seed, difficulty)."""

    family: str
    seed: int
    difficulty: int
    prompt: str
    """Markdown with LaTeX (``\\( \\)``) math."""
    answer: Answer
    """What the grader compares the learner's input with."""
    solution: tuple[str, ...]
    """Worked steps, one line each; the last line states the answer."""
    hints: tuple[str, ...] = ()
    """Progressive hints, least revealing first."""
    params: dict[str, Any] = field(default_factory=dict)
    """The random parameters drawn (for display, logs and golden tests)."""
    target_seconds: int = 60
    """A quick, correct answer within this time earns quality 5."""
    trajectory: Trajectory | None = None
    """For optimiser families: the iterates to plot."""

    @property
    def misconceptions(self) -> tuple[Misconception, ...]:
        """Known wrong answers with targeted feedback (carried by the expected answer)."""
        return self.answer.misconceptions
