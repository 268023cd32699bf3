"""Small operations on SymPy's text boxes (``stringPict``) that the layout is built from."""

from __future__ import annotations

from typing import Any

from sympy.printing.pretty.pretty_symbology import vobj
from sympy.printing.pretty.stringpict import prettyForm, stringPict

TALL = frozenset("()[]{}|")
"""Delimiters SymPy can draw at any height."""


def text_box(text: str, baseline: int = 0) -> stringPict:
    """A piece of text (lines centred) whose baseline is line ``baseline``."""
    return stringPict(text, baseline)


def joined(parts: list[Any]) -> stringPict:
    """Pieces side by side, aligned on their baselines (strings are one-line pieces)."""
    if not parts:
        return text_box("")
    return stringPict(*stringPict.next(*parts))


def pad(pict: stringPict, width: int, align: str) -> stringPict:
    """``pict`` widened to ``width`` columns: aligned left (``l``), right (``r``) or centred."""
    extra = width - pict.width()
    if extra <= 0:
        return pict
    left = {"l": 0, "r": extra}.get(align, extra - extra // 2)
    lines = [" " * left + line + " " * (extra - left) for line in pict.picture]
    return text_box("\n".join(lines), pict.baseline)


def tall(delimiter: str, height: int, baseline: int) -> stringPict:
    """``delimiter`` drawn ``height`` lines tall (those SymPy cannot stretch sit on the
    baseline, or repeat when they are vertical bars)."""
    if height == 1 or not delimiter:
        return text_box(delimiter, 0)
    if delimiter in TALL:
        return text_box(vobj(delimiter, height), baseline)
    if delimiter in "‖│":
        return text_box("\n".join(delimiter * height), baseline)
    lines = [" " * len(delimiter)] * height
    lines[baseline] = delimiter
    return text_box("\n".join(lines), baseline)


def fenced(pict: stringPict, left: str, right: str) -> stringPict:
    """``pict`` between ``left`` and ``right`` as tall as it is (``.parens()`` for SymPy's)."""
    braces = "{" in (left, right) or "}" in (left, right)
    if braces and pict.height() % 2 == 0:  # SymPy draws a brace an odd number of lines tall
        pict = text_box("\n".join([*pict.picture, " " * pict.width()]), pict.baseline)
    height, baseline = pict.height(), pict.baseline
    if left in TALL and right in TALL and left and right:
        return stringPict(*pict.parens(left, right))
    return joined([tall(left, height, baseline), pict, tall(right, height, baseline)])


def form(pict: stringPict) -> prettyForm:
    """A piece as a ``prettyForm`` atom (so ``/`` stacks it without adding brackets)."""
    return prettyForm("\n".join(pict.picture), pict.baseline)
