"""Obsidian Spaced Repetition syntax, so existing notes can be brought along unchanged.

- single line: ``question::answer``, and ``question:::answer`` for a card each way;
- multi-line: question lines, a line holding only ``?`` (``??`` for both ways), answer lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizcalc.cards.spans import protected_mask

__all__ = ["InlinePair", "multiline_separator", "split_inline_pair"]

_COLON_RUN = re.compile(r":{2,}")
_ANKI_CLOZE = re.compile(r"\{\{c\d+::")


@dataclass(frozen=True)
class InlinePair:
    """A ``question::answer`` line (``reversible`` for ``:::``)."""

    question: str
    answer: str
    reversible: bool


def split_inline_pair(line: str) -> InlinePair | None:
    """Read ``question::answer`` / ``question:::answer`` from one line, or None.

    The separator is the first run of exactly two or three colons outside code spans, math,
    links and Anki clozes, with text on both sides.
    """
    if "::" not in line or _ANKI_CLOZE.search(line):
        return None
    mask = protected_mask(line, links=True)
    for match in _COLON_RUN.finditer(line):
        if mask[match.start()]:
            continue
        length = match.end() - match.start()
        if length > 3:
            return None
        question = line[: match.start()].strip()
        answer = line[match.end() :].strip()
        if not question or not answer:
            return None
        return InlinePair(question, answer, reversible=length == 3)
    return None


def multiline_separator(lines: list[str]) -> tuple[int, bool] | None:
    """Index of the first line that is just ``?`` or ``??``, and whether it was ``??``."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped in ("?", "??"):
            return index, stripped == "??"
    return None
