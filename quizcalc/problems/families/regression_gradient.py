"""``regression_gradient``: least squares by hand, ``∇ ½‖Xw − y‖² = Xᵀ(Xw − y)``.

Difficulty 1: a 2×2 design matrix, the gradient at a point. Difficulty 2: three examples and
two features (a 3×2 matrix), the gradient at a point. Difficulty 3: the least-squares line
through three points, ``w* = (XᵀX)⁻¹Xᵀy`` from the normal equations (a 2×2 ``XᵀX``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction

from quizcalc.problems.expected import Slip, vector_answer, vector_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY"]

Matrix = list[list[Fraction]]
Vector = list[Fraction]

LOSS = "L(\\mathbf{w}) = \\tfrac{1}{2}\\lVert X\\mathbf{w} - \\mathbf{y} \\rVert^{2}"
GRADIENT = "\\nabla L(\\mathbf{w}) = X^{\\top}(X\\mathbf{w} - \\mathbf{y})"
NORMAL = "X^{\\top}X \\, \\mathbf{w} = X^{\\top}\\mathbf{y}"
NABLA_L = "\\nabla L(\\mathbf{w})"
BOLD_W = "\\mathbf{w}"
RESIDUAL = "\\mathbf{r} = X\\mathbf{w} - \\mathbf{y}"
LINE = "\\hat{y} = w_0 + w_1 x"
ROW = "(1, x_i)"
W_STAR = "\\mathbf{w}^{*} = (w_0, w_1)"
DET = "\\det X^{\\top}X = "
GRAM = "X^{\\top}X"
XTY = "X^{\\top}\\mathbf{y}"
SOLUTION = "\\mathbf{w}^{*} = (X^{\\top}X)^{-1} X^{\\top}\\mathbf{y}"


def matvec(matrix: Matrix, vector: Sequence[Fraction]) -> Vector:
    """``matrix @ vector``, exactly."""
    return [sum((a * b for a, b in zip(row, vector, strict=True)), Fraction(0)) for row in matrix]


def transpose(matrix: Matrix) -> Matrix:
    """The transpose of ``matrix``."""
    return [list(column) for column in zip(*matrix, strict=True)]


def bmatrix(rows: Sequence[Sequence[Fraction]]) -> str:
    """A matrix as a LaTeX ``bmatrix``."""
    body = " \\\\ ".join(" & ".join(latex_number(v) for v in row) for row in rows)
    return f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}"


def column(values: Sequence[Fraction]) -> str:
    """A column vector as a LaTeX ``bmatrix``."""
    return bmatrix([[v] for v in values])


def _fractions(values: Sequence[int]) -> Vector:
    return [Fraction(v) for v in values]


# --- difficulties 1 and 2: the gradient at a point --------------------------------------------


def _draw_gradient(rng: random.Random, difficulty: int) -> tuple[Matrix, Vector, Vector]:
    rows = 2 if difficulty == 1 else 3
    low, high = (-1, 2) if difficulty == 1 else (-2, 3)
    x = [_fractions([rng.randint(low, high) for _ in range(2)]) for _ in range(rows)]
    w = _fractions([rng.randint(-2, 2) for _ in range(2)])
    y = _fractions([rng.randint(-3, 4) for _ in range(rows)])
    return x, w, y


def _gradient_valid(candidate: tuple[Matrix, Vector, Vector]) -> bool:
    x, w, y = candidate
    residual = [p - t for p, t in zip(matvec(x, w), y, strict=True)]
    gradient = matvec(transpose(x), residual)
    det = x[0][0] * x[1][1] - x[0][1] * x[1][0]
    # Both components non-zero (a zero hides the factor-2 and sign slips there); at level 1 a
    # symmetric X would make X(Xw − y) the right answer, and a singular one is no design.
    square_ok = len(x) != 2 or (det != 0 and x[0][1] != x[1][0])
    return all(gradient) and any(residual) and square_ok


def _gradient(rng: random.Random, difficulty: int) -> Draft:
    x, w, y = draw_until(rng, lambda r: _draw_gradient(r, difficulty), _gradient_valid)
    xt = transpose(x)
    prediction = matvec(x, w)
    residual = [p - t for p, t in zip(prediction, y, strict=True)]
    gradient = matvec(xt, residual)
    data = (
        f"X = {bmatrix(x)}, \\quad \\mathbf{{y}} = {column(y)}, \\quad \\mathbf{{w}} = {column(w)}"
    )
    prompt = (
        f"Linear least squares with the loss {inline(LOSS)} and\n\n\\[ {data} \\]\n\n"
        f"What is the gradient {inline(NABLA_L)} at this "
        f"{inline(BOLD_W)}? Answer as a vector `[dL/dw1, dL/dw2]`.\n\n"
        f"{how_to_answer(gradient[0])}"
    )
    solution = [
        f"The gradient of half a squared norm is {inline(GRADIENT)}.",
        f"Predictions: \\[ X\\mathbf{{w}} = {column(prediction)} \\]",
        f"Residual: \\[ \\mathbf{{r}} = X\\mathbf{{w}} - \\mathbf{{y}} = {column(residual)} \\]",
        f"Multiply by the transpose: \\[ X^{{\\top}}\\mathbf{{r}} = {bmatrix(xt)} "
        f"{column(residual)} = {column(gradient)} \\]",
        answer_line(vector_text(gradient)),
    ]
    slips: list[Slip] = [
        (
            [-g for g in gradient],
            "That is Xᵀ(y − Xw), the negative gradient: the residual is prediction minus "
            "target, Xw − y.",
            "sign-error",
        ),
        (
            [2 * g for g in gradient],
            "That is the gradient of ‖Xw − y‖² without the ½: the ½ cancels the 2 from the "
            "square, leaving Xᵀ(Xw − y).",
            "forgot-half",
        ),
        (
            [g / len(x) for g in gradient],
            "That divides by the number of examples, as for a mean; this loss is half the sum "
            "of squared residuals, with no 1/n.",
            "divided-by-n",
        ),
    ]
    if len(x) == 2:
        slips.insert(
            0,
            (
                matvec(x, residual),
                "That is X(Xw − y): the residual has to be multiplied by the transpose Xᵀ, "
                "which sums each feature's column against the residuals.",
                "missing-transpose",
            ),
        )
    hints = (
        f"Compute the residual {inline(RESIDUAL)} first.",
        f"{inline(GRADIENT)}: the chain rule through the square gives the residual, the "
        "linear map gives the transpose.",
        "Component j of the gradient is the dot product of column j of X with the residual.",
    )
    params = {
        "X": [[plain_number(v) for v in row] for row in x],
        "y": [plain_number(v) for v in y],
        "w": [plain_number(v) for v in w],
        "ask": "gradient",
    }
    return Draft(prompt, vector_answer(gradient, slips), tuple(solution), hints, params)


# --- difficulty 3: the normal equations --------------------------------------------------------


def _draw_line(rng: random.Random) -> tuple[Vector, Vector]:
    xs = rng.sample(range(-2, 5), 3)
    ys = [rng.randint(-3, 6) for _ in range(3)]
    return _fractions(sorted(xs)), _fractions(ys)


def _normal(xs: Vector, ys: Vector) -> tuple[Matrix, Vector]:
    design = [[Fraction(1), v] for v in xs]
    xt = transpose(design)
    gram = [[sum((a * b for a, b in zip(r, c, strict=True)), Fraction(0)) for c in xt] for r in xt]
    return gram, matvec(xt, ys)


def _solve(gram: Matrix, rhs: Vector) -> Vector:
    (a, b), (c, d) = gram
    det = a * d - b * c
    return [(d * rhs[0] - b * rhs[1]) / det, (a * rhs[1] - c * rhs[0]) / det]


def _line_valid(candidate: tuple[Vector, Vector]) -> bool:
    xs, ys = candidate
    gram, rhs = _normal(xs, ys)
    solution = _solve(gram, rhs)
    return all(solution) and all(v.denominator <= 20 for v in solution) and gram[0][1] != 0


def _normal_equations(rng: random.Random) -> Draft:
    xs, ys = draw_until(rng, _draw_line, _line_valid)
    design = [[Fraction(1), v] for v in xs]
    gram, rhs = _normal(xs, ys)
    (a, b), (c, d) = gram
    det = a * d - b * c
    best = _solve(gram, rhs)
    pairs = zip(xs, ys, strict=True)
    points = ", ".join(f"({plain_number(u)}, {plain_number(v)})" for u, v in pairs)
    prompt = (
        f"Fit the line {inline(LINE)} by least squares to the points "
        f"{inline(points)}: minimise {inline(LOSS)} with the design matrix "
        f"{inline('X')} whose rows are {inline(ROW)}.\n\n"
        f"The minimiser solves the normal equations {inline(NORMAL)}. What is "
        f"{inline(W_STAR)}? Answer as a vector `[w0, w1]`.\n\n"
        f"{how_to_answer(next((v for v in best if v.denominator > 1), best[0]))}"
    )
    inverse = f"\\frac{{1}}{{{latex_number(det)}}} {bmatrix([[d, -b], [-c, a]])}"
    solution = [
        f"The design matrix and targets: \\[ X = {bmatrix(design)}, \\quad "
        f"\\mathbf{{y}} = {column(ys)} \\]",
        f"Then \\[ X^{{\\top}}X = {bmatrix(gram)}, \\quad X^{{\\top}}\\mathbf{{y}} = "
        f"{column(rhs)} \\]",
        f"With {inline(DET + latex_number(det))}, the inverse is "
        f"\\[ (X^{{\\top}}X)^{{-1}} = {inverse} \\]",
        f"So \\[ \\mathbf{{w}}^{{*}} = (X^{{\\top}}X)^{{-1}} X^{{\\top}}\\mathbf{{y}} = "
        f"{column(best)} \\]",
        answer_line(vector_text(best)),
    ]
    unswapped = [(a * rhs[0] - b * rhs[1]) / det, (d * rhs[1] - c * rhs[0]) / det]
    unsigned = [(d * rhs[0] + b * rhs[1]) / det, (a * rhs[1] + c * rhs[0]) / det]
    slips: list[Slip] = [
        (
            [v * det for v in best],
            "That is the adjugate times Xᵀy: the 2×2 inverse also divides by the determinant.",
            "forgot-determinant",
        ),
        (
            unswapped,
            "The 2×2 inverse swaps the diagonal entries: [[a, b], [c, d]]⁻¹ = "
            "[[d, −b], [−c, a]] / (ad − bc).",
            "unswapped-inverse",
        ),
        (
            unsigned,
            "The 2×2 inverse negates the off-diagonal entries: [[a, b], [c, d]]⁻¹ = "
            "[[d, −b], [−c, a]] / (ad − bc).",
            "inverse-signs",
        ),
        (
            [rhs[0] / a, rhs[1] / d],
            "Dividing Xᵀy by the diagonal of XᵀX ignores the off-diagonal terms, which couple "
            "the intercept and the slope: solve the 2×2 system.",
            "diagonal-only",
        ),
    ]
    hints = (
        f"Build {inline(GRAM)} (2 by 2) and {inline(XTY)} (2 entries): "
        f"{inline(GRAM)} holds the count, the sum of the x values and the sum of "
        "their squares.",
        "Invert the 2-by-2 matrix: swap the diagonal, negate the off-diagonal, divide by the "
        "determinant.",
        f"{inline(SOLUTION)}.",
    )
    params = {
        "X": [[plain_number(v) for v in row] for row in design],
        "y": [plain_number(v) for v in ys],
        "ask": "normal_equations",
    }
    return Draft(prompt, vector_answer(best, slips), tuple(solution), hints, params)


def build(rng: random.Random, difficulty: int) -> Draft:
    """The least-squares gradient at a point (levels 1–2) or the normal-equation fit (3)."""
    if difficulty < 3:
        return _gradient(rng, difficulty)
    return _normal_equations(rng)


FAMILY = Family(
    name="regression_gradient",
    title="Least-squares gradient and normal equations",
    description="Compute Xᵀ(Xw − y), the gradient of ½‖Xw − y‖², or solve XᵀX w = Xᵀy.",
    build=build,
    target_seconds=(90, 150, 300),
    levels=(
        "2×2 design matrix, gradient at a point",
        "three examples, two features (3×2), gradient at a point",
        "least-squares line through three points from the normal equations",
    ),
)
