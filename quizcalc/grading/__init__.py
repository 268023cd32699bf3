"""Grading typed answers: safe parsing without ``eval``, equivalence checks, tutor feedback.

    from quizcalc.grading import grade, NumberAnswer, ExpressionAnswer
    grade("cos(x^2)*2x", ExpressionAnswer("2*x*cos(x^2)"))   # Verdict(correct=True, …)

- :func:`grade` — in-process, bounded on any input, never raises.
- :func:`grade_isolated` — the same in a worker process killed past a time cap (for the TUI);
  :func:`start_isolated_grader` starts that worker early, without waiting.
- :func:`read_answer` — ``(interpretation, error)`` for a live "read as: …" echo.
- :func:`check_answer_key` — what is wrong with an expected answer, for problem authors.

The notation a learner may use is described in :mod:`quizcalc.grading.parser` (implicit
multiplication, ``sin x^2`` = sin(x²), ``e`` is Euler's number…) and
:mod:`quizcalc.grading.tokenizer` (Unicode: ``−``, ``×``, ``x²``, ``½``, ``π``, ``η``…).
Importing this package does not import SymPy; the first grading call does.
"""

from quizcalc.grading.answers import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    PartResult,
    VectorAnswer,
    Verdict,
)
from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.grader import check_answer_key, grade, read_answer
from quizcalc.grading.isolation import IsolatedGrader, grade_isolated, start_isolated_grader

__all__ = [
    "Answer",
    "ChoiceAnswer",
    "ExpressionAnswer",
    "IsolatedGrader",
    "MatrixAnswer",
    "Misconception",
    "NumberAnswer",
    "PartResult",
    "UnreadableAnswer",
    "VectorAnswer",
    "Verdict",
    "check_answer_key",
    "grade",
    "grade_isolated",
    "read_answer",
    "start_isolated_grader",
]
