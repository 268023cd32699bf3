"""Input that cannot be read: a one-line error naming the piece, never an exception or a run."""

from __future__ import annotations

import pytest

from quizcalc.grading import (
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
    grade,
    read_answer,
)

X = ExpressionAnswer("x")
NUMBER = NumberAnswer(1)

NAMED_ERRORS = [
    ("x + os", X, "unknown name ‘os’ at position 5; allowed variables: x"),
    ("__import__('os')", X, "unknown name ‘__import__’ at position 1"),
    ("lambda", X, "unknown name ‘lambda’ at position 1"),
    ("y", X, "unknown name ‘y’ at position 1; allowed variables: x"),
    ("X", X, "variables are case-sensitive: did you mean ‘x’?"),
    ("x2", X, "write x^2 for a power or x*2 for a product"),
    ("x", NUMBER, "unknown name ‘x’ at position 1; this answer takes numbers only"),
    ("arcsin(x)", X, "function ‘arcsin’ at position 1 is not supported"),
    ("f(x)", X, "unknown name ‘f’ at position 1"),
    ("x.real", X, "unexpected ‘.’ at position 2"),
    ("'x'", X, "quotes are not allowed"),
    ("x; x", X, "expected a single expression, got a 2×1 matrix"),
    ("y = 2x", X, "unknown name ‘y’"),
    ("2x = 4", X, "‘=’ at position 4 is not allowed"),
    ("100000000!", NUMBER, "factorial ‘!’ at position 10 is not supported"),
    ("|x|", X, "write abs(…) for an absolute value"),
    ("50%", NUMBER, "write percentages as decimals"),
    ("\\sqrt{x}", X, "LaTeX is not supported"),
    ("x @ 2", X, "unexpected character ‘@’ at position 3"),
    ("2 3", NUMBER, "two numbers in a row at position 3 (‘2 3’)"),
    ("x +", X, "something is missing at the end after ‘+’"),
    ("* x", X, "‘*’ at position 1 needs something before it"),
    ("(x", X, "‘(’ at position 1 is never closed"),
    ("x)", X, "unexpected ‘)’ at position 2"),
    ("[x)", X, "‘)’ at position 3 does not match ‘[’ at position 1"),
    ("()", X, "empty brackets at position 1"),
    ("sin", X, "‘sin’ at position 1 needs an argument, e.g. sin(x)"),
    ("sin(x, 2)", X, "‘sin’ at position 1 takes one argument"),
    ("sin^-1 x", X, "inverse functions such as sin^-1 are not supported"),
    ("", X, "the answer is empty"),
    ("   ", X, "the answer is empty"),
    ("1,000", NUMBER, "no commas inside numbers"),
    ("nan", NUMBER, "‘nan’ at position 1 is not a number that can be checked"),
    ("inf", NUMBER, "‘inf’ at position 1 is not a number that can be checked"),
    ("∞", NUMBER, "‘∞’ at position 1 is not a number that can be checked"),
    ("zoo", NUMBER, "‘zoo’ at position 1 is not a number"),
    ("1/0", NUMBER, "division by zero at position 2"),
    ("x/(2-2)", X, "division by zero at position 2 (‘2 − 2’ is 0)"),
    ("0^-1", NUMBER, "division by zero"),
    ("sqrt(-4)", NUMBER, "the square root of a negative number is not real"),
    ("log(0)", NUMBER, "log of zero or a negative number is not real"),
    ("(-8)^(1/3)", NUMBER, "a negative number to a fractional power is not real"),
    ("[1, 2, 3]", VectorAnswer((1, 2)), "expected 2 components, got 3"),
    ("[1, 2]", VectorAnswer((1, 2, 3)), "expected 3 components, got 2"),
    ("[1 2 3; 4 5 6]", MatrixAnswer(((1, 2), (3, 4))), "expected a 2×2 matrix, got 2×3"),
    ("[1 2; 3 4 5]", MatrixAnswer(((1, 2), (3, 4))), "row 2 has 3 entries but row 1 has 2"),
    ("[1, 2, 3, 4]", MatrixAnswer(((1, 2), (3, 4))), "write rows as [[1, 2], [3, 4]]"),
    ("[[1, 2], [3, 4]]", VectorAnswer((1, 2)), "expected a vector of 2 components, got a 2×2"),
    ("[1, x]", VectorAnswer((1, 2)), "unknown name ‘x’ at position 5"),
]


@pytest.mark.parametrize(("typed", "expected", "message"), NAMED_ERRORS)
def test_unreadable_input_is_an_error_naming_the_piece(
    typed: str, expected: NumberAnswer, message: str
) -> None:
    verdict = grade(typed, expected)
    assert verdict.error is not None, verdict
    assert message in verdict.error
    assert not verdict.correct and verdict.score == 0.0
    assert "\n" not in verdict.error
    assert read_answer(typed, expected) == (None, verdict.error)


HOSTILE = [
    "9**9**9**9",
    "9^9^9^9^9^9",
    "((9^99)^99)^99",
    "10^1001",
    "1e999999999",
    "1e-999999999",
    "2^(2^(2^(2^(2^2))))",
    "exp(exp(exp(exp(9))))",
    "exp(10^6)",
    "x^(10^9)",
    "x^(9^99)",
    "(" * 5000 + "x" + ")" * 5000,
    "(" * 60 + "x" + ")" * 60,
    "-" * 900 + "x",
    "sin " * 200 + "x",
    "√" * 200 + "x",
    "x^" * 300 + "x",
    "100000000!",
    "x" * 100_000,
    "x" * 999,
    "1" * 999,
    "1/" * 400 + "2",
    "+".join(["x"] * 450),
    "[" * 60 + "]" * 60,
    "__import__('os').system('true')",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 0",
    "exec('1')",
    'eval("1")',
    "import os",
    "x; import os",
    "open('/etc/passwd')",
    "sin(10^999)",
    "tan(pi/2)",
    "nan",
    "zoo",
    "oo",
    "1/0",
    "0^0",
    "log(-1)",
]


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda text: text[:30])
@pytest.mark.parametrize("expected", [ExpressionAnswer("x"), NumberAnswer(1)], ids=["expr", "num"])
def test_hostile_input_is_rejected_or_graded_never_run_or_hung(
    typed: str, expected: NumberAnswer
) -> None:
    verdict = grade(typed, expected)
    assert not verdict.correct
    assert verdict.error is None or "\n" not in verdict.error
    interpretation, error = read_answer(typed, expected)
    assert (interpretation is None) != (error is None)


def test_a_huge_but_legitimate_symbolic_power_is_allowed() -> None:
    verdict = grade("(x-3)^6000", ExpressionAnswer("(3-x)^6000"))
    assert verdict.correct


def test_non_text_input_is_an_error_not_an_exception() -> None:
    verdict = grade(None, NUMBER)  # type: ignore[arg-type]
    assert verdict.error == "the answer must be text, not NoneType"


def test_an_unreadable_expected_answer_is_reported_not_raised() -> None:
    verdict = grade("1", NumberAnswer("1 +"))
    assert verdict.error is not None and "expected answer could not be read" in verdict.error
