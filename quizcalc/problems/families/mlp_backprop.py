"""``mlp_backprop``: one gradient entry of a tiny two-layer network, by backpropagation.

The network is ``a = W x + b``, ``h = act(a)``, ``ŷ = vᵀh + c`` with a squared-error loss, two
inputs and two hidden units. Difficulty 1: ReLU with both units active, ``L = ½(ŷ − t)²``,
the gradient of an output weight ``vᵢ`` or a hidden weight ``Wᵢₖ`` (integers). Difficulty 2:
ReLU with one unit inactive (its gradients are 0: the mask), ``L = (ŷ − t)²``, a hidden weight
or bias. Difficulty 3: sigmoid hidden units, ``L = ½(ŷ − t)²``, a hidden or output weight to 4
significant figures.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from quizcalc.problems.expected import Number, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.writing import answer_line, how_to_answer, inline, paren, worked_rounded

__all__ = ["FAMILY"]

RELU = "relu"
SIGMOID = "sigmoid"
HALF = "half_squared"
SQUARED = "squared"

_NONZERO = (-2, -1, 1, 2)


@dataclass(frozen=True)
class _Net:
    x: tuple[int, int]
    w: tuple[tuple[int, int], tuple[int, int]]
    b: tuple[int, int]
    v: tuple[int, int]
    c: int
    t: int
    activation: str
    loss: str
    target: tuple[str, int, int]
    """``("W", i, k)``, ``("v", i, 0)`` or ``("b", i, 0)``, 1-based."""

    def pre(self) -> list[int]:
        """``a = W x + b``."""
        return [self.w[i][0] * self.x[0] + self.w[i][1] * self.x[1] + self.b[i] for i in (0, 1)]

    def act(self, a: int) -> Number:
        """The hidden unit's output for pre-activation ``a``."""
        if self.activation == RELU:
            return max(a, 0)
        return 1 / (1 + math.exp(-a))

    def act_prime(self, a: int) -> Number:
        """The activation's derivative at ``a`` (ReLU: the 0/1 mask)."""
        if self.activation == RELU:
            return 1 if a > 0 else 0
        s = 1 / (1 + math.exp(-a))
        return s * (1 - s)

    def hidden(self) -> list[Number]:
        return [self.act(a) for a in self.pre()]

    def output(self) -> Number:
        h = self.hidden()
        return self.v[0] * h[0] + self.v[1] * h[1] + self.c

    def dl_dy(self, factor: int | None = None) -> Number:
        """``∂L/∂ŷ``: ``ŷ − t`` for ½(ŷ − t)², ``2(ŷ − t)`` for (ŷ − t)²."""
        if factor is None:
            factor = 1 if self.loss == HALF else 2
        return factor * (self.output() - self.t)


def _draw(rng: random.Random, difficulty: int) -> _Net:
    x = (rng.choice(_NONZERO), rng.choice(_NONZERO))
    w = (
        (rng.randint(-2, 2), rng.randint(-2, 2)),
        (rng.randint(-2, 2), rng.randint(-2, 2)),
    )
    b = (rng.randint(-1, 1), rng.randint(-1, 1))
    v = (rng.choice(_NONZERO), rng.choice(_NONZERO))
    c, t = rng.randint(-1, 1), rng.randint(-3, 3)
    i, k = rng.randint(1, 2), rng.randint(1, 2)
    if difficulty == 1:
        target = rng.choice([("W", i, k), ("W", i, k), ("v", i, 0)])
        return _Net(x, w, b, v, c, t, RELU, HALF, target)
    if difficulty == 2:
        target = rng.choice([("W", i, k), ("W", i, k), ("b", i, 0)])
        return _Net(x, w, b, v, c, t, RELU, SQUARED, target)
    target = rng.choice([("W", i, k), ("W", i, k), ("v", i, 0)])
    return _Net(x, w, b, v, c, t, SIGMOID, HALF, target)


