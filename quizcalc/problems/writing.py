"""Shared phrasing for prompts and solutions, so every family reads the same way."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from quizcalc.problems.expected import Number, number_text
from quizcalc.problems.numbers import latex_number, readable, round_sig

__all__ = [
    "EXACT_INTEGER",
    "EXACT_OR_DECIMAL",
    "QUAD",
    "SIG_FIGS",
    "SPACE",
    "answer_line",
    "how_to_answer",
    "inline",
    "paren",
    "partial",
    "product",
    "spoken_index",
    "worked_number",
    "worked_rounded",
]

EXACT_OR_DECIMAL = (
    "Give the exact value: an integer, a decimal, or a fraction like `3/4` "
    "(a decimal to 4 significant figures also counts)."
)
"""How to answer when the expected number is exact."""

EXACT_INTEGER = "Give the exact value."
"""How to answer when the expected number happens to be an integer (graded exactly)."""

SIG_FIGS = "Keep full precision while you work; give the result to 4 significant figures."
"""How to answer when the expected number is irrational."""


QUAD = ", \\quad "
"""Separator between displayed equations."""

SPACE = ", \\; "
"""Separator between inline equations."""


_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def spoken_index(name: str, index: int) -> str:
    """``w₃``: an indexed name for feedback, which is shown as written (no LaTeX), with the
    Unicode subscript the rendered solution shows for ``w_3``."""
    return f"{name}{str(index).translate(_SUBSCRIPT_DIGITS)}"


def inline(latex: str) -> str:
    """``latex`` wrapped as inline math, ``\\( … \\)``."""
    return f"\\({latex}\\)"


def paren(value: Fraction | int) -> str:
    """A number in LaTeX, bracketed when negative (for products like ``52 \\cdot (-2)``)."""
    text = latex_number(value)
    return f"({text})" if Fraction(value) < 0 else text


def worked_number(value: Number, bracket: bool = False) -> str:
    """A number in a worked step: an exact value exactly when short (else to 6 significant
    figures, as :func:`readable` decides), a float to 6; ``bracket`` wraps a negative one."""
    if isinstance(value, Fraction):
        shown = readable(value)
        text = latex_number(shown) if isinstance(shown, Fraction) else number_text(shown)
    else:
        text = number_text(value)
    return f"({text})" if bracket and value < 0 else text


def worked_rounded(value: Number) -> str:
    """A number in a worked step: a float to 4 significant figures, an exact value exactly."""
    if isinstance(value, float):
        return number_text(round_sig(value, 4))
    return latex_number(value)


def product(values: Iterable[Fraction | int]) -> str:
    """``52 \\cdot 12 \\cdot (-2)``."""
    return " \\cdot ".join(paren(v) for v in values)


def partial(top: str, bottom: str) -> str:
    """``\\frac{\\partial top}{\\partial bottom}``."""
    return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"


def answer_line(text: str) -> str:
    """The last line of every solution: the expected answer exactly as a learner types it."""
    return f"Answer: `{text}`"


def how_to_answer(value: object) -> str:
    """The answering instruction for an expected number: integers exactly, fractions exactly
    or to 4 s.f., floats to 4 s.f."""
    if isinstance(value, float):
        return SIG_FIGS
    if isinstance(value, int | Fraction) and Fraction(value).denominator == 1:
        return EXACT_INTEGER
    return EXACT_OR_DECIMAL
