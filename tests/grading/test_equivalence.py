"""Which answers count as right: table-driven pairs for each answer type."""

from __future__ import annotations

import pytest

from quizcalc.grading import (
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
    grade,
)

EQUIVALENT_EXPRESSIONS = [
    ("cos(x^2)*2x", "2*x*cos(x^2)"),
    ("2x cos(x²)", "2*x*cos(x^2)"),
    ("x^2 - 1", "(x+1)(x-1)"),
    ("(x+1)^2", "x^2 + 2x + 1"),
    ("sin(x)^2 + cos(x)^2", "1"),
    ("2 sin x cos x", "sin(2x)"),
    ("e^(2x)", "exp(x)^2"),
    ("ln(x^2)", "2 log(abs(x))"),
    ("1/(1+e^-x)", "exp(x)/(1+exp(x))"),
    ("x/2", "0.5*x"),
    ("sqrt(x^2)", "abs(x)"),
    ("(2-x)^6000", "(x-2)^6000"),
    ("x^(1/2)", "sqrt(x)"),
    ("-x^2", "-(x^2)"),
    ("tan(x)", "sin(x)/cos(x)"),
]


@pytest.mark.parametrize(("typed", "expected"), EQUIVALENT_EXPRESSIONS)
def test_equivalent_expressions_are_right_in_any_form(typed: str, expected: str) -> None:
    verdict = grade(typed, ExpressionAnswer(expected))
    assert verdict.correct, verdict
    assert verdict.score == 1.0


DIFFERENT_EXPRESSIONS = [
    ("2x cos x", "2*x*cos(x^2)"),  # dropped the inner function
    ("x", "sqrt(x^2)"),  # wrong for negative x
    ("sqrt(x)^2", "x"),  # undefined for negative x
    ("(x+1)^2", "x^2 + 1"),
    ("(x-2)^6000 + 1", "(x-2)^6000"),
    ("(x^2)^(1/2)", "x"),
    ("(-x)^2", "-x^2"),
    ("1/2x", "1/(2x)"),  # read as x/2, as the echo shows
    ("0.33x", "x/3"),  # decimals: outside 0.1 %
]


@pytest.mark.parametrize(("typed", "expected"), DIFFERENT_EXPRESSIONS)
def test_different_expressions_are_wrong(typed: str, expected: str) -> None:
    verdict = grade(typed, ExpressionAnswer(expected))
    assert not verdict.correct, verdict
    assert verdict.error is None
    assert verdict.score == 0.0


def test_several_variables_are_sampled_together() -> None:
    answer = ExpressionAnswer("x^2*y + y^3", variables=("x", "y"))
    assert grade("y(x² + y²)", answer).correct
    assert not grade("x(x² + y²)", answer).correct


def test_greek_variables_typed_as_letters_or_names() -> None:
    answer = ExpressionAnswer("w - eta*g", variables=("w", "eta", "g"))
    assert grade("w − η g", answer).correct
    assert grade("w - eta*g", answer).correct
    assert not grade("w + η g", answer).correct


def test_a_decimal_within_tolerance_of_an_expression_is_right() -> None:
    assert grade("0.3333x", ExpressionAnswer("x/3")).correct


EQUIVALENT_NUMBERS = [
    ("0.75", NumberAnswer("3/4")),
    ("3/4", NumberAnswer(0.75)),
    ("6/8", NumberAnswer("3/4")),
    ("2/6", NumberAnswer("1/3")),
    ("0.3333", NumberAnswer("1/3")),
    ("0.7502", NumberAnswer(0.75)),
    ("sqrt(2)/2", NumberAnswer("1/sqrt(2)")),
    ("sqrt(5+2*sqrt(6))", NumberAnswer("sqrt(2)+sqrt(3)")),
    ("2π", NumberAnswer("2*pi")),
    ("6.283", NumberAnswer("2*pi")),
    ("e^2", NumberAnswer(7.389056)),
    ("1e-3", NumberAnswer(0.001)),
    ("0", NumberAnswer(0)),
    ("1e-12", NumberAnswer(0)),
    ("−3", NumberAnswer(-3)),
    ("½", NumberAnswer(0.5)),
]


@pytest.mark.parametrize(("typed", "expected"), EQUIVALENT_NUMBERS)
def test_equal_numbers_are_right(typed: str, expected: NumberAnswer) -> None:
    assert grade(typed, expected).correct


DIFFERENT_NUMBERS = [
    ("0.76", NumberAnswer(0.75)),
    ("333/1000", NumberAnswer("1/3")),  # two exact numbers must agree exactly
    ("1.41", NumberAnswer("sqrt(2)")),
    ("3", NumberAnswer(-3)),
    ("1e-6", NumberAnswer(0)),
]


@pytest.mark.parametrize(("typed", "expected"), DIFFERENT_NUMBERS)
def test_different_numbers_are_wrong(typed: str, expected: NumberAnswer) -> None:
    verdict = grade(typed, expected)
    assert not verdict.correct
    assert verdict.error is None


def test_a_decimal_matching_an_exact_value_is_told_the_exact_value() -> None:
    verdict = grade("0.75", NumberAnswer("3/4"))
    assert verdict.feedback == "Correct (exactly 3/4)."


def test_tolerance_is_the_answers_own() -> None:
    loose = NumberAnswer(100.0, rel_tol=0.05)  # a float: approximate
    assert grade("104", loose).correct
    assert not grade("106", loose).correct


def test_two_exact_numbers_must_agree_exactly_whatever_the_tolerance() -> None:
    exact = NumberAnswer(100, rel_tol=0.05)  # an int: exact
    assert grade("100", exact).correct
    assert grade("104.0", exact).correct  # a decimal is approximate: tolerance applies
    verdict = grade("104", exact)
    assert not verdict.correct and verdict.close


def test_vectors_compare_component_by_component() -> None:
    expected = VectorAnswer((0.5, "sqrt(2)"))
    assert grade("[1/2, sqrt(2)]", expected).correct
    assert grade("(0.5, 1.4142)", expected).correct
    assert not grade("[1/2, 1.3]", expected).correct


def test_matrices_compare_entry_by_entry() -> None:
    expected = MatrixAnswer(((2, 0), (0, "1/2")))
    assert grade("[2 0; 0 0.5]", expected).correct
    assert grade("[[2, 0], [0, 1/2]]", expected).correct
    assert not grade("[[2, 0], [0, 2]]", expected).correct


def test_an_expression_the_numbers_cannot_decide_is_settled_by_sympy() -> None:
    never_real = ExpressionAnswer("log(-x^2 - 1)")  # no real sample point exists
    assert grade("log(-x^2-1)", never_real).correct
    undecided = grade("log(2x - (x+1)^2)", never_real)
    assert not undecided.correct and undecided.error == "could not be checked automatically"
    assert grade("log(2x - (x+1)^2)", never_real, symbolic_fallback=True).correct
