"""``softmax_cross_entropy``: the loss of a softmax classifier and its gradient in the logits.

With ``p = softmax(z)`` and a one-hot label ``y``, the cross-entropy ``L = −Σₖ yₖ ln pₖ`` has
the famous gradient ``∂L/∂z = p − y``. Difficulty 1: three logits that are logarithms of small
integers (``z = (0, ln 3, ln 4)``), so ``p`` and the gradient are exact fractions. Difficulty 2:
three or four integer logits, the gradient or the loss to 4 significant figures. Difficulty 3:
a batch of two examples (a 2 × 3 logit matrix, softmax along each row), the gradient of the
mean loss (a matrix) or the mean loss itself.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.grading.answers import Answer
from quizcalc.problems.expected import (
    Number,
    Slip,
    matrix_answer,
    number_answer,
    number_text,
    vector_answer,
    vector_text,
)
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, round_sig
from quizcalc.problems.writing import SIG_FIGS, answer_line, how_to_answer, inline

__all__ = ["FAMILY", "softmax"]

GRADIENT = "gradient"
LOSS = "loss"

SOFTMAX = "p_k = \\frac{\\exp(z_k)}{\\sum_{i} \\exp(z_i)}"
CROSS_ENTROPY = "L = -\\sum_{k} y_k \\ln p_k"
EXAMPLE_LOSS = "-\\sum_{k} y_k \\ln p_k"
DL_DZ = "\\frac{\\partial L}{\\partial \\mathbf{z}}"
DL_DZ_BATCH = "\\frac{\\partial L}{\\partial Z}"
EXP_Z = "\\exp(\\mathbf{z}) = "
BOLD_P = "\\mathbf{p} = "
BOLD_Z = "\\mathbf{z} = "
BOLD_Y = "\\mathbf{y} = "
TWO_BY_THREE = "2 \\times 3"
P_MINUS_Y = "\\mathbf{p} - \\mathbf{y}"


def softmax(logits: Sequence[float]) -> list[float]:
    """``exp(zₖ) / Σ exp(zᵢ)``, shifted by the largest logit so no exponential overflows."""
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class _Setup:
    rows: tuple[tuple[int, ...], ...]
    """Difficulty 1: the integers aₖ with zₖ = ln aₖ; otherwise the integer logits, one row
    per example."""
    labels: tuple[int, ...]
    """The true class of each example (0-based)."""
    ask: str
    log_logits: bool


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    if difficulty == 1:
        weights = tuple(rng.randint(1, 6) for _ in range(3))
        return _Setup((weights,), (rng.randrange(3),), GRADIENT, True)
    if difficulty == 2:
        k = rng.choice([3, 4])
        logits = tuple(rng.randint(-2, 3) for _ in range(k))
        return _Setup((logits,), (rng.randrange(k),), rng.choice([GRADIENT, LOSS]), False)
    rows = tuple(tuple(rng.randint(-2, 2) for _ in range(3)) for _ in range(2))
    labels = (rng.randrange(3), rng.randrange(3))
    return _Setup(rows, labels, rng.choice([GRADIENT, LOSS]), False)


def _valid(setup: _Setup) -> bool:
    # Not all logits equal in any row (a uniform softmax hides the normalising step), and
    # at difficulty 1 the sum is small enough for fractions read at a glance.
    if any(len(set(row)) == 1 for row in setup.rows):
        return False
    if setup.log_logits:
        return sum(setup.rows[0]) <= 12
    # The batch's two rows differ, so a softmax down the columns is a different answer.
    if len(setup.rows) > 1 and setup.rows[0] == setup.rows[1]:
        return False
    return setup.ask != LOSS or _loss_slips_apart(setup)


def _loss_slips_apart(setup: _Setup) -> bool:
    """Whether the loss and its slips are at least 2 % apart (different slips, that is), so
    the grader names every slip: ``log₂`` of a right loss can land next to the wrong axis."""
    _, probs = _probabilities(setup)
    loss = sum(-math.log(float(row[c])) for row, c in zip(probs, setup.labels, strict=True))
    values = [(loss / len(setup.rows), "right")]
    values += [(float(v), tag) for v, _, tag in _loss_slips(setup, probs)]  # type: ignore[arg-type]
    return all(
        not math.isclose(a, b, rel_tol=0.02, abs_tol=1e-6)
        for (a, tag_a), (b, tag_b) in itertools.combinations(values, 2)
        if tag_a != tag_b
    )


def _logit_latex(value: int, log_logits: bool) -> str:
    if not log_logits:
        return str(value)
    return "0" if value == 1 else f"\\ln {value}"


def _tuple(values: Sequence[str]) -> str:
    return "\\left(" + ", ".join(values) + "\\right)"


def _approx(value: float) -> str:
    """A float for a worked step: 4 significant figures."""
    return number_text(round_sig(value, 4))


def _one_hot(label: int, k: int) -> list[int]:
    return [1 if i == label else 0 for i in range(k)]


def _column_softmax(rows: Sequence[Sequence[int]]) -> list[list[float]]:
    columns = [softmax([row[c] for row in rows]) for c in range(len(rows[0]))]
    return [[columns[c][r] for c in range(len(rows[0]))] for r in range(len(rows))]


GRADIENT_SIGN = (
    "That is y − p, the negative of the gradient: ∂L/∂z = p − y, which points uphill "
    "(gradient descent then subtracts it)."
)
UNNORMALISED = (
    "The exponentials were not normalised: pₖ is exp(zₖ) divided by the sum of all the "
    "exponentials, so the probabilities add up to 1."
)
NO_SOFTMAX = "The logits z are not probabilities: apply the softmax first, then subtract y."
TRUE_CLASS_ONLY = (
    "Every class gets a gradient, not only the true one: for a wrong class k, ∂L/∂zₖ = pₖ "
    "(raising its logit takes probability from the true class)."
)
WRONG_AXIS = (
    "The softmax runs along each row (over the classes of one example), not down the "
    "columns (over the examples)."
)
BATCH_SUM = "The loss is the mean over the batch, so each row's gradient is divided by N."
BATCH_SUM_LOSS = "The loss is the mean over the batch: divide the sum of the examples' losses by N."
LOG_BASE = "Cross-entropy uses the natural logarithm ln, not log₂ or log₁₀."
MISSING_MINUS = "ln p is negative for p < 1: the loss is −ln p, a positive number."
WRONG_CLASS = "The loss takes the probability of the true class (where yₖ = 1), not another one."
LOGIT_LOSS = (
    "−zₖ is −ln exp(zₖ) without the normalising sum: the loss is −ln pₖ with "
    "pₖ = exp(zₖ) / Σᵢ exp(zᵢ)."
)


def _gradient_slips(
    setup: _Setup, probs: list[list[Number]], exps: list[list[Number]]
) -> list[Slip]:
    n = len(setup.rows)
    ys = [_one_hot(label, len(row)) for label, row in zip(setup.labels, setup.rows, strict=True)]
    logits = [[math.log(v) if setup.log_logits else v for v in row] for row in setup.rows]

    def shaped(matrix: list[list[Number]]) -> object:
        return matrix[0] if n == 1 else [[v / n for v in row] for row in matrix]

    def minus_y(matrix: Sequence[Sequence[Number]]) -> list[list[Number]]:
        return [
            [v - y for v, y in zip(row, yr, strict=True)]
            for row, yr in zip(matrix, ys, strict=True)
        ]

    right = minus_y(probs)
    slips: list[Slip] = [
        (shaped([[-v for v in row] for row in right]), GRADIENT_SIGN, "y-minus-p"),
        (shaped(minus_y(exps)), UNNORMALISED, "unnormalised-softmax"),
        (shaped(minus_y(logits)), NO_SOFTMAX, "logits-as-probabilities"),
        (
            shaped(
                [
                    [v if y else 0 for v, y in zip(row, yr, strict=True)]
                    for row, yr in zip(right, ys, strict=True)
                ]
            ),
            TRUE_CLASS_ONLY,
            "true-class-only",
        ),
    ]
    if n > 1:
        slips.insert(1, (shaped(minus_y(_column_softmax(setup.rows))), WRONG_AXIS, "wrong-axis"))
        slips.insert(2, (right, BATCH_SUM, "sum-not-mean"))
    return slips


def _loss_slips(setup: _Setup, probs: Sequence[Sequence[Number]]) -> list[Slip]:
    n = len(setup.rows)
    true = [row[label] for row, label in zip(probs, setup.labels, strict=True)]
    mean_nll = sum(-math.log(p) for p in true) / n
    slips: list[Slip] = [
        (mean_nll / math.log(2), LOG_BASE, "log-base-2"),
        (mean_nll / math.log(10), LOG_BASE, "log-base-10"),
        (-mean_nll, MISSING_MINUS, "missing-minus"),
        (
            sum(-row[label] for row, label in zip(setup.rows, setup.labels, strict=True)) / n,
            LOGIT_LOSS,
            "unnormalised-softmax",
        ),
    ]
    if n == 1:
        slips.extend(
            (-math.log(p), WRONG_CLASS, "wrong-class")
            for k, p in enumerate(probs[0])
            if k != setup.labels[0]
        )
    else:
        columns = _column_softmax(setup.rows)
        wrong_axis = [row[label] for row, label in zip(columns, setup.labels, strict=True)]
        slips.insert(0, (sum(-math.log(p) for p in wrong_axis) / n, WRONG_AXIS, "wrong-axis"))
        slips.insert(1, (n * mean_nll, BATCH_SUM_LOSS, "sum-not-mean"))
    return slips


def _probabilities(setup: _Setup) -> tuple[list[list[Number]], list[list[Number]]]:
    """(exponentials, probabilities) per row: exact fractions at difficulty 1, else floats."""
    if setup.log_logits:
        weights = setup.rows[0]
        total = sum(weights)
        return [list(weights)], [[Fraction(a, total) for a in weights]]
    exps: list[list[Number]] = [[math.exp(z) for z in row] for row in setup.rows]
    probs: list[list[Number]] = [list(softmax(row)) for row in setup.rows]
    return exps, probs


def _shown(value: Number) -> str:
    """A number in a worked step: exact values exactly, floats to 4 significant figures."""
    if isinstance(value, float):
        return _approx(value)
    return latex_number(value)


def _bmatrix(rows: Sequence[Sequence[Number]]) -> str:
    body = " \\\\ ".join(" & ".join(_shown(v) for v in row) for row in rows)
    return f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}"


def _matrix_text(rows: Sequence[Sequence[Number]]) -> str:
    return "[" + ", ".join(vector_text(row) for row in rows) + "]"


def _logit_plain(value: int, log_logits: bool) -> str:
    """A logit in the grader's syntax (``log(3)`` at difficulty 1), for ``params``."""
    if not log_logits:
        return str(value)
    return "0" if value == 1 else f"log({value})"


