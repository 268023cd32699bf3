"""Misconceptions the grader names: each slip recomputed from an instance, graded, named.

Each slip's answer is recomputed from the instance's params (not read from the generator's
list), typed as a learner would (exact values exactly, others to 4 significant figures) and
graded. It must come back wrong, naming its misconception with the listed feedback line,
whenever the instance declares that misconception; an instance that does not is degenerate
for it (the slip is the right value there, or the grader cannot tell it from the right value
or from a slip listed before it), and each case bounds how many of those there are. The right
answer still grades right, and no feedback line shows the right value (a number the prompt
does not already show).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import pytest

from quizcalc.grading import grade
from quizcalc.grading.answers import ExpressionAnswer, Misconception, Verdict
from quizcalc.problems import Problem, expected_text
from quizcalc.problems.expected import matrix_answer
from quizcalc.problems.numbers import plain_number, readable
from tests.problems.support import SEEDS, instances, sympify


@dataclass(frozen=True)
class Slip:
    """One wrong answer, as a learner would type it, and what the grader should call it."""

    text: str
    value: Any
    """The wrong value (a number or nested lists of numbers; None for an expression), to find
    it among the misconceptions the instance lists."""
    tag: str
    says: str
    """Words the feedback line must contain: it names this slip."""


Builder = Callable[[Problem], Iterator[Slip]]


@dataclass(frozen=True)
class Case:
    """A slip family at one difficulty, over how many seeds, and how often it must be named."""

    family: str
    difficulty: int
    build: Builder
    named_at_least: float
    """The share of the slips built (apart from those that are the right value) that the
    instance declares, and the grader names."""
    seeds: int = SEEDS
    chunk: int = 50
    """Seeds per test item (pytest-xdist spreads the items over workers)."""


# --- typing numbers as a learner does -------------------------------------------------------


def typed(value: Fraction | float) -> str:
    """Exact values exactly (when a learner could type them); others to 4 significant figures."""
    if isinstance(value, Fraction):
        shown = readable(value)
        if isinstance(shown, Fraction):
            return plain_number(shown)
        value = shown
    # Positional, never 1e-05, and all four figures even below 0.001 (where "%f" keeps 3).
    text = format(Decimal(f"{value:.4g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rows_text(rows: list[list[Fraction]] | list[list[float]]) -> str:
    return "[" + ", ".join("[" + ", ".join(typed(v) for v in row) + "]" for row in rows) + "]"


@cache
def polynomial(text: str, name: str) -> Callable[[Fraction], Fraction]:
    """The derivative of the polynomial ``text`` in ``name``, evaluated exactly."""
    import sympy

    variable = sympy.Symbol(name)
    coefficients = [
        Fraction(str(c))
        for c in sympy.Poly(sympy.diff(sympify(text), variable), variable).all_coeffs()
    ]

    def at(value: Fraction) -> Fraction:
        out = Fraction(0)
        for c in coefficients:
            out = out * value + c
        return out

    return at


# --- η doubled or halved --------------------------------------------------------------------


def gd_run(params: dict[str, Any], rate: Fraction) -> Fraction:
    gradient = polynomial(params["loss"], "w")
    w = Fraction(params["w0"])
    for _ in range(params["steps"]):
        w -= rate * gradient(w)
    return w


def momentum_run(params: dict[str, Any], rate: Fraction) -> Fraction:
    gradient = polynomial(params["loss"], "w")
    w, v = Fraction(params["w0"]), Fraction(params["v0"])
    beta = Fraction(params["beta"])
    for _ in range(params["steps"]):
        v = beta * v - rate * gradient(w)
        w += v
    return w if params["target"] == "w" else v


def rate_slips(run: Callable[[dict[str, Any], Fraction], Fraction], halved_tag: str) -> Builder:
    def build(problem: Problem) -> Iterator[Slip]:
        eta = Fraction(problem.params["eta"])
        doubled = run(problem.params, 2 * eta)
        halved = run(problem.params, eta / 2)
        yield Slip(typed(doubled), doubled, "doubled-learning-rate", "not 2η")
        yield Slip(typed(halved), halved, halved_tag, "η/2")

    return build


def gd_rate_slips(problem: Problem) -> Iterator[Slip]:
    # On the quadratics of difficulties 1 and 2, η/2 gives the very number "the factor 2 of
    # the power rule went missing" gives: one misconception names both.
    halved = "forgot-factor-2" if problem.difficulty < 3 else "halved-learning-rate"
    yield from rate_slips(gd_run, halved)(problem)


# --- the quotient rule without the numerator's inner chain factor ---------------------------


def quotient_slip(problem: Problem) -> Iterator[Slip]:
    import sympy
    from sympy.parsing.sympy_parser import parse_expr

    x = sympy.Symbol("x")
    f = parse_expr(
        problem.params["f"].replace("^", "**"),
        local_dict={"x": x, "e": sympy.E},
        evaluate=False,
    )
    inverse = [a for a in f.args if isinstance(a, sympy.Pow) and a.exp == -1]
    if not isinstance(f, sympy.Mul) or len(inverse) != 1:
        return  # a three-layer composition, not a quotient
    denominator = inverse[0].base
    numerator = sympy.Mul(*(a for a in f.args if a is not inverse[0]))
    u = sympy.Symbol("u")
    if isinstance(numerator, sympy.Pow):
        inner, outer_prime = numerator.base, numerator.exp * u ** (numerator.exp - 1)
    else:
        inner, outer_prime = numerator.args[0], sympy.diff(numerator.func(u), u)
    unchained = outer_prime.subs(u, inner)  # n' without the factor d(inner)/dx
    wrong = (unchained * denominator - numerator * sympy.diff(denominator, x)) / denominator**2
    text = sympy.sstr(wrong).replace("**", "^")
    yield Slip(text, None, "dropped-inner-derivative", "chain rule")


# --- a transposed Jacobian ------------------------------------------------------------------


def transposed_jacobian(problem: Problem) -> Iterator[Slip]:
    import sympy

    point = problem.params["point"]
    names = sympy.symbols("x y z")[: len(point)]
    polys = [sympy.Poly(sympify(c), *names) for c in problem.params["f"]]
    jacobian = [[Fraction(str(p.diff(v).eval(point))) for v in names] for p in polys]
    transposed = [list(column) for column in zip(*jacobian, strict=True)]
    yield Slip(rows_text(transposed), transposed, "transposed", "rows are outputs")


# --- counts off by one ----------------------------------------------------------------------


def epoch_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    examples, batch, epochs, drop = p["examples"], p["batch"], p["epochs"], p["drop_last"]
    whole = examples % batch == 0
    per = examples // batch if drop else math.ceil(examples / batch)
    total = per * epochs

    def slip(values: list[int], tag: str, says: str) -> Slip:
        return Slip(f"[{values[0]}, {values[1]}]", values, tag, says)

    # One batch more when the last is kept, or fewer when it is dropped, is ⌈N/B⌉ for ⌊N/B⌋
    # (the partial-batch slip, named as such); these are the other two.
    if whole or not drop:
        yield slip([per + 1, (per + 1) * epochs], "off-by-one-batches", "too many per epoch")
    if whole or drop:
        yield slip([per - 1, (per - 1) * epochs], "off-by-one-batches", "too few per epoch")
    yield slip([per, per * (epochs + 1)], "off-by-one-epochs", "one epoch too many")
    if epochs > 2:  # of two, one fewer is forgetting the epochs (named as such)
        yield slip([per, per * (epochs - 1)], "off-by-one-epochs", "one epoch too few")
    yield slip([per, total + 1], "off-by-one-updates", "too many in total")
    yield slip([per, total - 1], "off-by-one-updates", "too few in total")


# --- the exact derivative where the estimate was asked --------------------------------------


def exact_derivative(problem: Problem) -> Iterator[Slip]:
    import sympy

    p = problem.params
    if p["ask"] != "estimate":
        return
    x = sympy.Symbol("x")
    true = sympy.diff(sympify(p["f"]), x).subs(x, sympify(p["x0"]))
    value = Fraction(str(true)) if true.is_Rational else float(true)
    yield Slip(typed(value), value, "exact-not-estimate", "exact derivative")


# --- softmax cross-entropy: y − p for p − y, log₂ for ln ------------------------------------


def softmax_slips(problem: Problem) -> Iterator[Slip]:
    import numpy as np

    p = problem.params
    logits = np.array([[float(sympify(v)) for v in row] for row in p["logits"]])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    onehot = np.zeros_like(probs)
    for row, label in enumerate(p["labels"]):
        onehot[row, label - 1] = 1
    n = len(p["labels"])
    if p["ask"] == "gradient":
        wrong = ((onehot - probs) / n).tolist()
        if n == 1:
            values = wrong[0]
            text = "[" + ", ".join(typed(v) for v in values) + "]"
            yield Slip(text, values, "y-minus-p", "y − p")
        else:
            yield Slip(rows_text(wrong), wrong, "y-minus-p", "y − p")
        return
    nll = -np.mean([np.log(probs[r, c - 1]) for r, c in enumerate(p["labels"])])
    yield Slip(typed(float(nll / np.log(2))), float(nll / np.log(2)), "log-base-2", "ln")


# --- sigmoid with BCE: y − p, and σ′ applied twice ------------------------------------------


def sigmoid_slips(problem: Problem) -> Iterator[Slip]:
    import sympy

    p = problem.params
    if p["ask"] == "loss":
        return
    y = p["y"]
    if "w" in p:
        z = sympy.Integer(p["w"][0] * p["x"][0] + p["w"][1] * p["x"][1] + p["b"])
    else:
        z = sympy.sympify(p["z"], rational=True)
    prob = sympy.simplify(1 / (1 + sympy.exp(-z)))

    def value(expr: Any) -> Fraction | float:
        return Fraction(str(expr)) if expr.is_Rational else float(expr)

    wrongs = [
        (y - prob, "y-minus-p", "y − p"),
        (prob * (1 - prob) * (prob - y), "extra-sigmoid-derivative", "σ′"),
    ]
    for wrong, tag, says in wrongs:
        if "w" in p:
            values = [float(wrong * xi) for xi in p["x"]]
            yield Slip("[" + ", ".join(typed(v) for v in values) + "]", values, tag, says)
        else:
            yield Slip(typed(value(wrong)), value(wrong), tag, says)


# --- a two-layer network: the ReLU mask forgotten, σ′ forgotten --------------------------------


def mlp_slips(problem: Problem) -> Iterator[Slip]:
    """The hidden-layer gradient without the activation's derivative (the mask, or σ′)."""
    p = problem.params
    name, i, *rest = p["target"]
    if name == "v":
        return
    x, w, b, v = p["x"], p["W"], p["b"], p["v"]
    a = [w[r][0] * x[0] + w[r][1] * x[1] + b[r] for r in (0, 1)]
    if p["activation"] == "relu":
        h: list[float] = [float(max(value, 0)) for value in a]
    else:
        h = [1 / (1 + math.exp(-value)) for value in a]
    error = v[0] * h[0] + v[1] * h[1] + p["c"] - p["t"]
    delta = error if p["loss"] == "half_squared" else 2 * error
    wrong = delta * v[i - 1] * (x[rest[0] - 1] if name == "W" else 1)
    if p["activation"] == "relu":
        value: Fraction | float = Fraction(round(wrong))
        yield Slip(typed(value), value, "forgot-relu-mask", "ReLU")
    else:
        yield Slip(typed(wrong), wrong, "forgot-activation-derivative", "σ′")


