"""``expectation_variance``: the mean and variance of a linear combination or a small distribution.

``E[aX + bY + c] = a E[X] + b E[Y] + c`` always; ``Var(aX + bY + c) = a² Var(X) + b² Var(Y)
+ 2ab Cov(X, Y)``: the constant shifts without spreading, and each coefficient comes out
squared. Difficulty 1: independent X and Y, small integers, the mean or the variance.
Difficulty 2: correlated X and Y (a covariance given), the variance. Difficulty 3: a discrete
distribution given as a table of probabilities, ``Var(X) = E[X²] − E[X]²`` or ``Var(aX + c)``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import partial

from quizcalc.problems.expected import Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number, signed_term
from quizcalc.problems.writing import answer_line, how_to_answer, inline, paren, product

__all__ = ["FAMILY"]

MEAN = "mean"
VARIANCE = "variance"

E = "\\mathbb{E}"
VAR = "\\operatorname{Var}"
COV = "\\operatorname{Cov}"
CROSS = f"2ab \\, {COV}(X, Y)"


@dataclass(frozen=True)
class _Combination:
    """``aX + bY + c`` with the moments of X and Y (difficulties 1 and 2)."""

    a: int
    b: int
    c: int
    mean_x: int
    mean_y: int
    var_x: int
    var_y: int
    cov: int
    ask: str

    @property
    def mean(self) -> int:
        return self.a * self.mean_x + self.b * self.mean_y + self.c

    @property
    def variance(self) -> int:
        return (
            self.a * self.a * self.var_x
            + self.b * self.b * self.var_y
            + 2 * self.a * self.b * self.cov
        )


@dataclass(frozen=True)
class _Table:
    """A discrete X given by its values and their probabilities, and ``Var(aX + c)``."""

    values: tuple[int, ...]
    probabilities: tuple[Fraction, ...]
    a: int
    c: int

    def moment(self, power: int) -> Fraction:
        """``E[X^power]``."""
        return sum(
            (p * v**power for v, p in zip(self.values, self.probabilities, strict=True)),
            Fraction(0),
        )

    @property
    def var_x(self) -> Fraction:
        return self.moment(2) - self.moment(1) ** 2


def _nonzero(rng: random.Random, low: int, high: int) -> int:
    return rng.choice([v for v in range(low, high + 1) if v])


def _draw_combination(rng: random.Random, difficulty: int) -> _Combination:
    a = _nonzero(rng, -3, 3)
    b = _nonzero(rng, -3, 3)
    c = _nonzero(rng, -5, 5)
    var_x, var_y = rng.randint(1, 9), rng.randint(1, 9)
    cov = 0
    if difficulty == 2:
        bound = math.isqrt(var_x * var_y)  # |Cov| ≤ √(Var X · Var Y)
        cov = _nonzero(rng, -bound, bound) if bound else 0
    ask = VARIANCE if difficulty == 2 or rng.random() < 0.7 else MEAN
    return _Combination(a, b, c, rng.randint(-3, 5), rng.randint(-3, 5), var_x, var_y, cov, ask)


def _combination_valid(inst: _Combination) -> bool:
    """A non-trivial instance in which every slip gives its own wrong value."""
    if inst.ask == MEAN:
        if inst.mean == 0 or inst.mean_x == 0 or inst.mean_y == 0:
            return False
    elif inst.variance <= 0 or (abs(inst.a) == 1 and abs(inst.b) == 1):
        return False  # a degenerate covariance matrix, or no squared coefficient to matter
    wrong = [value for value, _, _ in _combination_slips(inst)]
    right = inst.mean if inst.ask == MEAN else inst.variance
    return len({right, *wrong}) == 1 + len(wrong)


def _draw_table(rng: random.Random) -> _Table:
    size = rng.choice([3, 3, 4])
    values = tuple(sorted(rng.sample(range(-3, 7), size)))
    cuts = sorted(rng.sample(range(1, 10), size - 1))
    tenths = [b - a for a, b in zip([0, *cuts], [*cuts, 10], strict=True)]
    probabilities = tuple(Fraction(t, 10) for t in tenths)
    a, c = (1, 0) if rng.random() < 0.5 else (_nonzero(rng, -3, 3), _nonzero(rng, -5, 5))
    return _Table(values, probabilities, a, c)


def _table_valid(inst: _Table) -> bool:
    """The mean is neither 0 nor 1, so forgetting to square it, or to subtract it, shows."""
    return inst.moment(1) not in (0, 1)


def _combination_slips(inst: _Combination) -> list[Slip]:
    a, b, c = inst.a, inst.b, inst.c
    if inst.ask == MEAN:
        return [
            (
                Fraction(inst.mean - c),
                "The constant shifts the mean: E[aX + bY + c] = a E[X] + b E[Y] + c.",
                "constant-dropped",
            ),
            (
                Fraction(a * a * inst.mean_x + b * b * inst.mean_y + c),
                "Expectation is linear: coefficients come out as they are, unsquared (only "
                "the variance squares them).",
                "coefficient-squared",
            ),
        ]
    cross = 2 * a * b * inst.cov
    plain = a * a * inst.var_x + b * b * inst.var_y
    slips: list[Slip] = [
        (
            Fraction(a * inst.var_x + b * inst.var_y + cross),
            "Each coefficient comes out of the variance squared: Var(aX) = a² Var(X).",
            "coefficient-not-squared",
        ),
        (
            Fraction(inst.variance + c),
            "A constant shifts the distribution without spreading it: it adds nothing to "
            "the variance.",
            "constant-in-variance",
        ),
    ]
    if a < 0 or b < 0:
        slips.append(
            (
                Fraction(
                    math.copysign(1, a) * a * a * inst.var_x
                    + math.copysign(1, b) * b * b * inst.var_y
                    + cross
                ),
                "Variances never subtract: a minus sign in front of a variable is squared "
                "away, so Var(X − Y) = Var(X) + Var(Y) for independent X and Y.",
                "variance-subtracted",
            )
        )
    if inst.cov:
        slips.append(
            (
                Fraction(plain),
                "X and Y are correlated: the covariance term 2ab Cov(X, Y) belongs in the "
                "variance.",
                "covariance-dropped",
            )
        )
        slips.append(
            (
                Fraction(plain + a * b * inst.cov),
                "The cross term is 2ab Cov(X, Y): it counts both Cov(aX, bY) and Cov(bY, aX).",
                "covariance-not-doubled",
            )
        )
    return slips


def _table_slips(inst: _Table) -> list[Slip]:
    a = inst.a
    square = Fraction(a * a)
    mean, second = inst.moment(1), inst.moment(2)
    n = len(inst.values)
    flat_mean = Fraction(sum(inst.values), n)
    flat_var = Fraction(sum(v * v for v in inst.values), n) - flat_mean**2
    slips: list[Slip] = [
        (
            square * second,
            "That is E[X²]: the variance subtracts the squared mean, Var(X) = E[X²] − E[X]².",
            "mean-not-subtracted",
        ),
        (
            square * (second - mean),
            "Square the mean before subtracting: Var(X) = E[X²] − (E[X])².",
            "mean-not-squared",
        ),
        (
            square * flat_var,
            "The values are not equally likely: weight each by its probability.",
            "probabilities-ignored",
        ),
    ]
    if inst.c or a != 1:
        slips.extend(
            [
                (
                    a * inst.var_x,
                    "The coefficient comes out of the variance squared: Var(aX + c) = a² Var(X).",
                    "coefficient-not-squared",
                ),
                (
                    a * a * inst.var_x + inst.c,
                    "A constant shifts the distribution without spreading it: it adds nothing "
                    "to the variance.",
                    "constant-in-variance",
                ),
            ]
        )
    return slips


def _expression(a: int, b: int | None, c: int) -> str:
    """``2X - 3Y + 1`` in LaTeX (``b`` None: ``aX + c``)."""
    text = _coefficient(a, "X", first=True)
    if b is not None:
        text += _coefficient(b, "Y", first=False)
    return text + (f" {signed_term(c)}" if c else "")


def _coefficient(k: int, name: str, first: bool) -> str:
    size = "" if abs(k) == 1 else str(abs(k))
    if first:
        return f"{'-' if k < 0 else ''}{size}{name}"
    return f" {'-' if k < 0 else '+'} {size}{name}"


def _build_combination(inst: _Combination) -> Draft:
    a, b, c = inst.a, inst.b, inst.c
    expr = _expression(a, b, c)
    relation = (
        "independent" if not inst.cov else f"correlated, {inline(f'{COV}(X, Y) = {inst.cov}')}"
    )
    moments = (
        f"{inline(f'{E}[X] = {inst.mean_x}')}, {inline(f'{VAR}(X) = {inst.var_x}')}, "
        f"{inline(f'{E}[Y] = {inst.mean_y}')} and {inline(f'{VAR}(Y) = {inst.var_y}')}"
    )
    target = f"{E}[{expr}]" if inst.ask == MEAN else f"{VAR}({expr})"
    value = inst.mean if inst.ask == MEAN else inst.variance
    prompt = (
        f"The random variables {inline('X')} and {inline('Y')} are {relation}; "
        f"{moments}.\n\nWhat is {inline(target)}?\n\n{how_to_answer(value)}"
    )
    if inst.ask == MEAN:
        rule = f"{E}[aX + bY + c] = a {E}[X] + b {E}[Y] + c"
        work = (
            f"{target} = {paren(a)} \\cdot {paren(inst.mean_x)} + {paren(b)} \\cdot "
            f"{paren(inst.mean_y)} + {paren(c)} = {value}"
        )
        solution = (
            f"Expectation is linear (independence is not needed): {inline(rule)}.",
            f"Here: {inline(work)}.",
            answer_line(str(value)),
        )
        hints = (
            "Expectation is linear: take each term's mean.",
            "A constant's mean is the constant itself.",
            "Coefficients come out of an expectation as they are, signs included.",
        )
    else:
        rule = f"{VAR}(aX + bY + c) = a^{{2}} {VAR}(X) + b^{{2}} {VAR}(Y) + 2ab \\, {COV}(X, Y)"
        work = (
            f"{target} = {paren(a)}^{{2}} \\cdot {inst.var_x} + {paren(b)}^{{2}} \\cdot "
            f"{inst.var_y}"
        )
        if inst.cov:
            work += f" + 2 \\cdot {product([a, b])} \\cdot {paren(inst.cov)}"
        work += f" = {value}"
        covariance = (
            "independence makes the covariance 0"
            if not inst.cov
            else "the covariance term counts both cross products"
        )
        solution = (
            f"The constant shifts without spreading, and coefficients come out squared: "
            f"{inline(rule)} ({covariance}).",
            f"Here: {inline(work)}.",
            answer_line(str(value)),
        )
        hints = (
            f"Adding a constant does not change a variance: {inline(f'{VAR}(Z + c) = {VAR}(Z)')}.",
            f"Scaling by {inline('a')} scales the variance by {inline('a^{2}')}, so a minus "
            "sign disappears.",
            f"For correlated variables add {inline(CROSS)}; for independent ones that term is 0.",
        )
    params = {
        "a": a,
        "b": b,
        "c": c,
        "mean_x": inst.mean_x,
        "mean_y": inst.mean_y,
        "var_x": inst.var_x,
        "var_y": inst.var_y,
        "cov": inst.cov,
        "ask": inst.ask,
    }
    answer = number_answer(value, _combination_slips(inst))
    return Draft(prompt, answer, solution, hints, params)


def _build_table(inst: _Table) -> Draft:
    a, c = inst.a, inst.c
    target = f"{VAR}(X)" if a == 1 and not c else f"{VAR}({_expression(a, None, c)})"
    mean, second = inst.moment(1), inst.moment(2)
    value = a * a * inst.var_x
    listing = ", ".join(
        inline(f"P(X = {v}) = {latex_number(p)}")
        for v, p in zip(inst.values, inst.probabilities, strict=True)
    )
    prompt = (
        f"A random variable {inline('X')} takes the values "
        f"{', '.join(inline(str(v)) for v in inst.values)} with probabilities {listing}.\n\n"
        f"What is {inline(target)}?\n\n{how_to_answer(value)}"
    )
    first = " + ".join(
        f"{paren(v)} \\cdot {latex_number(p)}"
        for v, p in zip(inst.values, inst.probabilities, strict=True)
    )
    squares = " + ".join(
        f"{paren(v)}^{{2}} \\cdot {latex_number(p)}"
        for v, p in zip(inst.values, inst.probabilities, strict=True)
    )
    var_x = (
        f"{VAR}(X) = {E}[X^{{2}}] - {E}[X]^{{2}} = {latex_number(second)} - "
        f"{paren(mean)}^{{2}} = {latex_number(inst.var_x)}"
    )
    solution = [
        f"Mean: {inline(f'{E}[X] = {first} = {latex_number(mean)}')}.",
        f"Second moment: {inline(f'{E}[X^{{2}}] = {squares} = {latex_number(second)}')}.",
        f"Variance: {inline(var_x)}.",
    ]
    if a != 1 or c:
        scaled = f"{target} = {paren(a)}^{{2}} \\cdot {latex_number(inst.var_x)} = "
        solution.append(
            "The constant does not spread the distribution and the coefficient comes out "
            f"squared: {inline(scaled + latex_number(value))}."
        )
    solution.append(answer_line(number_text(value)))
    hints = (
        f"Compute {inline(f'{E}[X]')} and {inline(f'{E}[X^{{2}}]')}, each a probability-weighted "
        "sum.",
        f"Then {inline(f'{VAR}(X) = {E}[X^{{2}}] - {E}[X]^{{2}}')}.",
        f"{inline(f'{VAR}(aX + c) = a^{{2}} {VAR}(X)')}: the constant drops out.",
    )
    params = {
        "values": list(inst.values),
        "probabilities": [plain_number(p) for p in inst.probabilities],
        "a": a,
        "c": c,
    }
    return Draft(prompt, number_answer(value, _table_slips(inst)), tuple(solution), hints, params)


def build(rng: random.Random, difficulty: int) -> Draft:
    """The mean or variance of ``aX + bY + c``, or the variance of a tabulated X (or aX + c)."""
    if difficulty < 3:
        draw: Callable[[random.Random], _Combination] = partial(
            _draw_combination, difficulty=difficulty
        )
        return _build_combination(draw_until(rng, draw, _combination_valid))
    return _build_table(draw_until(rng, _draw_table, _table_valid))


FAMILY = Family(
    name="expectation_variance",
    title="Mean and variance of a combination",
    description="E and Var of aX + bY + c (independent or correlated), or of a small distribution.",
    build=build,
    target_seconds=(60, 90, 180),
    levels=(
        "independent X and Y, small integers: E or Var of aX + bY + c",
        "correlated X and Y with a given covariance: Var of aX + bY + c",
        "a distribution given by a probability table: Var(X) or Var(aX + c)",
    ),
)
