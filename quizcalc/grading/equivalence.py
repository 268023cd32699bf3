"""When two answers are the same: numbers by tolerance or exactly, expressions at sample points.

Both sides are evaluated in mpmath at 60 digits at seeded pseudo-random points (the same points
every run), negatives included, keeping the points where the *expected* answer is real and
defined. An answer undefined at such a point is wrong (``x`` is not ``sqrt(x)^2``).

- If either side contains a decimal, values agree within the answer's tolerance
  (``|given − expected| ≤ max(rel_tol·|expected|, abs_tol)``) and within ten times that they
  are *close*.
- If both are exact (integers, fractions, surds, π, e…), they must agree exactly: a difference
  that is not zero at 60 digits is recomputed at 130; a difference that shrinks with the
  precision is rounding noise of an exact zero (``sqrt(2)+sqrt(3)`` vs ``sqrt(5+2*sqrt(6))``),
  one that stays put is real (``1/3`` vs ``333/1000``: close, but not equal). A difference
  above 1e-20, absolute and relative, is real without recomputing.

When the expected answer is defined at too few points to decide, the result is *uncertain*;
:func:`symbolically_equal` then settles it with SymPy (``simplify`` only where a caller can
afford it: the isolated worker).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

import sympy

from quizcalc.grading import numeric
from quizcalc.grading.printer import format_number
from quizcalc.grading.vocabulary import display_name

__all__ = [
    "Comparison",
    "Match",
    "Sample",
    "Sampler",
    "Tolerance",
    "is_exact",
    "match",
    "symbolically_equal",
]

WORKING_DIGITS = 60
"""Precision of every comparison."""
REFINING_DIGITS = 130
"""Precision used to tell an exact zero from a real difference."""
POINTS_WANTED = 6
"""Points where the expected answer must be defined, when it has variables."""
POINTS_NEEDED = 3
"""Fewer defined points than this and the numeric verdict is uncertain."""
CANDIDATE_POINTS = 60
"""Points tried to find those (a narrow domain such as log(x − 5) still finds some)."""

_EXACT_AGREEMENT = 1e-40
_NOISE_SHRINK = 1e-40
_CLEARLY_DIFFERENT = 1e-20


@dataclass(frozen=True)
class Tolerance:
    """How far a decimal answer may be from the expected value."""

    rel: float = 1e-3
    """Relative to the expected value."""
    absolute: float = 1e-9
    """Floor for expected values near zero."""

    def bound(self, expected: Any) -> Any:
        """The largest accepted |given − expected|."""
        return max(self.rel * abs(expected), self.absolute)


class Match(Enum):
    """The outcome of comparing a given answer with a reference."""

    EQUAL = "equal"
    CLOSE = "close"
    """Not equal, but within ten times the tolerance everywhere."""
    DIFFERENT = "different"
    UNDEFINED = "undefined"
    """The given answer is undefined where the reference is defined."""
    UNCERTAIN = "uncertain"
    """Too few points where the reference is defined to decide numerically."""


@dataclass(frozen=True)
class Comparison:
    """A :class:`Match` and, when useful, where the two answers part."""

    match: Match
    detail: str | None = None
    """E.g. "at x = 1.307: expected 2.614, got 1.307", or why the answer is undefined."""
    where: str = ""
    """For a difference at a sample point: the point, e.g. ``x = 1.307``."""
    expected: str = ""
    """For a difference at a sample point: the expected value there."""
    given: str = ""
    """For a difference at a sample point: the given answer's value there."""


def is_exact(expr: Any) -> bool:
    """True when ``expr`` has no decimal numbers in it."""
    return not any(node.is_Float for node in sympy.preorder_traversal(expr))


@dataclass
class Sample:
    """Values of one expression at the sampler's points (None where undefined)."""

    expr: Any
    points: tuple[dict[sympy.Symbol, str], ...]
    values: list[Any]
    """mpmath values at 60 digits, one per point (None where undefined)."""
    reasons: list[str | None]
    """Why each undefined value is undefined."""
    exact: bool
    """No decimals in ``expr``: compared exactly rather than within tolerance."""
    _refined: list[Any] | None = field(default=None, repr=False)

    def refined(self) -> list[Any]:
        """The values again at 130 digits (computed once, on demand)."""
        if self._refined is None:
            self._refined = [_value(self.expr, point, REFINING_DIGITS)[0] for point in self.points]
        return self._refined


