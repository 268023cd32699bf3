"""``convexity``: is this function convex? Curvature everywhere, not just somewhere.

Difficulty 1: a one-variable function (quadratic, exponential, quartic, cubic, sine plus a
parabola, softplus, a Gaussian bump), answer convex / not convex from ``f''``. Difficulty 2: a
two-variable quadratic, convex / concave / neither from its constant Hessian (positive
diagonal with a dominant cross term is the trap). Difficulty 3: sums of two-variable pieces
(squares and exponentials of linear functions, x⁴, xy, x³, sin(x + y), x²y), where "neither"
is proved by two witness points.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from quizcalc.problems.expected import choice_answer
from quizcalc.problems.families.convexity_atoms import (
    CONVEX_ATOMS,
    INDEFINITE_ATOMS,
    Atom,
    curve,
    tidy_plain,
)
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import round_sig
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, inline

__all__ = ["CONCAVE", "CONVEX", "FAMILY", "NEITHER", "NOT_CONVEX"]

CONVEX = "convex"
NOT_CONVEX = "not convex"
CONCAVE = "concave"
NEITHER = "neither"
F2 = "f''(x) = "
APPROX = "\\lambda \\approx"
_GRID = tuple(v / 2 for v in range(-4, 5))
_NEAR_ORIGIN_FIRST = sorted(
    ((x, y) for x in _GRID for y in _GRID), key=lambda p: (abs(p[0]) + abs(p[1]), p)
)
"""Candidate witness points, −2 … 2 in steps of ½, the simplest (nearest the origin) first."""


_NEEDS = {
    CONVEX: "For convex, H must be positive semi-definite: both diagonal entries ≥ 0 and "
    "det H ≥ 0.",
    CONCAVE: "For concave, H must be negative semi-definite: both diagonal entries ≤ 0 and "
    "det H ≥ 0.",
    NEITHER: "For neither, H must be indefinite: det H < 0, one eigenvalue of each sign.",
}
"""What each two-variable option requires of the Hessian (only the learner's option, never the
right one, goes into a message)."""


def _listing(options: list[str]) -> str:
    return "\n".join(f"{i}. {o}" for i, o in enumerate(options, start=1))


def _eigenvalues(fxx: float, fxy: float, fyy: float) -> tuple[float, float]:
    mean = (fxx + fyy) / 2
    spread = math.hypot((fxx - fyy) / 2, fxy)
    return mean - spread, mean + spread


def _one_variable(rng: random.Random) -> Draft:
    c = curve(rng)
    verdict = CONVEX if c.convex else NOT_CONVEX
    options = [CONVEX, NOT_CONVEX]
    prompt = (
        f"Is \\(f(x) = {c.latex}\\) convex on all of \\(\\mathbb{{R}}\\)?\n\n{_listing(options)}"
        "\n\nAnswer with the option's text or its number."
    )
    solution = [
        "A twice-differentiable \\(f\\) of one variable is convex exactly when "
        "\\(f''(x) \\ge 0\\) for every \\(x\\).",
        f"Here {inline(F2 + c.second_latex)}.",
        f"{c.reason}. So \\(f\\) is {verdict}.",
        answer_line(verdict),
    ]
    # Shown before give-up: name the slip and what to check, never the verdict or c.reason.
    if c.convex and c.decreasing_somewhere:
        message = (
            "Convexity is about curvature, not slope: f going down somewhere says nothing "
            "about how it bends. For not convex, f needs some x with f''(x) < 0: check the sign of "
            "f'', not of f'."
        )
        slips = [(NOT_CONVEX, message, "slope-vs-curvature")]
    elif c.convex and c.sum_of_pieces:
        message = (
            "One piece curving down in places (sin x) does not settle it for the sum: "
            "check f'' of the whole function, and how large sin x can get."
        )
        slips = [(NOT_CONVEX, message, "pieces-vs-sum")]
    elif c.convex:
        message = (
            "For not convex, f needs some x with f''(x) < 0: differentiate twice, simplify f'', "
            "and check whether it really is negative anywhere."
        )
        slips = [(NOT_CONVEX, message, "curvature-check")]
    else:
        message = (
            "For convex, f''(x) ≥ 0 is needed at every single x, not just at most of them: "
            "differentiate twice, mind the signs, and check f'' at a few points, x = 0 "
            "and a negative x included."
        )
        slips = [(CONVEX, message, "pointwise-curvature")]
    hints = (
        "Differentiate twice.",
        "Convex means \\(f''(x) \\ge 0\\) for every \\(x\\): look for any \\(x\\) where it is "
        "negative.",
        "Try \\(x = 0\\) and a negative \\(x\\).",
    )
    params = {"f": tidy_plain(c.plain), "verdict": verdict, "witness": c.witness}
    return Draft(prompt, choice_answer(options, verdict, slips), tuple(solution), hints, params)


@dataclass(frozen=True)
class _Quadratic:
    a: int
    b: int
    c: int

    @property
    def verdict(self) -> str:
        """Convex, concave or neither, from the constant Hessian [[2a, b], [b, 2c]]."""
        det = 4 * self.a * self.c - self.b * self.b
        if det >= 0 and self.a >= 0 and self.c >= 0:
            return CONVEX
        if det >= 0 and self.a <= 0 and self.c <= 0:
            return CONCAVE
        return NEITHER


def _draw_quadratic(rng: random.Random) -> _Quadratic:
    target = rng.choice([CONVEX, CONCAVE, NEITHER, NEITHER])
    a, c = rng.randint(1, 4), rng.randint(1, 4)
    if target == NEITHER and rng.random() < 0.5:
        c = -c  # opposite signs on the diagonal
        b = rng.randint(-4, 4)
    elif target == NEITHER:  # the trap: positive diagonal, cross term wins
        b = rng.choice([-1, 1]) * (math.isqrt(4 * a * c) + rng.randint(1, 3))
    else:
        b = rng.randint(-math.isqrt(4 * a * c), math.isqrt(4 * a * c))
    sign = -1 if target == CONCAVE or (target == NEITHER and rng.random() < 0.5) else 1
    return _Quadratic(sign * a, sign * b, sign * c)


def _two_variable_quadratic(rng: random.Random) -> Draft:
    q = _draw_quadratic(rng)
    d, e = rng.randint(-4, 4), rng.randint(-4, 4)
    f = Polynomial.build("xy", {(2, 0): q.a, (1, 1): q.b, (0, 2): q.c, (1, 0): d, (0, 1): e})
    options = [CONVEX, CONCAVE, NEITHER]
    verdict = q.verdict
    det = 4 * q.a * q.c - q.b * q.b
    h = f"\\begin{{bmatrix}} {2 * q.a} & {q.b} \\\\ {q.b} & {2 * q.c} \\end{{bmatrix}}"
    prompt = (
        f"Is \\(f(x, y) = {f.latex()}\\) convex, concave, or neither on "
        f"\\(\\mathbb{{R}}^2\\)?\n\n{_listing(options)}\n\nAnswer with the option's text or "
        "its number."
    )
    why = {
        CONVEX: "the diagonal is \\(\\ge 0\\) and \\(\\det H \\ge 0\\): positive semi-definite",
        CONCAVE: "the diagonal is \\(\\le 0\\) and \\(\\det H \\ge 0\\): negative semi-definite",
        NEITHER: (
            "\\(\\det H < 0\\): the eigenvalues have opposite signs"
            if det < 0
            else "the diagonal entries have opposite signs"
        ),
    }[verdict]
    solution = [
        "A quadratic's Hessian is constant: \\(f\\) is convex iff \\(H\\) is positive "
        "semi-definite, concave iff negative semi-definite.",
        f"Here \\[ H = {h}, \\qquad \\det H = {det} \\]",
        f"Since {why}: {verdict}.",
        answer_line(verdict),
    ]
    # Shown before give-up: what the chosen option needs, never det H or the verdict.
    slips = []
    if verdict == NEITHER and det < 0 and q.a * q.c > 0:
        looks = CONVEX if q.a > 0 else CONCAVE
        slips.append(
            (
                looks,
                "Diagonal entries of one sign are not enough; the cross term xy counts too. "
                f"{_NEEDS[looks]} Compute det H = 4ac − b² for H = [[2a, b], [b, 2c]].",
                "diagonal-only",
            )
        )
    slips.extend(
        (
            o,
            "Build H = [[2a, b], [b, 2c]] from ax² + bxy + cy², minding the factor 2 on the "
            f"diagonal and the signs. {_NEEDS[o]}",
            "hessian-definiteness",
        )
        for o in options
        if o != verdict
    )
    hints = (
        "The Hessian of \\(ax^{2} + bxy + cy^{2}\\) is "
        "\\[ H = \\begin{bmatrix} 2a & b \\\\ b & 2c \\end{bmatrix} \\]",
        "Positive semi-definite: both diagonal entries \\(\\ge 0\\) and \\(\\det H \\ge 0\\).",
        "\\(\\det H < 0\\) means one eigenvalue of each sign: neither.",
    )
    params = {"f": f.plain(), "verdict": verdict, "hessian": [[2 * q.a, q.b], [q.b, 2 * q.c]]}
    return Draft(prompt, choice_answer(options, verdict, slips), tuple(solution), hints, params)


@dataclass(frozen=True)
class _Sum:
    pieces: tuple[tuple[int, Atom], ...]

    def hessian(self, x: float, y: float) -> tuple[float, float, float]:
        """``(f_xx, f_xy, f_yy)`` of the sum at ``(x, y)``."""
        total = [0.0, 0.0, 0.0]
        for coef, atom in self.pieces:
            for i, v in enumerate(atom.hessian(x, y)):
                total[i] += coef * v
        return total[0], total[1], total[2]

    def latex(self) -> str:
        """The sum in LaTeX."""
        out = ""
        for i, (coef, atom) in enumerate(self.pieces):
            magnitude = "" if abs(coef) == 1 else str(abs(coef))
            if i == 0:
                out += f"{'-' if coef < 0 else ''}{magnitude}{atom.latex}"
            else:
                out += f" {'-' if coef < 0 else '+'} {magnitude}{atom.latex}"
        return out

    def plain(self) -> str:
        """The sum in the grader's syntax."""
        parts = [f"{coef}*{atom.plain}" for coef, atom in self.pieces]
        return " + ".join(parts).replace("+ -", "- ")

    def witness(self, sign: int) -> tuple[float, float, float] | None:
        """A grid point where the Hessian has an eigenvalue of ``sign`` (clearly: |λ| ≥ 0.1)."""
        for x, y in _NEAR_ORIGIN_FIRST:
            low, high = _eigenvalues(*self.hessian(x, y))
            if sign < 0 and low <= -0.1:
                return x, y, low
            if sign > 0 and high >= 0.1:
                return x, y, high
        return None


