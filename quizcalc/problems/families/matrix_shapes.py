"""``matrix_shapes``: the shape of a matrix product or of a gradient, or "undefined".

Options are shapes written ``(rows, columns)`` (the grader also reads ``3x5``, ``3 by 5``…)
and "undefined". Difficulty 1: ``AB`` for two small matrices, defined or not (when not, ``BA``
is, to tempt). Difficulty 2: a product of a batch ``X`` (n × d) and weights ``W`` (d × k)
with transposes, such as ``XᵀX`` or ``WᵀXᵀ``. Difficulty 3: the shape of a gradient in a linear
layer ``Y = XW + b`` with a scalar loss: ``∂L/∂W``, ``∂L/∂X`` or ``∂L/∂Y``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizcalc.problems.expected import choice_answer
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.writing import answer_line, inline

__all__ = ["FAMILY", "UNDEFINED", "product_shape", "shape_text"]

UNDEFINED = "undefined"

Shape = tuple[int, int]


def shape_text(shape: Shape | None) -> str:
    """``(3, 5)``, or "undefined" for ``None``: an option as the prompt lists it."""
    return UNDEFINED if shape is None else f"({shape[0]}, {shape[1]})"


def product_shape(left: Shape, right: Shape) -> Shape | None:
    """The shape of a product, or ``None`` when the inner dimensions differ."""
    return (left[0], right[1]) if left[1] == right[0] else None


@dataclass(frozen=True)
class _Factor:
    name: str
    shape: Shape
    transposed: bool = False

    def effective(self) -> Shape:
        """The shape of the factor as it enters the product (after any transpose)."""
        return (self.shape[1], self.shape[0]) if self.transposed else self.shape

    def latex(self) -> str:
        return f"{self.name}^{{\\top}}" if self.transposed else self.name


Slip = tuple[str, str, str]

TRANSPOSED = (
    "Those are the right two numbers in the wrong order: a product has the rows of its first "
    "factor and the columns of its last."
)
INNER_MISMATCH_MISSED = (
    "A product needs matching inner dimensions, the columns of the first factor equal to the "
    "rows of the second; check them before writing the outer ones down."
)
DEFINED = (
    "Compare the inner dimensions, the columns of the first factor and the rows of the "
    "second (after any transpose): when they are equal, the product exists."
)
REVERSED = (
    "That is the shape of the product in the other order; matrix products do not commute, so "
    "check the factors in the order written."
)
INNER_KEPT = (
    "The shared inner dimension is summed over and disappears; the product keeps the "
    "outer dimensions."
)
IGNORED_TRANSPOSE = "A transpose swaps a factor's rows and columns before the product is taken."
LIKE_INPUT = (
    "That is the shape of the input X. A gradient of a scalar loss has one entry per entry "
    "of the variable it is taken with respect to."
)
LIKE_WEIGHTS = (
    "That is the shape of the weights W. A gradient of a scalar loss has one entry per entry "
    "of the variable it is taken with respect to."
)
LIKE_OUTPUT = (
    "That is the shape of the layer's output Y. A gradient of a scalar loss has one entry per "
    "entry of the variable it is taken with respect to."
)
GRADIENT_TRANSPOSED = (
    "Transposed: a gradient of a scalar loss is laid out exactly like the variable, rows as "
    "its rows and columns as its columns."
)


@dataclass(frozen=True)
class _Question:
    kind: str
    """``product`` or ``gradient``."""
    factors: tuple[_Factor, ...] = ()
    variable: str = ""
    dims: tuple[int, ...] = ()


def _draw(rng: random.Random, difficulty: int) -> _Question:
    if difficulty == 1:
        m, n, q = rng.sample(range(2, 7), 3)
        if rng.random() < 0.6:
            return _Question("product", (_Factor("A", (m, n)), _Factor("B", (n, q))))
        p = rng.choice([v for v in range(2, 7) if v != n])
        # Undefined as written, but BA is defined (B's columns = A's rows), to tempt.
        return _Question("product", (_Factor("A", (m, n)), _Factor("B", (p, m))))
    n = rng.choice([8, 16, 32, 64])
    d, k = rng.sample([2, 3, 4, 5, 6, 10, 12], 2)
    if difficulty == 2:
        x, w = (n, d), (d, k)
        pairs = [
            (("X", x, False), ("W", w, False)),
            (("W", w, False), ("X", x, False)),
            (("X", x, True), ("X", x, False)),
            (("X", x, False), ("X", x, True)),
            (("W", w, True), ("X", x, True)),
            (("X", x, True), ("W", w, False)),
            (("W", w, True), ("W", w, False)),
            (("X", x, False), ("W", w, True)),
        ]
        chosen = rng.choice(pairs)
        return _Question("product", tuple(_Factor(*f) for f in chosen), dims=(n, d, k))
    return _Question("gradient", variable=rng.choice("WXY"), dims=(n, d, k))


def _valid(question: _Question) -> bool:
    return len(_options(question)) >= 3


def _product_slips(question: _Question) -> tuple[str, list[Slip]]:
    left, right = question.factors
    a, b = left.effective(), right.effective()
    correct = product_shape(a, b)
    slips: list[Slip] = []
    if correct is None:
        slips.append((shape_text((a[0], b[1])), INNER_MISMATCH_MISSED, "inner-mismatch-missed"))
        reversed_shape = product_shape(b, a)
        if reversed_shape is not None:
            slips.append((shape_text(reversed_shape), REVERSED, "reversed-product"))
    else:
        if correct[0] != correct[1]:
            slips.append((shape_text((correct[1], correct[0])), TRANSPOSED, "transposed-shape"))
        slips.append((UNDEFINED, DEFINED, "inner-dimensions"))
    plain = product_shape(left.shape, right.shape)
    if (left.transposed or right.transposed) and plain != correct:
        slips.append((shape_text(plain), IGNORED_TRANSPOSE, "ignored-transpose"))
    if correct is not None and a[1] not in correct:
        slips.append((shape_text((a[1], a[1])), INNER_KEPT, "inner-kept"))
    return shape_text(correct), slips


def _gradient_slips(question: _Question) -> tuple[str, list[Slip]]:
    n, d, k = question.dims
    shapes = {"X": (n, d), "W": (d, k), "Y": (n, k)}
    messages = {"X": LIKE_INPUT, "W": LIKE_WEIGHTS, "Y": LIKE_OUTPUT}
    tags = {"X": "shaped-like-input", "W": "shaped-like-weights", "Y": "shaped-like-output"}
    target = shapes[question.variable]
    slips: list[Slip] = [
        (shape_text((target[1], target[0])), GRADIENT_TRANSPOSED, "transposed-shape")
    ]
    slips += [
        (shape_text(shapes[other]), messages[other], tags[other])
        for other in "XWY"
        if other != question.variable
    ]
    return shape_text(target), slips


def _answer(question: _Question) -> tuple[str, list[Slip]]:
    if question.kind == "gradient":
        return _gradient_slips(question)
    return _product_slips(question)


def _options(question: _Question) -> list[str]:
    correct, slips = _answer(question)
    options = [correct]
    for option, _, _ in slips:
        if option not in options:
            options.append(option)
    return options


def build(rng: random.Random, difficulty: int) -> Draft:
    """The shape (or "undefined") as a choice among the likely slips' shapes."""
    question = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    correct, slips = _answer(question)
    shapes = [o for o in _options(question) if o != UNDEFINED]
    rng.shuffle(shapes)
    options = shapes + ([UNDEFINED] if question.kind == "product" else [])
    listing = "\n".join(f"{i}. {o}" for i, o in enumerate(options, start=1))
    prompt = f"{_question_text(question)}\n\n{listing}\n\n{HOW}"
    solution = [*_working(question), answer_line(correct)]
    params = _params(question)
    answer = choice_answer(options, correct, slips)
    return Draft(prompt, answer, tuple(solution), _hints(question), params)


