"""``sigmoid_bce``: binary cross-entropy on a sigmoid output, and its gradient in the logit.

With ``p = σ(z)`` and a label ``y ∈ {0, 1}``, ``L = −[y ln p + (1 − y) ln(1 − p)]``, and the
chain rule's two factors ``∂L/∂p · σ′(z)`` cancel to ``∂L/∂z = p − y``. Difficulty 1:
``z = ln(a/b)``, so ``p = a/(a + b)`` is an exact fraction; the gradient is asked.
Difficulty 2: a decimal logit, the gradient or the loss to 4 significant figures.
Difficulty 3: logistic regression ``z = w·x + b``, the gradient ``∂L/∂w = (p − y) x``.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.grading.answers import Answer
from quizcalc.problems.expected import (
    Number,
    Slip,
    number_answer,
    number_text,
    vector_answer,
    vector_text,
)
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.writing import (
    SIG_FIGS,
    answer_line,
    how_to_answer,
    inline,
    paren,
    worked_rounded,
)

__all__ = ["FAMILY", "sigmoid"]

GRADIENT = "gradient"
LOSS = "loss"

SIGMOID = "p = \\sigma(z) = \\frac{1}{1 + e^{-z}}"
BCE = "L = -\\left[y \\ln p + (1 - y) \\, \\ln(1 - p)\\right]"
DL_DZ = "\\frac{\\partial L}{\\partial z}"
DL_DP = "\\frac{\\partial L}{\\partial p} = -\\frac{y}{p} + \\frac{1 - y}{1 - p}"
SIGMOID_PRIME = "\\sigma'(z) = p(1 - p)"
DL_DW = "\\frac{\\partial L}{\\partial \\mathbf{w}}"
LOGIT = "z = \\mathbf{w}^{\\top} \\mathbf{x} + b"

_ODDS = tuple((a, b) for a in range(1, 6) for b in range(1, 6) if math.gcd(a, b) == 1)
"""(a, b) with z = ln(a/b): e^(−z) = b/a and p = a/(a + b), a fraction read at a glance."""

Y_MINUS_P = (
    "That is y − p, the negative of the gradient: ∂L/∂z = p − y (positive when p is too large)."
)
FORGOT_SIGMOID = (
    "z is the logit, not a probability: pass it through the sigmoid first, p = σ(z), then "
    "subtract y."
)
EXTRA_SIGMOID_PRIME = (
    "The factor σ′(z) = p(1 − p) is already used: ∂L/∂p = −y/p + (1 − y)/(1 − p) times σ′(z) "
    "simplifies to p − y, with no σ′ left over (that extra factor belongs to a squared-error "
    "loss on a sigmoid)."
)
STOPPED_AT_P = "That is ∂L/∂p; the chain rule still needs σ′(z) = p(1 − p) to reach the logit z."
LOG_BASE = "Cross-entropy uses the natural logarithm ln, not log₂ or log₁₀."
MISSING_MINUS = "ln p is negative for p < 1: the loss carries a minus sign and is positive."
SWAPPED_TERM = (
    "Only the term of the actual label survives: −ln p when y = 1, −ln(1 − p) when y = 0."
)


def sigmoid(z: float) -> float:
    """``1 / (1 + e^(−z))``, computed without overflow for large ``|z|``."""
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


@dataclass(frozen=True)
class _Setup:
    z: Number
    """The logit (a float at difficulty 1, where it is ln(a/b) and ``p`` is exact)."""
    p: Number
    y: int
    ask: str
    odds: tuple[int, int] = (0, 0)
    """Difficulty 1: (a, b) with z = ln(a/b), the log-odds of p = a/(a + b)."""
    w: tuple[int, int] = (0, 0)
    x: tuple[int, int] = (0, 0)
    b: int = 0


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    y = rng.randint(0, 1)
    if difficulty == 1:
        a, b = rng.choice(_ODDS)
        return _Setup(math.log(a / b), Fraction(a, a + b), y, GRADIENT, (a, b))
    if difficulty == 2:
        half = Fraction(rng.choice([-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6]), 2)
        return _Setup(half, sigmoid(float(half)), y, rng.choice([GRADIENT, LOSS]))
    w = (rng.choice([-2, -1, 1, 2]), rng.choice([-2, -1, 1, 2]))
    x = (rng.choice([-3, -2, -1, 1, 2, 3]), rng.choice([-3, -2, -1, 1, 2, 3]))
    b = rng.randint(-2, 2)
    z = w[0] * x[0] + w[1] * x[1] + b
    return _Setup(z, sigmoid(z), y, GRADIENT, w=w, x=x, b=b)


def _chain_at_p(setup: _Setup) -> Number:
    """∂L/∂p: the chain rule stopped one link short."""
    p, y = setup.p, setup.y
    return -y / p + (1 - y) / (1 - p)


def _gradient_slips(setup: _Setup) -> list[tuple[Number, str, str]]:
    p, y = setup.p, setup.y
    return [
        (y - p, Y_MINUS_P, "y-minus-p"),
        (setup.z - y, FORGOT_SIGMOID, "forgot-sigmoid"),
        (p * (1 - p) * (p - y), EXTRA_SIGMOID_PRIME, "extra-sigmoid-derivative"),
        (_chain_at_p(setup), STOPPED_AT_P, "stopped-at-p"),
    ]


def _loss(p: float, y: int) -> float:
    return -math.log(p) if y == 1 else -math.log(1 - p)


def _loss_slips(setup: _Setup) -> list[Slip]:
    loss = _loss(float(setup.p), setup.y)
    return [
        (loss / math.log(2), LOG_BASE, "log-base-2"),
        (loss / math.log(10), LOG_BASE, "log-base-10"),
        (-loss, MISSING_MINUS, "missing-minus"),
        (_loss(float(setup.p), 1 - setup.y), SWAPPED_TERM, "wrong-label-term"),
    ]


def _apart(values: list[tuple[float, str]]) -> bool:
    return all(
        not math.isclose(a, b, rel_tol=0.02, abs_tol=1e-3)
        for (a, _), (b, _) in itertools.combinations(values, 2)
    )


def _valid(setup: _Setup) -> bool:
    """Every slip at least 2 % from the answer and from each other (so each is named), and a
    gradient that is not vanishingly small."""
    if setup.ask == LOSS:
        values = [(_loss(float(setup.p), setup.y), "right")]
        values += [(float(v), tag) for v, _, tag in _loss_slips(setup)]  # type: ignore[arg-type]
        return _apart(values)
    right = float(setup.p - setup.y)
    if abs(right) < 0.02 or abs(float(setup.z)) > 3:
        return False  # a saturated sigmoid: p rounds to 0 or 1 and the working says little
    scales = setup.x if setup.x != (0, 0) else (1,)
    return all(
        _apart(
            [(right * s, "right"), *((float(v) * s, tag) for v, _, tag in _gradient_slips(setup))]
        )
        for s in scales
    )


def _z_latex(setup: _Setup) -> str:
    a, b = setup.odds
    if a:
        if a == b:
            return "0"
        if b == 1:
            return f"\\ln {a}"
        if a == 1:
            return f"-\\ln {b}"
        return f"\\ln \\frac{{{a}}}{{{b}}}"
    return latex_number(Fraction(setup.z))


def build(rng: random.Random, difficulty: int) -> Draft:
    """``∂L/∂z = p − y`` (or ``(p − y) x`` for logistic regression), or the loss itself."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    p, y = setup.p, setup.y
    gradient = p - y
    solution = [_forward_line(setup)]
    answer: Answer
    if setup.ask == LOSS:
        loss = _loss(float(p), y)
        term = "-\\ln p" if y == 1 else "-\\ln(1 - p)"
        inside = worked_rounded(p) if y == 1 else worked_rounded(1 - p)
        step = f"L = {term} = -\\ln {inside} \\approx {worked_rounded(loss)}"
        solution.append(f"With {inline(f'y = {y}')} only one term survives: {inline(step)}.")
        answer = number_answer(loss, _loss_slips(setup))
        solution.append(answer_line(number_text(loss)))
        how = SIG_FIGS
    elif setup.x == (0, 0):
        solution.append(_chain_line())
        step = f"{DL_DZ} = p - y = {worked_rounded(p)} - {y} = {worked_rounded(gradient)}"
        solution.append(f"So {inline(step)}.")
        answer = number_answer(gradient, _gradient_slips(setup))
        solution.append(answer_line(number_text(gradient)))
        how = how_to_answer(gradient)
    else:
        solution.append(_chain_line())
        values = [gradient * xi for xi in setup.x]
        x_text = f"({setup.x[0]}, {setup.x[1]})"
        step = (
            f"{DL_DW} = (p - y)\\,\\mathbf{{x}} = {worked_rounded(gradient)} \\cdot {x_text} = "
            f"({worked_rounded(values[0])}, {worked_rounded(values[1])})"
        )
        solution.append(f"Since {inline(DZ_DW)}: {inline(step)}.")
        slips = [
            ([v * xi for xi in setup.x], message, tag) for v, message, tag in _gradient_slips(setup)
        ]
        answer = vector_answer(values, slips)
        solution.append(answer_line(vector_text(values)))
        how = SIG_FIGS
    params: dict[str, object] = {"z": _z_plain(setup), "y": y, "ask": setup.ask}
    if setup.x != (0, 0):
        params.update({"w": list(setup.w), "x": list(setup.x), "b": setup.b, "ask": "dL/dw"})
    return Draft(_prompt(setup, how), answer, tuple(solution), _hints(setup), params)


