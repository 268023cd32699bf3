"""Card text as the TUI shows it: the one function every card view renders through.

Today LaTeX becomes Unicode (``latex_to_unicode``) inside Markdown that Textual's ``Markdown``
widget renders (code fences, tables, lists); a better maths renderer is swapped in here, once,
for every view that uses it.
"""

from __future__ import annotations

from quizcalc.cards.display import latex_to_unicode

__all__ = ["card_markdown"]


def card_markdown(text: str) -> str:
    """``text`` (a card's question or answer, Markdown with LaTeX) as Markdown to display."""
    return latex_to_unicode(text).strip()
