"""Helpers around the grader: checking a problem's answer key, and the worker's JSON form."""

from __future__ import annotations

import pytest

from quizcalc.grading import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    PartResult,
    VectorAnswer,
    Verdict,
    check_answer_key,
)
from quizcalc.grading.wire import (
    answer_from_json,
    answer_to_json,
    verdict_from_json,
    verdict_to_json,
)

SLIP = (Misconception("-1", "Sign?", "sign"),)

ANSWERS: list[Answer] = [
    NumberAnswer("3/4", rel_tol=0.01, misconceptions=SLIP, learning_rate=0.5),
    NumberAnswer(0.1),
    ExpressionAnswer("w - eta*g", variables=("w", "eta", "g"), misconceptions=SLIP),
    VectorAnswer((1, "sqrt(2)", 0.5), learning_rate=0.1),
    MatrixAnswer(((1, 2), (3, "1/2"))),
    ChoiceAnswer(
        ("a lot", "a little"), "a lot", misconceptions=(Misconception("a little", "No.", "t"),)
    ),
]


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda answer: type(answer).__name__)
def test_a_sound_answer_key_has_no_problems(answer: Answer) -> None:
    assert check_answer_key(answer) == []


def test_an_unreadable_answer_key_is_reported() -> None:
    assert check_answer_key(NumberAnswer("3/")) == [
        "expected answer unreadable: something is missing at the end after ‘/’"
    ]
    broken_slip = ExpressionAnswer("x", misconceptions=(Misconception("y", "?", "t"),))
    (problem,) = check_answer_key(broken_slip)
    assert problem.startswith("misconception 'y' unreadable: unknown name ‘y’")
    assert check_answer_key(ExpressionAnswer("log(-x^2-1)")) == [
        "expected answer is defined at too few sample points to check numerically"
    ]


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda answer: type(answer).__name__)
def test_answers_survive_the_trip_to_the_worker(answer: Answer) -> None:
    assert answer_from_json(answer_to_json(answer)) == answer


def test_verdicts_survive_the_trip_back() -> None:
    part = PartResult("component 2", "−2", "2", correct=False, note="check the sign")
    verdict = Verdict(False, 0.5, "1 of 2", "[1, −2]", None, "sign-error", True, (part,))
    assert verdict_from_json(verdict_to_json(verdict)) == verdict


def test_only_known_answer_types_are_built() -> None:
    with pytest.raises(ValueError, match="unknown answer type"):
        answer_from_json({"type": "os.system", "fields": {}})
