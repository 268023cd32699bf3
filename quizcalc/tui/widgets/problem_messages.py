"""What the problem panel's workers post back, and the instance on screen as plain data.

Workers run in threads and talk to the panel only through these messages; each carries the
``token`` of the instance it was started for, so a late answer about an instance that has
since left the screen is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from quizcalc.study.problem_review import GradedTry, ProblemAttempt

__all__ = [
    "AnswerGraded",
    "AnswerRead",
    "PhaseChanged",
    "ProblemDrawFailed",
    "ProblemDrawn",
    "ShownProblem",
]


@dataclass(frozen=True)
class ShownProblem:
    """An instance on screen: what the learner did with it, and its skill's title."""

    attempt: ProblemAttempt
    """Tries, verdicts, hints and time so far (the problem itself is ``attempt.problem``)."""
    title: str
    """The family's human title, e.g. "Chain rule through a tiny network"."""


class ProblemDrawn(Message):
    """The draw worker has an instance (``token`` names the request it answers)."""

    def __init__(self, token: int, shown: ShownProblem) -> None:
        super().__init__()
        self.token = token
        """Which draw this answers; stale ones are dropped."""
        self.shown = shown
        """The fresh instance."""


class ProblemDrawFailed(Message):
    """The generator failed (a bug): ``message`` says so in one line."""

    def __init__(self, token: int, message: str) -> None:
        super().__init__()
        self.token = token
        """Which draw this answers."""
        self.message = message
        """What went wrong."""


class AnswerRead(Message):
    """How ``text`` reads, for the live echo."""

    def __init__(self, token: int, text: str, read: tuple[str | None, str | None]) -> None:
        super().__init__()
        self.token = token
        """The instance it was read for."""
        self.text = text
        """The box's text when it was read (a later text makes this stale)."""
        self.read = read
        """``(interpretation, error)`` from :func:`quizcalc.grading.read_answer`."""


class AnswerGraded(Message):
    """The grader's verdict on a submitted answer, and the attempt with it recorded."""

    def __init__(self, token: int, text: str, graded: GradedTry) -> None:
        super().__init__()
        self.token = token
        """The instance it was graded for."""
        self.text = text
        """What was submitted."""
        self.graded = graded
        """The verdict and the attempt after this try (from :func:`grade_try`)."""


class PhaseChanged(Message):
    """The phase changed: the screen updates its keys and the grade bar."""
