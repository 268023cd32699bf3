"""Exact numbers as a learner reads and types them: fractions, short decimals, LaTeX.

Generators compute with :class:`~fractions.Fraction` so that no expected answer depends on
float noise; this module decides how such a number is shown (``0.125``, ``3/4``,
``\\frac{3}{4}``) and how an inexact one is rounded.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = [
    "MAX_DECIMAL_PLACES",
    "as_fraction",
    "decimal_places",
    "is_close",
    "latex_number",
    "plain_number",
    "readable",
    "round_sig",
    "signed_term",
]

MAX_DECIMAL_PLACES = 6
"""A terminating decimal with more places than this is written as a fraction instead."""


def as_fraction(value: Fraction | int | str) -> Fraction:
    """``value`` as a Fraction (strings like ``"0.1"`` or ``"3/4"`` are read exactly)."""
    return Fraction(value)


def decimal_places(value: Fraction) -> int | None:
    """How many decimal places write ``value`` exactly, or None if it never terminates."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def plain_number(value: Fraction | int) -> str:
    """The exact value as typed: ``12``, ``-0.25``, ``3/7`` (short decimals preferred)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    places = decimal_places(value)
    if places is not None and places <= MAX_DECIMAL_PLACES:
        sign = "-" if value < 0 else ""
        scaled = abs(value) * 10**places
        whole, frac = divmod(int(scaled), 10**places)
        return f"{sign}{whole}.{frac:0{places}d}"
    return f"{value.numerator}/{value.denominator}"


def latex_number(value: Fraction | int) -> str:
    """The exact value in LaTeX: ``12``, ``-0.25``, ``-\\frac{3}{7}``."""
    value = Fraction(value)
    text = plain_number(value)
    if "/" not in text:
        return text
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def signed_term(value: Fraction | int) -> str:
    """``value`` in LaTeX with a leading sign for use after another term: ``+ 3``, ``- 0.5``."""
    value = Fraction(value)
    return f"- {latex_number(-value)}" if value < 0 else f"+ {latex_number(value)}"


def round_sig(value: float, digits: int = 6) -> float:
    """``value`` rounded to ``digits`` significant figures (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def is_close(
    a: float | Fraction, b: float | Fraction, rel_tol: float, abs_tol: float, margin: float = 10
) -> bool:
    """Whether ``a`` and ``b`` are within ``margin`` times the tolerance a grader would accept.

    Generators keep wrong answers (misconceptions) and perturbed answers at least ten times the
    grading tolerance away from the right one, so this is the test they use.
    """
    return math.isclose(float(a), float(b), rel_tol=margin * rel_tol, abs_tol=margin * abs_tol)


def readable(value: Fraction) -> Fraction | float:
    """``value`` itself if a learner can type it exactly, else the float to round.

    Exact means an integer, a decimal with at most :data:`MAX_DECIMAL_PLACES` places, or a
    fraction with a denominator up to 1000; anything longer is asked to 4 significant figures.
    """
    places = decimal_places(value)
    if (places is not None and places <= MAX_DECIMAL_PLACES) or value.denominator <= 1000:
        return value
    return float(value)