# --- least squares: the transpose, the ½, the 2×2 inverse ------------------------------------


def _matrix(rows: list[list[str]]) -> list[list[Fraction]]:
    return [[Fraction(v) for v in row] for row in rows]


def _times(matrix: list[list[Fraction]], vector: list[Fraction]) -> list[Fraction]:
    return [sum((a * b for a, b in zip(row, vector, strict=True)), Fraction(0)) for row in matrix]


def _vector_slip(values: list[Fraction], tag: str, says: str) -> Slip:
    return Slip("[" + ", ".join(typed(v) for v in values) + "]", values, tag, says)


def regression_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    x, y = _matrix(p["X"]), [Fraction(v) for v in p["y"]]
    xt = [list(c) for c in zip(*x, strict=True)]
    if p["ask"] == "gradient":
        residual = [a - b for a, b in zip(_times(x, [Fraction(v) for v in p["w"]]), y, strict=True)]
        gradient = _times(xt, residual)
        if len(x) == 2:
            yield _vector_slip(_times(x, residual), "missing-transpose", "transpose")
        yield _vector_slip([2 * g for g in gradient], "forgot-half", "without the ½")
        return
    gram = [[sum(a * b for a, b in zip(r, c, strict=True)) for c in xt] for r in xt]
    rhs = _times(xt, y)
    adjugate = [[gram[1][1], -gram[0][1]], [-gram[1][0], gram[0][0]]]
    yield _vector_slip(_times(adjugate, rhs), "forgot-determinant", "determinant")