HOW = "Answer with the option's number or its text; a shape may also be typed as `3x5` or `3 by 5`."


def _size(shape: Shape) -> str:
    return inline(f"{shape[0]} \\times {shape[1]}")


def _question_text(question: _Question) -> str:
    if question.kind == "gradient":
        n, d, k = question.dims
        variable = {"W": "W", "X": "X", "Y": "Y"}[question.variable]
        return (
            f"A linear layer computes {inline(LAYER)} for a batch {inline('X')} of {n} "
            f"examples with {d} features ({_size((n, d))}), weights {inline('W')} "
            f"({_size((d, k))}) and a bias {inline('b')} of length {k} added to every row. "
            f"A scalar loss {inline('L')} is computed from {inline('Y')}.\n\n"
            f"What is the shape of {inline(_partial(variable))}, as (rows, columns)?"
        )
    left, right = question.factors
    product = f"{left.latex()}{right.latex()}"
    if question.dims:
        n, d, k = question.dims
        given = (
            f"A batch {inline('X')} holds {n} examples with {d} features each "
            f"({_size((n, d))}) and a layer's weights {inline('W')} are {_size((d, k))}."
        )
    else:
        given = (
            f"The matrix {inline('A')} is {_size(left.shape)} and {inline('B')} is "
            f"{_size(right.shape)}."
        )
    return (
        f"{given}\n\nWhat is the shape of {inline(product)}, as (rows, columns)? If the product "
        "does not exist, answer undefined."
    )


