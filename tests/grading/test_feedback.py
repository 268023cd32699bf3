"""What the learner is told when an answer is wrong: misconceptions, sign, η, rounding, parts."""

from __future__ import annotations

import json

from quizcalc.grading import (
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    PartResult,
    VectorAnswer,
    check_answer_key,
    grade,
    read_answer,
)
from quizcalc.grading.wire import verdict_from_json, verdict_to_json

CHAIN_RULE = ExpressionAnswer(
    "2*x*cos(x^2)",
    misconceptions=(
        Misconception("cos(x^2)", "You dropped the inner derivative 2x.", "dropped-inner"),
        Misconception("2x cos(x)", "Keep the inner function x² inside cos.", "lost-inner-function"),
    ),
)


def test_a_listed_misconception_gets_its_own_message_and_tag() -> None:
    verdict = grade("cos(x²)", CHAIN_RULE)
    assert not verdict.correct
    assert verdict.feedback == "You dropped the inner derivative 2x."
    assert verdict.misconception == "dropped-inner"


def test_a_misconception_matches_in_any_equivalent_form() -> None:
    verdict = grade("cos x · 2x", CHAIN_RULE)
    assert verdict.misconception == "lost-inner-function"


def test_a_right_answer_never_matches_a_misconception() -> None:
    verdict = grade("2x cos(x^2)", CHAIN_RULE)
    assert verdict.correct and verdict.misconception is None


def test_a_sign_error_is_recognised_for_expressions() -> None:
    verdict = grade("-2x cos(x^2)", CHAIN_RULE)
    assert verdict.misconception == "sign-error"
    assert "check the sign" in verdict.feedback.lower()


def test_a_sign_error_is_recognised_for_numbers() -> None:
    verdict = grade("-0.75", NumberAnswer(0.75))
    assert verdict.misconception == "sign-error"


def test_a_factor_of_the_learning_rate_is_recognised_both_ways() -> None:
    step = NumberAnswer(-0.4, learning_rate=0.1)  # Δw = −η·g with g = 4
    missing = grade("-4", step)
    assert missing.misconception == "learning-rate-factor"
    assert "off by a factor of η" in missing.feedback.lower()
    assert "should include the factor η" in missing.feedback
    extra = grade("-0.04", step)
    assert extra.misconception == "learning-rate-factor"
    assert "extra factor of η" in extra.feedback


def test_learning_rate_and_sign_together() -> None:
    verdict = grade("4", NumberAnswer(-0.4, learning_rate=0.1))
    assert verdict.misconception == "learning-rate-factor"
    assert "sign is flipped" in verdict.feedback


def test_no_learning_rate_no_learning_rate_feedback() -> None:
    verdict = grade("-4", NumberAnswer(-0.4))
    assert verdict.misconception is None
    assert verdict.feedback == "Not equal to the expected answer."


def test_within_ten_times_the_tolerance_is_close() -> None:
    verdict = grade("0.751", NumberAnswer(0.75))  # 0.13 %: over 0.1 %, under 1 %
    assert not verdict.correct and verdict.close
    assert verdict.feedback == "Close: check your rounding."
    assert not grade("0.76", NumberAnswer(0.75)).close


def test_a_wrong_expression_says_where_it_differs() -> None:
    verdict = grade("x^2", ExpressionAnswer("x^3"))
    assert verdict.feedback == "Not equal to the expected answer."
    (detail,) = verdict.details
    assert detail.startswith("at x = ") and "expected" in detail and "got" in detail


def test_an_answer_undefined_where_the_expected_one_is_defined_says_so() -> None:
    verdict = grade("sqrt(x)^2", ExpressionAnswer("x"))
    assert not verdict.correct
    assert "undefined at x = −" in verdict.feedback
    assert "square root of a negative number" in verdict.feedback


def test_vectors_get_per_component_notes_and_partial_credit() -> None:
    verdict = grade("[1, -3, 5]", VectorAnswer((1, 3, 4)))
    assert not verdict.correct
    assert verdict.score == 1 / 3
    assert verdict.details == (
        "component 2: expected 3, got −3 (check the sign)",
        "component 3: expected 4, got 5",
    )
    assert verdict.feedback == "1 of 3 components right."


def test_a_vector_with_every_sign_flipped_is_a_sign_error() -> None:
    verdict = grade("[-1, -3]", VectorAnswer((1, 3)))
    assert verdict.misconception == "sign-error"
    assert verdict.score == 0.0