# --- Adam without the bias correction, or with the betas swapped ---------------------------


def adam_final(params: dict[str, Any], beta1: Fraction, beta2: Fraction, correct: bool) -> float:
    w = float(Fraction(params["w0"]))
    m = v = 0.0
    for t in range(1, params["steps"] + 1):
        if params["gradients"]:
            g = float(Fraction(params["gradients"][t - 1]))
        else:
            a, c = params["loss"]
            g = 2 * a * (w - c)
        m = float(beta1) * m + float(1 - beta1) * g
        v = float(beta2) * v + float(1 - beta2) * g * g
        if correct:
            m, v = m / float(1 - beta1**t), v / float(1 - beta2**t)
            # undo for the next step's recursion below
        w -= float(Fraction(params["eta"])) * m / math.sqrt(v)
        if correct:
            m, v = m * float(1 - beta1**t), v * float(1 - beta2**t)
    return w


def adam_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    beta1, beta2 = Fraction(p["beta1"]), Fraction(p["beta2"])
    uncorrected = adam_final(p, beta1, beta2, correct=False)
    yield Slip(typed(uncorrected), uncorrected, "no-bias-correction", "bias correction")
    if p["steps"] > 1:
        swapped = adam_final(p, beta2, beta1, correct=True)
        yield Slip(typed(swapped), swapped, "swapped-betas", "swapped")