LAYER = "Y = XW + b"


def _partial(variable: str) -> str:
    return f"\\frac{{\\partial L}}{{\\partial {variable}}}"


def _working(question: _Question) -> list[str]:
    if question.kind == "gradient":
        n, d, k = question.dims
        rule = {
            "W": f"{_partial('W')} = X^{{\\top}} {_partial('Y')}",
            "X": f"{_partial('X')} = {_partial('Y')} W^{{\\top}}",
            "Y": f"{_partial('Y')}",
        }[question.variable]
        shape = {"W": (d, k), "X": (n, d), "Y": (n, k)}[question.variable]
        lines = [
            "The loss is a scalar, so its gradient with respect to a matrix has one entry per "
            "entry of that matrix: it has the matrix's own shape."
        ]
        if question.variable == "Y":
            lines.append(f"{inline('Y = XW + b')} is {_size((n, k))}, so {inline(rule)} is too.")
        else:
            lines.append(
                f"Backpropagation computes {inline(rule)}, where {inline(_partial('Y'))} is "
                f"{_size((n, k))} like Y: the product is {_size(shape)}, the shape of "
                f"{inline(question.variable)}."
            )
        return lines
    left, right = question.factors
    a, b = left.effective(), right.effective()
    lines = []
    for factor in (left, right):
        if factor.transposed:
            lines.append(
                f"{inline(factor.name)} is {_size(factor.shape)}, so {inline(factor.latex())} "
                f"is {_size(factor.effective())}."
            )
    inner = f"{a[1]} = {b[0]}" if a[1] == b[0] else f"{a[1]} \\neq {b[0]}"
    if a[1] == b[0]:
        lines.append(
            f"The inner dimensions agree ({inline(inner)}), so the product has the outer "
            f"ones: {_size((a[0], b[1]))}."
        )
    else:
        lines.append(
            f"The first factor has {a[1]} columns but the second has {b[0]} rows "
            f"({inline(inner)}): the product is undefined."
        )
    return lines


def _hints(question: _Question) -> tuple[str, ...]:
    if question.kind == "gradient":
        return (
            "The loss is one number: how many partial derivatives does it have with respect "
            "to the variable?",
            "The gradient with respect to a matrix is arranged like that matrix.",
            f"Check with backpropagation: {inline(GRAD_W)}.",
        )
    return (
        "Write each factor's shape under it, transposes applied first.",
        f"A {inline(P_BY_Q)} matrix times a "
        f"{inline(Q_BY_R)} matrix is {inline(P_BY_R)}: the inner dimensions must match.",
        "Matrix products do not commute: keep the order written.",
    )


GRAD_W = "\\frac{\\partial L}{\\partial W} = X^{\\top} \\frac{\\partial L}{\\partial Y}"
P_BY_Q = "p \\times q"
Q_BY_R = "q \\times r"
P_BY_R = "p \\times r"


def _params(question: _Question) -> dict[str, object]:
    if question.kind == "gradient":
        n, d, k = question.dims
        return {"n": n, "d": d, "k": k, "gradient": question.variable}
    return {
        "factors": [
            {"name": f.name, "shape": list(f.shape), "transposed": f.transposed}
            for f in question.factors
        ]
    }


FAMILY = Family(
    name="matrix_shapes",
    title="Shapes of products and gradients",
    description="The shape of a matrix product or a gradient, or whether the product exists.",
    build=build,
    target_seconds=(30, 45, 60),
    levels=(
        "AB for two small matrices, defined or not",
        "products of a batch X and weights W with transposes",
        "the shape of ∂L/∂W, ∂L/∂X or ∂L/∂Y in a linear layer",
    ),
)
