"""``jacobian``: the Jacobian of a small vector function at a point.

Entry (i, j) is ∂fᵢ/∂xⱼ: one row per output, one column per input. Difficulty 1:
ℝ² → ℝ² with quadratic components. Difficulty 2: a non-square map (ℝ² → ℝ³ or ℝ³ → ℝ²),
where the transposed answer has the other shape (the grader reads it as the listed
"transposed" slip, not as a shape error). Difficulty 3: ℝ³ → ℝ³ with cubic terms.
Square Jacobians are never symmetric, so "transposed" is always a different answer.
"""

from __future__ import annotations

import random
from fractions import Fraction

from quizcalc.problems.expected import Slip, matrix_answer, vector_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY"]

_NAMES = {2: ("x", "y"), 3: ("x", "y", "z")}


def _component(rng: random.Random, variables: tuple[str, ...], degree: int) -> Polynomial:
    n = len(variables)
    terms: dict[tuple[int, ...], int] = {}
    for _ in range(rng.randint(2, 3)):
        exps = [0] * n
        for _ in range(rng.randint(1, degree)):
            exps[rng.randrange(n)] += 1
        terms[tuple(exps)] = rng.choice([-3, -2, -1, 1, 2, 3, 4])
    return Polynomial.build(variables, terms)


def _draw(rng: random.Random, difficulty: int) -> tuple[list[Polynomial], tuple[int, ...]]:
    if difficulty == 1:
        n_in, n_out, degree = 2, 2, 2
    elif difficulty == 2:
        n_in, n_out = rng.choice([(2, 3), (3, 2)])
        degree = 2
    else:
        n_in, n_out, degree = 3, 3, 3
    variables = _NAMES[n_in]
    components = [_component(rng, variables, degree) for _ in range(n_out)]
    point = tuple(rng.randint(-2, 2) for _ in range(n_in))
    return components, point


def _jacobian(components: list[Polynomial], point: tuple[int, ...]) -> list[list[Fraction]]:
    return [[g(*point) for g in c.gradient()] for c in components]


def _valid(candidate: tuple[list[Polynomial], tuple[int, ...]]) -> bool:
    components, point = candidate
    if any(max((sum(e) for e, _ in c.terms), default=0) < 2 for c in components):
        return False  # every component is non-linear, so the point matters
    used = {v for c in components for e, _ in c.terms for v, p in zip("xyz", e, strict=False) if p}
    if used != set(components[0].variables) or not any(c.has_mixed_terms() for c in components):
        return False  # every input matters, and some entry needs the other variable held fixed
    j = _jacobian(components, point)
    if len(j) == len(j[0]) and all(j[r][c] == j[c][r] for r in range(len(j)) for c in range(r)):
        return False  # symmetric: the transposed answer would be right too
    return any(v for row in j for v in row)


def _bmatrix(rows: list[list[Fraction]]) -> str:
    body = " \\\\ ".join(" & ".join(latex_number(v) for v in row) for row in rows)
    return f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}"


def build(rng: random.Random, difficulty: int) -> Draft:
    """The Jacobian matrix at a point, rows = outputs."""
    components, point = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    variables = components[0].variables
    j = _jacobian(components, point)
    m, n = len(j), len(j[0])
    prompt = _prompt(components, variables, point, j)
    solution = []
    for i, c in enumerate(components, start=1):
        partials = ", \\; ".join(
            f"{_partial(i, v)} = {g.latex()}" for v, g in zip(variables, c.gradient(), strict=True)
        )
        solution.append(f"Row {i}, the gradient of {inline(f'f_{i}')}: {inline(partials)}.")
    solution.append(
        f"At the point, one row per output and one column per input "
        f"({_size(m, n)}): \\[ J = {_bmatrix(j)} \\]"
    )
    solution.append(answer_line(_matrix_text(j)))
    transposed = [[j[r][c] for r in range(m)] for c in range(n)]
    no_mixed = _jacobian([c.without_mixed_terms() for c in components], point)
    slips: list[Slip] = [
        (
            no_mixed,
            "Mixed terms like xy depend on both variables: they count in both partials.",
            "dropped-mixed-term",
        ),
    ]
    # Square or not: a non-square transpose has the other shape, which the grader reads (and
    # names) because it is listed here, instead of calling it a shape error. The transpose of
    # a symmetric J would be right, but _valid draws none.
    message = (
        "Transposed: rows are outputs, columns inputs, so entry (i, j) = ∂fᵢ/∂xⱼ "
        "(row i is the gradient of fᵢ)."
    )
    slips.insert(0, (transposed, message, "transposed"))
    hints = (
        f"Row {inline('i')} is the gradient of the {inline('i')}-th output {inline('f_i')}.",
        f"Column {inline('j')} holds the derivatives with respect to the {inline('j')}-th input "
        f"({', '.join(inline(v) for v in variables)}).",
        f"Evaluate every entry at the point: {inline('J')} is {_size(m, n)}.",
    )
    params = {"f": [c.plain() for c in components], "point": list(point)}
    return Draft(prompt, matrix_answer(j, slips), tuple(solution), hints, params)


def _prompt(
    components: list[Polynomial],
    variables: tuple[str, ...],
    point: tuple[int, ...],
    j: list[list[Fraction]],
) -> str:
    args = ", ".join(variables)
    names = ", ".join(f"f_{i}" for i in range(1, len(components) + 1))
    listing = ", \\quad ".join(f"f_{i} = {c.latex()}" for i, c in enumerate(components, 1))
    at = ", ".join(str(p) for p in point)
    inputs = ", ".join(inline(v) for v in variables)
    example = "[[1, 2], [3, 4]]" if len(j) == 2 else "[[1, 2], [3, 4], [5, 6]]"
    return (
        f"Let {inline(f'{BOLD_F}({args}) = ({names})')} with\n\n\\[ {listing} \\]\n\n"
        f"Compute its Jacobian {inline('J')} at {inline(f'({args}) = ({at})')}: the "
        f"{_size(len(j), len(j[0]))} matrix whose row {inline('i')} holds the partial "
        f"derivatives of {inline('f_i')} with respect to {inputs} in turn.\n\n"
        f"Answer as a matrix, one row per component, e.g. `{example}`.\n\n"
        f"{how_to_answer(next((v for row in j for v in row if v.denominator > 1), j[0][0]))}"
    )


BOLD_F = "\\mathbf{f}"


def _size(rows: int, columns: int) -> str:
    """``\\(2 \\times 3\\)``."""
    return inline(f"{rows} \\times {columns}")


def _partial(i: int, variable: str) -> str:
    """``\\frac{\\partial f_1}{\\partial x}``."""
    return f"\\frac{{\\partial f_{i}}}{{\\partial {variable}}}"


def _matrix_text(rows: list[list[Fraction]]) -> str:
    return "[" + ", ".join(vector_text(row) for row in rows) + "]"


FAMILY = Family(
    name="jacobian",
    title="Jacobian at a point",
    description="Build the matrix of first partials ∂fᵢ/∂xⱼ of a vector function at a point.",
    build=build,
    target_seconds=(90, 150, 240),
    levels=(
        "ℝ² → ℝ², quadratic components",
        "non-square: ℝ² → ℝ³ or ℝ³ → ℝ² (shape matters)",
        "ℝ³ → ℝ³ with cubic terms",
    ),
)
