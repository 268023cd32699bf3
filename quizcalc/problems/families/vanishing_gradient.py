"""``vanishing_gradient``: how a gradient shrinks through a chain of sigmoid or tanh layers.

Through ``hᵢ = f(wᵢ hᵢ₋₁ + bᵢ)`` the chain rule gives ``∂hₙ/∂h₀ = ∏ wᵢ f′(zᵢ)``. Since
``σ′ ≤ ¼`` (at ``z = 0``) and ``tanh′ ≤ 1``, each sigmoid layer multiplies the gradient by at
most ``|wᵢ|/4``, each tanh layer by at most ``|wᵢ|``.

Difficulty 1: the largest possible ``|∂hₙ/∂h₀|`` through two to four sigmoid layers (exact).
Difficulty 2: the smallest depth at which that bound falls below ``10⁻ᵏ`` (an integer).
Difficulty 3: the actual ``∂hₙ/∂h₀`` from a forward pass's outputs, using
``σ′ = h(1 − h)`` or ``tanh′ = 1 − h²`` (exact).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from quizcalc.problems.expected import Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.writing import answer_line, how_to_answer, inline, product

__all__ = ["FAMILY", "smallest_depth"]

QUARTER = Fraction(1, 4)
LAYER = {
    "sigmoid": "h_i = \\sigma(w_i \\, h_{i-1} + b_i)",
    "tanh": "h_i = \\tanh(w_i \\, h_{i-1} + b_i)",
}
CHAIN = "\\frac{\\partial h_n}{\\partial h_0} = w_1 f'(z_1) \\cdot w_2 f'(z_2) \\cdots w_n f'(z_n)"
SIGMOID_SLOPE = "\\sigma'(z) = \\sigma(z)(1 - \\sigma(z)) \\le \\tfrac{1}{4}"
TANH_SLOPE = "\\tanh'(z) = 1 - \\tanh^{2}(z) \\le 1"
DEEP_MAGNITUDE = "\\left| \\partial h_n / \\partial h_0 \\right|"


def _product(values: list[Fraction]) -> Fraction:
    out = Fraction(1)
    for v in values:
        out *= v
    return out


def _gradient_name(depth: int) -> str:
    return f"\\frac{{\\partial h_{depth}}}{{\\partial h_0}}"


# --- difficulty 1: the bound through a few sigmoid layers --------------------------------------


def _bound(rng: random.Random) -> Draft:
    depth = rng.randint(2, 4)
    weights = draw_until(
        rng,
        lambda r: [Fraction(r.choice([-3, -2, -1, 1, 2, 3, 4])) for _ in range(depth)],
        lambda ws: any(abs(w) != 1 for w in ws),
    )
    magnitudes = [abs(w) for w in weights]
    answer = _product(magnitudes) * QUARTER**depth
    listed = ", ".join(inline(f"w_{i} = {latex_number(w)}") for i, w in enumerate(weights, 1))
    magnitude = "\\left| " + _gradient_name(depth) + " \\right|"
    prompt = (
        f"A chain of {depth} scalar sigmoid layers, {inline(LAYER['sigmoid'])}, has weights "
        f"{listed}. Over all inputs and biases, what is the largest possible value of "
        f"{inline(magnitude)}?\n\n{how_to_answer(answer)}"
    )
    factors = " \\cdot ".join(f"\\frac{{{latex_number(m)}}}{{4}}" for m in magnitudes)
    solution = [
        f"By the chain rule {inline(CHAIN)}, one factor per layer.",
        f"The sigmoid's slope is largest at {inline('z = 0')}: {inline(SIGMOID_SLOPE)}. A "
        "bias can put every pre-activation there, so each layer contributes at most "
        f"{inline('|w_i| / 4')}.",
        f"So the largest value is {inline(f'{factors} = {latex_number(answer)}')}.",
        answer_line(plain_number(answer)),
    ]
    slips: list[Slip] = [
        (
            _product(magnitudes) * Fraction(1, 2) ** depth,
            "The sigmoid's slope σ(z)(1 − σ(z)) is at most ¼ (at z = 0, where σ = ½), not ½.",
            "sigmoid-slope-half",
        ),
        (
            sum(magnitudes, Fraction(0)) * QUARTER,
            "The chain rule multiplies the layers' factors: the gradient through the chain is "
            "a product, not a sum.",
            "added-layers",
        ),
        (
            QUARTER**depth,
            "Each layer's factor is its weight times the sigmoid's slope: the weights stay in "
            "the product.",
            "forgot-weights",
        ),
        (
            _product(magnitudes) * QUARTER ** (depth - 1),
            "Every layer applies a sigmoid, so the ¼ appears once per layer, L times.",
            "off-by-one-layers",
        ),
    ]
    hints = (
        f"Differentiate through the chain: {inline(CHAIN)}.",
        "Where is the sigmoid steepest, and what is its slope there?",
        f"{inline(SIGMOID_SLOPE)}.",
    )
    params = {
        "kind": "bound",
        "activation": "sigmoid",
        "weights": [plain_number(w) for w in weights],
    }
    return Draft(prompt, number_answer(answer, slips), tuple(solution), hints, params)


# --- difficulty 2: the depth at which the bound falls below a threshold -----------------------


def smallest_depth(ratio: Fraction, threshold: Fraction) -> int:
    """The smallest ``L`` with ``ratio^L < threshold`` (``0 < ratio < 1``), exactly."""
    depth, bound = 0, Fraction(1)
    while bound >= threshold:
        depth += 1
        bound *= ratio
    return depth


def _depth(rng: random.Random) -> Draft:
    activation = rng.choice(["sigmoid", "tanh"])
    if activation == "sigmoid":
        weight = Fraction(rng.choice(["0.5", "1", "1.5", "2", "3"]))
        ratio = weight * QUARTER
    else:
        weight = Fraction(rng.choice(["0.5", "0.6", "0.7", "0.8", "0.9", "0.95"]))
        ratio = weight
    exponent = rng.randint(2, 8)
    threshold = Fraction(1, 10**exponent)
    answer = smallest_depth(ratio, threshold)
    exact_log = math.log(threshold) / math.log(ratio)
    layer = LAYER[activation].replace("w_i", "w")
    slope = SIGMOID_SLOPE if activation == "sigmoid" else TANH_SLOPE
    limit = f"10^{{-{exponent}}}"
    prompt = (
        f"A deep chain of scalar {activation} layers, {inline(layer)}, has every weight "
        f"{inline(f'w = {latex_number(weight)}')}. The largest slope of the activation bounds "
        f"{inline(DEEP_MAGNITUDE)}, and the bound shrinks "
        f"with the depth {inline('n')}. What is the smallest depth at which this bound is "
        f"below {inline(limit)}?\n\n{how_to_answer(answer)}"
    )
    r_text = latex_number(ratio)
    per_layer = (
        f"\\frac{{{latex_number(weight)}}}{{4}} = {r_text}"
        if activation == "sigmoid"
        else f"{latex_number(weight)} \\cdot 1 = {r_text}"
    )
    crossing = f"n > \\frac{{\\ln 10^{{-{exponent}}}}}{{\\ln {r_text}}} = {number_text(exact_log)}"
    bracket = f"{r_text}^{{{answer}}} < {limit} \\le {r_text}^{{{answer - 1}}}"
    solution = [
        f"Each layer contributes at most {inline('|w|')} times the largest slope, "
        f"{inline(slope)}: a factor {inline(f'r = {per_layer}')}.",
        f"So the bound is {inline('r^{n}')}; it is below {inline(limit)} once {inline(crossing)}.",
        f"The smallest whole depth is {inline(f'n = {answer}')}, where {inline(bracket)}.",
        answer_line(str(answer)),
    ]
    slips: list[Slip] = [
        (
            answer - 1,
            "That rounds down: at that depth the bound is still at or above the threshold; "
            "round the ratio of logarithms up.",
            "off-by-one-depth",
        ),
        (
            exact_log,
            "A depth is a whole number of layers: take the smallest integer above the ratio of "
            "logarithms.",
            "unrounded-depth",
        ),
    ]
    if activation == "sigmoid" and weight / 2 < 1:
        slips.append(
            (
                smallest_depth(weight / 2, threshold),
                "The sigmoid's slope is at most ¼, not ½: each layer shrinks the bound by |w|/4.",
                "sigmoid-slope-half",
            )
        )
    if activation == "sigmoid" and weight != 1:
        slips.append(
            (
                smallest_depth(QUARTER, threshold),
                "Each layer's factor is |w| times the slope bound: the weight stays in it.",
                "forgot-weights",
            )
        )
    if activation == "tanh":
        slips.append(
            (
                smallest_depth(weight * QUARTER, threshold),
                "¼ is the sigmoid's largest slope; tanh′(0) = 1, so a tanh layer shrinks the "
                "bound only by |w|.",
                "tanh-slope-quarter",
            )
        )
    hints = (
        "Each layer multiplies the gradient by its weight times the activation's slope.",
        f"Largest slopes: {inline(SIGMOID_SLOPE)}, {inline(TANH_SLOPE)}.",
        f"Solve {inline(f'r^{{n}} < {limit}')} for the smallest whole {inline('n')}.",
    )
    params = {
        "kind": "depth",
        "activation": activation,
        "weight": plain_number(weight),
        "threshold_exponent": exponent,
    }
    return Draft(prompt, number_answer(answer, slips), tuple(solution), hints, params)


# --- difficulty 3: the actual gradient from a forward pass -------------------------------------

_SIGMOID_OUTPUTS = ("0.5", "0.2", "0.8", "0.1", "0.9", "0.25", "0.75", "0.6", "0.4")
_TANH_OUTPUTS = ("0", "0.5", "-0.5", "0.8", "-0.8", "0.6", "-0.6", "0.9", "-0.2")


def _slope(activation: str, output: Fraction) -> Fraction:
    return output * (1 - output) if activation == "sigmoid" else 1 - output * output


def _chain(rng: random.Random) -> Draft:
    activation = rng.choice(["sigmoid", "tanh"])
    depth = 3  # three slopes of two decimal places: an exact answer of at most six
    pool = _SIGMOID_OUTPUTS if activation == "sigmoid" else _TANH_OUTPUTS
    weights = [Fraction(rng.choice([-3, -2, -1, 1, 2, 3])) for _ in range(depth)]
    outputs = draw_until(
        rng,
        lambda r: [Fraction(r.choice(pool)) for _ in range(depth)],
        lambda hs: len(set(hs)) > 1,
    )
    slopes = [_slope(activation, h) for h in outputs]
    answer = _product([w * s for w, s in zip(weights, slopes, strict=True)])
    name = _gradient_name(depth)
    listed_w = ", ".join(inline(f"w_{i} = {latex_number(w)}") for i, w in enumerate(weights, 1))
    listed_h = ", ".join(inline(f"h_{i} = {latex_number(h)}") for i, h in enumerate(outputs, 1))
    prompt = (
        f"A chain of {depth} scalar {activation} layers, {inline(LAYER[activation])}, has "
        f"weights {listed_w}. A forward pass gives the layer outputs {listed_h}. What is "
        f"{inline(name)} at this input?\n\n{how_to_answer(answer)}"
    )
    rule = (
        "\\sigma'(z_i) = h_i (1 - h_i)" if activation == "sigmoid" else "\\tanh'(z_i) = 1 - h_i^{2}"
    )
    slope_list = ", ".join(latex_number(s) for s in slopes)
    solution = [
        f"By the chain rule {inline(CHAIN)}.",
        f"The slope comes from each layer's output: {inline(rule)}, giving {inline(slope_list)}.",
        f"So {inline(f'{name} = {product([*weights, *slopes])} = {latex_number(answer)}')}.",
        answer_line(plain_number(answer)),
    ]
    other = "tanh" if activation == "sigmoid" else "sigmoid"
    wrong_slopes = [_slope(other, h) for h in outputs]
    slips: list[Slip] = [
        (
            _product([w * s for w, s in zip(weights, wrong_slopes, strict=True)]),
            "That uses the other activation's slope: σ′ = h(1 − h) for a sigmoid, "
            "tanh′ = 1 − h² for tanh."
            if activation == "sigmoid"
            else "That uses the sigmoid's slope h(1 − h); for tanh the slope is 1 − h².",
            "wrong-activation-slope",
        ),
        (
            _product([w * h for w, h in zip(weights, outputs, strict=True)]),
            "That multiplies by the outputs hᵢ themselves; the chain rule needs the slopes "
            "f′(zᵢ), computed from the outputs.",
            "output-not-slope",
        ),
        (
            sum((w * s for w, s in zip(weights, slopes, strict=True)), Fraction(0)),
            "The chain rule multiplies the layers' factors: the gradient through the chain is "
            "a product, not a sum.",
            "added-layers",
        ),
        (
            _product(slopes),
            "Each layer's factor is its weight times the activation's slope: the weights stay "
            "in the product.",
            "forgot-weights",
        ),
    ]
    hints = (
        f"Differentiate through the chain: {inline(CHAIN)}.",
        f"Read each slope from the output: {inline(rule)}.",
        "Multiply the weights and the slopes, signs included.",
    )
    params = {
        "kind": "chain",
        "activation": activation,
        "weights": [plain_number(w) for w in weights],
        "outputs": [plain_number(h) for h in outputs],
    }
    return Draft(prompt, number_answer(answer, slips), tuple(solution), hints, params)


def build(rng: random.Random, difficulty: int) -> Draft:
    """The gradient bound (level 1), the depth where it vanishes (2), the actual gradient (3)."""
    if difficulty == 1:
        return _bound(rng)
    if difficulty == 2:
        return _depth(rng)
    return _chain(rng)


FAMILY = Family(
    name="vanishing_gradient",
    title="Vanishing gradients through sigmoid and tanh layers",
    description="Bound or compute the gradient through a chain of sigmoid or tanh layers, or "
    "find the depth where the bound vanishes.",
    build=build,
    target_seconds=(60, 120, 180),
    levels=(
        "largest gradient through 2–4 sigmoid layers: |w|/4 per layer (exact)",
        "smallest depth at which the bound falls below 10 to the −k",
        "the actual gradient from a forward pass's outputs, σ′ = h(1 − h) or 1 − h²",
    ),
)
