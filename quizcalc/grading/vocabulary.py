"""The names a learner may type: variables, constants, the whitelisted functions, Greek letters.

Pure Python (no SymPy): the tokenizer resolves every identifier here, and anything not listed is
rejected with a message naming it. Nothing is ever looked up in a Python namespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "GREEK_LETTERS",
    "Vocabulary",
    "canonical_name",
    "display_name",
    "greek_name",
]

FUNCTIONS: dict[str, str] = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sqrt": "sqrt",
    "abs": "abs",
}
"""Whitelisted function names (matched case-insensitively) → canonical name; ``log`` is ln."""


def _names(words: str) -> list[str]:
    return words.split()


CONSTANTS: dict[str, str] = {"pi": "pi", "e": "e"}
"""Named constants (``e`` only while no variable is called ``e``)."""

GREEK_LETTERS: dict[str, str] = {
    name: letter
    for name, letter in zip(
        _names("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron")
        + _names("pi rho sigma tau upsilon phi chi psi omega"),
        "αβγδεζηθικλμνξοπρστυφχψω",
        strict=True,
    )
} | {
    name: letter
    for name, letter in zip(
        _names("Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"),
        "ΓΔΘΛΞΠΣΦΨΩ",
        strict=True,
    )
}
"""Greek letter names → letters (the printer shows ``eta`` as ``η``)."""

_UNSUPPORTED_FUNCTIONS = frozenset(
    _names("asin acos atan arcsin arccos arctan sec csc cot sinh cosh tanh sigmoid max min")
    + _names("floor ceil log2 log10 lg sign exp2 pow")
)
_NOT_NUMBERS = frozenset({"nan", "inf", "infinity", "oo", "zoo", "infty"})
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_TO_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_LETTER_VARIANTS = {"lamda": "lambda", "lunate epsilon": "epsilon", "final sigma": "sigma"}


def greek_name(char: str) -> str | None:
    """``"η"`` → ``"eta"``; None if ``char`` is not a Greek letter (variant forms included)."""
    try:
        unicode_name = unicodedata.name(char)
    except (TypeError, ValueError):
        return None
    match = re.fullmatch(r"GREEK (SMALL|CAPITAL)? ?(?:LETTER )?(.+?)(?: SYMBOL)?", unicode_name)
    if match is None:
        return None
    case, base = match.groups()
    base = _LETTER_VARIANTS.get(base.lower(), base.lower())
    if base not in GREEK_LETTERS:
        return None
    if case == "CAPITAL":
        return base.capitalize() if base.capitalize() in GREEK_LETTERS else None
    return base


def canonical_name(name: str) -> str:
    """One spelling per variable: ``η``/``eta``, ``x₁``/``x_1``/``x1`` are each the same name."""
    name = name.strip()
    if len(name) == 1 and (greek := greek_name(name)) is not None:
        return greek
    name = name.translate(_SUBSCRIPT_DIGITS)
    return re.sub(r"_(?=\d+$)", "", name)


def display_name(name: str) -> str:
    """How a variable is shown: ``eta`` → ``η``, ``w1`` → ``w₁``."""
    match = re.fullmatch(r"([A-Za-z]+)(\d*)", name)
    if match is None:
        return name
    letters, digits = match.groups()
    return GREEK_LETTERS.get(letters, letters) + digits.translate(_TO_SUBSCRIPT)


@dataclass(frozen=True)
class Vocabulary:
    """The names valid in one answer: its variables plus the fixed constants and functions."""

    variables: tuple[str, ...] = ()
    """Canonical variable names, in the order the problem declared them."""

    @classmethod
    def of(cls, variables: Iterable[str]) -> Vocabulary:
        """A vocabulary for the given (not necessarily canonical) variable names."""
        return _vocabulary(tuple(canonical_name(v) for v in variables))

    def kind(self, name: str) -> str | None:
        """``"variable"``, ``"constant"``, ``"function"`` or None for a whole identifier."""
        if name in self.variables:
            return "variable"
        if name.lower() in CONSTANTS and name.lower() not in self.variables:
            return "constant" if name in ("pi", "Pi", "PI", "e", "E") else None
        if name.lower() in FUNCTIONS:
            return "function"
        return None

    def split(self, word: str) -> list[str] | None:
        """Split ``word`` into known names (``xy`` → x·y, ``sinx`` → sin x), longest first.

        None when no split exists. Greek names that are not variables are never split
        (``beta`` is not b·eta), so the error names what the learner typed.
        """
        if self.kind(word) is not None:
            return [word]
        if word in GREEK_LETTERS or word.lower() in _NOT_NUMBERS:
            return None
        return _split(self, word)

    def unknown_name_message(self, word: str, position: int) -> str:
        """Why ``word`` is not accepted, naming it, its position and what is allowed."""
        allowed = ", ".join(display_name(v) for v in self.variables) or "none"
        where = f"at position {position}"
        lowered = word.lower()
        if lowered in _NOT_NUMBERS:
            return f"‘{word}’ {where} is not a number that can be checked; type a finite value"
        if lowered in _UNSUPPORTED_FUNCTIONS:
            names = ", ".join(sorted(set(FUNCTIONS)))
            return f"function ‘{word}’ {where} is not supported; available: {names}"
        case_matches = [v for v in self.variables if v.lower() == lowered]
        if case_matches:
            return (
                f"unknown name ‘{word}’ {where}; variables are case-sensitive: "
                f"did you mean ‘{display_name(case_matches[0])}’?"
            )
        hint = ""
        digits = re.fullmatch(r"([A-Za-z]+)(\d+)", word)
        if digits and digits.group(1) in self.variables:
            base, power = digits.groups()
            hint = f" (write {base}^{power} for a power or {base}*{power} for a product)"
        if not self.variables:
            return f"unknown name ‘{word}’ {where}; this answer takes numbers only, no variables"
        return f"unknown name ‘{word}’ {where}; allowed variables: {allowed}{hint}"


@lru_cache(maxsize=256)
def _vocabulary(variables: tuple[str, ...]) -> Vocabulary:
    return Vocabulary(variables)


@lru_cache(maxsize=1024)
def _split_cached(vocabulary: Vocabulary, word: str) -> tuple[str, ...] | None:
    # Dynamic programming over split points: linear in len(word) × longest name, never
    # exponential, so a 1000-letter identifier costs microseconds.
    longest = max([len(n) for n in (*vocabulary.variables, *FUNCTIONS, *CONSTANTS)])
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[len(word)] = ()
    for start in range(len(word) - 1, -1, -1):
        for end in range(min(len(word), start + longest), start, -1):
            piece = word[start:end]
            rest = best[end]
            if rest is not None and vocabulary.kind(piece) is not None:
                best[start] = (piece, *rest)
                break
    return best[0]


def _split(vocabulary: Vocabulary, word: str) -> list[str] | None:
    pieces = _split_cached(vocabulary, word)
    return list(pieces) if pieces is not None else None
