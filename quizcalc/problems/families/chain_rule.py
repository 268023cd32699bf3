"""``chain_rule``: backprop by hand through a short chain, as in the chapter's worked example.

The chain is ``w → a = w·x (+ b) → … → L = (z − t)²``; the learner multiplies the local
derivatives (the chapter's ``52 · 12 · 2 = 1248``). Difficulty sets the number of links:
2, 3 or 4 (the last adds a bias and draws the middle operations from square, cube, affine,
ReLU and half-square).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import Slip, number_answer
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.writing import (
    QUAD,
    SPACE,
    answer_line,
    how_to_answer,
    inline,
    paren,
    partial,
    product,
)

__all__ = ["FAMILY"]


@dataclass(frozen=True)
class _Op:
    """One middle link ``out = op(inp)``."""

    kind: str
    c: int = 1
    b: int = 0

    def forward(self, v: Fraction) -> Fraction:
        """The link's output for input ``v``."""
        if self.kind == "square":
            return v * v
        if self.kind == "half_square":
            return v * v / 2
        if self.kind == "cube":
            return v**3
        if self.kind == "relu":
            return max(Fraction(0), v)
        return self.c * v + self.b

    def local(self, v: Fraction) -> Fraction:
        """The local derivative d(out)/d(in) at input ``v``."""
        if self.kind == "square":
            return 2 * v
        if self.kind == "half_square":
            return v
        if self.kind == "cube":
            return 3 * v * v
        if self.kind == "relu":
            return Fraction(1 if v > 0 else 0)
        return Fraction(self.c)

    def latex(self, inp: str) -> str:
        """The link as a formula in the input's name."""
        if self.kind == "square":
            return f"{inp}^{{2}}"
        if self.kind == "half_square":
            return f"\\frac{{1}}{{2}}{inp}^{{2}}"
        if self.kind == "cube":
            return f"{inp}^{{3}}"
        if self.kind == "relu":
            return f"\\max(0, {inp})"
        bias = f" + {self.b}" if self.b > 0 else f" - {-self.b}" if self.b < 0 else ""
        return f"{self.c}{inp}{bias}"

    def local_latex(self, inp: str) -> str:
        """The local derivative as a formula in ``inp``."""
        return {
            "square": f"2{inp}",
            "half_square": inp,
            "cube": f"3{inp}^{{2}}",
            "relu": f"[{inp} > 0]",
            "affine": str(self.c),
        }[self.kind]


@dataclass(frozen=True)
class _Chain:
    x: int
    w: int
    b: int
    t: int
    ops: tuple[_Op, ...]

    def values(self) -> list[Fraction]:
        """a, then each middle output."""
        out = [Fraction(self.w * self.x + self.b)]
        for op in self.ops:
            out.append(op.forward(out[-1]))
        return out


_NAMES = ("a", "h", "y", "z")


def _draw(rng: random.Random, difficulty: int) -> _Chain:
    if difficulty == 1:
        return _Chain(rng.randint(1, 4), rng.choice([-3, -2, -1, 1, 2, 3]), 0, 0, ())
    if difficulty == 2:
        op = rng.choice([_Op("square"), _Op("square"), _Op("affine", rng.randint(2, 5), 0)])
        x = rng.choice([-3, -2, -1, 1, 2, 3])
        return _Chain(x, rng.choice([-3, -2, -1, 1, 2, 3]), 0, 0, (op,))
    kinds = ["square", "half_square", "cube", "relu", "affine"]
    ops = []
    for kind in rng.sample(kinds, 2):
        c = rng.choice([-3, -2, 2, 3]) if kind == "affine" else 1
        ops.append(_Op(kind, c, rng.randint(-3, 3) if kind == "affine" else 0))
    x = rng.choice([-2, -1, 1, 2])
    return _Chain(x, rng.choice([-2, -1, 1, 2]), rng.randint(-2, 2), 0, tuple(ops))


def _valid(chain: _Chain) -> bool:
    values = chain.values()
    if any(op.kind == "relu" and v == 0 for op, v in zip(chain.ops, values, strict=False)):
        return False  # ReLU has no derivative at 0
    return abs(values[-1]) <= 400


def _draw_chain(rng: random.Random, difficulty: int) -> _Chain:
    chain = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    offset = rng.choice([-1, 1]) * rng.randint(1, 6 if difficulty == 1 else 12)
    # t is never the last value, so the loss's local derivative 2(z − t) is never 0.
    t = math.floor(chain.values()[-1]) + offset
    return _Chain(chain.x, chain.w, chain.b, t, chain.ops)


def _signed(value: int) -> str:
    return f" + {value}" if value > 0 else f" - {-value}" if value < 0 else ""


