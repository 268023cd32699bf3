"""``finite_difference``: numerical derivatives, the gradient check of the chapter.

A fixed step h gives the slope of a secant, not the tangent: the forward difference
``(f(x+h) − f(x))/h`` is off by O(h), the central one ``(f(x+h) − f(x−h))/(2h)`` by O(h²).
Difficulty 1: forward estimate for a polynomial (exact). Difficulty 2: forward or central,
estimate or its error, for a cubic (exact). Difficulty 3: eˣ, sin, ln, 1/x or √x, estimate or
error to 4 significant figures.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import Number, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, readable
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY"]

FORWARD = "forward"
CENTRAL = "central"
_FORMULAS = {
    FORWARD: "\\frac{f(x_0 + h) - f(x_0)}{h}",
    CENTRAL: "\\frac{f(x_0 + h) - f(x_0 - h)}{2h}",
}


@dataclass(frozen=True)
class _Function:
    latex: str
    plain: str
    f: Callable[[Number], Number]
    df: Callable[[Number], Number]
    df_latex: str


def _poly(p: Polynomial) -> _Function:
    d = p.diff("x")
    return _Function(
        p.latex(), p.plain(), lambda v: p(Fraction(v)), lambda v: d(Fraction(v)), d.latex()
    )


_TRANSCENDENTAL = (
    _Function("e^{x}", "exp(x)", lambda v: math.exp(v), lambda v: math.exp(v), "e^{x}"),
    _Function("\\sin x", "sin(x)", lambda v: math.sin(v), lambda v: math.cos(v), "\\cos x"),
    _Function("\\ln x", "log(x)", lambda v: math.log(v), lambda v: 1 / v, "\\frac{1}{x}"),
    _Function("\\frac{1}{x}", "1/x", lambda v: 1 / v, lambda v: -1 / v**2, "-\\frac{1}{x^{2}}"),
    _Function(
        "\\sqrt{x}",
        "sqrt(x)",
        lambda v: math.sqrt(v),
        lambda v: 0.5 / math.sqrt(v),
        "\\frac{1}{2\\sqrt{x}}",
    ),
)


@dataclass(frozen=True)
class _Setup:
    fn: _Function
    x0: Fraction
    h: Fraction
    scheme: str
    ask: str
    """``estimate`` or ``error`` (estimate − true derivative)."""
    exact: bool


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    if difficulty == 1:
        a, b = rng.randint(1, 3), rng.randint(-4, 4)
        p = Polynomial.build("x", {(rng.choice([2, 3]),): a, (1,): b})
        h = Fraction(rng.choice(["0.1", "0.5", "1"]))
        return _Setup(_poly(p), Fraction(rng.randint(-3, 3)), h, FORWARD, "estimate", True)
    if difficulty == 2:
        a, b, c = rng.randint(1, 2), rng.randint(-3, 3), rng.randint(-4, 4)
        p = Polynomial.build("x", {(3,): a, (2,): b, (1,): c})
        h = Fraction(rng.choice(["0.1", "0.2", "0.5"]))
        scheme = rng.choice([FORWARD, CENTRAL])
        ask = rng.choice(["estimate", "error"])
        return _Setup(_poly(p), Fraction(rng.randint(-2, 3)), h, scheme, ask, True)
    fn = rng.choice(_TRANSCENDENTAL)
    x0 = Fraction(rng.choice(["0.5", "1", "1.5", "2", "3"]))
    scheme, ask = rng.choice([FORWARD, CENTRAL]), rng.choice(["estimate", "error"])
    # A central difference's error is O(h²): with h = 0.01 it needs more digits than a
    # calculator keeps, so the error question uses a coarser step there.
    steps = ["0.1", "0.2"] if (scheme, ask) == (CENTRAL, "error") else ["0.1", "0.05", "0.01"]
    return _Setup(fn, x0, Fraction(rng.choice(steps)), scheme, ask, False)


def _estimate(s: _Setup, scheme: str, divisor_scale: Number = 1) -> Number:
    x0, h = (s.x0, s.h) if s.exact else (float(s.x0), float(s.h))
    f = s.fn.f
    if scheme == FORWARD:
        return (f(x0 + h) - f(x0)) / (h * divisor_scale)
    if scheme == "backward":
        return (f(x0) - f(x0 - h)) / (h * divisor_scale)
    return (f(x0 + h) - f(x0 - h)) / (2 * h * divisor_scale)


def _true(s: _Setup) -> Number:
    return s.fn.df(s.x0 if s.exact else float(s.x0))


def _final(s: _Setup, estimate: Number) -> Number:
    return estimate if s.ask == "estimate" else estimate - _true(s)


def _shown(value: Number) -> Number:
    return readable(value) if isinstance(value, Fraction) else value


def _valid(s: _Setup) -> bool:
    value = _final(s, _estimate(s, s.scheme))
    return value != 0 and abs(float(value)) >= 5e-4


def build(rng: random.Random, difficulty: int) -> Draft:
    """A finite-difference estimate of f'(x₀), or its error against the exact derivative."""
    s = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    estimate = _estimate(s, s.scheme)
    true = _true(s)
    answer = _shown(_final(s, estimate))
    x0, h = latex_number(s.x0), latex_number(s.h)
    what = (
        "What is the estimate?"
        if s.ask == "estimate"
        else f"What is its error, {inline(f'{ESTIMATE} {MINUS_TRUE}')} (positive if it overshoots)?"
    )
    prompt = (
        f"Approximate the derivative of {inline(f'f(x) = {s.fn.latex}')} at "
        f"{inline(f'x_0 = {x0}')} with the {s.scheme} difference and step "
        f"{inline(f'h = {h}')}:\n\n\\[ f'(x_0) \\approx {_FORMULAS[s.scheme]} \\]\n\n"
        f"{what}\n\n{how_to_answer(answer)}"
    )
    if s.scheme == FORWARD:
        points = [(s.x0 + s.h, "x_0 + h"), (s.x0, "x_0")]
    else:
        points = [(s.x0 + s.h, "x_0 + h"), (s.x0 - s.h, "x_0 - h")]
    f_values = [s.fn.f(p if s.exact else float(p)) for p, _ in points]
    values = [
        f"f({latex_number(p)}) = {_tex(v)}" for (p, _), v in zip(points, f_values, strict=True)
    ]
    divisor = "h" if s.scheme == FORWARD else "2h"
    width = s.h if s.scheme == FORWARD else 2 * s.h
    quotient = (
        f"f'(x_0) \\approx \\frac{{{_tex(f_values[0])} - {_tex(f_values[1], bracket=True)}}}"
        f"{{{latex_number(width)}}} = {_tex(estimate)}"
    )
    solution = [
        _evaluate_line(values),
        f"Divide the difference by {inline(divisor)}: \\[ {quotient} \\]",
        f"The exact derivative is {inline(F_PRIME + s.fn.df_latex)}, so "
        f"{inline(f'{PRIME}({x0}) = {_tex(true)}')}.",
    ]
    if s.ask == "error":
        error = f"{_tex(estimate)} - {_tex(true, bracket=True)} = {_tex(estimate - true)}"
        solution.append(f"The error: {inline(f'{ESTIMATE} {MINUS_TRUE} = {error}')}.")
    order = "O(h)" if s.scheme == FORWARD else "O(h^{2})"
    solution.append(f"(The {s.scheme} difference's error shrinks like {inline(order)}.)")
    spoken_order = "O(h)" if s.scheme == FORWARD else "O(h²)"  # feedback is shown as written
    solution.append(answer_line(number_text(answer)))

    slips: list[Slip] = []
    if s.ask == "estimate":
        # With a small step the estimate is within a percent of f'(x₀), where the grader
        # would otherwise say "close: check your rounding": tagged near, it is named there too.
        # Listed first, it wins a tie: the central difference of a quadratic is f'(x₀)
        # exactly, and differentiating is the likelier slip than the other formula.
        slips.append(
            (
                _shown(true),
                "That is the exact derivative f'(x₀); the question asks for the "
                f"{s.scheme}-difference estimate, which differs from it by {spoken_order}: "
                f"evaluate f at the formula's two points and divide by {divisor}.",
                "exact-not-estimate",
            )
        )
    other = CENTRAL if s.scheme == FORWARD else FORWARD
    slips += [
        (
            _shown(_final(s, _estimate(s, other))),
            f"That is the {other} difference; the question asks for the {s.scheme} one.",
            "wrong-scheme",
        ),
        (
            _shown(_final(s, _estimate(s, "backward"))),
            "That is the backward difference (f(x₀) − f(x₀ − h))/h.",
            "wrong-scheme",
        ),
        (
            _shown(
                _final(
                    s,
                    estimate * (s.h if s.exact else float(s.h)) * (2 if s.scheme == CENTRAL else 1),
                )
            ),
            f"Divide the difference of the f values by {divisor}.",
            "forgot-divide",
        ),
    ]
    if s.scheme == CENTRAL:
        slips.append(
            (
                _shown(_final(s, _estimate(s, CENTRAL, Fraction(1, 2) if s.exact else 0.5))),
                "The central difference spans 2h (from x₀ − h to x₀ + h): divide by 2h, not h.",
                "divided-by-h",
            )
        )
    if s.ask == "error":
        slips.append(
            (
                _shown(true - estimate),
                "Error here is estimate − f'(x₀): the sign tells whether the estimate overshoots.",
                "error-sign",
            )
        )
        slips.append(
            (
                _shown(estimate),
                "That is the estimate itself; subtract the exact derivative to get its error.",
                "estimate-not-error",
            )
        )
    hints = (
        "Evaluate \\(f\\) at the two points the formula uses.",
        f"Subtract and divide by {inline(divisor)}.",
        "The error compares with the exact derivative \\(f'(x_0)\\)."
        if s.ask == "error"
        else "Keep the numbers exact (or carry plenty of digits): the difference is small.",
    )
    params = {
        "f": s.fn.plain,
        "x0": str(s.x0),
        "h": str(s.h),
        "scheme": s.scheme,
        "ask": s.ask,
    }
    return Draft(
        prompt,
        number_answer(answer, slips, near={"exact-not-estimate"}),
        tuple(solution),
        hints,
        params,
    )


