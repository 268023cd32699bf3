"""``hessian_classify``: minimum, maximum or saddle? The second-derivative test in 2-D.

Each instance is built backwards from the answer: pick the critical point, the Hessian there
and a cubic part, then solve for the quadratic and linear coefficients, so the point is
critical by construction (and exactly: every coefficient is an integer). Difficulty 1 is a
quadratic (constant Hessian); 2 adds ``x³``/``y³`` terms (the Hessian depends on the point);
3 adds every cubic monomial and the degenerate case ``det H = 0`` (option "inconclusive").
Saddles with a positive (or negative) diagonal are drawn on purpose: the cross term decides.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import choice_answer
from quizcalc.problems.family import Draft, Family
from quizcalc.problems.numbers import latex_number, round_sig
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, inline

__all__ = ["FAMILY", "INCONCLUSIVE", "MAXIMUM", "MINIMUM", "SADDLE"]

MINIMUM = "minimum"
MAXIMUM = "maximum"
SADDLE = "saddle point"
INCONCLUSIVE = "inconclusive"

Matrix = tuple[tuple[int, int], tuple[int, int]]

_DEGENERATE = ((1, 1), (1, 4), (4, 1), (2, 2), (1, 0), (0, 1), (3, 3), (1, 9), (9, 1))
"""(m, n) with m·n a perfect square: H = [[2m, ±2√(mn)], [±2√(mn), 2n]] has det 0."""


@dataclass(frozen=True)
class _Instance:
    f: Polynomial
    point: tuple[int, int]
    hessian: Matrix
    verdict: str


def _target_hessian(rng: random.Random, verdict: str) -> Matrix:
    if verdict == INCONCLUSIVE:
        m, n = rng.choice(_DEGENERATE)
        off = 2 * math.isqrt(m * n) * rng.choice([-1, 1])
        sign = rng.choice([-1, 1])
        return ((sign * 2 * m, sign * off), (sign * off, sign * 2 * n))
    if verdict == SADDLE:
        style = rng.choice(["mixed", "trap", "trap", "cross"])
        if style == "cross":
            off = rng.choice([-3, -2, -1, 1, 2, 3])
            return ((0, off), (off, 0))
        h11, h22 = 2 * rng.randint(1, 3), 2 * rng.randint(1, 3)
        if style == "mixed":
            h22 = -h22
            off = rng.randint(-3, 3)
        else:  # same-sign diagonal, but the cross term wins: det < 0
            off = rng.choice([-1, 1]) * (math.isqrt(h11 * h22) + rng.randint(1, 3))
        sign = rng.choice([-1, 1])
        return ((sign * h11, sign * off), (sign * off, sign * h22))
    h11, h22 = 2 * rng.randint(1, 3), 2 * rng.randint(1, 3)
    limit = math.isqrt(h11 * h22 - 1)  # off² < h11·h22 keeps it definite
    off = rng.randint(-limit, limit)
    sign = 1 if verdict == MINIMUM else -1
    return ((sign * h11, sign * off), (sign * off, sign * h22))


def _cubic(rng: random.Random, difficulty: int) -> dict[tuple[int, ...], int]:
    if difficulty == 1:
        return {}
    if difficulty == 2:
        coefficients: dict[tuple[int, ...], int] = {
            (3, 0): rng.choice([-1, 0, 1]),
            (0, 3): rng.choice([-1, 0, 1]),
        }
        if not any(coefficients.values()):
            coefficients[rng.choice([(3, 0), (0, 3)])] = rng.choice([-1, 1])
        return coefficients
    monomials = [(3, 0), (2, 1), (1, 2), (0, 3)]
    chosen = rng.sample(monomials, rng.randint(1, 2))
    return {m: rng.choice([-1, 1]) for m in chosen}


def _draw(rng: random.Random, difficulty: int) -> _Instance:
    verdicts = [MINIMUM, MAXIMUM, SADDLE] + ([INCONCLUSIVE] if difficulty == 3 else [])
    verdict = rng.choice(verdicts)
    target = _target_hessian(rng, verdict)
    span = 1 if difficulty == 1 else 2
    point = (rng.randint(-span, span), rng.randint(-span, span))
    cubic = Polynomial.build("xy", _cubic(rng, difficulty))
    (c11, c12), (_, c22) = ((h(*point) for h in row) for row in cubic.hessian())
    quadratic = Polynomial.build(
        "xy",
        {
            (2, 0): (target[0][0] - c11) / 2,
            (1, 1): target[0][1] - c12,
            (0, 2): (target[1][1] - c22) / 2,
        },
    )
    partial = cubic + quadratic
    gx, gy = (g(*point) for g in partial.gradient())
    f = partial + Polynomial.build("xy", {(1, 0): -gx, (0, 1): -gy})
    return _Instance(f, point, target, verdict)


def _eigen_text(h: Matrix) -> tuple[str, tuple[float, float]]:
    trace = h[0][0] + h[1][1]
    det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
    disc = trace * trace - 4 * det
    root = math.isqrt(disc)
    low, high = (trace - math.sqrt(disc)) / 2, (trace + math.sqrt(disc)) / 2
    if root * root == disc:
        exact = sorted({Fraction(trace - root, 2), Fraction(trace + root, 2)})
        text = ", ".join(latex_number(v) for v in exact)
        return f"\\lambda = {text}", (low, high)
    approx = f"{round_sig(low, 3)}, {round_sig(high, 3)}"
    return f"\\lambda = \\frac{{{trace} \\pm \\sqrt{{{disc}}}}}{{2}} \\approx {approx}", (low, high)


def _matrix(h: Matrix) -> str:
    return f"\\begin{{bmatrix}} {h[0][0]} & {h[0][1]} \\\\ {h[1][0]} & {h[1][1]} \\end{{bmatrix}}"


def _reason(h: Matrix, verdict: str) -> str:
    det = h[0][0] * h[1][1] - h[0][1] ** 2
    return {
        MINIMUM: f"{inline(f'{DET} = {det} > 0')} and {inline(f'{TRACE} > 0')}: both eigenvalues "
        "are positive (positive definite), the surface curves up in every direction",
        MAXIMUM: f"{inline(f'{DET} = {det} > 0')} and {inline(f'{TRACE} < 0')}: both eigenvalues "
        "are negative (negative definite), the surface curves down in every direction",
        SADDLE: f"{inline(f'{DET} = {det} < 0')}: the eigenvalues have opposite signs, up in one "
        "direction and down in another",
        INCONCLUSIVE: f"{inline(f'{DET} = 0')}: one eigenvalue is 0, so the second-derivative "
        "test cannot decide (higher-order terms would)",
    }[verdict]


DET = "\\det H"
TRACE = "\\operatorname{tr} H"
FXX = "\\frac{\\partial^2 f}{\\partial x^2}"
FXY = "\\frac{\\partial^2 f}{\\partial x\\partial y}"
FYY = "\\frac{\\partial^2 f}{\\partial y^2}"
"""The second partials as the worked solution writes them (never ``f_{xx}``, whose
subscripts a terminal shows as ``fₓₓ`` beside ``f_xy``)."""

_FXX, _FXY, _FYY = "∂²f/∂x²", "∂²f/∂x∂y", "∂²f/∂y²"
"""The same in feedback, which is shown as written: plain Unicode maths."""

_DET = f"det H = ({_FXX})·({_FYY}) − ({_FXY})²"

_NEEDS = {
    MINIMUM: f"A minimum needs both eigenvalues positive, det H > 0 and {_FXX} > 0: the "
    "surface bends up in every direction.",
    MAXIMUM: f"A maximum needs both eigenvalues negative, det H > 0 and {_FXX} < 0: the "
    "surface bends down in every direction.",
    SADDLE: "A saddle point needs eigenvalues of opposite signs, det H < 0.",
    INCONCLUSIVE: "The test is inconclusive only when det H = 0 exactly (a zero eigenvalue).",
}
"""What each option requires of the Hessian at the point (only the learner's option, never
the right one, goes into a message)."""


def _slips(h: Matrix, verdict: str, options: list[str]) -> list[tuple[str, str, str]]:
    """For each wrong option, the likely slip behind it and a tutor's reply.

    The replies are shown before the learner gives up, so they name the slip and what the
    chosen option would require (det H, the sign of f_xx) but never the right option, nor the
    value of det H or the eigenvalues' signs that would settle it.
    """
    slips: list[tuple[str, str, str]] = []
    if verdict == SADDLE and h[0][0] * h[1][1] > 0:
        looks = MINIMUM if h[0][0] > 0 else MAXIMUM
        slips.append(
            (
                looks,
                f"{_FXX} and {_FYY} of the same sign are not enough; the cross term {_FXY} "
                f"counts too. {_NEEDS[looks]} Compute {_DET} at the point.",
                "diagonal-only",
            )
        )
    if verdict in (MINIMUM, MAXIMUM):
        other = MAXIMUM if verdict == MINIMUM else MINIMUM
        slips.append(
            (
                other,
                f"Check which sign goes with which. {_NEEDS[other]} Recheck the sign of {_FXX} "
                "at the point.",
                "curvature-sign",
            )
        )
        slips.append(
            (
                SADDLE,
                "A nonzero cross term alone does not make a saddle point: it needs eigenvalues "
                f"of opposite signs, det H < 0. Recompute {_DET} at the point.",
                "eigenvalue-signs",
            )
        )
    if verdict == INCONCLUSIVE:
        for option in (MINIMUM, MAXIMUM, SADDLE):
            slips.append(
                (
                    option,
                    f"Decide from det H, not from the diagonal alone. {_NEEDS[option]} "
                    f"Compute {_DET} exactly at the point.",
                    "degenerate-test",
                )
            )
    elif INCONCLUSIVE in options:
        slips.append(
            (
                INCONCLUSIVE,
                f"{_NEEDS[INCONCLUSIVE]} Recompute {_FXX}, {_FXY} and {_FYY} at the point, "
                f"then {_DET}.",
                "degenerate-test",
            )
        )
    slips.extend(
        (option, f"Check {_DET} at the point first. {_NEEDS[option]}", "eigenvalue-signs")
        for option in options
    )
    return [s for s in slips if s[0] != verdict]


def build(rng: random.Random, difficulty: int) -> Draft:
    """A polynomial with a known critical point and Hessian; the answer is the verdict."""
    inst = _draw(rng, difficulty)
    f, (x0, y0), h = inst.f, inst.point, inst.hessian
    options = [MINIMUM, MAXIMUM, SADDLE] + ([INCONCLUSIVE] if difficulty == 3 else [])
    listing = "\n".join(f"{i}. {o}" for i, o in enumerate(options, start=1))
    question = (
        "What does the second-derivative (Hessian) test conclude there?"
        if difficulty == 3
        else "Use the Hessian to classify it."
    )
    prompt = (
        f"The function\n\n\\[ f(x, y) = {f.latex()} \\]\n\n"
        f"has a critical point at {inline(f'({x0}, {y0})')} (the gradient is zero there). "
        f"{question}\n\n{listing}\n\nAnswer with the option's text or its number."
    )
    fx, fy = f.gradient()
    (fxx, fxy), (_, fyy) = f.hessian()
    eigen, _ = _eigen_text(h)
    det = h[0][0] * h[1][1] - h[0][1] ** 2
    trace = h[0][0] + h[1][1]
    reason = _reason(h, inst.verdict)
    conclusion = inst.verdict if inst.verdict == INCONCLUSIVE else f"a {inst.verdict}"
    solution = (
        _gradient_line(fx, fy, x0, y0),
        _second_line(fxx, fxy, fyy),
        f"At the point: \\[ H = {_matrix(h)} \\]",
        _eigen_line(det, trace, eigen),
        f"Since {reason}: {conclusion}.",
        answer_line(inst.verdict),
    )
    hints = (
        f"Compute the three second partials {inline(FXX)}, {inline(FXY)}, {inline(FYY)} and "
        "evaluate them at the point.",
        f"Look at {inline(DET_FORMULA)} first: negative means saddle.",
        f"If {inline(DET + ' > 0')}, the sign of {inline(FXX)} (or of the trace) tells minimum "
        "from maximum.",
    )
    params = {
        "f": f.plain(),
        "point": [x0, y0],
        "hessian": [list(row) for row in h],
        "verdict": inst.verdict,
    }
    answer = choice_answer(options, inst.verdict, _slips(h, inst.verdict, options))
    return Draft(prompt, answer, solution, hints, params)


DET_FORMULA = f"{DET} = {FXX} {FYY} - \\left({FXY}\\right)^2"


def _gradient_line(fx: Polynomial, fy: Polynomial, x0: int, y0: int) -> str:
    grads = (
        f"\\frac{{\\partial f}}{{\\partial x}} = {fx.latex()}, \\; "
        f"\\frac{{\\partial f}}{{\\partial y}} = {fy.latex()}"
    )
    return f"Gradient: {inline(grads)}; both are 0 at {inline(f'({x0}, {y0})')}."


def _second_line(fxx: Polynomial, fxy: Polynomial, fyy: Polynomial) -> str:
    seconds = f"{FXX} = {fxx.latex()}, \\; {FXY} = {fxy.latex()}, \\; {FYY} = {fyy.latex()}"
    return f"Second partials: {inline(seconds)}."


def _eigen_line(det: int, trace: int, eigen: str) -> str:
    summary = f"{DET} = {det}, \\; {TRACE} = {trace}"
    return f"{inline(summary)}; eigenvalues {inline(eigen)}."


FAMILY = Family(
    name="hessian_classify",
    title="Classify a critical point",
    description="Build the Hessian at a critical point and tell minimum, maximum and saddle apart.",
    build=build,
    target_seconds=(90, 150, 210),
    levels=(
        "quadratic f (constant Hessian), minimum / maximum / saddle",
        "cubic terms x³, y³: evaluate the Hessian at the point",
        "any cubic terms, and the degenerate det H = 0 case (inconclusive)",
    ),
)