def build(rng: random.Random, difficulty: int) -> Draft:
    """The gradient ``p − y`` (vector, or matrix for a batch) or the cross-entropy loss."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    exps, probs = _probabilities(setup)
    n, k = len(setup.rows), len(setup.rows[0])
    ys = [_one_hot(label, k) for label in setup.labels]
    gradient: list[list[Number]] = [
        [(p - y) / n if n > 1 else p - y for p, y in zip(row, yr, strict=True)]
        for row, yr in zip(probs, ys, strict=True)
    ]
    true = [float(row[label]) for row, label in zip(probs, setup.labels, strict=True)]
    loss = sum(-math.log(p) for p in true) / n

    solution = _working(setup, exps, probs)
    answer: Answer
    if setup.ask == GRADIENT and n == 1:
        grad_text = _tuple([_shown(v) for v in gradient[0]])
        step = f"{DL_DZ} = \\mathbf{{p}} - \\mathbf{{y}} = {grad_text}"
        solution.append(f"Subtract the one-hot label: {inline(step)}.")
        answer = vector_answer(gradient[0], _gradient_slips(setup, probs, exps))
        solution.append(answer_line(vector_text(gradient[0])))
        how = how_to_answer(next((v for v in gradient[0] if _fractional(v)), gradient[0][0]))
    elif setup.ask == GRADIENT:
        solution.append(
            f"Subtract the one-hot labels and divide by {inline('N = 2')} for the mean: "
            f"\\[ {DL_DZ_BATCH} = \\frac{{P - Y}}{{N}} = {_bmatrix(gradient)} \\]"
        )
        answer = matrix_answer(gradient, _gradient_slips(setup, probs, exps))
        solution.append(answer_line(_matrix_text(gradient)))
        how = SIG_FIGS
    else:
        terms = [f"\\ln {_shown(p)}" for p in true]
        if n == 1:
            step = f"L = -\\ln p_{setup.labels[0] + 1} = -{terms[0]} \\approx {_approx(loss)}"
        else:
            step = (
                f"L = \\frac{{1}}{{2}}\\left(-{terms[0]} - {terms[1]}\\right) "
                f"\\approx {_approx(loss)}"
            )
        solution.append(f"Only the true class's term survives: {inline(step)}.")
        answer = number_answer(loss, _loss_slips(setup, probs))
        solution.append(answer_line(number_text(loss)))
        how = SIG_FIGS
    params = {
        "logits": [[_logit_plain(v, setup.log_logits) for v in row] for row in setup.rows],
        "labels": [label + 1 for label in setup.labels],
        "ask": setup.ask,
    }
    return Draft(_prompt(setup, n, k, how), answer, tuple(solution), _hints(setup, n), params)


def _fractional(value: Number) -> bool:
    return isinstance(value, float) or Fraction(value).denominator > 1


def _working(setup: _Setup, exps: list[list[Number]], probs: list[list[Number]]) -> list[str]:
    """The forward pass: exponentials, their sum, the probabilities (one line per example)."""
    lines = []
    for index, (row_exps, row_probs) in enumerate(zip(exps, probs, strict=True)):
        total = sum(row_exps)
        prefix = f"Example {index + 1}: exponentiate" if len(exps) > 1 else "Exponentiate"
        exp_text = _tuple([_shown(v) for v in row_exps])
        sum_word = "sum" if setup.log_logits else "sum to about"
        lines.append(
            f"{prefix}, {inline(EXP_Z + exp_text)}, which "
            f"{sum_word} {inline(_shown(total))}; divide by the sum: "
            f"{inline(BOLD_P + _tuple([_shown(v) for v in row_probs]))}."
        )
    return lines


def _prompt(setup: _Setup, n: int, k: int, how: str) -> str:
    classes = ", ".join(str(c) for c in range(1, k + 1))
    if n == 1:
        logits = _tuple([_logit_latex(v, setup.log_logits) for v in setup.rows[0]])
        y = _tuple([str(v) for v in _one_hot(setup.labels[0], k)])
        given = (
            f"A classifier gives the logits {inline(BOLD_Z + logits)} for the "
            f"classes {classes}; the true class is {setup.labels[0] + 1}, so the one-hot label "
            f"is {inline(BOLD_Y + y)}. The probabilities are the softmax of the "
            f"logits, {inline(SOFTMAX)}, and the loss is the cross-entropy "
            f"{inline(CROSS_ENTROPY)}."
        )
        if setup.ask == GRADIENT:
            fields = ", ".join(f"dL/dz{c}" for c in range(1, k + 1))
            ask = f"Compute the gradient {inline(DL_DZ)}. Answer as a vector `[{fields}]`."
        else:
            ask = f"Compute the loss {inline('L')}."
        return f"{given}\n\n{ask}\n\n{how}"
    z = _bmatrix([list(row) for row in setup.rows])
    labels = " and ".join(str(label + 1) for label in setup.labels)
    given = (
        f"A batch of {inline('N = 2')} examples has the logits (one row per example, one "
        f"column per class {classes})\n\n\\[ Z = {z} \\]\n\nand the true classes are {labels}. "
        f"Each row goes through the softmax, {inline(SOFTMAX)}, and the loss is the mean over "
        f"the batch of each example's cross-entropy {inline(EXAMPLE_LOSS)}."
    )
    if setup.ask == GRADIENT:
        ask = (
            f"Compute the gradient {inline(DL_DZ_BATCH)}, a {inline(TWO_BY_THREE)} matrix laid "
            "out like Z. Answer as a matrix, one row per example, e.g. `[[1, 2, 3], [4, 5, 6]]`."
        )
    else:
        ask = f"Compute the mean loss {inline('L')}."
    return f"{given}\n\n{ask}\n\n{how}"


def _hints(setup: _Setup, n: int) -> tuple[str, ...]:
    first = (
        "The softmax exponentiates each logit and divides by the sum of the exponentials, so "
        "the probabilities are positive and add up to 1."
    )
    if setup.ask == GRADIENT:
        second = (
            "For softmax followed by cross-entropy, the gradient in the logits is "
            f"{inline(P_MINUS_Y)}: each probability minus its label."
        )
    else:
        second = (
            "With a one-hot label only one term of the sum survives: minus the natural log of "
            "the true class's probability."
        )
    if n > 1:
        third = (
            "The softmax runs along each row (one example at a time); the mean over the batch "
            f"divides by {inline('N = 2')}."
        )
    elif setup.ask == GRADIENT:
        third = "Check: the components of the gradient add up to 0."
    else:
        third = "The loss is positive: a probability below 1 has a negative logarithm."
    return (first, second, third)


FAMILY = Family(
    name="softmax_cross_entropy",
    title="Softmax cross-entropy",
    description="The cross-entropy of a softmax classifier and its gradient p − y in the logits.",
    build=build,
    target_seconds=(90, 150, 240),
    levels=(
        "three logits ln aₖ: exact probabilities, the gradient p − y",
        "three or four integer logits: the gradient or the loss, 4 s.f.",
        "a batch of two (softmax along rows): the mean loss or its gradient matrix",
    ),
)
