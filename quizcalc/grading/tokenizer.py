"""Turn typed text into tokens from a whitelist, reading what people actually type.

Normalization (each character keeps its position in the original text, for error messages):

- ``−`` (and other dashes) is minus; ``×``, ``·``, ``⋅``, ``∙`` multiply; ``÷``, ``∕`` divide;
- superscripts are powers (``x²`` is ``x^(2)``, ``x⁻¹`` is ``x^(-1)``);
- vulgar fractions are exact (``½`` is ``(1/2)``, ``2½`` is ``(2+1/2)``);
- full-width forms and compatibility characters go through NFKC (``１２`` is ``12``);
- Greek letters are names (``η`` and ``eta`` are the same variable), ``π`` is pi;
- ``⟨ ⟩`` are vector brackets like ``< >``; ``**`` is ``^``.

Tokens: numbers (``12``, ``.5``, ``1e-3`` — a digit, ``e`` and digits are always scientific
notation, so ``2e-3`` is 0.002 even if ``e`` is a variable), names resolved against the
:class:`~quizcalc.grading.vocabulary.Vocabulary` (``xy`` is x·y and ``sinx`` is sin x when those
are known names), operators ``+ - * / ^``, brackets, ``,``, ``;``, newlines and ``√``.
Everything else is rejected with a message naming the character and its 1-based position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.vocabulary import FUNCTIONS, Vocabulary, canonical_name, greek_name

__all__ = ["MAX_ANSWER_LENGTH", "Token", "normalize", "tokenize"]

MAX_ANSWER_LENGTH = 1000
"""Longest answer read, in characters (checked before anything else is done)."""

_DIRECT = {
    **dict.fromkeys("−–—‐‑﹣", "-"),
    **dict.fromkeys("×·⋅∙∗✕", "*"),
    **dict.fromkeys("÷∕⁄", "/"),
    **dict.fromkeys("⟨〈", "<"),
    **dict.fromkeys("⟩〉", ">"),
    "\t": " ",
    "\r": "\n",
    "\u2028": "\n",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾", "0123456789+-()", strict=True))
_CHARACTER_ERRORS = {
    "!": "factorial ‘!’ {where} is not supported",
    "=": "‘=’ {where} is not allowed: type only the answer, not an equation",
    "|": "‘|’ {where} is not supported: write abs(…) for an absolute value",
    "%": "‘%’ {where} is not supported: write percentages as decimals (50% → 0.5)",
    "{": "‘{{’ {where} is not supported: use ( ) for grouping",
    "}": "‘}}’ {where} is not supported: use ( ) for grouping",
    "\\": "‘\\’ {where}: LaTeX is not supported, type sqrt(x) rather than \\sqrt{{x}}",
    "'": "quotes are not allowed (‘'’ {where})",
    '"': 'quotes are not allowed (‘"’ {where})',
    "∞": "‘∞’ {where} is not a number that can be checked; type a finite value",
}
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SINGLE = {
    "+": "operator",
    "-": "operator",
    "*": "operator",
    "/": "operator",
    "^": "operator",
    "(": "open",
    "[": "open",
    "<": "open",
    ")": "close",
    "]": "close",
    ">": "close",
    ",": "comma",
    ";": "semicolon",
    "\n": "newline",
    "√": "root",
}


@dataclass(frozen=True)
class Token:
    """One piece of the answer."""

    kind: str
    """number, variable, constant, function, operator, open, close, comma, semicolon,
    newline, root or end."""
    text: str
    """The canonical text (``^`` for ``**``, ``eta`` for ``η``, ``log`` for ``ln``)."""
    position: int
    """1-based position of its first character in the original answer."""
    spaced: bool = False
    """Whether whitespace precedes it (matters only inside MATLAB-style matrices)."""


def normalize(text: str) -> tuple[str, list[int]]:
    """The text in the tokenizer's alphabet, with each character's original 1-based position."""
    chars: list[str] = []
    positions: list[int] = []

    def emit(piece: str, position: int) -> None:
        chars.extend(piece)
        positions.extend([position] * len(piece))

    index = 0
    while index < len(text):
        char = text[index]
        position = index + 1
        if char in _SUPERSCRIPTS:
            run_end = index
            while run_end < len(text) and text[run_end] in _SUPERSCRIPTS:
                run_end += 1
            emit("^(", position)
            for offset in range(index, run_end):
                emit(_SUPERSCRIPTS[text[offset]], offset + 1)
            emit(")", run_end)
            index = run_end
            continue
        decomposed = unicodedata.normalize("NFKC", char)
        if "⁄" in decomposed and len(decomposed) > 1:  # a vulgar fraction such as ½
            numerator, denominator = decomposed.split("⁄", 1)
            mixed_start = len(chars)
            while mixed_start > 0 and chars[mixed_start - 1].isdigit():
                mixed_start -= 1
            if mixed_start < len(chars):  # 2½ is two and a half
                chars.insert(mixed_start, "(")
                positions.insert(mixed_start, positions[mixed_start])
                emit(f"+{numerator}/{denominator})", position)
            else:
                emit(f"({numerator}/{denominator})", position)
        elif char in _DIRECT:
            emit(_DIRECT[char], position)
        elif greek_name(char) is not None or char in "√∞π":
            emit(char, position)
        elif char.isspace() and char != "\n":
            emit(" ", position)
        else:
            emit(decomposed, position)
        index += 1
    return "".join(chars), positions


def tokenize(text: str, vocabulary: Vocabulary) -> list[Token]:
    """Tokens of ``text``, ending with an ``end`` token; raises :class:`UnreadableAnswer`."""
    if len(text) > MAX_ANSWER_LENGTH:
        raise UnreadableAnswer(
            f"the answer is too long ({len(text)} characters; the limit is {MAX_ANSWER_LENGTH})"
        )
    normalized, positions = normalize(text)
    start, end = 0, len(normalized)
    while start < end and normalized[start].isspace():
        start += 1
    while end > start and normalized[end - 1].isspace():
        end -= 1
    if start == end:
        raise UnreadableAnswer("the answer is empty")
    tokens: list[Token] = []
    index = start
    spaced = False
    while index < end:
        char = normalized[index]
        position = positions[index]
        if char == " ":
            spaced = True
            index += 1
            continue
        number = _NUMBER.match(normalized, index, end)
        word = _WORD.match(normalized, index, end)
        if number:
            tokens.append(Token("number", number.group(), position, spaced))
            index = number.end()
        elif word:
            pieces = _word_tokens(word.group(), positions[index : word.end()], vocabulary)
            tokens.append(_with_space(pieces[0], spaced))
            tokens.extend(pieces[1:])
            index = word.end()
        elif char == "*" and normalized.startswith("**", index):
            tokens.append(Token("operator", "^", position, spaced))
            index += 2
        elif char == "π":
            kind = "variable" if "pi" in vocabulary.variables else "constant"
            tokens.append(Token(kind, "pi", position, spaced))
            index += 1
        elif (greek := greek_name(char)) is not None:
            if greek not in vocabulary.variables:
                raise UnreadableAnswer(vocabulary.unknown_name_message(char, position), position)
            tokens.append(Token("variable", greek, position, spaced))
            index += 1
        elif char in _SINGLE:
            tokens.append(Token(_SINGLE[char], char, position, spaced))
            index += 1
        else:
            raise UnreadableAnswer(_character_message(char, position), position)
        spaced = False
    tokens.append(Token("end", "", positions[end - 1] + 1, spaced))
    return tokens


def _with_space(token: Token, spaced: bool) -> Token:
    return (
        token if token.spaced == spaced else Token(token.kind, token.text, token.position, spaced)
    )


def _word_tokens(word: str, positions: list[int], vocabulary: Vocabulary) -> list[Token]:
    name = canonical_name(word)
    kind = vocabulary.kind(name)
    if kind is not None:
        return [Token(kind, _canonical_text(name, kind), positions[0])]
    pieces = vocabulary.split(word)
    if pieces is None:
        raise UnreadableAnswer(vocabulary.unknown_name_message(word, positions[0]), positions[0])
    tokens = []
    offset = 0
    for piece in pieces:
        piece_kind = vocabulary.kind(piece)
        assert piece_kind is not None  # split only returns known names
        tokens.append(Token(piece_kind, _canonical_text(piece, piece_kind), positions[offset]))
        offset += len(piece)
    return tokens


def _canonical_text(name: str, kind: str) -> str:
    if kind == "function":
        return FUNCTIONS[name.lower()]
    if kind == "constant":
        return name.lower()
    return name


def _character_message(char: str, position: int) -> str:
    where = f"at position {position}"
    template = _CHARACTER_ERRORS.get(char)
    if template is not None:
        return template.format(where=where)
    if char == ".":
        return f"unexpected ‘.’ {where} (a decimal point needs a digit after it)"
    if char == "_":
        return f"unexpected ‘_’ {where}"
    shown = char if char.isprintable() else repr(char)
    return f"unexpected character ‘{shown}’ {where}"
