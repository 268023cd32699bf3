"""Find the parts of one paragraph's inline text that card syntax must not look inside.

Card markers (``?`` ending a question, ``::`` of an Obsidian card, ``[...]`` of a hashcards
cloze) are only markers in prose: a ``?`` inside ``\\(...\\)`` math, a code span or a quotation,
or ``::`` inside a link, is just text. Everything here is linear in the text's length, so
hostile input (thousands of unmatched delimiters) cannot make the parser slow.
"""

from __future__ import annotations

import re

__all__ = ["code_spans", "math_spans", "protected_mask"]

Span = tuple[int, int]
"""A half-open ``[start, end)`` character range."""

_BACKTICK_RUN = re.compile(r"`+")
_MATH_OPENER = re.compile(r"\\\(|\\\[|\$\$|\$")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_MAX_DOLLAR_CANDIDATES = 16
"""How many later ``$`` signs an inline ``$`` may try as its closer (bounds the work)."""


def _is_escaped(text: str, index: int) -> bool:
    """True when ``text[index]`` is preceded by an odd number of backslashes."""
    count = 0
    index -= 1
    while index >= 0 and text[index] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1


def code_spans(text: str) -> list[Span]:
    """Inline code spans: a run of N backticks up to the next run of exactly N backticks."""
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(text)]
    next_same: list[int | None] = [None] * len(runs)
    last_seen: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = last_seen.get(length)
        last_seen[length] = index
    spans: list[Span] = []
    index = 0
    while index < len(runs):
        closer = next_same[index]
        if closer is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closer][1]))
        index = closer + 1
    return spans


def _inside(spans: list[Span], position: int, start_index: int) -> tuple[bool, int]:
    """Whether ``position`` falls in one of the sorted ``spans``; returns the index to resume."""
    while start_index < len(spans) and spans[start_index][1] <= position:
        start_index += 1
    if start_index < len(spans) and spans[start_index][0] <= position:
        return True, start_index
    return False, start_index


def _dollar_closer(text: str, dollars: list[int], first: int) -> int | None:
    """Index into ``dollars`` of the closer of the inline ``$`` at ``dollars[first]``.

    Pandoc's rule: the opener must be followed by a non-space; the closer must follow a
    non-space and not be followed by a digit (so ``$5 and $10`` is not math).
    """
    opener = dollars[first]
    if opener + 1 >= len(text) or text[opener + 1].isspace():
        return None
    limit = min(len(dollars), first + 1 + _MAX_DOLLAR_CANDIDATES)
    for candidate in range(first + 1, limit):
        position = dollars[candidate]
        if position == opener + 1 or _is_escaped(text, position):
            continue
        if text[position - 1] == "$" or text[position + 1 : position + 2] == "$":
            continue  # part of a ``$$``, which never closes inline math
        if text[position - 1].isspace():
            continue
        if position + 1 < len(text) and text[position + 1].isdigit():
            continue
        return candidate
    return None


def math_spans(text: str, skip: list[Span] | None = None) -> list[Span]:
    """LaTeX math: ``\\(...\\)``, ``\\[...\\]``, ``$$...$$`` and inline ``$...$``.

    ``skip`` (sorted, e.g. code spans) are regions where delimiters are not looked for.
    """
    skip = skip or []
    spans: list[Span] = []
    missing_closers: set[str] = set()
    dollars = [m.start() for m in re.finditer(r"\$", text)]
    dollar_index = {position: index for index, position in enumerate(dollars)}
    position = 0
    skip_index = 0
    while True:
        match = _MATH_OPENER.search(text, position)
        if match is None:
            break
        start = match.start()
        inside, skip_index = _inside(skip, start, skip_index)
        if inside or _is_escaped(text, start):
            position = start + 1
            continue
        opener = match.group()
        end: int | None = None
        if opener in ("\\(", "\\[", "$$"):
            closer = {"\\(": "\\)", "\\[": "\\]", "$$": "$$"}[opener]
            found = -1 if closer in missing_closers else text.find(closer, match.end())
            if found < 0:
                missing_closers.add(closer)
            else:
                end = found + len(closer)
        else:
            closer_index = _dollar_closer(text, dollars, dollar_index[start])
            if closer_index is not None:
                end = dollars[closer_index] + 1
        if end is None:
            position = match.end()
            continue
        spans.append((start, end))
        position = end
    return spans


def _quote_spans(text: str, mask: bytearray) -> list[Span]:
    """Double-quoted passages, curly (“…”) or straight ("…"), outside ``mask``."""
    spans: list[Span] = []
    open_curly: int | None = None
    open_straight: int | None = None
    for index, char in enumerate(text):
        if mask[index]:
            continue
        if char == "“" and open_curly is None:
            open_curly = index
        elif char == "”" and open_curly is not None:
            spans.append((open_curly, index + 1))
            open_curly = None
        elif char == '"':
            if open_straight is None:
                open_straight = index
            else:
                spans.append((open_straight, index + 1))
                open_straight = None
    return spans


def _paren_spans(text: str, mask: bytearray) -> list[Span]:
    """Outermost balanced ``(...)`` groups outside ``mask``; an unmatched ``(`` hides nothing."""
    spans: list[Span] = []
    stack: list[int] = []
    for index, char in enumerate(text):
        if mask[index]:
            continue
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            start = stack.pop()
            if not stack:
                spans.append((start, index + 1))
    return spans


def _apply(mask: bytearray, spans: list[Span]) -> None:
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)


def protected_mask(
    text: str,
    *,
    quotes: bool = False,
    parens: bool = False,
    links: bool = False,
) -> bytearray:
    """A byte per character of ``text``: 1 where card markers must be ignored, else 0.

    Code spans and math are always protected; quotations, parenthesised asides and link
    targets / autolinks / HTML comments on request.
    """
    mask = bytearray(len(text))
    code = code_spans(text)
    _apply(mask, code)
    _apply(mask, math_spans(text, code))
    if links:
        for pattern in (_LINK_TARGET, _AUTOLINK, _HTML_COMMENT):
            _apply(mask, [m.span() for m in pattern.finditer(text)])
    if quotes:
        _apply(mask, _quote_spans(text, mask))
    if parens:
        _apply(mask, _paren_spans(text, mask))
    return mask