def _valid_for(difficulty: int) -> Callable[[_Net], bool]:
    def valid(net: _Net) -> bool:
        a = net.pre()
        limit = 6 if net.activation == RELU else 3
        if 0 in a or any(abs(v) > limit for v in a):
            return False  # ReLU has no derivative at 0; a sigmoid saturates far from it
        if net.output() == net.t:
            return False  # a zero error makes every gradient 0
        active = [v > 0 for v in a]
        if net.activation == RELU and difficulty == 1 and not all(active):
            return False
        if net.activation == RELU and difficulty == 2 and (all(active) or not any(active)):
            return False  # one unit on, one off: the mask decides half the questions
        return bool(abs(float(_gradient(net))) <= 200)

    return valid


def _gradient(net: _Net, factor: int | None = None) -> Number:
    kind, i, k = net.target
    a = net.pre()
    delta = net.dl_dy(factor)
    if kind == "v":
        return delta * net.hidden()[i - 1]
    upstream = delta * net.v[i - 1] * net.act_prime(a[i - 1])
    return upstream if kind == "b" else upstream * net.x[k - 1]


def _slips(net: _Net) -> list[tuple[Number, str, str]]:
    kind, i, k = net.target
    a = net.pre()
    delta = net.dl_dy()
    right = _gradient(net)
    other_factor = 2 if net.loss == HALF else 1
    factor_message = (
        "The ½ in L = ½(ŷ − t)² cancels the 2 from the square: ∂L/∂ŷ = ŷ − t."
        if net.loss == HALF
        else "The derivative of (ŷ − t)² is 2(ŷ − t): keep the factor 2."
    )
    slips: list[tuple[Number, str, str]] = [
        (-right, "Sign: the error is ŷ − t (prediction minus target), not t − ŷ.", "sign-error"),
        (_gradient(net, other_factor), factor_message, "loss-factor"),
    ]
    if kind == "v":
        slips.append(
            (
                delta * a[i - 1],
                "∂ŷ/∂vᵢ is the unit's output hᵢ = act(aᵢ), not its pre-activation aᵢ.",
                "pre-activation",
            )
        )
        return slips
    no_derivative = delta * net.v[i - 1] * (1 if kind == "b" else net.x[k - 1])
    if net.activation == RELU:
        message = (
            "The ReLU passes a gradient back only where its input is positive: check the "
            "sign of the unit's pre-activation aᵢ; an inactive unit blocks the gradient to "
            "everything feeding it."
        )
        slips.append((no_derivative, message, "forgot-relu-mask"))
    else:
        message = (
            "Going back through the hidden unit multiplies by the sigmoid's derivative "
            "σ′(aᵢ) = σ(aᵢ)(1 − σ(aᵢ))."
        )
        slips.append((no_derivative, message, "forgot-activation-derivative"))
    if kind == "W" and i != k:
        swapped = delta * net.v[k - 1] * net.act_prime(a[k - 1]) * net.x[i - 1]
        slips.append(
            (
                swapped,
                "Entry (i, k) of ∂L/∂W pairs hidden unit i (the row) with input k (the "
                "column); that value belongs to the transposed entry.",
                "transposed-index",
            )
        )
    if kind == "W" and net.w[i - 1][k - 1] not in (0, net.v[i - 1]):
        slips.append(
            (
                delta * net.w[i - 1][k - 1] * net.act_prime(a[i - 1]) * net.x[k - 1],
                "Backpropagating into hidden unit i multiplies by its output weight vᵢ, "
                "not by the hidden weight itself.",
                "wrong-weight",
            )
        )
    return slips


def _readable(value: Number) -> Number:
    return value if isinstance(value, float) else Fraction(value)


def _pair(values: Sequence[Number]) -> str:
    return f"\\left({worked_rounded(values[0])}, {worked_rounded(values[1])}\\right)"


def _entry(net: _Net) -> str:
    kind, i, k = net.target
    if kind == "W":
        return f"W_{{{i}{k}}}"
    return f"{kind}_{{{i}}}"