class Sampler:
    """The points where an expected expression is defined, and samples of others there."""

    def __init__(self, expected: Any, symbols: tuple[sympy.Symbol, ...]) -> None:
        points: list[dict[sympy.Symbol, str]] = []
        wanted = POINTS_WANTED if symbols else 1
        for candidate in _candidate_points(len(symbols)):
            point = dict(zip(symbols, candidate, strict=True))
            if _value(expected, point, WORKING_DIGITS)[0] is not None:
                points.append(point)
                if len(points) == wanted:
                    break
        self.symbols = symbols
        self.points = tuple(points)
        self.expected = self.sample(expected)
        self.decidable = len(self.points) >= (POINTS_NEEDED if symbols else 1)
        """Whether the expected answer is defined at enough points to compare numerically."""
        self._remembered: dict[Any, Sample] = {}

    def sample(self, expr: Any) -> Sample:
        """``expr`` evaluated at every point."""
        values, reasons = [], []
        for point in self.points:
            value, reason = _value(expr, point, WORKING_DIGITS)
            values.append(value)
            reasons.append(reason)
        return Sample(expr, self.points, values, reasons, is_exact(expr))

    def remembered(self, expr: Any) -> Sample:
        """Like :meth:`sample`, cached: for misconceptions, which every grading reuses."""
        if expr not in self._remembered:
            self._remembered[expr] = self.sample(expr)
        return self._remembered[expr]

    def describe(self, index: int) -> str:
        """``x = 1.307, y = −0.52`` for point ``index``."""
        point = self.points[index]
        return ", ".join(
            f"{display_name(symbol.name)} = {value.replace('-', '−')}"
            for symbol, value in point.items()
        )


def match(
    expected: Sample,
    given: Sample,
    tolerance: Tolerance,
    factor: Any = 1,
    sampler: Sampler | None = None,
) -> Comparison:
    """Compare ``factor · given`` with ``expected`` at every point where ``expected`` exists."""
    exact = expected.exact and given.exact and isinstance(factor, int)
    outcome = Match.EQUAL
    ctx = numeric.context(WORKING_DIGITS)
    for index, reference in enumerate(expected.values):
        if reference is None:
            continue
        value = given.values[index]
        where = sampler.describe(index) if sampler is not None and sampler.symbols else ""
        if value is None:
            reason = given.reasons[index] or "undefined"
            return Comparison(
                Match.UNDEFINED, f"undefined at {where} ({reason})" if where else reason
            )
        value = value * factor
        difference = abs(value - reference)
        if exact and _exactly_equal(expected, given, index, factor, difference):
            continue
        bound = tolerance.bound(reference)
        if not exact and difference <= bound:
            continue
        if difference <= 10 * bound:
            outcome = Match.CLOSE
            continue
        if not where:
            return Comparison(Match.DIFFERENT)
        wanted, got = format_number(reference), format_number(ctx.mpf(value))
        return Comparison(
            Match.DIFFERENT,
            f"at {where}: expected {wanted}, got {got}",
            where=where,
            expected=wanted,
            given=got,
        )
    return Comparison(outcome)


def symbolically_equal(first: Any, second: Any, simplify: bool) -> bool | None:
    """Decide ``first == second`` with SymPy: True, False, or None when it cannot tell.

    Without ``simplify`` only SymPy's automatic evaluation runs (cheap, bounded by the parser's
    limits). ``simplify`` is unbounded in time: call it only in a process that can be killed.
    """
    difference = _rebuild(first) - _rebuild(second)
    if difference == 0:
        return True
    if not simplify:
        return None
    simplified = sympy.simplify(difference)
    if simplified == 0:
        return True
    return False if simplified.is_number and simplified != 0 else None


def _exactly_equal(
    expected: Sample, given: Sample, index: int, factor: int, difference: Any
) -> bool:
    reference = expected.values[index]
    scale = max(abs(reference), abs(given.values[index]))
    if difference == 0 or difference <= _EXACT_AGREEMENT * scale:
        return True
    if difference > _CLEARLY_DIFFERENT and difference > _CLEARLY_DIFFERENT * scale:
        return False  # 60-digit rounding cannot leave this much, short of a 40-digit cancellation
    fine_reference = expected.refined()[index]
    fine_value = given.refined()[index]
    if fine_reference is None or fine_value is None:
        return False
    fine_difference = abs(fine_value * factor - fine_reference)
    return bool(fine_difference == 0 or fine_difference <= _NOISE_SHRINK * difference)


def _value(expr: Any, point: dict[sympy.Symbol, str], dps: int) -> tuple[Any, str | None]:
    try:
        return numeric.evaluate(expr, point, dps), None
    except numeric.Undefined as undefined:
        return None, undefined.reason
    except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
        return None, f"cannot be computed ({type(error).__name__})"


@lru_cache(maxsize=8)
def _candidate_points(dimensions: int) -> tuple[tuple[str, ...], ...]:
    """Deterministic, non-round values of both signs at several scales (decimal strings)."""
    if dimensions == 0:
        return ((),)
    rng = random.Random(f"quizcalc-grading-points-{dimensions}")
    scales = (2.5, 6.0, 1.0, 30.0)
    points = []
    for index in range(CANDIDATE_POINTS):
        coordinates = []
        for _ in range(dimensions):
            thousandths = rng.randint(37, int(scales[index % len(scales)] * 1000))
            if thousandths % 1000 == 0:
                thousandths += 7  # never an integer: integers hide many mistakes
            sign = "-" if rng.random() < 0.5 else ""
            coordinates.append(f"{sign}{thousandths // 1000}.{thousandths % 1000:03d}")
        points.append(tuple(coordinates))
    return tuple(points)


def _rebuild(expr: Any) -> Any:
    """The same tree with SymPy's automatic evaluation applied (``evaluate=True``)."""
    if not expr.args:
        return expr
    return expr.func(*[_rebuild(arg) for arg in expr.args])
