"""How typed answers are read: the echo a learner sees ("read as: …") for each notation."""

from __future__ import annotations

import pytest

from quizcalc.grading import (
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
    read_answer,
)

X = ExpressionAnswer("x")
XY = ExpressionAnswer("x*y", variables=("x", "y"))
ETA = ExpressionAnswer("eta*x", variables=("x", "η"))
NUMBER = NumberAnswer(1)

READ_AS = [
    # powers, products, implicit multiplication
    ("2*x*cos(x^2)", X, "2·x·cos(x²)"),
    ("cos(x^2)*2x", X, "cos(x²)·2·x"),
    ("x^2", X, "x²"),
    ("x**2", X, "x²"),
    ("2x", X, "2·x"),
    ("2 x", X, "2·x"),
    ("2(x+1)", X, "2·(x + 1)"),
    ("(x+1)(x-1)", X, "(x + 1)·(x − 1)"),
    ("x y", XY, "x·y"),
    ("xy", XY, "x·y"),
    ("2sin(x)", X, "2·sin(x)"),
    ("x sin x", X, "x·sin(x)"),
    ("sin x cos x", X, "sin(x)·cos(x)"),
    ("sinx", X, "sin(x)"),
    # functions without parentheses: textbook reading
    ("sin x", X, "sin(x)"),
    ("sin x^2", X, "sin(x²)"),
    ("sin 2x", X, "sin(2·x)"),
    ("sin x/2", X, "sin(x)/2"),
    ("sin(x)^2", X, "sin(x)²"),
    ("sin^2 x", X, "sin(x)²"),
    ("ln x + log x", X, "ln(x) + ln(x)"),
    ("exp(-x)", X, "exp(−x)"),
    ("abs(x)", X, "|x|"),
    ("Abs(x)", X, "|x|"),
    ("sqrt(x^2+1)", X, "√(x² + 1)"),
    # precedence and associativity
    ("-x^2", X, "−x²"),
    ("(-x)^2", X, "(−x)²"),
    ("2^3^2", NUMBER, "2^(3^2)"),  # one notation per expression: a ^ stays, so no ²
    ("x^-1", X, "1/x"),
    ("x^(1/2)", X, "√x"),
    ("1/2x", X, "x/2"),
    ("x/(2x+1)", X, "x/(2·x + 1)"),
    ("-(x+1)", X, "−(x + 1)"),
    ("x - 3", X, "x − 3"),
    ("2 * -3", NUMBER, "2·(−3)"),
    ("2x*-x^2", X, "2·x·(−x²)"),
    ("e^-x^2", X, "e^(−x^2)"),
    ("x^(1/3) + x^2", X, "x^(1/3) + x^2"),
    ("x^-2 + x^(1/3)", X, "1/x^2 + x^(1/3)"),
    ("e^x + x^2", X, "e^x + x^2"),
    ("e^x", X, "e^x"),
    ("e^(2x)", X, "e^(2·x)"),
    ("2e", NUMBER, "2·e"),
    # numbers
    ("3/4", NUMBER, "3/4"),
    ("-3/4", NUMBER, "−3/4"),
    ("1e-3", NUMBER, "0.001"),
    (".5", NUMBER, "0.5"),
    ("2e-3", NUMBER, "0.002"),
    # Unicode as people type it
    ("−3", NUMBER, "−3"),
    ("2×x·3", X, "2·x·3"),
    ("6÷4", NUMBER, "3/2"),  # a fraction of two integers is reduced
    ("√x", X, "√x"),
    ("√x^2", X, "√(x²)"),
    ("√2x", X, "√2·x"),
    ("π", NUMBER, "π"),
    ("2π", NUMBER, "2·π"),
    ("x²", X, "x²"),
    ("x⁻¹", X, "1/x"),
    ("½", NUMBER, "1/2"),
    ("2½", NUMBER, "2 + 1/2"),
    ("１２", NUMBER, "12"),
    ("η x", ETA, "η·x"),
    ("eta*x", ETA, "η·x"),
    ("ηx", ETA, "η·x"),
]


@pytest.mark.parametrize(("typed", "expected", "shown"), READ_AS)
def test_the_echo_shows_how_the_answer_was_read(
    typed: str, expected: ExpressionAnswer, shown: str
) -> None:
    assert read_answer(typed, expected) == (shown, None)


def test_e_is_a_variable_when_the_problem_declares_one() -> None:
    answer = ExpressionAnswer("e*x", variables=("e", "x"))
    assert read_answer("e x", answer) == ("e·x", None)
    assert read_answer("2e", answer) == ("2·e", None)


def test_scientific_notation_wins_over_euler_e() -> None:
    assert read_answer("2e-3", NUMBER) == ("0.002", None)
    assert read_answer("2e - 3", NUMBER) == ("2·e − 3", None)


VECTORS_AND_MATRICES = [
    ("[1, 2]", VectorAnswer((1, 2)), "[1, 2]"),
    ("(1, 2)", VectorAnswer((1, 2)), "[1, 2]"),
    ("1, 2", VectorAnswer((1, 2)), "[1, 2]"),
    ("<1,2>", VectorAnswer((1, 2)), "[1, 2]"),
    ("⟨1, 2⟩", VectorAnswer((1, 2)), "[1, 2]"),
    ("[1 2]", VectorAnswer((1, 2)), "[1, 2]"),
    ("[1; 2]", VectorAnswer((1, 2)), "[1, 2]"),
    ("[1/2, sqrt(2)]", VectorAnswer((0.5, "sqrt(2)")), "[1/2, √2]"),
    ("[2^2, 2^(1/3)]", VectorAnswer((4, "2^(1/3)")), "[2^2, 2^(1/3)]"),  # one notation
    ("[[1,2],[3,4]]", MatrixAnswer(((1, 2), (3, 4))), "[[1, 2], [3, 4]]"),
    ("[1 2; 3 4]", MatrixAnswer(((1, 2), (3, 4))), "[[1, 2], [3, 4]]"),
    ("[1 -2; 3 - 4 5]", MatrixAnswer(((1, -2), (-1, 5))), "[[1, −2], [3 − 4, 5]]"),
    ("1 2\n3 4", MatrixAnswer(((1, 2), (3, 4))), "[[1, 2], [3, 4]]"),
    ("[1, 2\n 3, 4]", MatrixAnswer(((1, 2), (3, 4))), "[[1, 2], [3, 4]]"),
]


@pytest.mark.parametrize(("typed", "expected", "shown"), VECTORS_AND_MATRICES)
def test_vectors_and_matrices_are_read_in_every_common_syntax(
    typed: str, expected: VectorAnswer | MatrixAnswer, shown: str
) -> None:
    assert read_answer(typed, expected) == (shown, None)