# --- weight decay: coupled where decoupled was asked, and the other way round ----------------


def weight_decay_final(params: dict[str, Any], coupling: str, scale: float = 1.0) -> float:
    """Adam (bias-corrected, ε = 0) or SGD with the decay ``coupling`` and ``scale``·λ."""
    w = float(Fraction(params["w0"]))
    eta, lam = float(Fraction(params["eta"])), scale * float(Fraction(params["lambda"]))
    m = v = 0.0
    for t, given in enumerate(params["gradients"], 1):
        g = float(Fraction(given)) + (lam * w if coupling == "l2" else 0.0)
        if params["optimiser"] == "sgd":
            step = g
        else:
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
            step = (m / (1 - 0.9**t)) / math.sqrt(v / (1 - 0.999**t))
        w -= eta * step + (eta * lam * w if coupling == "decoupled" else 0.0)
    return w


SWAPPED_COUPLING = {
    "l2": ("decoupled", "decoupled-instead-of-l2", "as AdamW does"),
    "decoupled": ("l2", "l2-instead-of-decoupled", "as an L2 penalty does"),
}


def weight_decay_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    if p["optimiser"] == "adam":
        other, tag, says = SWAPPED_COUPLING[p["coupling"]]
        wrong = weight_decay_final(p, other)
        yield Slip(typed(wrong), wrong, tag, says)
    halved = weight_decay_final(p, p["coupling"], 0.5)
    yield Slip(typed(halved), halved, "halved-decay", "/2")


# --- schedules: one drop too many, the cosine without ½(1 + ·), the warmup ignored -------------