def build(rng: random.Random, difficulty: int) -> Draft:
    """One gradient entry (a hidden weight, an output weight or a bias) of a 2-2-1 network."""
    net = draw_until(rng, lambda r: _draw(r, difficulty), _valid_for(difficulty))
    if difficulty == 2:
        # One unit is inactive; ask about it a third of the time (its gradient is 0), so
        # "0" is a trap to see through, not an answer to guess.
        kind, _, k = net.target
        active = 1 if net.pre()[0] > 0 else 2
        unit = 3 - active if rng.random() < 1 / 3 else active
        net = replace(net, target=(kind, unit, k))
    answer = _gradient(net)
    shown_answer = answer if isinstance(answer, float) else Fraction(answer)
    prompt = _prompt(net, how_to_answer(shown_answer))
    solution = _solution(net)
    solution.append(answer_line(number_text(shown_answer)))
    kind, i, k = net.target
    params = {
        "x": list(net.x),
        "W": [list(row) for row in net.w],
        "b": list(net.b),
        "v": list(net.v),
        "c": net.c,
        "t": net.t,
        "activation": net.activation,
        "loss": net.loss,
        "target": [kind, i, k] if kind == "W" else [kind, i],
    }
    slips = [(_readable(value), message, tag) for value, message, tag in _slips(net)]
    return Draft(
        prompt,
        number_answer(shown_answer, slips),
        tuple(solution),
        _hints(net),
        params,
    )


ACT_LATEX = {RELU: "\\operatorname{ReLU}", SIGMOID: "\\sigma"}
LOSS_LATEX = {HALF: "L = \\frac{1}{2}(\\hat{y} - t)^{2}", SQUARED: "L = (\\hat{y} - t)^{2}"}
DL_DY = "\\frac{\\partial L}{\\partial \\hat{y}}"


def _prompt(net: _Net, how: str) -> str:
    act = ACT_LATEX[net.activation]
    forward = (
        f"\\[ \\mathbf{{a}} = W\\mathbf{{x}} + \\mathbf{{b}}, \\quad \\mathbf{{h}} = "
        f"{act}(\\mathbf{{a}}), \\quad \\hat{{y}} = \\mathbf{{v}}^{{\\top}}\\mathbf{{h}} + c \\]"
    )
    w = (
        f"W = \\begin{{bmatrix}} {net.w[0][0]} & {net.w[0][1]} \\\\ {net.w[1][0]} & "
        f"{net.w[1][1]} \\end{{bmatrix}}"
    )
    params = (
        f"\\[ {w}, \\quad \\mathbf{{b}} = {_pair(net.b)}, \\quad \\mathbf{{v}} = "
        f"{_pair(net.v)}, \\quad c = {net.c} \\]"
    )
    unit = "ReLU" if net.activation == RELU else "sigmoid"
    kind, i, k = net.target
    where = {
        "W": f"the hidden weight in row {i}, column {k} of W",
        "v": f"the output weight of hidden unit {i}",
        "b": f"the bias of hidden unit {i}",
    }[kind]
    return (
        f"A network with two inputs, two {unit} hidden units and one output computes\n\n"
        f"{forward}\n\nwith the loss {inline(LOSS_LATEX[net.loss])} and the parameters\n\n"
        f"{params}\n\nFor the input {inline(BOLD_X + _pair(net.x))} and the target "
        f"{inline(f't = {net.t}')}, compute {inline(_partial(_entry(net)))} ({where}).\n\n"
        f"{how}"
    )


BOLD_X = "\\mathbf{x} = "


def _partial(name: str) -> str:
    return f"\\frac{{\\partial L}}{{\\partial {name}}}"


