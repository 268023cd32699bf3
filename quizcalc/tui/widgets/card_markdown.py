"""Card text as the TUI shows it: the one place every card view renders through.

Today LaTeX becomes Unicode (``latex_to_unicode``) inside Markdown that Textual's ``Markdown``
widget renders (code fences, tables, lists). A better maths renderer is swapped in here, once,
for every view built with :func:`card_view` (e.g. ``return MathMarkdown(text, id=id)``).
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Markdown

from quizcalc.cards.display import latex_to_unicode

__all__ = ["card_markdown", "card_view"]


def card_markdown(text: str) -> str:
    """``text`` (a card's question or answer, Markdown with LaTeX) as Markdown to display."""
    return latex_to_unicode(text).strip()


def card_view(text: str, *, id: str | None = None) -> Widget:
    """A widget showing ``text`` (Markdown with LaTeX) as the reviewer shows a card."""
    return Markdown(card_markdown(text), id=id)
