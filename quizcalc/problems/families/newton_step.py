"""``newton_step``: one step of Newton's method for minimisation, curvature-aware.

``x₁ = x₀ − f'(x₀)/f''(x₀)``: the step GD would take, rescaled by the curvature (the chapter's
second-order methods). Difficulty 1: a quadratic, where one step lands exactly on the minimum.
Difficulty 2: a cubic or quartic. Difficulty 3: two variables, ``x₁ = x₀ − H⁻¹∇f(x₀)``
(a vector answer). Instances never have ``f''(x₀) = 0`` or a singular Hessian.
"""

from __future__ import annotations

import random
from fractions import Fraction

from quizcalc.problems.expected import Slip, number_answer, vector_answer, vector_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY"]

STEP_1D = "\\[ x_1 = x_0 - \\frac{f'(x_0)}{f''(x_0)} \\]"
STEP_2D = "\\[ \\mathbf{x}_1 = \\mathbf{x}_0 - H(\\mathbf{x}_0)^{-1} \\nabla f(\\mathbf{x}_0) \\]"


def _draw_1d(rng: random.Random, difficulty: int) -> tuple[Polynomial, Fraction]:
    if difficulty == 1:
        a = rng.randint(1, 4)
        p = Polynomial.build("x", {(2,): a, (1,): rng.randint(-8, 8), (0,): rng.randint(-5, 5)})
    elif rng.random() < 0.5:
        p = Polynomial.build(
            "x", {(3,): rng.choice([-1, 1]), (2,): rng.randint(-3, 3), (1,): rng.randint(-6, 6)}
        )
    else:
        p = Polynomial.build("x", {(4,): 1, (2,): rng.randint(-4, 2), (1,): rng.randint(-4, 4)})
    return p, Fraction(rng.randint(-3, 3))


def _valid_1d(candidate: tuple[Polynomial, Fraction]) -> bool:
    p, x0 = candidate
    d1, d2 = p.diff("x"), p.diff("x").diff("x")
    if d2(x0) <= 0 or d1(x0) == 0:
        # f'' = 0 has no Newton step, f'' < 0 would step towards a maximum (not minimising),
        # and f' = 0 leaves nothing to do.
        return False
    return (x0 - d1(x0) / d2(x0)).denominator <= 50


def _one_variable(rng: random.Random, difficulty: int) -> Draft:
    p, x0 = draw_until(rng, lambda r: _draw_1d(r, difficulty), _valid_1d)
    d1 = p.diff("x")
    d2 = d1.diff("x")
    g, c = d1(x0), d2(x0)
    x1 = x0 - g / c
    prompt = (
        f"Newton's method minimises {inline(f'f(x) = {p.latex()}')} with the update\n\n"
        f"{STEP_1D}\n\nStarting from {inline(f'x_0 = {latex_number(x0)}')}, what is "
        f"{inline('x_1')}?\n\n{how_to_answer(x1)}"
    )
    x0s = latex_number(x0)
    values = f"f'({x0s}) = {latex_number(g)}, \\; f''({x0s}) = {latex_number(c)}"
    step = f"\\frac{{{latex_number(g)}}}{{{latex_number(c)}}}"
    solution = [
        f"Derivatives: {inline(PRIME + d1.latex())}, {inline(PRIME2 + d2.latex())}.",
        f"At {inline('x_0 = ' + x0s)}: {inline(values)}.",
        f"Step: \\[ x_1 = {x0s} - {step} = {latex_number(x1)} \\]",
    ]
    if difficulty == 1:
        solution.append(
            "For a quadratic \\(ax^{2} + bx + c\\), \\(f''\\) is constant and one Newton step "
            "lands exactly on the minimum \\(-\\frac{b}{2a}\\)."
        )
    solution.append(answer_line(plain_number(x1)))
    slips: list[Slip] = [
        (
            x0 - g,
            "That is a gradient-descent step with η = 1; Newton divides by the curvature f''(x₀).",
            "gradient-step",
        ),
        (x0 + g / c, "Newton steps against the slope: x₁ = x₀ − f'/f''.", "sign-error"),
        (x0 - c / g, "The ratio is f'/f'' (slope over curvature), not f''/f'.", "inverted-ratio"),
        (
            x0 - p(x0) / g,
            "x₀ − f/f' is Newton's root-finding step for f = 0; to minimise, find "
            "the root of f': x₀ − f'/f''.",
            "root-finding",
        ),
    ]
    hints = (
        "Differentiate twice.",
        "Evaluate \\(f'(x_0)\\) and \\(f''(x_0)\\).",
        "\\(x_1 = x_0 - \\frac{f'(x_0)}{f''(x_0)}\\): mind the signs.",
    )
    params = {"f": p.plain(), "x0": plain_number(x0)}
    return Draft(prompt, number_answer(x1, slips), tuple(solution), hints, params)


def _draw_2d(rng: random.Random) -> tuple[Polynomial, tuple[Fraction, Fraction]]:
    terms: dict[tuple[int, ...], int] = {
        (2, 0): rng.randint(1, 3),
        (1, 1): rng.randint(-2, 2),
        (0, 2): rng.randint(1, 3),
        (1, 0): rng.randint(-4, 4),
        (0, 1): rng.randint(-4, 4),
    }
    cubic = rng.choice([(3, 0), (0, 3), (2, 1), (1, 2)])
    terms[cubic] = rng.choice([-1, 1])
    point = (Fraction(rng.randint(-2, 2)), Fraction(rng.randint(-2, 2)))
    return Polynomial.build("xy", terms), point


def _hessian_at(f: Polynomial, point: tuple[Fraction, Fraction]) -> list[list[Fraction]]:
    return [[h(*point) for h in row] for row in f.hessian()]


