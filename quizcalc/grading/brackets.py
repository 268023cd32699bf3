"""Brackets and MATLAB-style layout at the token level, before any expression is built.

Every bracket is matched up front (so a mismatch is reported where it is, and nesting deeper
than :data:`MAX_NESTING` is refused without recursing), and rows (``;`` or line breaks) and
entries (commas, or spaces by MATLAB's rule) are found by scanning one nesting level.
"""

from __future__ import annotations

from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.tokenizer import Token

__all__ = [
    "MAX_NESTING",
    "ends_operand",
    "is_sign",
    "match_brackets",
    "split_level",
    "split_on_spaces",
    "starts_factor",
]

MAX_NESTING = 50
"""Deepest nesting of brackets, signs, powers and function arguments."""


def is_sign(token: Token) -> bool:
    """A ``+`` or ``-`` operator."""
    return token.kind == "operator" and token.text in "+-"


def starts_factor(token: Token) -> bool:
    """Whether ``token`` can begin a factor (so that juxtaposition multiplies)."""
    if token.kind in ("number", "variable", "constant", "function", "root"):
        return True
    return token.kind == "open" and token.text == "("


_CLOSERS = {"(": ")", "[": "]", "<": ">"}


def match_brackets(tokens: list[Token]) -> dict[int, int]:
    """Index of each opening bracket → index of its closing one; raises on any mismatch."""
    matching: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind == "open":
            stack.append(index)
            if len(stack) > MAX_NESTING:
                raise UnreadableAnswer(
                    f"brackets are nested more than {MAX_NESTING} deep at position "
                    f"{token.position}",
                    token.position,
                )
        elif token.kind == "close":
            if not stack:
                raise UnreadableAnswer(
                    f"unexpected ‘{token.text}’ at position {token.position} (nothing to close)",
                    token.position,
                )
            open_index = stack.pop()
            opener = tokens[open_index]
            if _CLOSERS[opener.text] != token.text:
                raise UnreadableAnswer(
                    f"‘{token.text}’ at position {token.position} does not match "
                    f"‘{opener.text}’ at position {opener.position}",
                    token.position,
                )
            matching[open_index] = index
    if stack:
        opener = tokens[stack[-1]]
        raise UnreadableAnswer(
            f"‘{opener.text}’ at position {opener.position} is never closed", opener.position
        )
    return matching


def split_level(
    tokens: list[Token], start: int, stop: int, matching: dict[int, int], kinds: tuple[str, ...]
) -> list[tuple[int, int]]:
    """Ranges of tokens[start:stop] between separators of ``kinds`` outside any bracket."""
    ranges = []
    begin = index = start
    while index < stop:
        token = tokens[index]
        if token.kind == "open":
            index = matching[index] + 1
            continue
        if token.kind in kinds:
            ranges.append((begin, index))
            begin = index + 1
        index += 1
    ranges.append((begin, stop))
    return ranges


def split_on_spaces(
    tokens: list[Token], start: int, stop: int, matching: dict[int, int]
) -> list[tuple[int, int]]:
    """MATLAB's rule: a space between two operands separates entries (``[1 -2]`` is two)."""
    ranges = []
    begin = index = start
    while index < stop:
        token = tokens[index]
        if index > begin and token.spaced and ends_operand(tokens[index - 1]):
            following = tokens[index + 1] if index + 1 < stop else None
            signed = is_sign(token) and following is not None and not following.spaced
            if starts_factor(token) or (token.kind == "open" and token.text == "[") or signed:
                ranges.append((begin, index))
                begin = index
        index = matching[index] + 1 if token.kind == "open" else index + 1
    ranges.append((begin, stop))
    return ranges


def ends_operand(token: Token) -> bool:
    """Whether ``token`` can end an operand (a number, a name or a closing bracket)."""
    return token.kind in ("number", "variable", "constant", "close")