def test_a_vector_gradient_step_missing_eta() -> None:
    verdict = grade("[2, -4]", VectorAnswer((0.2, -0.4), learning_rate=0.1))
    assert verdict.misconception == "learning-rate-factor"


def test_a_vector_close_in_every_wrong_component_is_close() -> None:
    verdict = grade("[0.501, 2]", VectorAnswer((0.5, 2.0)))
    assert verdict.close and verdict.score == 0.5
    assert verdict.details == ("component 1: expected 0.5, got 0.501 (close: check your rounding)",)


def test_vector_misconceptions_match_the_whole_vector() -> None:
    swapped = VectorAnswer(
        (1, 2), misconceptions=(Misconception("[2, 1]", "The components are swapped.", "swap"),)
    )
    verdict = grade("(2, 1)", swapped)
    assert verdict.misconception == "swap"
    assert verdict.feedback == "The components are swapped."


def test_matrix_notes_name_the_entry() -> None:
    verdict = grade("[1 2; 3 5]", MatrixAnswer(((1, 2), (3, 4))))
    assert verdict.score == 0.75
    assert verdict.details == ("entry (2, 2): expected 4, got 5",)


TRANSPOSED = Misconception(
    "[[1, 4], [2, 5], [3, 6]]", "Transposed: rows are outputs.", "transposed"
)
WIDE = MatrixAnswer(((1, 2, 3), (4, 5, 6)), misconceptions=(TRANSPOSED,))
"""A 2×3 answer whose transpose (3×2) is a listed misconception."""


def test_a_misconception_of_the_transposed_shape_is_read_and_named() -> None:
    assert check_answer_key(WIDE) == []
    assert read_answer("[1 4; 2 5; 3 6]", WIDE) == ("[[1, 4], [2, 5], [3, 6]]", None)
    verdict = grade("[1 4; 2 5; 3 6]", WIDE)
    assert verdict.error is None and not verdict.correct
    assert verdict.misconception == "transposed"
    assert verdict.feedback == "Transposed: rows are outputs."
    assert verdict.score == 0.0 and verdict.parts == ()
    assert grade("[1 2 3; 4 5 6]", WIDE).correct


def test_another_answer_of_the_transposed_shape_is_still_a_shape_error() -> None:
    verdict = grade("[1 4; 2 5; 3 7]", WIDE)
    assert verdict.error == "expected a 2×3 matrix, got 3×2"
    assert verdict.misconception is None
    assert read_answer("[1 2; 3 4]", WIDE) == (None, "expected a 2×3 matrix, got 2×2")
    plain = MatrixAnswer(WIDE.rows)  # no misconception of that shape: not even read
    assert read_answer("[1 4; 2 5; 3 6]", plain) == (None, "expected a 2×3 matrix, got 3×2")
    assert grade("[1 4; 2 5; 3 6]", plain).error == "expected a 2×3 matrix, got 3×2"


def test_an_unreadable_misconception_is_skipped_not_fatal() -> None:
    answer = NumberAnswer(2, misconceptions=(Misconception("2 +", "never shown", "broken"),))
    assert grade("2", answer).correct
    assert grade("3", answer).misconception is None


def test_vector_parts_are_structured_with_every_component() -> None:
    verdict = grade("[1, -3, 5]", VectorAnswer((1, 3, 4)))
    assert verdict.parts == (
        PartResult("component 1", "1", "1", correct=True),
        PartResult("component 2", "−3", "3", correct=False, note="check the sign"),
        PartResult("component 3", "5", "4", correct=False),
    )
    assert [part.label for part in verdict.wrong_parts] == ["component 2", "component 3"]


def test_no_part_note_states_the_expected_value() -> None:
    """Notes are hints a front end may show before give-up: the value is only in ``expected``."""
    for verdict in (
        grade("[0.501, 2]", VectorAnswer((0.5, 2.0))),
        grade("[1, -3, 5]", VectorAnswer((1, 3, 4))),
        grade("[1 2; 3 5]", MatrixAnswer(((1, 2), (3, 4)))),
        grade("x^2", ExpressionAnswer("x^3")),
    ):
        for part in verdict.wrong_parts:
            assert part.expected not in part.note and "expected" not in part.note


def test_parts_survive_the_worker_wire_format() -> None:
    verdict = grade("[1 2; 3 5]", MatrixAnswer(((1, 2), (3, 4))))
    encoded = json.loads(json.dumps(verdict_to_json(verdict)))
    assert verdict_from_json(encoded) == verdict
