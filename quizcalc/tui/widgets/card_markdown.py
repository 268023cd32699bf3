"""Card text as the TUI shows it: the one place Browse's card views render through.

:func:`card_view` is the reviewer's widget (:class:`~quizcalc.tui.widgets.math_markdown.
MathMarkdown`: Markdown with code fences, tables and lists, display maths drawn in two
dimensions once the layout is loaded); :func:`card_markdown` is the one-line text form for
places that show plain text (a past problem instance's prompt).
"""

from __future__ import annotations

from textual.widget import Widget

from quizcalc.cards.display import latex_to_unicode
from quizcalc.tui.widgets.math_markdown import MathMarkdown

__all__ = ["card_markdown", "card_view"]


def card_markdown(text: str) -> str:
    """``text`` (a card's question or answer, Markdown with LaTeX) as Markdown to display."""
    return latex_to_unicode(text).strip()


def card_view(text: str, *, id: str | None = None) -> Widget:
    """A widget showing ``text`` (Markdown with LaTeX) as the reviewer shows a card."""
    return MathMarkdown(text.strip(), id=id)
