"""Card Markdown with its display maths drawn in two dimensions where they fit."""

from __future__ import annotations

from quizcalc.cards.display import MATH_FENCE_INFO, latex_to_unicode
from quizcalc.typeset.layout import Unsupported, layout

__all__ = ["display_math", "render_markdown", "render_text"]


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


def render_text(text: str, width: int) -> str:
    """Like :func:`render_markdown`, but each picture is written bare (no fence): the text a
    script reads from ``quizcalc cards show``."""
    fence = f"```{MATH_FENCE_INFO}\n"
    rendered = render_markdown(text, width)
    while fence in rendered:
        start = rendered.index(fence)
        end = rendered.index("\n```", start + len(fence))
        rendered = rendered[:start] + rendered[start + len(fence) : end] + rendered[end + 4 :]
    return rendered
