"""Expected-answer types and the verdict: plain data that problems hand to the grader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "Answer",
    "ChoiceAnswer",
    "ExpressionAnswer",
    "MatrixAnswer",
    "Misconception",
    "NumberAnswer",
    "PartResult",
    "VectorAnswer",
    "Verdict",
]


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer and what it says about the learner's reasoning (STACK-style)."""

    answer: str
    """The wrong answer, written as a learner would type it (graded with the same rules)."""
    message: str
    """Feedback shown when it matches, e.g. "you dropped the inner derivative dg/dx"."""
    tag: str = ""
    """Short stable name for statistics, e.g. ``dropped-inner-derivative``."""


@dataclass(frozen=True)
class NumberAnswer:
    """A single number, compared with relative and absolute tolerance."""

    value: float | int | str
    """The expected value; a string like ``"3/4"`` or ``"sqrt(2)"`` keeps it exact.

    An exact expected value (int, fraction, surd) and an exact typed answer must agree exactly;
    tolerances apply as soon as either side is a decimal (a float or a string like ``"0.75"``).
    """
    rel_tol: float = 1e-3
    """Relative tolerance (0.1 %, WeBWorK's default)."""
    abs_tol: float = 1e-9
    """Absolute tolerance, for answers near zero."""
    misconceptions: tuple[Misconception, ...] = ()
    learning_rate: float | None = None
    """The problem's learning rate η, if any: an answer off by a factor of η is recognised."""


@dataclass(frozen=True)
class ExpressionAnswer:
    """A symbolic expression in the named variables (e.g. a derivative)."""

    expr: str
    """The expected expression in the grader's syntax, e.g. ``"2*x*cos(x^2)"``."""
    variables: tuple[str, ...] = ("x",)
    """Variables a learner may use."""
    misconceptions: tuple[Misconception, ...] = ()
    rel_tol: float = 1e-3
    """Relative tolerance, used only when either side contains a decimal (WeBWorK's default)."""
    abs_tol: float = 1e-9
    """Absolute tolerance at each sample point, under the same condition."""


@dataclass(frozen=True)
class VectorAnswer:
    """A vector of numbers, compared element-wise."""

    values: tuple[float | int | str, ...]
    rel_tol: float = 1e-3
    abs_tol: float = 1e-9
    misconceptions: tuple[Misconception, ...] = ()
    learning_rate: float | None = None
    """The problem's learning rate η, if any: an answer off by a factor of η is recognised."""


@dataclass(frozen=True)
class MatrixAnswer:
    """A matrix of numbers (rows of equal length), compared element-wise."""

    rows: tuple[tuple[float | int | str, ...], ...]
    rel_tol: float = 1e-3
    abs_tol: float = 1e-9
    misconceptions: tuple[Misconception, ...] = ()


@dataclass(frozen=True)
class ChoiceAnswer:
    """One option out of several; accepts the option text, its number or its letter."""

    options: Sequence[str]
    correct: str
    """The correct option's text (one of ``options``)."""
    misconceptions: tuple[Misconception, ...] = ()


Answer = NumberAnswer | ExpressionAnswer | VectorAnswer | MatrixAnswer | ChoiceAnswer
"""Any expected answer the grader understands."""


@dataclass(frozen=True)
class PartResult:
    """One part of an answer as the grader judged it: a component, an entry, a sample point.

    Plain data, so a front end decides what to show: before the learner gives up it names the
    part and what was given (:meth:`text` with ``reveal=False``), never ``expected``.
    """

    label: str
    """Which part: ``component 2``, ``entry (1, 2)`` or ``at x = 1.307``."""
    given: str
    """The learner's value for this part, in plain math (``−3``)."""
    expected: str
    """The right value for this part: a spoiler until the solution is shown."""
    correct: bool
    note: str = ""
    """A short hint that does not state the expected value, e.g. ``check the sign``."""

    def text(self, *, reveal: bool = True) -> str:
        """One line: ``component 2: expected 3, got −3 (check the sign)``.

        With ``reveal=False`` the expected value is left out:
        ``component 2: −3 is not right (check the sign)``.
        """
        note = f" ({self.note})" if self.note else ""
        if self.correct:
            return f"{self.label}: {self.given} is right"
        if reveal:
            return f"{self.label}: expected {self.expected}, got {self.given}{note}"
        return f"{self.label}: {self.given} is not right{note}"


@dataclass(frozen=True)
class Verdict:
    """The grader's decision, with everything a learner needs to understand it."""

    correct: bool
    score: float
    """0..1; partial credit for e.g. a vector with some components right."""
    feedback: str
    """What was right or wrong, as a tutor would say it."""
    interpreted: str
    """How the input was read, in plain math (``2·x·cos(x²)``)."""
    error: str | None = None
    """Set when the input could not be read (names the offending piece)."""
    misconception: str | None = None
    """Tag of the misconception that matched, if any."""
    close: bool = False
    """Within 10× the tolerance: "close: check your rounding"."""
    parts: tuple[PartResult, ...] = field(default_factory=tuple)
    """Per-part results: every component of a vector or matrix (right ones too), or the
    sample point where a wrong expression differs."""

    @property
    def wrong_parts(self) -> tuple[PartResult, ...]:
        """The parts that are not right, in order."""
        return tuple(part for part in self.parts if not part.correct)

    @property
    def details(self) -> tuple[str, ...]:
        """The wrong parts as text with their expected values (for the CLI, logs and tests)."""
        return tuple(part.text() for part in self.wrong_parts)