def _z_plain(setup: _Setup) -> str:
    """The logit in the grader's syntax (``-log(3)`` at difficulty 1), for ``params``."""
    a, b = setup.odds
    if a:
        return f"log({a}/{b})"
    return plain_number(Fraction(setup.z))


DZ_DW = "\\frac{\\partial z}{\\partial \\mathbf{w}} = \\mathbf{x}"


def _forward_line(setup: _Setup) -> str:
    if setup.odds[0]:
        exp_minus_z = latex_number(Fraction(setup.odds[1], setup.odds[0]))
        e = f"{EXP_MINUS_Z}{exp_minus_z}"
        step = f"p = \\frac{{1}}{{1 + {exp_minus_z}}} = {worked_rounded(setup.p)}"
        return f"Forward: {inline(e)}, so {inline(step)}."
    p_text = f"{P_IS}{SIGMA_OPEN}{worked_rounded(setup.z)}) {APPROX} {worked_rounded(setup.p)}"
    if setup.x != (0, 0):
        z = (
            f"z = {setup.w[0]} {DOT} {paren(setup.x[0])} + {paren(setup.w[1])} {DOT} "
            f"{paren(setup.x[1])} + {paren(setup.b)} = {setup.z}"
        )
        return f"Forward: {inline(z)}, so {inline(p_text)}."
    return f"Forward: {inline(p_text)}."


