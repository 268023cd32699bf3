"""``gradient``: ∇f(x, y) at a point — stack the partial derivatives.

Difficulty 1: a quadratic with a mixed term at a small integer point. Difficulty 2: a cubic
(``x²y``, ``xy²`` terms). Difficulty 3: adds ``ln(1 + x² + y²)`` or ``√(x² + y²)`` (at a point
on a Pythagorean triple), whose gradients are still exact rationals.
"""

from __future__ import annotations

import random
from fractions import Fraction

from quizcalc.problems.expected import Slip, vector_answer, vector_text
from quizcalc.problems.family import Draft, Family
from quizcalc.problems.numbers import latex_number
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY"]

_TRIPLES = ((3, 4), (4, 3), (-3, 4), (3, -4), (-4, -3), (6, 8), (-8, 6), (5, 12), (12, -5))
"""Points where √(x² + y²) is an integer."""


def _polynomial(rng: random.Random, difficulty: int) -> Polynomial:
    terms: dict[tuple[int, ...], int] = {
        (2, 0): rng.choice([-3, -2, -1, 1, 2, 3]),
        (1, 1): rng.choice([-4, -3, -2, -1, 1, 2, 3, 4]),
        (0, 2): rng.choice([-2, -1, 1, 2, 3]),
        (1, 0): rng.randint(-5, 5),
        (0, 1): rng.randint(-5, 5),
    }
    if difficulty >= 2:
        terms[rng.choice([(2, 1), (1, 2)])] = rng.choice([-2, -1, 1, 2])
        terms[rng.choice([(3, 0), (0, 3)])] = rng.choice([-1, 1])
    return Polynomial.build("xy", terms)


def build(rng: random.Random, difficulty: int) -> Draft:
    """∇f at a point, as a vector ``[f_x, f_y]``."""
    poly = _polynomial(rng, difficulty)
    extra = None
    if difficulty == 3:
        extra = rng.choice(["log", "sqrt"])
        point = (
            rng.choice(_TRIPLES) if extra == "sqrt" else (rng.randint(-2, 2), rng.randint(-2, 2))
        )
        coef = rng.choice([-5, -2, 2, 5, 10])
    else:
        span = 2 if difficulty == 1 else 3
        point = (rng.randint(-span, span), rng.randint(-span, span))
        coef = 0
    x0, y0 = point
    fx, fy = poly.gradient()
    grad = [fx(x0, y0), fy(x0, y0)]
    f_latex, f_plain = poly.latex(), poly.plain()
    extra_lines: list[str] = []
    if extra == "log":
        s = 1 + x0 * x0 + y0 * y0
        term = Fraction(2 * coef, s)
        grad = [grad[0] + term * x0, grad[1] + term * y0]
        f_latex += f" {'+' if coef > 0 else '-'} {abs(coef)}\\ln(1 + x^{{2}} + y^{{2}})"
        f_plain += f" {'+' if coef > 0 else '-'} {abs(coef)}*log(1 + x^2 + y^2)"
        extra_lines.append(
            f"The log term contributes {_times(coef, '2x', LOG_INNER)} and "
            f"{_times(coef, '2y', LOG_INNER)} (chain rule); here {inline(f'{LOG_INNER} = {s}')}."
        )
    elif extra == "sqrt":
        r = int((x0 * x0 + y0 * y0) ** 0.5)
        grad = [grad[0] + Fraction(coef * x0, r), grad[1] + Fraction(coef * y0, r)]
        f_latex += f" {'+' if coef > 0 else '-'} {abs(coef)}\\sqrt{{x^{{2}} + y^{{2}}}}"
        f_plain += f" {'+' if coef > 0 else '-'} {abs(coef)}*sqrt(x^2 + y^2)"
        extra_lines.append(
            f"The root term contributes {_times(coef, 'x', ROOT)} and "
            f"{_times(coef, 'y', ROOT)}; here {inline(f'{ROOT} = {r}')}."
        )
    p = f"({x0}, {y0})"
    grad_def = GRAD_DEF
    prompt = (
        f"Let {inline(f'f(x, y) = {f_latex}')}. Compute the gradient {inline(grad_def)} at "
        f"{inline(p)}.\n\nAnswer as a vector `[df/dx, df/dy]`.\n\n"
        f"{how_to_answer(next((g for g in grad if g.denominator > 1), grad[0]))}"
    )
    fx_text = f"\\frac{{\\partial f}}{{\\partial x}} = {fx.latex()}"
    fy_text = f"\\frac{{\\partial f}}{{\\partial y}} = {fy.latex()}"
    solution = [
        f"Polynomial part: {inline(fx_text)}, {inline(fy_text)}.",
        *extra_lines,
        f"At {inline(p)}: {inline(NABLA + _pair(grad))}.",
        answer_line(vector_text(grad)),
    ]
    mixed_free = poly.without_mixed_terms()
    slips: list[Slip] = [
        ([grad[1], grad[0]], "The order is [∂f/∂x, ∂f/∂y].", "swapped-components"),
        (
            [
                grad[0] - fx(x0, y0) + mixed_free.diff("x")(x0, y0),
                grad[1] - fy(x0, y0) + mixed_free.diff("y")(x0, y0),
            ],
            "Mixed terms like xy count in both partials: hold the other variable fixed, don't "
            "drop the term.",
            "dropped-mixed-term",
        ),
        (
            [-grad[0], -grad[1]],
            "That is −∇f, the descent direction; the gradient itself points uphill.",
            "sign-error",
        ),
    ]
    hints = (
        f"Take {inline(DX)} holding {inline('y')} fixed, then {inline(DY)} holding "
        f"{inline('x')} fixed.",
        f"A mixed term like {inline('3xy')} gives {inline('3y')} in {inline(DX)} and "
        f"{inline('3x')} in {inline(DY)}.",
        f"Substitute {inline(f'x = {x0}')} and {inline(f'y = {y0}')} into both.",
    )
    params = {"f": f_plain, "point": [x0, y0]}
    return Draft(prompt, vector_answer(grad, slips), tuple(solution), hints, params)


def _times(coef: int, top: str, bottom: str) -> str:
    """``\\(-5 \\cdot \\frac{2x}{1 + x^2 + y^2}\\)``."""
    return inline(f"{coef} \\cdot \\frac{{{top}}}{{{bottom}}}")


def _pair(values: list[Fraction]) -> str:
    return f"({latex_number(values[0])}, {latex_number(values[1])})"


NABLA = "\\nabla f = "
DX = "\\frac{\\partial f}{\\partial x}"
DY = "\\frac{\\partial f}{\\partial y}"
LOG_INNER = "1 + x^{2} + y^{2}"
ROOT = "\\sqrt{x^{2} + y^{2}}"
GRAD_DEF = (
    "\\nabla f = \\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right)"
)

FAMILY = Family(
    name="gradient",
    title="Gradient at a point",
    description="Compute ∇f(x, y) = (∂f/∂x, ∂f/∂y) at a point.",
    build=build,
    target_seconds=(60, 90, 150),
    levels=(
        "quadratic with a mixed term",
        "cubic with x²y / xy² terms",
        "plus ln(1 + x² + y²) or √(x² + y²) (exact at the chosen point)",
    ),
)