def schedule_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    if p["kind"] == "step":
        drops = p["t"] // p["every"] + 1
        wrong = Fraction(p["eta0"]) * Fraction(p["gamma"]) ** drops
        yield Slip(typed(wrong), wrong, "off-by-one-drops", "one drop too many")
        return
    high, low = float(Fraction(p["eta_max"])), float(Fraction(p["eta_min"]))
    t, warmup, total = p["t"], p["warmup"], p["total"]
    if t < warmup:
        return
    bare = low + (high - low) * math.cos(math.pi * (t - warmup) / (total - warmup))
    yield Slip(typed(bare), bare, "no-half-one-plus", "½(1 + cos(πp))")
    whole = low + (high - low) * (1 + math.cos(math.pi * t / total)) / 2
    yield Slip(typed(whole), whole, "ignored-warmup", "(t − W)/(T − W)")


# --- vanishing gradients: σ′ ≤ ½, the depth rounded down, the other activation's slope ------


def vanishing_slips(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    if p["kind"] == "bound":
        half = Fraction(1)
        for w in p["weights"]:
            half *= abs(Fraction(w)) / 2
        yield Slip(typed(half), half, "sigmoid-slope-half", "not ½")
    elif p["kind"] == "depth":
        ratio = abs(Fraction(p["weight"])) * (Fraction(1, 4) if p["activation"] == "sigmoid" else 1)
        depth, bound = 0, Fraction(1)
        while bound >= Fraction(1, 10 ** p["threshold_exponent"]):
            depth, bound = depth + 1, bound * ratio
        yield Slip(str(depth - 1), depth - 1, "off-by-one-depth", "rounds down")
    else:
        wrong = Fraction(1)
        for w, h in zip(p["weights"], p["outputs"], strict=True):
            out = Fraction(h)
            slope = 1 - out * out if p["activation"] == "sigmoid" else out * (1 - out)
            wrong *= Fraction(w) * slope
        yield Slip(typed(wrong), wrong, "wrong-activation-slope", "1 − h²")


# --- eigenvalues read off the diagonal ------------------------------------------------------


def diagonal_eigenvalues(problem: Problem) -> Iterator[Slip]:
    if problem.params["ask"] != "eigenvalues":
        return
    (a, _), (_, d) = problem.params["matrix"]
    diagonal = sorted([Fraction(a), Fraction(d)])
    text = "[" + ", ".join(typed(v) for v in diagonal) + "]"
    yield Slip(text, diagonal, "diagonal-as-eigenvalues", "diagonal entries")


def trace_sign(problem: Problem) -> Iterator[Slip]:
    """λ² + (tr A)λ + det A: the negated eigenvalues, smaller first."""
    import numpy as np

    if problem.params["ask"] != "eigenvalues":
        return
    low, high = np.linalg.eigvalsh(np.array(problem.params["matrix"], dtype=float))
    wrong = [-high, -low]
    values = [Fraction(round(v)) if abs(v - round(v)) < 1e-9 else float(v) for v in wrong]
    text = "[" + ", ".join(typed(v) for v in values) + "]"
    yield Slip(text, values, "trace-sign", "minus the trace")


# --- the base rate ignored -----------------------------------------------------------------


def base_rate_ignored(problem: Problem) -> Iterator[Slip]:
    """P(results | D) given for P(D | results): the sensitivity, for one positive test."""
    p = problem.params
    sensitivity = Fraction(p["sensitivity"])
    value = Fraction(1)
    for result in p["results"]:
        value *= sensitivity if result == "+" else 1 - sensitivity
    yield Slip(typed(value), value, "base-rate-ignored", "base rate")


def swapped_accuracy(problem: Problem) -> Iterator[Slip]:
    """Sensitivity used as specificity and the other way round."""
    p = problem.params
    prior, specificity, sensitivity = (
        Fraction(p[k]) for k in ("prior", "sensitivity", "specificity")
    )  # deliberately swapped
    sick, healthy = prior, 1 - prior
    for result in p["results"]:
        sick *= sensitivity if result == "+" else 1 - sensitivity
        healthy *= 1 - specificity if result == "+" else specificity
    value = sick / (sick + healthy)
    # P(D | −) can be a few millionths: 4 significant figures, never fixed decimals
    text = typed(value) if value > Fraction(1, 100) else f"{float(value):.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}*10^({int(exponent)})"
    yield Slip(text, value, "sensitivity-specificity-swapped", "swapped")


# --- variances added without the squared coefficient ---------------------------------------


def unsquared_coefficients(problem: Problem) -> Iterator[Slip]:
    """a·Var(X) + b·Var(Y) (+ the covariance term) for the variance of aX + bY + c."""
    p = problem.params
    if "values" in p:  # Var(aX + c) from a table: a·Var(X)
        if p["a"] == 1:
            return
        probabilities = [Fraction(q) for q in p["probabilities"]]
        mean = sum((q * v for q, v in zip(probabilities, p["values"], strict=True)), Fraction(0))
        second = sum(
            (q * v * v for q, v in zip(probabilities, p["values"], strict=True)), Fraction(0)
        )
        value = p["a"] * (second - mean**2)
    elif p["ask"] == "variance":
        value = Fraction(p["a"] * p["var_x"] + p["b"] * p["var_y"] + 2 * p["a"] * p["b"] * p["cov"])
    else:
        return
    yield Slip(typed(value), value, "coefficient-not-squared", "squared")


def covariance_not_doubled(problem: Problem) -> Iterator[Slip]:
    p = problem.params
    if "cov" not in p or not p["cov"] or p["ask"] != "variance":
        return
    a, b = p["a"], p["b"]
    value = Fraction(a * a * p["var_x"] + b * b * p["var_y"] + a * b * p["cov"])
    yield Slip(typed(value), value, "covariance-not-doubled", "2ab Cov(X, Y)")


# --- KL's arguments swapped ----------------------------------------------------------------


def kl_swapped(problem: Problem) -> Iterator[Slip]:
    """KL(q ∥ p) for KL(p ∥ q), in the unit asked."""
    params = problem.params
    if params["quantity"] != "kl":
        return
    p = [Fraction(v) for v in params["p"]]
    q = [Fraction(v) for v in params["q"]]
    log = math.log2 if params["unit"] == "bits" else math.log
    value = sum(float(qi) * log(qi / pi) for pi, qi in zip(p, q, strict=True))
    yield Slip(typed(value), value, "kl-swapped", "arguments are swapped")


def wrong_log_base(problem: Problem) -> Iterator[Slip]:
    """The right quantity in the other unit (bits for nats or nats for bits)."""
    import numpy as np

    params = problem.params
    p = np.array([float(Fraction(v)) for v in params["p"]])
    q = np.array([float(Fraction(v)) for v in params["q"]])
    nats = {
        "entropy": -np.sum(p * np.log(p)),
        "cross-entropy": -np.sum(p * np.log(q)),
        "kl": np.sum(p * np.log(p / q)),
    }[params["quantity"]]
    value = float(nats if params["unit"] == "bits" else nats / np.log(2))
    yield Slip(typed(value), value, "wrong-log-base", "use")


CASES = [
    # At level 3, 2 or 3 steps with η/2 can end within a few tolerances of one step fewer.
    *(Case("gd_steps", d, gd_rate_slips, 0.9) for d in (1, 2, 3)),
    *(
        Case("momentum", d, rate_slips(momentum_run, "halved-learning-rate"), 0.95)
        for d in (1, 2, 3)
    ),
    # Half the level-3 instances are quotients, and each costs a symbolic check.
    Case("derivative", 3, quotient_slip, 1.0, seeds=100, chunk=25),
    *(Case("jacobian", d, transposed_jacobian, 1.0) for d in (1, 2, 3)),
    # A total one update or epoch off is sometimes rounding N·E/B once (named as that).
    Case("epochs_iterations", 1, epoch_slips, 1.0),
    Case("epochs_iterations", 2, epoch_slips, 0.9),
    Case("epochs_iterations", 3, epoch_slips, 0.9),
    # A small step puts the estimate within a few tolerances of f'(x₀) at level 3 (most
    # central differences): f'(x₀) then grades right or "close", and is not declared.
    Case("finite_difference", 1, exact_derivative, 0.95),
    Case("finite_difference", 2, exact_derivative, 0.85),
    Case("finite_difference", 3, exact_derivative, 0.6),
    *(Case("softmax_cross_entropy", d, softmax_slips, 1.0) for d in (1, 2, 3)),
    *(Case("sigmoid_bce", d, sigmoid_slips, 1.0) for d in (1, 2, 3)),
    # At difficulty 1 every unit is active: the mask changes nothing (the slip is right).
    *(Case("mlp_backprop", d, mlp_slips, 1.0) for d in (2, 3)),
    *(Case("regression_gradient", d, regression_slips, 1.0) for d in (1, 2, 3)),
    # Swapping the betas matters only when the two gradients differ enough.
    Case("adam_step", 1, adam_slips, 1.0),
    Case("adam_step", 2, adam_slips, 0.7),
    Case("adam_step", 3, adam_slips, 0.7),
    # At level 2 Adam's first step is η times a sign: λw/2 seldom flips it (then it is right).
    # At level 3 the second step rescales λw/2 too, which can land within 1 % of the answer.
    Case("weight_decay", 1, weight_decay_slips, 0.9),
    Case("weight_decay", 2, weight_decay_slips, 0.9),
    Case("weight_decay", 3, weight_decay_slips, 0.75),
    *(Case("lr_schedule", d, schedule_slips, 0.9) for d in (1, 2, 3)),
    *(Case("vanishing_gradient", d, vanishing_slips, 0.9) for d in (1, 2, 3)),
    # The off-diagonal entry is never 0, so the diagonal is never the right answer.
    *(Case("eigen_2x2", d, diagonal_eigenvalues, 1.0) for d in (1, 2, 3)),
    # Instances where P(results | D) is the right answer are redrawn.
    *(Case("bayes_rule", d, base_rate_ignored, 1.0) for d in (1, 2, 3)),
    *(Case("expectation_variance", d, unsquared_coefficients, 1.0) for d in (1, 2, 3)),
    *(Case("entropy_kl", d, kl_swapped, 1.0) for d in (1, 2, 3)),
    *(Case("eigen_2x2", d, trace_sign, 1.0) for d in (1, 2, 3)),
    # The generator redraws instances where the swap crowds the right value or the base rate.
    *(Case("bayes_rule", d, swapped_accuracy, 1.0) for d in (1, 2, 3)),
    Case("expectation_variance", 2, covariance_not_doubled, 1.0),
    *(Case("entropy_kl", d, wrong_log_base, 1.0) for d in (1, 2, 3)),
]


def items() -> list[tuple[Case, int]]:
    return [(case, start) for case in CASES for start in range(0, case.seeds, case.chunk)]


def item_id(item: tuple[Case, int]) -> str:
    case, start = item
    return f"{case.family}-d{case.difficulty}-{case.build.__name__}-s{start}"


# --- the checks -----------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:/\d+)?(?![\d.])")


def numbers_in(text: str) -> set[Fraction]:
    return {Fraction(token) for token in NUMBER.findall(text)}


def right_values(problem: Problem) -> list[Fraction]:
    """The right answer's numbers (each component or entry), without sign."""
    return [abs(Fraction(token)) for token in NUMBER.findall(expected_text(problem.answer))]


def assert_hides_the_right_value(verdict: Verdict, problem: Problem, where: str) -> None:
    if isinstance(problem.answer, ExpressionAnswer):
        assert problem.answer.expr not in verdict.feedback, where
        return
    shown = numbers_in(verdict.feedback) - numbers_in(problem.prompt)
    for right in right_values(problem):
        assert not any(math.isclose(n, right, rel_tol=1e-3) for n in shown), (
            f"{where}: {verdict.feedback!r} shows the right value {right}"
        )


LISTED_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:/\d+)?")
"""A number as generators write listed answers: ``-3``, ``5.62``, ``491/512`` (in brackets)."""


