"""Multiple choice: the option's text, its number or its letter, in any case. No SymPy needed.

Prompts list the options by number (``1. local minimum``, ``2. local maximum``…), so the grader
echoes and names options the same way (``2. local maximum``). Accepted, in this order: the
option text (case- and space-insensitive), its 1-based number as the prompt shows it (``2``,
``2.``, ``2)``, ``(2)``), its letter as a convenience (``b``, ``B)``, ``(b)``: the second
option), a label followed by the text (``2. maximum``, ``b) maximum``), and a prefix of at least
four characters that fits exactly one option (``saddle`` for "saddle point"). Anything else is
an error listing the options.

Options that are matrix shapes, written ``(3, 5)``, are also matched in the other ways people
write a shape: ``(3,5)``, ``3, 5``, ``3x5``, ``3 × 5``, ``3 by 5`` (read by one regular
expression over digits, never evaluated).
"""

from __future__ import annotations

import re
import string

from quizcalc.grading.answers import ChoiceAnswer, Verdict
from quizcalc.grading.errors import UnreadableAnswer

__all__ = ["choose", "grade_choice", "read_choice"]

MIN_PREFIX = 4
"""Shortest prefix of an option's text accepted as that option."""

_LABEL = re.compile(r"\(?([a-z]|\d+)[).:]?")
_LABELLED_TEXT = re.compile(r"\(?([a-z]|\d+)[).:]\s*(.+)")


_SHAPE = re.compile(r"\(?\s*(\d{1,6})\s*(?:,|x|×|\*|by)\s*(\d{1,6})\s*\)?")
"""A two-dimensional shape as people type it: ``(3, 5)``, ``3x5``, ``3 × 5``, ``3 by 5``."""


def _normal(text: str) -> str:
    """Case- and space-insensitive text; a shape in any spelling becomes ``(3, 5)``."""
    folded = " ".join(text.casefold().split())
    shape = _SHAPE.fullmatch(folded)
    if shape is not None:
        return f"({int(shape.group(1))}, {int(shape.group(2))})"
    return folded


def _labelled(options: list[str], index: int) -> str:
    """An option as the prompt lists it: ``2. local maximum``."""
    return f"{index + 1}. {options[index]}"


def _by_label(label: str, options: list[str]) -> int | None:
    if label.isdigit():
        number = int(label)
        return number - 1 if 1 <= number <= len(options) else None
    index = string.ascii_lowercase.index(label)
    return index if index < len(options) else None


def choose(text: str, options: list[str]) -> int:
    """The index of the option ``text`` names; raises :class:`UnreadableAnswer` otherwise."""
    typed = _normal(text)
    normal_options = [_normal(option) for option in options]
    if typed in normal_options:
        return normal_options.index(typed)
    label = _LABEL.fullmatch(typed)
    if label is not None and (index := _by_label(label.group(1), options)) is not None:
        return index
    labelled = _LABELLED_TEXT.fullmatch(typed)
    if labelled is not None:
        index = _by_label(labelled.group(1), options)
        if index is not None and normal_options[index].startswith(_normal(labelled.group(2))):
            return index
    if len(typed) >= MIN_PREFIX:
        fits = [i for i, option in enumerate(normal_options) if option.startswith(typed)]
        if len(fits) == 1:
            return fits[0]
        if len(fits) > 1:
            names = " or ".join(_labelled(options, i) for i in fits)
            raise UnreadableAnswer(f"‘{text.strip()}’ could be {names}: type more of it")
    listing = ", ".join(_labelled(options, i) for i in range(len(options)))
    shown = text.strip()[:40] or "nothing"
    raise UnreadableAnswer(
        f"‘{shown}’ is not one of the options; choose one of: {listing} "
        "(type its number or its text)"
    )


def read_choice(text: str, expected: ChoiceAnswer) -> tuple[str | None, str | None]:
    """(how ``text`` was read, error): e.g. ``("2. maximum", None)`` for ``b`` or ``2``."""
    options = list(expected.options)
    try:
        return _labelled(options, choose(text, options)), None
    except UnreadableAnswer as error:
        return None, error.message


def grade_choice(text: str, expected: ChoiceAnswer) -> Verdict:
    """Grade a choice: right or wrong, with the misconception's message when one matches."""
    options = list(expected.options)
    normal_options = [_normal(option) for option in options]
    if _normal(expected.correct) not in normal_options:
        return Verdict(
            correct=False,
            score=0.0,
            feedback="This problem's correct option is not among its options.",
            interpreted="",
            error="the problem is misconfigured (correct option missing)",
        )
    try:
        index = choose(text, options)
    except UnreadableAnswer as error:
        return Verdict(False, 0.0, error.message, "", error=error.message)
    interpreted = _labelled(options, index)
    if normal_options[index] == _normal(expected.correct):
        return Verdict(True, 1.0, "Correct.", interpreted)
    for misconception in expected.misconceptions:
        try:
            named = choose(misconception.answer, options)
        except UnreadableAnswer:
            continue  # check_answer_key reports it to the problem's author
        if named == index:
            return Verdict(
                False,
                0.0,
                misconception.message,
                interpreted,
                misconception=misconception.tag or None,
            )
    return Verdict(False, 0.0, "Not the right option.", interpreted)