def _valid_2d(candidate: tuple[Polynomial, tuple[Fraction, Fraction]]) -> bool:
    f, point = candidate
    h = _hessian_at(f, point)
    det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
    grad = [g(*point) for g in f.gradient()]
    if det <= 0 or h[0][0] <= 0 or not any(grad):
        return False  # H must be positive definite: otherwise Newton heads for a saddle or max
    step = _solve(h, grad)
    return all(abs(v.denominator) <= 30 for v in step)


def _solve(h: list[list[Fraction]], g: list[Fraction]) -> list[Fraction]:
    """H⁻¹ g for a 2×2 H by Cramer's rule."""
    det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
    return [
        (h[1][1] * g[0] - h[0][1] * g[1]) / det,
        (h[0][0] * g[1] - h[1][0] * g[0]) / det,
    ]


def _two_variables(rng: random.Random) -> Draft:
    f, point = draw_until(rng, _draw_2d, _valid_2d)
    h = _hessian_at(f, point)
    grad = [g(*point) for g in f.gradient()]
    step = _solve(h, grad)
    x1 = [point[0] - step[0], point[1] - step[1]]
    det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
    p0 = f"({latex_number(point[0])}, {latex_number(point[1])})"
    prompt = _prompt_2d(f, p0, x1)
    hm = (
        f"\\begin{{bmatrix}} {latex_number(h[0][0])} & {latex_number(h[0][1])} \\\\ "
        f"{latex_number(h[1][0])} & {latex_number(h[1][1])} \\end{{bmatrix}}"
    )
    solution = [
        f"Gradient at {inline(p0)}: \\[ {NABLA}{_column(grad)} \\]",
        f"Hessian there, with {inline(f'{DET} = {latex_number(det)}')}: \\[ H = {hm} \\]",
        f"Solve {inline(SOLVE)}: \\[ \\mathbf{{s}} = H^{{-1}} \\nabla f = {_column(step)} \\]",
        f"Step: \\[ {BOLD_X1} = {_column(list(point))} - {_column(step)} = {_column(x1)} \\]",
        answer_line(vector_text(x1)),
    ]
    diag = [
        point[0] - grad[0] / h[0][0] if h[0][0] else None,
        point[1] - grad[1] / h[1][1] if h[1][1] else None,
    ]
    no_inverse = [
        point[0] - (h[0][0] * grad[0] + h[0][1] * grad[1]),
        point[1] - (h[1][0] * grad[0] + h[1][1] * grad[1]),
    ]
    slips: list[Slip] = [
        (
            [point[0] - grad[0], point[1] - grad[1]],
            "That is a gradient step with η = 1; Newton rescales the gradient by H⁻¹.",
            "gradient-step",
        ),
        (
            [point[0] + step[0], point[1] + step[1]],
            "Newton moves against H⁻¹∇f: subtract the step.",
            "sign-error",
        ),
        (no_inverse, "Multiply by the inverse Hessian H⁻¹, not by H.", "no-inverse"),
    ]
    if None not in diag and h[0][1] != 0:
        slips.append(
            (
                [v for v in diag if v is not None],
                "Dividing each gradient component by "
                "its diagonal Hessian entry ignores the cross term ∂²f/∂x∂y.",
                "diagonal-only",
            )
        )
    hints = (
        "Compute \\(\\nabla f\\) and the Hessian \\(H\\) at the starting point.",
        f"Solve {inline(SOLVE)} by Cramer's rule, or with the inverse "
        "\\[ \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}^{-1} = \\frac{1}{ad - bc} "
        "\\begin{bmatrix} d & -b \\\\ -c & a \\end{bmatrix} \\]",
        "\\(\\mathbf{x}_1 = \\mathbf{x}_0 - \\mathbf{s}\\).",
    )
    params = {"f": f.plain(), "x0": [plain_number(point[0]), plain_number(point[1])]}
    return Draft(prompt, vector_answer(x1, slips), tuple(solution), hints, params)


PRIME = "f'(x) = "
PRIME2 = "f''(x) = "
DET = "\\det H"
SOLVE = "H \\mathbf{s} = \\nabla f"
NABLA = "\\nabla f = "
BOLD_X1 = "\\mathbf{x}_1"


def _prompt_2d(f: Polynomial, p0: str, x1: list[Fraction]) -> str:
    fractional = next((v for v in x1 if v.denominator > 1), x1[0])
    return (
        f"Newton's method minimises {inline(f'f(x, y) = {f.latex()}')} with the update\n\n"
        f"{STEP_2D}\n\nStarting from {inline(BOLD_X0 + p0)}, what is {inline(BOLD_X1)}? "
        f"Answer as a vector `[x, y]`.\n\n{how_to_answer(fractional)}"
    )


BOLD_X0 = "\\mathbf{x}_0 = "


def _column(values: list[Fraction]) -> str:
    """A column vector as a ``bmatrix`` (its fractions stack in display math)."""
    return "\\begin{bmatrix} " + " \\\\ ".join(latex_number(v) for v in values) + " \\end{bmatrix}"


def build(rng: random.Random, difficulty: int) -> Draft:
    """One Newton step: 1-D at difficulties 1–2, 2-D (vector answer) at 3."""
    if difficulty < 3:
        return _one_variable(rng, difficulty)
    return _two_variables(rng)


FAMILY = Family(
    name="newton_step",
    title="One Newton step",
    description="Take one curvature-scaled step x₀ − f'(x₀)/f''(x₀) (or x₀ − H⁻¹∇f in 2-D).",
    build=build,
    target_seconds=(60, 120, 240),
    levels=(
        "a quadratic: one step lands on the minimum",
        "a cubic or quartic",
        "two variables: solve H s = ∇f, vector answer",
    ),
)
