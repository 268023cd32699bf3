"""The grader's entry points: :func:`grade`, :func:`read_answer`, :func:`check_answer_key`.

Importing this module is cheap: SymPy is imported on the first call that needs it (grading a
choice never does), so the TUI's first screen does not wait for it.
"""

from __future__ import annotations

from quizcalc.grading.answers import Answer, ChoiceAnswer, Verdict
from quizcalc.grading.choice import grade_choice, read_choice
from quizcalc.grading.errors import UnreadableAnswer

__all__ = ["check_answer_key", "grade", "read_answer"]


def grade(answer: str, expected: Answer, *, symbolic_fallback: bool = False) -> Verdict:
    """Grade the learner's ``answer`` text against ``expected``; never raises.

    Unreadable input gives a verdict with ``error`` set (naming the offending piece), never an
    exception. Every step is bounded, so this is fast on any string (well under 0.2 s).

    ``symbolic_fallback`` lets SymPy's unbounded ``simplify`` settle the rare expression the
    numeric check cannot decide; only the isolated worker (which can be killed) turns it on.
    """
    try:
        if not isinstance(answer, str):
            return _unchecked(f"the answer must be text, not {type(answer).__name__}")
        if isinstance(expected, ChoiceAnswer):
            return grade_choice(answer, expected)
        from quizcalc.grading.math_answers import grade_math

        return grade_math(answer, expected, symbolic_fallback)
    except Exception as error:  # the last line of defence: grade never raises
        return _unchecked(f"the answer could not be checked ({type(error).__name__})")


def read_answer(text: str, expected: Answer) -> tuple[str | None, str | None]:
    """``(interpretation, error)`` for the UI's live "read as: …" echo; cheap, never raises.

    Only reads (tokenize, parse, shape check, constant subexpressions checked): no sampling,
    no comparison with the expected answer.
    """
    try:
        if isinstance(expected, ChoiceAnswer):
            return read_choice(text, expected)
        from quizcalc.grading.reading import read

        return read(text, expected).interpreted, None
    except UnreadableAnswer as error:
        return None, error.message
    except Exception as error:
        return None, f"the answer could not be read ({type(error).__name__})"


def check_answer_key(expected: Answer) -> list[str]:
    """Problems in an expected answer, for problem authors' tests; ``[]`` when all is well.

    Reports an expected value or misconception the grader cannot read, a correct option that
    is not among the options, and an expression defined at too few sample points to check.
    """
    if isinstance(expected, ChoiceAnswer):
        problems = []
        if grade_choice(expected.correct, expected).error:
            problems.append(f"correct option {expected.correct!r} is not among the options")
        for misconception in expected.misconceptions:
            if read_choice(misconception.answer, expected)[1]:
                problems.append(f"misconception {misconception.answer!r} is not an option")
        return problems
    from quizcalc.grading.math_answers import problems_with

    return problems_with(expected)


def _unchecked(message: str) -> Verdict:
    return Verdict(False, 0.0, message[:1].upper() + message[1:] + ".", "", error=message)