def _solution(net: _Net) -> list[str]:
    kind, i, k = net.target
    a, h = net.pre(), net.hidden()
    y_hat, delta = net.output(), net.dl_dy()
    act = ACT_LATEX[net.activation]
    forward = (
        f"\\mathbf{{a}} = {_pair(a)}, \\; \\mathbf{{h}} = {act}(\\mathbf{{a}}) = {_pair(h)}, "
        f"\\; \\hat{{y}} = {worked_rounded(y_hat)}"
    )
    out_rule = "\\hat{y} - t" if net.loss == HALF else "2(\\hat{y} - t)"
    lines = [
        f"Forward pass: {inline(forward)}.",
        f"At the output: {inline(f'{DL_DY} = {out_rule} = {worked_rounded(delta)}')}.",
    ]
    target = _partial(_entry(net))
    d_h, d_a = _partial(f"h_{i}"), _partial(f"a_{i}")
    if kind == "v":
        step = (
            f"{target} = {DL_DY} {DOT} h_{i} = {paren_any(delta)} {DOT} "
            f"{paren_any(h[i - 1])} = {worked_rounded(_gradient(net))}"
        )
        lines.append(f"Output weight {i} multiplies {inline(f'h_{i}')}: {inline(step)}.")
        return lines
    into_h = delta * net.v[i - 1]
    step = f"{d_h} = {paren_any(delta)} {DOT} {paren(net.v[i - 1])} = {worked_rounded(into_h)}"
    lines.append(f"Back through {inline(f'v_{i}')}: {inline(step)}.")
    derivative = net.act_prime(a[i - 1])
    if net.activation == RELU:
        state = "active" if a[i - 1] > 0 else "inactive"
        local = f"{RELU_PRIME}(a_{i}) = {derivative}"
        lines.append(f"Unit {i} is {state} ({inline(f'a_{i} = {a[i - 1]}')}), so {inline(local)}.")
    else:
        local = f"{SIGMA_PRIME_AT}(a_{i}) = h_{i}(1 - h_{i}) {APPROX} {worked_rounded(derivative)}"
        lines.append(f"Through the sigmoid: {inline(local)}.")
    into_a = into_h * derivative
    lines.append(f"So {inline(f'{d_a} = {worked_rounded(into_a)}')}.")
    if kind == "b":
        step = f"{target} = {d_a} = {worked_rounded(into_a)}"
        lines.append(f"The bias adds straight into {inline(f'a_{i}')}: {inline(step)}.")
    else:
        step = (
            f"{target} = {d_a} {DOT} x_{k} = {paren_any(into_a)} {DOT} "
            f"{paren(net.x[k - 1])} = {worked_rounded(_gradient(net))}"
        )
        lines.append(
            f"Row {i} of W feeds {inline(f'a_{i}')} and column {k} carries "
            f"{inline(f'x_{k}')}: {inline(step)}."
        )
    return lines


DOT = "\\cdot"
APPROX = "\\approx"
RELU_PRIME = "\\mathrm{ReLU}'"
SIGMA_PRIME_AT = "\\sigma'"


def paren_any(value: Number) -> str:
    """A number for a product in a worked step, bracketed when negative."""
    text = worked_rounded(value)
    return f"({text})" if value < 0 else text


def _hints(net: _Net) -> tuple[str, ...]:
    kind, i, _ = net.target
    first = "Run the forward pass first and keep every intermediate value."
    second = f"Start from {inline(DL_DY)} and multiply by one local derivative per step back."
    if kind == "v":
        third = f"{inline(_partial(f'v_{i}'))} needs the hidden unit's output, not its input."
    elif net.activation == RELU:
        third = "A ReLU unit whose input is negative passes no gradient back."
    else:
        third = f"Going back through a sigmoid multiplies by {inline(SIGMA_PRIME)}."
    return (first, second, third)


SIGMA_PRIME = "\\sigma'(a) = \\sigma(a)(1 - \\sigma(a))"

FAMILY = Family(
    name="mlp_backprop",
    title="Backprop through a two-layer network",
    description="One gradient entry of a 2-2-1 network: forward, then back one layer at a time.",
    build=build,
    target_seconds=(150, 210, 300),
    levels=(
        "ReLU, both units active, ½(ŷ − t)²: an output or hidden weight",
        "ReLU with one inactive unit, (ŷ − t)²: a hidden weight or bias",
        "sigmoid hidden units, ½(ŷ − t)²: a hidden or output weight, 4 s.f.",
    ),
)
