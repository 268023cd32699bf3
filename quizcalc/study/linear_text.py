"""A card's question in its one-line form (``cards.display``), cached for the first frame.

Rendering LaTeX to Unicode needs pylatexenc, whose import costs about as much CPU as the rest
of the first frame's own work. So the one-line question of every flashcard is kept in
``card_renderings`` (form :data:`FORM`), filled in the background once the study data is open
(:class:`~quizcalc.study.linear_cache.LinearTextUseCases`), and the first frame reads it with
the card. A row counts only when it was made by this :data:`RENDERER` from this very question
text (see :mod:`~quizcalc.study.rendering_seal`), so an edited card or a newer renderer is
never shown stale: the first frame then renders the text itself, as it always did.

This module is on the first card's path: standard library only.
"""

from __future__ import annotations

from quizcalc.study.queue_limits import RunSQL
from quizcalc.study.rendering_seal import digest, opened, sealed

__all__ = ["CACHED_TEXT", "FORM", "RENDERER", "cached_linear", "is_current", "row_text"]

FORM = "question_linear"
"""The ``card_renderings.form`` of the one-line question."""

RENDERER = 3
"""Version of ``cards.display.latex_to_unicode``'s output: raise it when that output changes."""

CACHED_TEXT = """
SELECT text FROM card_renderings
WHERE card_key = :key AND form = :form AND renderer = :renderer
"""


def row_text(question: str, linear: str) -> str:
    """What the cache stores: the one-line text sealed under its question's digest."""
    return sealed(digest(question), linear)


def is_current(stored: str | None, question: str) -> bool:
    """Whether the stored row ``stored`` was made from ``question`` as it is now."""
    return stored is not None and opened(stored, digest(question)) is not None


def cached_linear(run: RunSQL, key: int, question: str) -> str | None:
    """The cached one-line form of card ``key`` whose question is ``question``; ``None``
    when there is none, or it was made by another renderer or from another text."""
    rows = run(CACHED_TEXT, {"key": key, "form": FORM, "renderer": RENDERER})
    if not rows:
        return None
    return opened(str(rows[0][0]), digest(question))
