"""Fill the first frame's cache of one-line questions (see :mod:`quizcalc.study.linear_text`).

Run in the background after the study data is open: the rows a card lacks (new, edited, or
made by an older renderer) are rendered outside any transaction, then written in short write
transactions, so an answer never waits long for the lock. A card edited in between is caught
by the digest each row carries (:mod:`~quizcalc.study.rendering_seal`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.errors import use_case
from quizcalc.study.linear_text import FORM, RENDERER, is_current, row_text

__all__ = ["LinearTextUseCases"]

_FLASHCARDS = """
SELECT c.id, c.question, r.text FROM cards AS c JOIN schedule AS s ON s.card_key = c.id
LEFT JOIN card_renderings AS r ON r.card_key = c.id AND r.form = :form AND r.renderer = :renderer
WHERE c.status = 'active' AND c.kind IN ('basic', 'cloze')
ORDER BY s.due IS NULL, s.due, c.source_id, c.position, c.id
"""
"""Every active flashcard, the soonest due first, then the new ones in reading order: the
order a queue takes them in, so the cards a start is likely to show first are cached first."""

_WRITE = """
INSERT OR REPLACE INTO card_renderings (card_key, form, renderer, text)
SELECT :key, :form, :renderer, :text WHERE EXISTS (SELECT 1 FROM cards WHERE id = :key)
"""

_WRITE_POSTGRESQL = """
INSERT INTO card_renderings (card_key, form, renderer, text)
SELECT CAST(:key AS INTEGER), CAST(:form AS VARCHAR), CAST(:renderer AS INTEGER),
       CAST(:text AS TEXT)
WHERE EXISTS (SELECT 1 FROM cards WHERE id = CAST(:key AS INTEGER))
ON CONFLICT (card_key, form) DO UPDATE SET renderer = excluded.renderer, text = excluded.text
"""
""":data:`_WRITE` on PostgreSQL, which has no ``INSERT OR REPLACE`` and cannot infer the types
of parameters in a ``SELECT`` list."""

CHUNK = 500
"""Rows written per write transaction."""

PER_START = 2_000
"""At most this many rendered per call (about 0.3 s of CPU): a collection of 50,000 cards
new to the cache is filled over several starts, the cards due soonest first."""


class LinearTextUseCases(CollectionAccess):
    """Keep every active flashcard's one-line question cached for the first frame."""

    @use_case("cache the cards' one-line text")
    def cache_linear_questions(
        self, keep_going: Callable[[], bool] = lambda: True, limit: int = PER_START
    ) -> int:
        """Render and store the one-line question of up to ``limit`` flashcards lacking a
        current one, the soonest due first; returns how many were written. Stops between two
        writes once ``keep_going()`` is false (the app is closing)."""
        from quizcalc.cards.display import latex_to_unicode

        params = {"form": FORM, "renderer": RENDERER}
        with self.transaction() as session:
            rows = sql_runner(session)(_FLASHCARDS, params)
        stale = [
            (key, question)
            for key, question, cached in rows
            if not is_current(None if cached is None else str(cached), question)
        ][:limit]
        written = 0
        for start in range(0, len(stale), CHUNK):
            if not keep_going():
                break
            chunk = [
                {**params, "key": key, "text": row_text(question, latex_to_unicode(question))}
                for key, question in stale[start : start + CHUNK]
            ]
            with self.transaction(write=True) as session:
                sqlite = session.get_bind().dialect.name == "sqlite"
                session.execute(text(_WRITE if sqlite else _WRITE_POSTGRESQL), chunk)
            written += len(chunk)
        return written