EXP_MINUS_Z = "e^{-z} = "
DOT = "\\cdot"
APPROX = "\\approx"
P_IS = "p = "
SIGMA_Z = "\\sigma(z)"
Z_LN_K = "z = \\ln \\frac{a}{b}"
EXP_LN_K = "e^{-z} = \\frac{b}{a}"
P_LN_K = "p = \\frac{a}{a + b}"
SIGMA_OPEN = "\\sigma("


def _chain_line() -> str:
    return (
        f"Chain rule: {inline(DL_DP)} and {inline(SIGMOID_PRIME)}; their product simplifies to "
        f"{inline('p - y')}."
    )


def _prompt(setup: _Setup, how: str) -> str:
    loss = f"the loss is the binary cross-entropy {inline(BCE)}"
    if setup.x != (0, 0):
        w = f"\\mathbf{{w}} = ({setup.w[0]}, {setup.w[1]})"
        x = f"\\mathbf{{x}} = ({setup.x[0]}, {setup.x[1]})"
        return (
            f"Logistic regression computes the logit {inline(LOGIT)} and the probability "
            f"{inline(SIGMOID)}. With {inline(w)}, {inline(f'b = {setup.b}')}, the input "
            f"{inline(x)} and the label {inline(f'y = {setup.y}')}, {loss}.\n\n"
            f"Compute the gradient {inline(DL_DW)}. Answer as a vector `[dL/dw1, dL/dw2]`.\n\n"
            f"{how}"
        )
    given = (
        f"A logistic output unit turns the logit {inline(f'z = {_z_latex(setup)}')} into the "
        f"probability {inline(SIGMOID)}. The label is {inline(f'y = {setup.y}')} and {loss}."
    )
    ask = (
        f"Compute {inline(DL_DZ)}." if setup.ask == GRADIENT else f"Compute the loss {inline('L')}."
    )
    return f"{given}\n\n{ask}\n\n{how}"


def _hints(setup: _Setup) -> tuple[str, ...]:
    if setup.odds[0]:
        first = (
            f"With {inline(Z_LN_K)} the exponential is simple: {inline(EXP_LN_K)}, so "
            f"{inline(P_LN_K)}."
        )
    else:
        first = f"Compute {inline(P_IS + SIGMA_Z)} first and keep full precision."
    if setup.ask == LOSS:
        second = "With a 0/1 label only one of the two terms is non-zero."
        third = "Use the natural logarithm; the loss is positive."
    else:
        second = (
            f"Chain rule: {inline(DL_DP)}, times {inline(SIGMOID_PRIME)}: the product "
            "simplifies a lot."
        )
        third = (
            f"Then multiply by {inline(DZ_DW)}."
            if setup.x != (0, 0)
            else "The sign: the gradient is positive when the probability is too high."
        )
    return (first, second, third)


FAMILY = Family(
    name="sigmoid_bce",
    title="Sigmoid with binary cross-entropy",
    description="Binary cross-entropy on σ(z) and its gradient p − y in the logit.",
    build=build,
    target_seconds=(60, 120, 180),
    levels=(
        "z = ln(a/b) (exact p = a/(a + b)): the gradient ∂L/∂z",
        "a decimal logit: the gradient or the loss, 4 s.f.",
        "logistic regression z = w·x + b: the gradient ∂L/∂w = (p − y) x",
    ),
)
