"""The grading round trip for every family × difficulty: right is right, wrong is wrong.

For each instance: the expected answer, typed as a learner would, grades correct; a perturbed
answer grades wrong; every misconception grades wrong *and* is recognised (its tag, or its
message in the feedback); exact non-integer numbers also accept a 4-significant-figure
decimal; choices accept the option's number and letter, echoed as the prompt lists the option.
The number of seeds per cell is ``QUIZCALC_GRADED_SEEDS`` (default 30; at most 50 for the
two expression families, whose symbolic checks cost ten times more).
"""

from __future__ import annotations

import os
from fractions import Fraction

import pytest

from quizcalc.grading import check_answer_key, grade
from quizcalc.grading.answers import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
)
from quizcalc.problems import Problem, expected_text
from tests.problems.support import CHUNK, chunk_id, chunks, instances

SYMBOLIC = {"derivative", "partial"}
"""Families whose answers are expressions: grading samples them, so they get fewer seeds."""
GRADED = [
    item
    for item in chunks(int(os.environ.get("QUIZCALC_GRADED_SEEDS", "30")))
    if item[0] not in SYMBOLIC or item[2] < CHUNK
]


def _shift(text: str) -> str:
    """A number clearly different from ``text`` (at least 1, at least 10 %)."""
    value = Fraction(text) if "/" in text or "." in text or text.lstrip("-").isdigit() else None
    if value is None:
        return f"({text}) + 1"
    return str(float(value + max(Fraction(1), abs(value) / 10)))


def perturbed(answer: Answer) -> str:
    """A wrong answer of the right shape."""
    if isinstance(answer, NumberAnswer):
        return _shift(str(answer.value))
    if isinstance(answer, VectorAnswer):
        values = [str(v) for v in answer.values]
        return "[" + ", ".join([_shift(values[0]), *values[1:]]) + "]"
    if isinstance(answer, MatrixAnswer):
        rows = [[str(v) for v in row] for row in answer.rows]
        rows[0][0] = _shift(rows[0][0])
        return "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"
    if isinstance(answer, ExpressionAnswer):
        return f"({answer.expr}) + {answer.variables[0]}"
    assert isinstance(answer, ChoiceAnswer)
    return next(o for o in answer.options if o != answer.correct)


def four_significant_figures(value: Fraction) -> str:
    """What a learner following "4 significant figures" types (positional, never 1e-05)."""
    import numpy as np

    return str(np.format_float_positional(float(value), precision=4, fractional=False))


def check_round_trip(problem: Problem) -> None:
    answer = problem.answer
    where = f"{problem.family} d{problem.difficulty} seed {problem.seed}"
    assert check_answer_key(answer) == [], f"{where}: the grader cannot use this key"
    right = grade(expected_text(answer), answer)
    assert right.correct, (
        f"{where}: expected answer {expected_text(answer)!r} graded wrong: {right}"
    )
    wrong = grade(perturbed(answer), answer)
    assert not wrong.correct, f"{where}: perturbed {perturbed(answer)!r} graded right"
    for m in problem.misconceptions:
        verdict = grade(m.answer, answer)
        assert not verdict.correct, f"{where}: misconception {m.tag} {m.answer!r} graded right"
        assert verdict.misconception == m.tag or m.message in verdict.feedback, (
            f"{where}: misconception {m.tag} ({m.answer!r}) not recognised: {verdict}"
        )
    if isinstance(answer, NumberAnswer) and Fraction(str(answer.value)).denominator > 1:
        decimal = four_significant_figures(Fraction(str(answer.value)))
        assert grade(decimal, answer).correct, f"{where}: {decimal} for {answer.value}"
    if isinstance(answer, ChoiceAnswer):
        check_choice_labels(problem, where)


def check_choice_labels(problem: Problem, where: str) -> None:
    """The number the prompt shows and the matching letter both work; echoes use the number."""
    answer = problem.answer
    assert isinstance(answer, ChoiceAnswer)
    for index, option in enumerate(answer.options):
        shown = f"{index + 1}. {option}"
        assert f"\n{shown}" in problem.prompt, f"{where}: the prompt does not list {shown!r}"
        for typed in (str(index + 1), f"{index + 1}.", "abcdefgh"[index], shown):
            verdict = grade(typed, answer)
            assert verdict.correct == (option == answer.correct), f"{where}: {typed!r}"
            assert verdict.interpreted == shown, f"{where}: {typed!r} echoed {verdict.interpreted}"


@pytest.mark.parametrize("item", GRADED, ids=chunk_id)
def test_grading_round_trip(item: tuple[str, int, int]) -> None:
    family, difficulty, start = item
    for problem in instances(family, difficulty, start):
        check_round_trip(problem)
