"""``eigen_2x2``: the eigenvalues of a 2×2 symmetric matrix, or its definiteness.

For ``A = [[a, b], [b, d]]`` the eigenvalues are the roots of ``λ² − (a + d)λ + (ad − b²)``:
real, because ``A`` is symmetric. Each instance asks either for both eigenvalues (smaller
first) or, as a choice, whether ``A`` is positive or negative (semi)definite or indefinite.
Difficulty 1: small entries and integer eigenvalues. Difficulty 2: larger entries, integer
eigenvalues, and definiteness questions whose diagonal can mislead (same-sign diagonal,
indefinite matrix). Difficulty 3: irrational eigenvalues (4 significant figures) and the
semidefinite case ``det A = 0``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import REL_TOL, Slip, choice_answer, vector_answer, vector_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, round_sig
from quizcalc.problems.writing import (
    SIG_FIGS,
    answer_line,
    how_to_answer,
    inline,
    paren,
    product,
)

__all__ = [
    "FAMILY",
    "INDEFINITE",
    "NEGATIVE_DEFINITE",
    "NEGATIVE_SEMIDEFINITE",
    "POSITIVE_DEFINITE",
    "POSITIVE_SEMIDEFINITE",
]

POSITIVE_DEFINITE = "positive definite"
POSITIVE_SEMIDEFINITE = "positive semidefinite"
NEGATIVE_DEFINITE = "negative definite"
NEGATIVE_SEMIDEFINITE = "negative semidefinite"
INDEFINITE = "indefinite"

EIGENVALUES = "eigenvalues"
DEFINITENESS = "definiteness"

LAMBDA = "\\lambda"
TRACE = "\\operatorname{tr} A"
DET = "\\det A"
CHARACTERISTIC = "\\lambda^{2} - (\\operatorname{tr} A)\\lambda + \\det A = 0"
SECULAR = "\\det(A - \\lambda I) = 0"
EXPANDED = "\\det(A - \\lambda I) = (a - \\lambda)(d - \\lambda) - b^{2}"

_SQUARE_PAIRS = ((1, 1), (1, 4), (4, 1), (1, 9), (9, 1), (4, 9), (9, 4), (2, 8), (8, 2))
"""(m, n) with m·n a perfect square: [[m, ±√(mn)], [±√(mn), n]] is singular."""


@dataclass(frozen=True)
class _Instance:
    a: int
    b: int
    d: int
    ask: str
    options: tuple[str, ...]

    @property
    def trace(self) -> int:
        return self.a + self.d

    @property
    def det(self) -> int:
        return self.a * self.d - self.b * self.b

    @property
    def discriminant(self) -> int:
        """``tr² − 4 det = (a − d)² + 4b²``, never negative: the eigenvalues are real."""
        return self.trace * self.trace - 4 * self.det


def _is_square(n: int) -> bool:
    return n >= 0 and math.isqrt(n) ** 2 == n


def _options(difficulty: int) -> tuple[str, ...]:
    if difficulty < 3:
        return (POSITIVE_DEFINITE, NEGATIVE_DEFINITE, INDEFINITE)
    return (
        POSITIVE_DEFINITE,
        POSITIVE_SEMIDEFINITE,
        NEGATIVE_DEFINITE,
        NEGATIVE_SEMIDEFINITE,
        INDEFINITE,
    )


def _verdict(inst: _Instance) -> str:
    if inst.det < 0:
        return INDEFINITE
    if inst.det == 0:
        return POSITIVE_SEMIDEFINITE if inst.trace > 0 else NEGATIVE_SEMIDEFINITE
    return POSITIVE_DEFINITE if inst.trace > 0 else NEGATIVE_DEFINITE


def _draw_eigen(rng: random.Random, difficulty: int) -> _Instance:
    span, off = {1: ((-2, 6), 3), 2: ((-8, 8), 5), 3: ((-9, 9), 6)}[difficulty]
    a, d = rng.randint(*span), rng.randint(*span)
    b = rng.choice([v for v in range(-off, off + 1) if v])
    if difficulty == 1:
        b = abs(b)
    return _Instance(a, b, d, EIGENVALUES, ())


def _eigen_valid(difficulty: int) -> Callable[[_Instance], bool]:
    def valid(inst: _Instance) -> bool:
        disc = inst.discriminant
        if difficulty < 3:
            return _is_square(disc) and inst.det != 0
        return not _is_square(disc) and disc <= 200

    return valid


def _draw_definiteness(rng: random.Random, difficulty: int) -> _Instance:
    options = _options(difficulty)
    verdict = rng.choice(options)
    sign = -1 if verdict.startswith("negative") else rng.choice([-1, 1])
    if verdict in (POSITIVE_SEMIDEFINITE, NEGATIVE_SEMIDEFINITE):
        m, n = rng.choice(_SQUARE_PAIRS)
        b = rng.choice([-1, 1]) * math.isqrt(m * n)
        sign = 1 if verdict == POSITIVE_SEMIDEFINITE else -1
        return _Instance(sign * m, sign * b, sign * n, DEFINITENESS, options)
    top = 4 if difficulty == 1 else 8
    m, n = rng.randint(1, top), rng.randint(1, top)
    if verdict == INDEFINITE:
        style = rng.choice(["mixed", "trap"] if difficulty == 1 else ["mixed", "trap", "trap"])
        if style == "mixed":
            b = rng.choice([v for v in range(-top, top + 1) if v])
            return _Instance(sign * m, b, -sign * n, DEFINITENESS, options)
        b = rng.choice([-1, 1]) * (math.isqrt(m * n) + rng.randint(1, 3))
        return _Instance(sign * m, sign * b, sign * n, DEFINITENESS, options)
    sign = 1 if verdict == POSITIVE_DEFINITE else -1
    m, n = max(m, 2), max(n, 2)
    limit = math.isqrt(m * n - 1)  # 0 < b² < mn keeps the determinant positive
    b = rng.choice([v for v in range(-limit, limit + 1) if v])
    return _Instance(sign * m, sign * b, sign * n, DEFINITENESS, options)


def _draw(rng: random.Random, difficulty: int) -> _Instance:
    share = {1: 0.35, 2: 0.5, 3: 0.5}[difficulty]
    if rng.random() < share:
        return _draw_definiteness(rng, difficulty)
    return draw_until(rng, lambda r: _draw_eigen(r, difficulty), _eigen_valid(difficulty))


def _roots(trace: int, constant: int) -> list[Fraction | float] | None:
    """The roots of ``λ² − trace·λ + constant``, smaller first; exact when rational."""
    disc = trace * trace - 4 * constant
    if disc < 0:
        return None
    if _is_square(disc):
        root = math.isqrt(disc)
        return [Fraction(trace - root, 2), Fraction(trace + root, 2)]
    return [(trace - math.sqrt(disc)) / 2, (trace + math.sqrt(disc)) / 2]


def _matrix(inst: _Instance) -> str:
    return f"\\begin{{bmatrix}} {inst.a} & {inst.b} \\\\ {inst.b} & {inst.d} \\end{{bmatrix}}"


def _term(coefficient: int, symbol: str) -> str:
    """``- 5\\lambda``, ``+ \\lambda``, or nothing for a zero coefficient."""
    if coefficient == 0:
        return ""
    sign = "-" if coefficient < 0 else "+"
    size = abs(coefficient)
    return f" {sign} {'' if size == 1 and symbol else size}{symbol}"


def _characteristic(inst: _Instance) -> str:
    return f"{LAMBDA}^{{2}}{_term(-inst.trace, LAMBDA)}{_term(inst.det, '')} = 0"


_MOST_SPECIFIC = {
    False: "",
    True: " Pick the most specific option: a positive definite matrix is also positive "
    "semidefinite, but here semidefinite means singular (one eigenvalue exactly 0).",
}
"""With the semidefinite options listed, the options overlap; the prompt says how to choose."""

_NEEDS = {
    POSITIVE_DEFINITE: "Positive definite needs both eigenvalues positive: det A > 0 and tr A > 0.",
    NEGATIVE_DEFINITE: "Negative definite needs both eigenvalues negative: det A > 0 and tr A < 0.",
    POSITIVE_SEMIDEFINITE: "Positive semidefinite (and not definite) needs one zero eigenvalue "
    "and one positive: det A = 0 and tr A > 0.",
    NEGATIVE_SEMIDEFINITE: "Negative semidefinite (and not definite) needs one zero eigenvalue "
    "and one negative: det A = 0 and tr A < 0.",
    INDEFINITE: "Indefinite needs eigenvalues of opposite signs: det A < 0.",
}
"""What each option requires (only the learner's wrong option goes into a message)."""

_DET = "det A (the diagonal's product minus the off-diagonal entry squared)"


def _choice_slips(inst: _Instance, verdict: str) -> list[tuple[str, str, str]]:
    """For each wrong option, the likely slip behind it; never naming the right option."""
    slips: list[tuple[str, str, str]] = []
    if inst.a * inst.d > 0:
        looks = POSITIVE_DEFINITE if inst.a > 0 else NEGATIVE_DEFINITE
        slips.append(
            (
                looks,
                "Diagonal entries of one sign are not enough: the off-diagonal entry counts "
                f"too. {_NEEDS[looks]} Compute {_DET}.",
                "diagonal-only",
            )
        )
    flipped = {
        POSITIVE_DEFINITE: NEGATIVE_DEFINITE,
        NEGATIVE_DEFINITE: POSITIVE_DEFINITE,
        POSITIVE_SEMIDEFINITE: NEGATIVE_SEMIDEFINITE,
        NEGATIVE_SEMIDEFINITE: POSITIVE_SEMIDEFINITE,
    }
    if verdict in flipped:
        other = flipped[verdict]
        slips.append(
            (
                other,
                f"Check which sign goes with which. {_NEEDS[other]} Recheck the sign of the "
                "trace (the sum of the eigenvalues).",
                "eigenvalue-signs",
            )
        )
    slips.extend(
        (option, f"Compute {_DET} first. {_NEEDS[option]}", "eigenvalue-signs")
        for option in inst.options
    )
    return [s for s in slips if s[0] != verdict]


def _eigen_slips(inst: _Instance, values: list[Fraction | float]) -> list[Slip]:
    low, high = values
    slips: list[Slip] = [
        (
            sorted([Fraction(inst.a), Fraction(inst.d)]),
            "Those are the diagonal entries: they are the eigenvalues only when the off-diagonal "
            "entry is 0. Solve det(A − λI) = 0.",
            "diagonal-as-eigenvalues",
        ),
        (
            [-high, -low],
            "Sign slip in the characteristic polynomial: it is λ² − (tr A)λ + det A, with "
            "minus the trace.",
            "trace-sign",
        ),
    ]
    wrong_det = _roots(inst.trace, -inst.det)
    if wrong_det is not None:
        slips.append(
            (
                wrong_det,
                "Sign slip in the characteristic polynomial: it is λ² − (tr A)λ + det A, with "
                "plus the determinant.",
                "determinant-sign",
            )
        )
    slips.append(([high, low], "List the smaller eigenvalue first.", "order"))
    return slips


def build(rng: random.Random, difficulty: int) -> Draft:
    """Eigenvalues ``[λ₁, λ₂]`` (smaller first) or the definiteness of a 2×2 symmetric A."""
    inst = _draw(rng, difficulty)
    values = _roots(inst.trace, inst.det)
    assert values is not None  # symmetric: the discriminant is (a − d)² + 4b² ≥ 0
    matrix = f"\\[ A = {_matrix(inst)} \\]"
    params: dict[str, object] = {
        "matrix": [[inst.a, inst.b], [inst.b, inst.d]],
        "ask": inst.ask,
    }
    trace_sum = f"{TRACE} = {inst.a} + {paren(inst.d)} = {inst.trace}"
    det_value = f"{DET} = {product([inst.a, inst.d])} - {paren(inst.b)}^{{2}} = {inst.det}"
    basics = f"{inline(trace_sum)} and {inline(det_value)}."
    eigen_line = _eigen_line(inst, values)
    if inst.ask == DEFINITENESS:
        verdict = _verdict(inst)
        listing = "\n".join(f"{i}. {o}" for i, o in enumerate(inst.options, start=1))
        prompt = (
            f"The symmetric matrix\n\n{matrix}\n\nis which of these?"
            f"{_MOST_SPECIFIC[len(inst.options) > 3]}\n\n{listing}\n\n"
            "Answer with the option's text or its number."
        )
        solution = (
            f"Trace and determinant: {basics}",
            eigen_line,
            f"{_reason(inst, verdict)}: {verdict}.",
            answer_line(verdict),
        )
        hints = (
            "The signs of the eigenvalues decide: the determinant is their product, the trace "
            "their sum.",
            f"A negative {inline(DET)} means eigenvalues of opposite signs.",
            f"If {inline(DET + ' > 0')}, the sign of the trace tells positive from negative.",
        )
        params["verdict"] = verdict
        answer = choice_answer(inst.options, verdict, _choice_slips(inst, verdict))
        return Draft(prompt, answer, solution, hints, params)
    how = SIG_FIGS if isinstance(values[0], float) else how_to_answer(values[0])
    prompt = (
        f"Find the eigenvalues of the symmetric matrix\n\n{matrix}\n\n"
        f"Answer as a vector, smaller first: `[smaller, larger]`.\n\n{how}"
    )
    solution = (
        f"The eigenvalues solve {inline(SECULAR)}, that is {inline(CHARACTERISTIC)}, with {basics}",
        f"Here: {inline(_characteristic(inst))}.",
        eigen_line,
        answer_line(vector_text(values)),
    )
    hints = (
        f"With diagonal entries {inline('a, d')} and off-diagonal entry {inline('b')}, expand "
        f"{inline(EXPANDED)}.",
        f"That is {inline(CHARACTERISTIC)}.",
        "Check: the eigenvalues add up to the trace and multiply to the determinant.",
    )
    params["eigenvalues"] = [vector_text([v]).strip("[]") for v in values]
    # The grader's 0.1 % even for integer eigenvalues: the determinant-sign slip is often
    # irrational, and a learner who makes it types it to 4 significant figures.
    eigen_answer = vector_answer(values, _eigen_slips(inst, values), rel_tol=REL_TOL)
    return Draft(prompt, eigen_answer, solution, hints, params)


def _eigen_line(inst: _Instance, values: list[Fraction | float]) -> str:
    formula = f"{LAMBDA} = \\frac{{{inst.trace} \\pm \\sqrt{{{inst.discriminant}}}}}{{2}}"
    low_value, high_value = values
    if isinstance(low_value, float) or isinstance(high_value, float):
        approx = f"{round_sig(float(low_value), 4)}, \\; {round_sig(float(high_value), 4)}"
        rounded = f"{LAMBDA} \\approx {approx}"
        return f"Quadratic formula: {inline(formula)}, so {inline(rounded)}."
    low, high = latex_number(low_value), latex_number(high_value)
    return (
        "Quadratic formula: "
        f"{inline(formula)}, so {inline(LAMBDA + ' = ' + low)} and "
        f"{inline(LAMBDA + ' = ' + high)}."
    )


def _reason(inst: _Instance, verdict: str) -> str:
    det = f"\\det A = {inst.det}"
    trace = f"\\operatorname{{tr}} A = {inst.trace}"
    return {
        POSITIVE_DEFINITE: f"{inline(det + ' > 0')} and {inline(trace + ' > 0')}: both "
        "eigenvalues are positive",
        NEGATIVE_DEFINITE: f"{inline(det + ' > 0')} and {inline(trace + ' < 0')}: both "
        "eigenvalues are negative",
        POSITIVE_SEMIDEFINITE: f"{inline(det)} and {inline(trace + ' > 0')}: one eigenvalue "
        "is zero, the other positive",
        NEGATIVE_SEMIDEFINITE: f"{inline(det)} and {inline(trace + ' < 0')}: one eigenvalue "
        "is zero, the other negative",
        INDEFINITE: f"{inline(det + ' < 0')}: the eigenvalues have opposite signs",
    }[verdict]


FAMILY = Family(
    name="eigen_2x2",
    title="Eigenvalues of a 2×2 symmetric matrix",
    description="Solve λ² − (tr A)λ + det A = 0, or read definiteness off the eigenvalues' signs.",
    build=build,
    target_seconds=(90, 120, 180),
    levels=(
        "small entries, integer eigenvalues; or positive / negative definite / indefinite",
        "larger entries, integer eigenvalues; definiteness where the diagonal misleads",
        "irrational eigenvalues (4 s.f.); definiteness including semidefinite (det A = 0)",
    ),
)