def flat(value: Any) -> list[float]:
    if isinstance(value, list | tuple):
        return [x for item in value for x in flat(item)]
    return [float(value)]


def is_listed(misconception: Misconception, slip: Slip) -> bool:
    """Whether the generator listed ``misconception`` as this very slip."""
    if misconception.tag != slip.tag:
        return False
    if slip.value is None:  # an expression: the grader decides
        return grade(misconception.answer, ExpressionAnswer(slip.text)).correct
    listed = [float(Fraction(token)) for token in LISTED_NUMBER.findall(misconception.answer)]
    wanted = flat(slip.value)
    # The listed answer is written to 6 significant figures.
    return len(listed) == len(wanted) and all(
        math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-12) for a, b in zip(listed, wanted, strict=True)
    )


def check(problem: Problem, slip: Slip) -> str:
    """Grade the slip: ``named``, or why it is not declared in this instance.

    ``right``: it is the right value here. ``close``: within ten tolerances of the right value
    ("close: check your rounding"), too near to name. ``shadowed``: the grader names a slip
    listed before it, which it matches. ``crowded``: too near such a slip to list, not near
    enough to match it.
    """
    where = f"{problem.family} d{problem.difficulty} seed {problem.seed} {slip.tag} {slip.text!r}"
    verdict = grade(slip.text, problem.answer)
    assert verdict.error is None, f"{where}: {verdict.error}"
    if verdict.correct:  # degenerate: the slip is the right value, so it is not declared
        assert not any(is_listed(m, slip) for m in problem.misconceptions), where
        return "right"
    assert_hides_the_right_value(verdict, problem, where)
    listed = [m for m in problem.misconceptions if is_listed(m, slip)]
    if verdict.misconception == slip.tag:
        assert verdict.feedback in {m.message for m in listed}, f"{where}: {verdict}"
        assert slip.says in verdict.feedback, f"{where}: {verdict.feedback!r}"
        return "named"
    # Not named: then it must not be declared either (a declared slip is always named).
    assert not listed, f"{where}: declared but graded {verdict}"
    if verdict.close:
        return "close"
    return "shadowed" if verdict.misconception else "crowded"


