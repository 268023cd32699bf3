"""Card Markdown with its display maths drawn in two dimensions where they fit."""

from __future__ import annotations

from quizcalc.cards.display import latex_to_unicode
from quizcalc.typeset.layout import Unsupported, layout

__all__ = ["display_math", "render_markdown"]


def display_math(latex: str, width: int) -> str | None:
    """``latex`` (display math, no delimiters) drawn in two dimensions within ``width``
    columns, or None when the one-line form should be shown: the formula is flat anyway, is
    wider than ``width``, or uses something the layout does not draw. Never raises."""
    try:
        lines = layout(latex)
    except (Unsupported, RecursionError, ValueError, IndexError, TypeError, KeyError):
        return None
    if len(lines) < 2 or max(len(line) for line in lines) > width:
        return None
    return "\n".join(lines)


def render_markdown(text: str, width: int) -> str:
    """Markdown ``text`` as the terminal shows it, ``width`` columns wide: inline maths in
    Unicode on the line, display maths as a two-dimensional picture in a fenced block (info
    string ``MATH_FENCE_INFO``) where one fits, else on a line of its own. Never raises."""
    return latex_to_unicode(text, display=lambda latex: display_math(latex, width))
