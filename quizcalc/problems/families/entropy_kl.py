"""``entropy_kl``: entropy, cross-entropy or KL divergence of small discrete distributions.

``H(p) = −Σ pᵢ log pᵢ``, ``H(p, q) = −Σ pᵢ log qᵢ`` and ``KL(p ∥ q) = Σ pᵢ log(pᵢ/qᵢ)
= H(p, q) − H(p)``, in bits (log base 2) or nats (natural log). Difficulty 1: distributions
whose probabilities are powers of ½, in bits, so every logarithm is an integer and the answer
exact. Difficulty 2: probabilities in tenths, bits or nats, 4 significant figures. Difficulty 3:
four outcomes, KL divergence or cross-entropy, bits or nats.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import ABS_TOL, REL_TOL, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import is_close, latex_number, plain_number, round_sig
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY", "cross_entropy"]

ENTROPY = "entropy"
CROSS_ENTROPY = "cross-entropy"
KL = "kl"
BITS = "bits"
NATS = "nats"

_DYADIC = (
    (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)),
    (Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 8)),
    (Fraction(1, 4),) * 4,
    (Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16), Fraction(1, 16)),
    (Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 8), Fraction(1, 8)),
    (Fraction(1, 2), Fraction(1, 8), Fraction(1, 8), Fraction(1, 8), Fraction(1, 8)),
)
"""Distributions whose probabilities are powers of ½ (permuted when drawn)."""

Distribution = tuple[Fraction, ...]


@dataclass(frozen=True)
class _Instance:
    p: Distribution
    q: Distribution
    quantity: str
    unit: str


def _log(x: Fraction, unit: str) -> float:
    return math.log2(x) if unit == BITS else math.log(x)


def _exact_log2(x: Fraction) -> int | None:
    """``log₂ x`` when ``x`` is a power of 2 (so a bits answer stays exact), else None."""
    top, bottom = x.numerator, x.denominator
    if top & (top - 1) == 0 and bottom & (bottom - 1) == 0:
        return top.bit_length() - bottom.bit_length()
    return None


def cross_entropy(p: Distribution, q: Distribution, unit: str) -> Fraction | float:
    """``H(p, q) = −Σ pᵢ log qᵢ``; exact when in bits and every qᵢ is a power of ½."""
    logs = [_exact_log2(qi) if unit == BITS else None for qi in q]
    if all(v is not None for v in logs):
        return -sum((pi * v for pi, v in zip(p, logs, strict=True) if v is not None), Fraction(0))
    return -sum(float(pi) * _log(qi, unit) for pi, qi in zip(p, q, strict=True) if pi)


def _value(p: Distribution, q: Distribution, quantity: str, unit: str) -> Fraction | float:
    if quantity == ENTROPY:
        return cross_entropy(p, p, unit)
    if quantity == CROSS_ENTROPY:
        return cross_entropy(p, q, unit)
    return cross_entropy(p, q, unit) - cross_entropy(p, p, unit)


def _tenths(rng: random.Random, size: int) -> Distribution:
    cuts = sorted(rng.sample(range(1, 10), size - 1))
    return tuple(Fraction(b - a, 10) for a, b in zip([0, *cuts], [*cuts, 10], strict=True))


def _twentieths(rng: random.Random, size: int) -> Distribution:
    cuts = sorted(rng.sample(range(1, 20), size - 1))
    return tuple(Fraction(b - a, 20) for a, b in zip([0, *cuts], [*cuts, 20], strict=True))


def _draw(rng: random.Random, difficulty: int, quantity: str, unit: str) -> _Instance:
    """Distributions for a quantity and unit already chosen (so redraws keep their shares)."""
    if difficulty == 1:
        base = rng.choice(_DYADIC)
        p = tuple(rng.sample(base, len(base)))
        q = tuple(rng.sample(rng.choice([d for d in _DYADIC if len(d) == len(base)]), len(base)))
        return _Instance(p, q, quantity, unit)
    if difficulty == 2:
        size = rng.choice([2, 3])
        return _Instance(_tenths(rng, size), _tenths(rng, size), quantity, unit)
    return _Instance(_twentieths(rng, 4), _tenths(rng, 4), quantity, unit)


def _choose(rng: random.Random, difficulty: int) -> tuple[str, str]:
    """The quantity and the unit: bits only at difficulty 1, no plain entropy at 3."""
    if difficulty == 1:
        return rng.choice([ENTROPY, CROSS_ENTROPY, KL]), BITS
    quantities = [ENTROPY, CROSS_ENTROPY, KL] if difficulty == 2 else [CROSS_ENTROPY, KL, KL]
    return rng.choice(quantities), rng.choice([BITS, NATS])


def _valid(inst: _Instance) -> bool:
    """Every slip must differ from the right answer: p ≠ q, and KL not symmetric here."""
    if inst.quantity == ENTROPY:
        return len(set(inst.p)) > 1  # a uniform p would make H(p) = log n, a slip
    if inst.p == inst.q:
        return False
    value = _value(inst.p, inst.q, inst.quantity, inst.unit)
    swapped = float(_value(inst.q, inst.p, inst.quantity, inst.unit))
    # the swap must stand apart from the right value and from the wrong unit's value
    return not any(
        is_close(swapped, other, REL_TOL, ABS_TOL)
        for other in (value, _other_unit(value, inst.unit))
    )


def _other_unit(value: Fraction | float, unit: str) -> float:
    """The same quantity in the other unit: bits → nats multiplies by ln 2."""
    return float(value) * math.log(2) if unit == BITS else float(value) / math.log(2)


def _slips(inst: _Instance, value: Fraction | float) -> list[Slip]:
    p, q, unit = inst.p, inst.q, inst.unit
    other = NATS if unit == BITS else BITS
    log_name = "log₂" if unit == BITS else "ln"
    slips: list[Slip] = [
        (
            _other_unit(value, unit),
            f"That is the value in {other}: the question asks for {unit}, so use {log_name}.",
            "wrong-log-base",
        )
    ]
    if inst.quantity == KL:
        slips += [
            (
                _value(q, p, KL, unit),
                "KL's arguments are swapped: KL(p ∥ q) = Σ pᵢ log(pᵢ/qᵢ) weights by p, and it "
                "is not symmetric.",
                "kl-swapped",
            ),
            (
                cross_entropy(p, q, unit),
                "That is the cross-entropy H(p, q); KL(p ∥ q) = H(p, q) − H(p) subtracts the "
                "entropy of p.",
                "cross-entropy-for-kl",
            ),
        ]
    elif inst.quantity == CROSS_ENTROPY:
        slips += [
            (
                cross_entropy(q, p, unit),
                "The arguments are swapped: H(p, q) = −Σ pᵢ log qᵢ averages log q under p.",
                "cross-entropy-swapped",
            ),
            (
                cross_entropy(p, p, unit),
                "That is the entropy H(p): the cross-entropy takes the log of q, not of p.",
                "entropy-for-cross-entropy",
            ),
            (
                _value(p, q, KL, unit),
                "That is KL(p ∥ q) = H(p, q) − H(p): the cross-entropy adds the entropy H(p) back.",
                "kl-for-cross-entropy",
            ),
        ]
    else:
        n = len(p)
        slips += [
            (
                -sum(_log(pi, unit) for pi in p),
                "Each −log pᵢ is weighted by its probability pᵢ: H(p) = −Σ pᵢ log pᵢ.",
                "unweighted-logs",
            ),
            (
                _log(Fraction(n), unit),
                f"That is log {n}, the entropy of the uniform distribution (the largest "
                "possible); this p is not uniform.",
                "uniform-assumed",
            ),
        ]
    return slips


def _probability(value: Fraction) -> str:
    """A power of ½ as the fraction ``\\frac{1}{8}`` (its log₂ is plain to see), others as
    decimals (``0.45``)."""
    if value.numerator == 1 and _exact_log2(value) is not None:
        return f"\\frac{{1}}{{{value.denominator}}}"
    return latex_number(value)


def _distribution(name: str, values: Distribution) -> str:
    return f"{name} = ({', '.join(_probability(v) for v in values)})"


_DEFINITIONS = {
    ENTROPY: "H(p) = -\\sum_i p_i \\log p_i",
    CROSS_ENTROPY: "H(p, q) = -\\sum_i p_i \\log q_i",
    KL: "\\mathrm{KL}(p \\parallel q) = \\sum_i p_i \\log \\frac{p_i}{q_i}",
}
_TARGET = {
    ENTROPY: "H(p)",
    CROSS_ENTROPY: "H(p, q)",
    KL: "\\mathrm{KL}(p \\parallel q)",
}
_NAMES = {ENTROPY: "entropy", CROSS_ENTROPY: "cross-entropy", KL: "KL divergence"}
_LOG = {BITS: "\\log_2", NATS: "\\ln"}


def _terms(inst: _Instance) -> list[str]:
    """One LaTeX term per outcome, e.g. ``\\frac{1}{2} \\log_2 \\frac{1/2}{1/4}``."""
    log = _LOG[inst.unit]
    out = []
    for pi, qi in zip(inst.p, inst.q, strict=True):
        weight = _probability(pi)
        if inst.quantity == ENTROPY:
            out.append(f"{weight} {log} {_probability(pi)}")
        elif inst.quantity == CROSS_ENTROPY:
            out.append(f"{weight} {log} {_probability(qi)}")
        else:
            ratio = f"\\frac{{{latex_number(pi)}}}{{{latex_number(qi)}}}"
            if _exact_log2(pi / qi) is not None:
                ratio = _probability(pi / qi)  # a power of 2: its log is plain to see
            out.append(f"{weight} {log} {ratio}")
    return out


def _number(value: Fraction | float) -> str:
    """``7/4`` exactly, or ``1.361`` to 4 significant figures."""
    if isinstance(value, Fraction):
        return latex_number(value)
    return number_text(round_sig(value, 4))


def _shown(value: Fraction | float) -> str:
    """``= 7/4`` exactly, or ``\\approx 1.361`` to 4 significant figures."""
    relation = "=" if isinstance(value, Fraction) else "\\approx"
    return f"{relation} {_number(value)}"


def build(rng: random.Random, difficulty: int) -> Draft:
    """H(p), H(p, q) or KL(p ∥ q) in the unit asked."""
    quantity, unit = _choose(rng, difficulty)
    inst = draw_until(rng, lambda r: _draw(r, difficulty, quantity, unit), _valid)
    value = _value(inst.p, inst.q, inst.quantity, inst.unit)
    target = _TARGET[inst.quantity]
    unit_words = "bits (logarithm base 2)" if inst.unit == BITS else "nats (natural logarithm)"
    given = inline(_distribution("p", inst.p))
    if inst.quantity != ENTROPY:
        given += f" and {inline(_distribution('q', inst.q))}"
    n = len(inst.p)
    kind = "A distribution" if inst.quantity == ENTROPY else "Distributions"
    prompt = (
        f"{kind} over {n} outcomes: {given}.\n\n"
        f"Compute the {_NAMES[inst.quantity]} {inline(target)} in {unit_words}.\n\n"
        f"{how_to_answer(value)}"
    )
    terms = " + ".join(_terms(inst))
    if inst.quantity == KL:
        work = f"{target} = {terms} {_shown(value)}"
    else:
        work = f"{target} = -\\left({terms}\\right) {_shown(value)}"
    solution = [
        f"By definition, {inline(_DEFINITIONS[inst.quantity])}, with {inline(_LOG[inst.unit])} "
        f"for {inst.unit}.",
        f"Term by term: {inline(work)}.",
    ]
    if inst.quantity == KL:
        h_pq = cross_entropy(inst.p, inst.q, inst.unit)
        h_p = cross_entropy(inst.p, inst.p, inst.unit)
        check = f"{target} = H(p, q) - H(p) {_shown(h_pq)} - {_number(h_p)}"
        solution.append(
            f"Check: {inline(check)}, the extra cost of coding samples of p with a code "
            "built for q."
        )
    solution.append(answer_line(number_text(value)))
    hints = (
        f"Use {inline(_LOG[inst.unit])}: {unit_words}.",
        f"{inline(_DEFINITIONS[inst.quantity])}: each outcome is weighted by its probability "
        "under p.",
        "KL divergence is cross-entropy minus entropy; it is never negative and in general "
        "not symmetric in its arguments.",
    )
    params = {
        "p": [plain_number(v) for v in inst.p],
        "q": [plain_number(v) for v in inst.q],
        "quantity": inst.quantity,
        "unit": inst.unit,
    }
    # The grader's 0.1 % even for a whole number of bits: the wrong-unit slip is irrational,
    # and a learner who makes it types it to 4 significant figures.
    answer = number_answer(value, _slips(inst, value), rel_tol=REL_TOL)
    return Draft(prompt, answer, tuple(solution), hints, params)


FAMILY = Family(
    name="entropy_kl",
    title="Entropy, cross-entropy and KL divergence",
    description="H(p), H(p, q) or KL(p ∥ q) of small discrete distributions, in bits or nats.",
    build=build,
    target_seconds=(90, 150, 210),
    levels=(
        "probabilities that are powers of ½, in bits: exact answers",
        "2 or 3 outcomes in tenths, bits or nats (4 s.f.)",
        "4 outcomes, KL divergence or cross-entropy, bits or nats (4 s.f.)",
    ),
)
