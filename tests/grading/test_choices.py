"""Multiple choice: the option's text, number or letter; anything else lists the options.

Prompts number the options (``1. local minimum``), so the grader echoes them that way too.
"""

from __future__ import annotations

import pytest

from quizcalc.grading import ChoiceAnswer, Misconception, check_answer_key, grade, read_answer

CRITICAL_POINT = ChoiceAnswer(
    options=("local minimum", "local maximum", "saddle point"),
    correct="saddle point",
    misconceptions=(
        Misconception("local minimum", "A mixed-sign Hessian is not a minimum.", "definite"),
    ),
)


@pytest.mark.parametrize(
    "typed",
    [
        "saddle point",
        "Saddle Point",
        "  SADDLE   point ",
        "3",
        "c",
        "C",
        "c)",
        "(c)",
        "3.",
        "3)",
        "(3)",
        "saddle",
    ],
)
def test_the_right_option_in_any_accepted_form(typed: str) -> None:
    verdict = grade(typed, CRITICAL_POINT)
    assert verdict.correct, verdict
    assert verdict.interpreted == "3. saddle point"


@pytest.mark.parametrize("typed", ["c) saddle point", "3. saddle point", "3) saddle"])
def test_a_label_with_its_text_is_accepted(typed: str) -> None:
    assert grade(typed, CRITICAL_POINT).correct


@pytest.mark.parametrize("typed", ["b", "2"])
def test_the_letter_and_the_number_echo_as_the_prompt_lists_the_option(typed: str) -> None:
    assert read_answer(typed, CRITICAL_POINT) == ("2. local maximum", None)
    assert grade(typed, CRITICAL_POINT).interpreted == "2. local maximum"


@pytest.mark.parametrize("typed", ["local maximum", "2", "b", "local max"])
def test_another_option_is_wrong(typed: str) -> None:
    verdict = grade(typed, CRITICAL_POINT)
    assert not verdict.correct and verdict.error is None
    assert verdict.interpreted == "2. local maximum"


def test_a_listed_misconception_among_the_options() -> None:
    verdict = grade("a", CRITICAL_POINT)
    assert verdict.misconception == "definite"
    assert verdict.feedback == "A mixed-sign Hessian is not a minimum."


@pytest.mark.parametrize("typed", ["d", "4", "0", "maybe", "sad", "", "local"])
def test_anything_else_is_an_error_listing_the_options(typed: str) -> None:
    verdict = grade(typed, CRITICAL_POINT)
    assert verdict.error is not None
    assert not verdict.correct


def test_the_error_lists_the_options_with_their_labels() -> None:
    _, error = read_answer("maybe", CRITICAL_POINT)
    assert error == (
        "‘maybe’ is not one of the options; choose one of: 1. local minimum, "
        "2. local maximum, 3. saddle point (type its number or its text)"
    )


def test_an_ambiguous_prefix_names_the_candidates() -> None:
    _, error = read_answer("local", CRITICAL_POINT)
    assert error == "‘local’ could be 1. local minimum or 2. local maximum: type more of it"


def test_options_that_look_like_labels_match_as_text_first() -> None:
    eigenvalues = ChoiceAnswer(options=("3", "2", "1"), correct="1")
    assert grade("1", eigenvalues).correct
    assert grade("c", eigenvalues).correct


def test_a_misconfigured_choice_is_reported() -> None:
    broken = ChoiceAnswer(options=("yes", "no"), correct="maybe")
    assert grade("yes", broken).error is not None
    assert check_answer_key(broken) == ["correct option 'maybe' is not among the options"]


SHAPES = ChoiceAnswer(options=("(3, 5)", "(5, 3)", "(3, 3)", "undefined"), correct="(5, 3)")


@pytest.mark.parametrize(
    "typed", ["(5, 3)", "(5,3)", "5, 3", "5,3", "5x3", "5 X 3", "5 × 3", "5*3", "5 by 3", "2", "b"]
)
def test_a_shape_option_in_any_usual_spelling(typed: str) -> None:
    verdict = grade(typed, SHAPES)
    assert verdict.correct, verdict
    assert verdict.interpreted == "2. (5, 3)"


@pytest.mark.parametrize("typed", ["3x5", "(3,5)", "3 by 5"])
def test_the_transposed_shape_is_the_other_option(typed: str) -> None:
    verdict = grade(typed, SHAPES)
    assert not verdict.correct and verdict.error is None
    assert verdict.interpreted == "1. (3, 5)"


@pytest.mark.parametrize("typed", ["5x3x1", "(5, 3, 1)", "5x", "x3", "(7, 7)", "__import__('os')"])
def test_anything_else_is_not_a_shape_option(typed: str) -> None:
    verdict = grade(typed, SHAPES)
    assert not verdict.correct
    assert verdict.error is not None and "not one of the options" in verdict.error


def test_shape_spellings_do_not_change_other_options() -> None:
    assert grade("2", CRITICAL_POINT).interpreted == "2. local maximum"
    assert not grade("3, 5", CRITICAL_POINT).correct