def _draw_sum(rng: random.Random, verdict: str) -> _Sum:
    if verdict == NEITHER:
        convex = rng.choice(CONVEX_ATOMS)
        other = rng.choice(INDEFINITE_ATOMS)
        pieces = [(rng.randint(1, 2), convex), (rng.choice([-3, -2, -1, 1, 2, 3]), other)]
        rng.shuffle(pieces)
        return _Sum(tuple(pieces))
    first, second = rng.sample(CONVEX_ATOMS, 2)
    sign = 1 if verdict == CONVEX else -1
    return _Sum(((sign * rng.randint(1, 3), first), (sign * rng.randint(1, 3), second)))


def _sum_valid(s: _Sum, verdict: str) -> bool:
    if frozenset().union(*(atom.variables for _, atom in s.pieces)) != frozenset("xy"):
        return False
    if verdict == NEITHER:
        return s.witness(-1) is not None and s.witness(1) is not None
    return True


def _two_variable_sum(rng: random.Random) -> Draft:
    verdict = rng.choice([CONVEX, CONCAVE, NEITHER])
    s = draw_until(rng, lambda r: _draw_sum(r, verdict), lambda c: _sum_valid(c, verdict))
    options = [CONVEX, CONCAVE, NEITHER]
    prompt = (
        f"Is \\(f(x, y) = {s.latex()}\\) convex, concave, or neither on "
        f"\\(\\mathbb{{R}}^2\\)?\n\n{_listing(options)}\n\nAnswer with the option's text or "
        "its number."
    )
    whys = "; ".join(atom.why for _, atom in s.pieces)
    if verdict == NEITHER:
        down = s.witness(-1)
        up = s.witness(1)
        assert down is not None and up is not None
        steps = [
            f"Check the Hessian at a few points ({whys}).",
            f"At {inline(f'({down[0]:g}, {down[1]:g})')} the Hessian has an eigenvalue "
            f"{inline(f'{APPROX} {round_sig(down[2], 3):g} < 0')}: not convex.",
            f"At {inline(f'({up[0]:g}, {up[1]:g})')} it has an eigenvalue "
            f"{inline(f'{APPROX} {round_sig(up[2], 3):g} > 0')}: not concave.",
            "So \\(f\\) is neither.",
        ]
    else:
        steps = [
            f"Each piece is convex: {whys}.",
            "A positive combination of convex functions is convex"
            + (
                "."
                if verdict == CONVEX
                else "; here every coefficient is negative, so \\(-f\\) is convex and \\(f\\) is "
                "concave."
            ),
        ]
    solution = [*steps, answer_line(verdict)]
    # Shown before give-up: name the slip and what to check, never the verdict or the whys.
    slips = []
    if verdict == NEITHER:
        message = (
            "One convex piece doesn't make the sum convex: check the other piece too, and "
            "look for a point where the Hessian of the whole sum has a negative eigenvalue."
        )
        slips.append((CONVEX, message, "one-piece-convex"))
        message = (
            "For concave, the Hessian must be negative semi-definite at every point: check "
            "each piece with the sign of its coefficient, and look for a point where the "
            "Hessian has a positive eigenvalue."
        )
        slips.append((CONCAVE, message, "one-piece-convex"))
    else:
        other = CONCAVE if verdict == CONVEX else CONVEX
        message = (
            "Check each piece's own curvature and the sign in front of it: multiplying a "
            "function by a negative number flips its curvature, a positive number keeps it."
        )
        slips.append((other, message, "sign-flip"))
        message = (
            "For neither, f needs two witness points, one where the Hessian has a negative "
            "eigenvalue and one where it has a positive one. Check each piece and the sign of "
            "its coefficient first: pieces that all curve the same way cannot give both."
        )
        slips.append((NEITHER, message, "pieces-vs-sum"))
    hints = (
        "Split \\(f\\) into pieces and ask which ones are convex.",
        "Positive multiples and sums of convex functions stay convex.",
        "To show 'not convex', find one point where the Hessian has a negative eigenvalue.",
    )
    params = {"f": tidy_plain(s.plain()), "verdict": verdict}
    return Draft(prompt, choice_answer(options, verdict, slips), tuple(solution), hints, params)


def build(rng: random.Random, difficulty: int) -> Draft:
    """One-variable (1), two-variable quadratic (2) or sum-of-pieces (3) convexity check."""
    if difficulty == 1:
        return _one_variable(rng)
    if difficulty == 2:
        return _two_variable_quadratic(rng)
    return _two_variable_sum(rng)


FAMILY = Family(
    name="convexity",
    title="Convex or not?",
    description="Decide convexity from the second derivative or the Hessian, everywhere.",
    build=build,
    target_seconds=(45, 90, 120),
    levels=(
        "one variable: f'' ≥ 0 everywhere? (convex / not convex)",
        "two-variable quadratic: is the constant Hessian PSD, NSD, or indefinite?",
        "sums of pieces (squares, exponentials, x⁴, xy, x³, sin): prove or find witnesses",
    ),
)
