"""Expected answers with their misconceptions, built so that no wrong answer grades right.

A misconception is only worth listing if the grader can tell it apart from the right answer
(and from the other misconceptions): candidates closer than ten times the grading tolerance
are dropped here, in order, so the first (most instructive) one wins a tie.

Ten times, because within that band the grader says "close: check your rounding", and a
right answer rounded too early must not be taken for a slip. Some slips do sit that close by
nature (the exact derivative beside a finite-difference estimate with a small step; gradient
descent with 2η beside η, near the minimum): a family may tag them *near*. A near slip is kept
when it is more than :data:`NEAR_MARGIN` tolerances from the right answer and from the other
slips (so no answer is within tolerance of two of them) and, inside ten, when the right answer
rounded to 3 significant figures (one short of the 4 prompts ask for) does not land on it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from quizcalc.grading.answers import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    VectorAnswer,
)
from quizcalc.problems.numbers import is_close, plain_number, round_sig

__all__ = [
    "Number",
    "Slip",
    "choice_answer",
    "expected_text",
    "matrix_answer",
    "number_answer",
    "number_text",
    "vector_answer",
    "vector_text",
]

Number = Fraction | int | float
"""An exact (Fraction/int) or inexact (float) number."""

Slip = tuple[object, str, str]
"""A candidate misconception: ``(wrong value, tutor's message, tag)``."""

REL_TOL = 1e-3
"""The grader's default: 0.1 %, enough for an answer to 4 significant figures."""
EXACT_REL_TOL = 1e-9
"""For integer answers: exact, up to float noise."""
ABS_TOL = 1e-9
MARGIN = 10
"""A slip closer than this many tolerances to the right answer or an earlier slip is dropped."""
NEAR_MARGIN = 3
"""The same for a *near* slip: more than twice the tolerance, so no answer is within
tolerance of both it and the other value."""
SHORT_FIGURES = 3
"""A right answer rounded one figure short of the 4 significant figures prompts ask for."""


def number_text(value: Number) -> str:
    """How a number is typed: exact values exactly, floats to 6 significant figures."""
    if isinstance(value, float):
        rounded = round_sig(value, 6)
        if rounded == int(rounded):
            return str(int(rounded))
        return format(Decimal(repr(rounded)), "f")  # never "1e-05": the grader wants decimals
    return plain_number(value)


def vector_text(values: Sequence[Number]) -> str:
    """``[1, 3/4, -2]``."""
    return "[" + ", ".join(number_text(v) for v in values) + "]"


def _matrix_text(rows: Sequence[Sequence[Number]]) -> str:
    return "[" + ", ".join(vector_text(row) for row in rows) + "]"


def _flat(value: object) -> list[float]:
    if isinstance(value, Fraction | int | float):
        return [float(value)]
    assert isinstance(value, Sequence)
    return [x for item in value for x in _flat(item)]


def _shape(value: object) -> tuple[int, ...]:
    if isinstance(value, Sequence):
        return (len(value), *(_shape(value[0]) if value else ()))
    return ()


def _same(a: object, b: object, rel_tol: float, abs_tol: float, margin: float) -> bool:
    """Whether ``a`` and ``b`` have one shape and are within ``margin`` tolerances everywhere."""
    if _shape(a) != _shape(b):
        return False
    return all(
        is_close(x, y, rel_tol, abs_tol, margin) for x, y in zip(_flat(a), _flat(b), strict=True)
    )


def _rounded_too_early(correct: object, value: object, rel_tol: float, abs_tol: float) -> bool:
    """Whether ``value`` is in the "close" band and is ``correct`` rounded one figure short."""
    if not _same(value, correct, rel_tol, abs_tol, MARGIN):
        return False
    return all(
        is_close(round_sig(c, SHORT_FIGURES), v, rel_tol, abs_tol, margin=1)
        for c, v in zip(_flat(correct), _flat(value), strict=True)
    )


def _distinct(
    correct: object,
    slips: Iterable[Slip],
    text: object,
    rel_tol: float,
    abs_tol: float,
    near: Collection[str] = (),
) -> tuple[Misconception, ...]:
    """The slips the grader can tell apart, in order; those tagged ``near`` may sit closer."""
    assert callable(text)
    kept: list[tuple[object, bool, Misconception]] = []
    for value, message, tag in slips:
        is_near = tag in near
        if _same(value, correct, rel_tol, abs_tol, NEAR_MARGIN if is_near else MARGIN):
            continue
        if is_near and _rounded_too_early(correct, value, rel_tol, abs_tol):
            continue
        if any(
            _same(value, other, rel_tol, abs_tol, NEAR_MARGIN if is_near or other_near else MARGIN)
            for other, other_near, _ in kept
        ):
            continue
        kept.append((value, is_near, Misconception(text(value), message, tag)))
    return tuple(m for _, _, m in kept)


def _integral(value: object) -> bool:
    return isinstance(value, int | Fraction) and Fraction(value).denominator == 1


def _default_tol(values: Sequence[Number]) -> float:
    """Counts and other integer answers are exact; anything else allows 4 s.f. (0.1 %)."""
    return EXACT_REL_TOL if all(_integral(v) for v in values) else REL_TOL


def number_answer(
    value: Number,
    slips: Iterable[Slip] = (),
    rel_tol: float | None = None,
    abs_tol: float = ABS_TOL,
    learning_rate: Number | None = None,
    near: Collection[str] = (),
) -> NumberAnswer:
    """A NumberAnswer for ``value`` (exact string when exact) with the distinct slips.

    Integer answers get a tight tolerance (1247 is not 1248); others the grader's 0.1 %.
    ``learning_rate`` lets the grader recognise an answer off by a factor of η. Slips whose
    tag is in ``near`` may sit closer to ``value`` than the others, as the module's docstring
    says.
    """
    rel_tol = _default_tol([value]) if rel_tol is None else rel_tol
    misconceptions = _distinct(value, slips, number_text, rel_tol, abs_tol, near)
    rate = None if learning_rate is None else float(learning_rate)
    return NumberAnswer(number_text(value), rel_tol, abs_tol, misconceptions, learning_rate=rate)


def vector_answer(
    values: Sequence[Number],
    slips: Iterable[Slip] = (),
    rel_tol: float | None = None,
    abs_tol: float = ABS_TOL,
) -> VectorAnswer:
    """A VectorAnswer for ``values`` with the distinct slips (each a whole vector)."""
    rel_tol = _default_tol(values) if rel_tol is None else rel_tol
    misconceptions = _distinct(list(values), slips, vector_text, rel_tol, abs_tol)
    return VectorAnswer(tuple(number_text(v) for v in values), rel_tol, abs_tol, misconceptions)


def matrix_answer(
    rows: Sequence[Sequence[Number]],
    slips: Iterable[Slip] = (),
    rel_tol: float | None = None,
    abs_tol: float = ABS_TOL,
) -> MatrixAnswer:
    """A MatrixAnswer for ``rows`` with the distinct slips (each a whole matrix)."""
    rel_tol = _default_tol([v for row in rows for v in row]) if rel_tol is None else rel_tol
    matrix = [list(row) for row in rows]
    misconceptions = _distinct(matrix, slips, _matrix_text, rel_tol, abs_tol)
    exact = tuple(tuple(number_text(v) for v in row) for row in rows)
    return MatrixAnswer(exact, rel_tol, abs_tol, misconceptions)


def choice_answer(
    options: Sequence[str], correct: str, slips: Iterable[tuple[str, str, str]] = ()
) -> ChoiceAnswer:
    """A ChoiceAnswer; slips are ``(wrong option, message, tag)``, first per option kept."""
    if correct not in options:
        raise ValueError(f"correct option {correct!r} is not among {list(options)}")
    seen: set[str] = set()
    misconceptions = []
    for option, message, tag in slips:
        if option not in options:
            raise ValueError(f"misconception option {option!r} is not among {list(options)}")
        if option != correct and option not in seen:
            seen.add(option)
            misconceptions.append(Misconception(option, message, tag))
    return ChoiceAnswer(tuple(options), correct, tuple(misconceptions))


def expected_text(answer: Answer) -> str:
    """The expected answer written as a learner would type it (what a solution ends with)."""
    if isinstance(answer, NumberAnswer):
        return str(answer.value)
    if isinstance(answer, ExpressionAnswer):
        return answer.expr
    if isinstance(answer, VectorAnswer):
        return "[" + ", ".join(str(v) for v in answer.values) + "]"
    if isinstance(answer, MatrixAnswer):
        return "[" + ", ".join("[" + ", ".join(str(v) for v in r) + "]" for r in answer.rows) + "]"
    return answer.correct
