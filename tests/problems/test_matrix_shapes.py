"""``matrix_shapes``: the answer is the shape NumPy gives, options vary, shapes read loosely.

The family-wide checks (grading round trip, feedback that never names the right option) run
in the other files; these are the ones only a shape question needs.
"""

from __future__ import annotations

from collections import Counter

import pytest

from quizcalc.grading import ChoiceAnswer, grade
from quizcalc.problems import expected_text
from quizcalc.problems.families.matrix_shapes import UNDEFINED
from tests.problems.support import instances


def _choice(difficulty: int, start: int = 0) -> list[ChoiceAnswer]:
    answers = []
    for problem in instances("matrix_shapes", difficulty, start):
        assert isinstance(problem.answer, ChoiceAnswer)
        answers.append(problem.answer)
    return answers


@pytest.mark.parametrize("difficulty", [1, 2])
def test_undefined_is_sometimes_right_and_sometimes_wrong(difficulty: int) -> None:
    answers = _choice(difficulty) + _choice(difficulty, 50)
    undefined = sum(answer.correct == UNDEFINED for answer in answers)
    assert 0.2 * len(answers) <= undefined <= 0.6 * len(answers), undefined


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_the_right_option_moves_around(difficulty: int) -> None:
    """A learner cannot win by always typing the same option number ("undefined", always
    listed last, is right in a bounded share of instances: the test above)."""
    positions = Counter(
        answer.options.index(answer.correct)
        for answer in _choice(difficulty)
        if answer.correct != UNDEFINED
    )
    assert len(positions) >= 3, positions
    assert max(positions.values()) <= 0.6 * sum(positions.values()), positions


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_the_right_shape_typed_as_rows_x_columns_grades_right(difficulty: int) -> None:
    for problem in instances("matrix_shapes", difficulty, 0):
        right = expected_text(problem.answer)
        if right == UNDEFINED:
            continue
        rows, columns = right.strip("()").split(", ")
        for typed in (f"{rows}x{columns}", f"{rows} by {columns}", f"({rows},{columns})"):
            assert grade(typed, problem.answer).correct, (typed, problem.prompt)
        transposed = grade(f"{columns}x{rows}", problem.answer)
        assert not transposed.correct or rows == columns


def test_a_weight_gradient_is_never_shaped_like_the_input() -> None:
    for problem in instances("matrix_shapes", 3, 0):
        p = problem.params
        shapes = {"W": (p["d"], p["k"]), "X": (p["n"], p["d"]), "Y": (p["n"], p["k"])}
        assert expected_text(problem.answer) == str(shapes[p["gradient"]])
        tags = {m.tag for m in problem.misconceptions}
        assert {"transposed-shape"} < tags