def build(rng: random.Random, difficulty: int) -> Draft:
    """A chain with 1 + difficulty local derivatives; the answer is their product."""
    chain = _draw_chain(rng, difficulty)
    values = chain.values()
    names = _NAMES[: len(values)]
    last = names[-1]
    # Local derivatives from the loss back to w, upstream first, as backprop computes them.
    links = [("L", last)]
    formulas = [f"2({last} - t)"]
    locals_ = [2 * (values[-1] - chain.t)]
    for i in range(len(chain.ops) - 1, -1, -1):
        links.append((names[i + 1], names[i]))
        formulas.append(chain.ops[i].local_latex(names[i]))
        locals_.append(chain.ops[i].local(values[i]))
    links.append(("a", "w"))
    formulas.append("x")
    locals_.append(Fraction(chain.x))
    answer = _product(locals_)
    dl_dw = partial("L", "w")
    chain_symbols = " \\cdot ".join(partial(top, bottom) for top, bottom in links)

    equations = [f"a = w x{' + b' if chain.b else ''}"]
    equations += [f"{names[i + 1]} = {op.latex(names[i])}" for i, op in enumerate(chain.ops)]
    equations.append(f"L = ({last} - t)^{{2}}")
    given = [f"x = {chain.x}", f"w = {chain.w}", f"t = {chain.t}"]
    if chain.b:
        given.append(f"b = {chain.b}")
    prompt = (
        "A tiny network computes its loss in a chain of steps:\n\n"
        f"\\[ {QUAD.join(equations)} \\]\n\n"
        f"with {inline(SPACE.join(given))}. "
        f"Backpropagate by hand: find {inline(dl_dw)} at these values.\n\n"
        f"{how_to_answer(answer)}"
    )

    first = f"a = {chain.w} \\cdot {paren(chain.x)}{_signed(chain.b)} = {latex_number(values[0])}"
    forward = [first]
    forward += [f"{names[i + 1]} = {latex_number(values[i + 1])}" for i in range(len(chain.ops))]
    loss = (values[-1] - chain.t) ** 2
    forward.append(
        f"L = ({latex_number(values[-1])} - {paren(chain.t)})^{{2}} = {latex_number(loss)}"
    )
    solution = [f"Forward pass: {inline(SPACE.join(forward))}."]
    for (top, bottom), formula, value in zip(links, formulas, locals_, strict=True):
        shown = latex_number(value)
        step = f"{partial(top, bottom)} = {formula}" + ("" if formula == shown else f" = {shown}")
        note = (
            " (the ReLU is off: no gradient flows through it)"
            if formula.startswith("[") and not value
            else ""
        )
        solution.append(f"Local derivative {inline(step)}{note}.")
    total = f"{dl_dw} = {chain_symbols} = {product(locals_)} = {latex_number(answer)}"
    solution.append(f"Chain rule: {inline(total)}.")
    solution.append(answer_line(plain_number(answer)))

    factor_2 = f"The derivative of ({last} − t)² is 2({last} − t): the 2 went missing."
    slips: list[Slip] = [
        (answer / 2, factor_2, "forgot-factor-2"),
        (-answer, f"Sign slip: ∂L/∂{last} = 2({last} − t), not 2(t − {last}).", "sign-error"),
    ]
    for i, ((top, bottom), value) in enumerate(zip(links, locals_, strict=True)):
        message = (
            f"You dropped the link ∂{top}/∂{bottom} = {plain_number(value)}: every local "
            "derivative along the chain multiplies in."
        )
        slips.append((_product(locals_[:i] + locals_[i + 1 :]), message, "dropped-link"))
    wrong_first = _product(locals_[:-1]) * chain.w
    slips.append((wrong_first, "∂(w·x)/∂w is x, the input, not w.", "wrong-local-derivative"))
    added = sum(locals_, Fraction(0))
    message = "The chain rule multiplies the local derivatives; you added them."
    slips.append((added, message, "summed-not-multiplied"))

    last_link = f"{partial('L', last)} = 2({last} - t)"
    hints = (
        "Run the forward pass first, then go backwards from \\(L\\) to \\(w\\) one link at a time.",
        f"The last link is {inline(last_link)}; the first is {inline(partial('a', 'w') + ' = x')}.",
        f"Multiply every local derivative: {inline(f'{dl_dw} = {chain_symbols}')}.",
    )
    params = {
        "x": chain.x,
        "w": chain.w,
        "b": chain.b,
        "t": chain.t,
        "ops": [op.kind if op.kind != "affine" else f"affine({op.c},{op.b})" for op in chain.ops],
        "local_derivatives": [str(v) for v in locals_],
    }
    return Draft(prompt, number_answer(answer, slips), tuple(solution), hints, params)


def _product(values: list[Fraction]) -> Fraction:
    out = Fraction(1)
    for v in values:
        out *= v
    return out


FAMILY = Family(
    name="chain_rule",
    title="Chain rule through a tiny network",
    description="Backpropagate by hand: multiply the local derivatives from the loss to a weight.",
    build=build,
    target_seconds=(90, 120, 180),
    levels=(
        "2 links: a = w x, L = (a − t)²",
        "3 links, the chapter's shape: a = w x, y = a² (or affine), L = (y − t)²",
        "4 links with a bias; middle steps from square, cube, ½·square, affine, ReLU",
    ),
)