@pytest.mark.parametrize("item", items(), ids=item_id)
def test_the_slip_is_named_with_its_feedback_line(item: tuple[Case, int]) -> None:
    case, start = item
    outcomes: Counter[str] = Counter()
    for problem in instances(case.family, case.difficulty, start, case.chunk):
        assert grade(expected_text(problem.answer), problem.answer).correct
        for slip in case.build(problem):
            outcomes[check(problem, slip)] += 1
    possible = sum(outcomes.values()) - outcomes["right"]
    assert possible, f"no slip built in seeds {start}…{start + case.chunk - 1}"
    assert outcomes["named"] >= case.named_at_least * possible, dict(outcomes)


# --- the degenerate instances, by construction ----------------------------------------------


def test_a_symmetric_jacobian_does_not_declare_transposed() -> None:
    rows = [[Fraction(1), Fraction(2)], [Fraction(2), Fraction(-3)]]
    slip = ([list(c) for c in zip(*rows, strict=True)], "Transposed.", "transposed")
    assert matrix_answer(rows, [slip]).misconceptions == ()


def test_the_partial_batch_slip_is_not_declared_when_b_divides_n() -> None:
    for problem in instances("epochs_iterations", 1, 0, 50):
        p = problem.params
        assert p["examples"] % p["batch"] == 0
        assert "partial-batch" not in {m.tag for m in problem.misconceptions}
        ceiling = -(-p["examples"] // p["batch"])  # ⌈N/B⌉ = ⌊N/B⌋ here: it is the right answer
        assert grade(f"[{ceiling}, {ceiling * p['epochs']}]", problem.answer).correct


def test_halving_eta_on_a_quadratic_is_one_misconception_naming_both_causes() -> None:
    for difficulty in (1, 2):
        for problem in instances("gd_steps", difficulty, 0, 50):
            tags = [m.tag for m in problem.misconceptions]
            assert "halved-learning-rate" not in tags
            (slip,) = [m for m in problem.misconceptions if m.tag == "forgot-factor-2"]
            assert "η/2" in slip.message and "factor 2" in slip.message
