"""Fuzzing: any text, and hostile text built from the grammar, never escapes, runs or hangs."""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sympy.parsing.sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.grading import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
    grade,
    read_answer,
)

CAP_SECONDS = 2.0
"""Generous: a real hang takes forever; a slow CI box should still pass."""

EXPECTED: list[Answer] = [
    ExpressionAnswer("x*y + sin(x)", variables=("x", "y", "η")),
    NumberAnswer(1, learning_rate=0.1),
    VectorAnswer((1, "sqrt(2)")),
    MatrixAnswer(((1, 2), (3, 4))),
    ChoiceAnswer(("minimum", "maximum", "saddle point"), "saddle point"),
]

ATOMS = [
    "x", "y", "η", "eta", "e", "pi", "π", "2", "0", "1", "9", "99", ".5", "1e308", "1e-300",
    "1e999", "10", "½", "x²", "√x", "−", "×", "os", "__import__", "'", ";", "=", "!", " ",
    "\n", ",", "[", "]", "(", ")", "<", ">", "^", "**", "sin", "exp", "log", "sqrt", "abs",
]  # fmt: skip
FUNCTIONS = ["sin", "cos", "tan", "exp", "log", "ln", "sqrt", "abs", "√", "-", "--"]
OPERATORS = ["+", "-", "*", "/", "^", "**", " ", "", ",", ";", "\n", "×", "÷", "·"]


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map("".join),
        inner.map(lambda text: f"({text})"),
        inner.map(lambda text: f"[{text}]"),
        inner.map(lambda text: f"<{text}>"),
        st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda pair: f"{pair[0]}({pair[1]})"),
        st.tuples(st.sampled_from(FUNCTIONS), inner).map(" ".join),
        st.tuples(inner, st.integers(2, 60)).map(
            lambda pair: "(" * pair[1] + pair[0] + ")" * pair[1]
        ),
    )


GRAMMAR = st.recursive(st.sampled_from(ATOMS), _combine, max_leaves=40)
TOWERS = st.lists(
    st.sampled_from(["9", "99", "x", "2", "1e9", "(x-1)", "e", "10"]), min_size=2, max_size=9
).map(lambda parts: "^".join(parts))
NESTED_FUNCTIONS = st.lists(
    st.sampled_from(["exp", "sin", "tan", "log", "sqrt"]), min_size=1, max_size=12
).map(lambda names: "(".join(names) + "(x" + ")" * len(names))


@contextmanager
def nothing_may_run() -> Iterator[list[str]]:
    """Record any call to eval/exec/compile or SymPy's string parser while grading."""
    calls: list[str] = []
    saved: dict[tuple[Any, str], Callable[..., Any]] = {}

    def spy(owner: Any, name: str) -> None:
        original = getattr(owner, name)
        saved[(owner, name)] = original

        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(*args, **kwargs)

        setattr(owner, name, recorded)

    for name in ("eval", "exec", "compile"):
        spy(builtins, name)
    spy(sympy.parsing.sympy_parser, "parse_expr")
    try:
        yield calls
    finally:
        for (owner, name), original in saved.items():
            setattr(owner, name, original)


def check(text: str) -> None:
    for expected in EXPECTED:
        with nothing_may_run() as calls:
            started = time.perf_counter()
            verdict = grade(text, expected)
            interpretation, error = read_answer(text, expected)
            elapsed = time.perf_counter() - started
        assert calls == [], f"{calls} called while grading {text!r}"
        assert elapsed < CAP_SECONDS, f"{elapsed:.2f} s for {text!r}"
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.error is None or not verdict.error.startswith("the answer could not be")
        assert (interpretation is None) != (error is None)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    for expected in EXPECTED:  # imports happen here, outside the spies
        grade("1", expected)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    check(text)


@FUZZ
@given(GRAMMAR)
def test_hostile_text_from_the_grammar(text: str) -> None:
    check(text)


@FUZZ
@given(st.one_of(TOWERS, NESTED_FUNCTIONS))
def test_power_towers_and_nested_functions(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text", ["x^9^9^9^x", "e^e^x^e^99^e^x^x", "(x/2)^9^9^9", "0.9^(10^600000)"]
)
def test_a_huge_power_of_a_base_below_one_is_refused_at_once(text: str) -> None:
    """0.823^(4.8·10^631968) used to run two million integer squarings (found by the fuzzer)."""
    check(text)


def test_huge_integer_exponents_keep_their_value_and_sign() -> None:
    from quizcalc.grading.numeric import Undefined, context, power

    ctx = context(60)
    close_to_one = ctx.mpf(1) + ctx.mpf(10) ** -30
    exponent = ctx.mpf(10) ** 25  # an integer far past 2^64
    assert ctx.almosteq(power(ctx, close_to_one, exponent), ctx.exp(ctx.mpf(10) ** -5), 1e-20)
    assert power(ctx, -close_to_one, exponent + 1) < 0  # odd: the sign stays
    assert power(ctx, ctx.mpf(-2), ctx.mpf(3)) == -8  # small ones stay exact
    with pytest.raises(Undefined, match="too small to check"):
        power(ctx, ctx.mpf("0.8"), ctx.mpf(10) ** 600000)
    with pytest.raises(Undefined, match="too large to check"):
        power(ctx, ctx.mpf(-3), ctx.mpf(2) ** 80)
