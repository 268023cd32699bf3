"""Display maths drawn in two dimensions (stacked fractions, matrices, ``cases``, limits).

Importing this package loads SymPy's pretty-printing boxes (about a quarter of a second), so
nothing on the way to the first screen imports it: the TUI loads it in a thread worker and
redraws, the CLI imports it when it prints a card. Everything it cannot draw, or that is
wider than the space, is shown in the one-line form of ``quizcalc.cards.display``.
"""

from __future__ import annotations

from quizcalc.typeset.markdown import display_math, render_markdown, render_text

__all__ = ["display_math", "render_markdown", "render_text"]