MINUS_TRUE = "- f'(x_0)"
F_PRIME = "f'(x) = "
PRIME = "f'"
ESTIMATE = "\\text{estimate}"


def _tex(value: Number, bracket: bool = False) -> str:
    """A value in a worked solution, in LaTeX: exact when short, else rounded with ``…``."""
    if isinstance(value, Fraction):
        shown = readable(value)
        text = (
            latex_number(shown) if isinstance(shown, Fraction) else f"{number_text(shown)}\\ldots"
        )
    elif isinstance(value, float):
        text = f"{number_text(value)}\\ldots"
    else:
        text = number_text(value)
    return f"({text})" if bracket and value < 0 else text


def _evaluate_line(values: list[str]) -> str:
    return "Evaluate: " + ", ".join(inline(v) for v in values) + "."


def _num(value: Number) -> str:
    if isinstance(value, Fraction):
        shown = readable(value)
        return number_text(shown) if isinstance(shown, Fraction) else f"{number_text(shown)}…"
    return f"{number_text(value)}…" if isinstance(value, float) else number_text(value)


FAMILY = Family(
    name="finite_difference",
    title="Finite differences",
    description="Estimate f'(x₀) with a forward or central difference and measure its error.",
    build=build,
    target_seconds=(60, 120, 180),
    levels=(
        "forward difference of a polynomial, exact",
        "forward or central, estimate or error (estimate − f'), cubic, exact",
        "eˣ, sin, ln, 1/x, √x: estimate or error to 4 significant figures",
    ),
)
