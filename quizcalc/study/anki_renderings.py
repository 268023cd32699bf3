"""Each card's Anki HTML, rendered once and kept in ``card_renderings`` (schema 0010).

An ``.apkg`` export spent three quarters of its time turning Markdown into Anki HTML
(:func:`~quizcalc.exchange.anki_html.markdown_to_anki_html`), every field of every card, every
time. The HTML is rendered where a card's text changes instead — a sync adding or updating
cards, an edit in the app — and an export reads it back.

Forms: a Q&A card keeps ``anki_question`` and ``anki_answer``; a cloze card ``anki_note``
(its whole note, or its question when it has none, as the export writes it); a problem card
none (its instances are generated at export). ``renderer`` is
:data:`~quizcalc.study.anki_html_cache.RENDERER`: a row of another version is rendered again.

Each row's text starts with a digest of the Markdown it was rendered from
(``<16 hex digits>:<html>``), and a row is used only when that digest matches the card's
text as it is now. So a card changed by a path that does not refresh its rows (a restore, a
bulk change, a future use case) is exported correctly all the same: its row is merely
rendered again. An export renders the rows it finds missing or stale and stores them in a
short write transaction of its own, so only the first export after a renderer upgrade pays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from quizcalc.store.models import CardRecord, CardRenderingRecord
from quizcalc.study import anki_html_cache
from quizcalc.study.anki_html_cache import (
    ANKI_FORMS,
    CardTexts,
    StoredHtml,
    current_html,
    rendering_sources,
)
from quizcalc.study.batches import batches
from quizcalc.study.rendering_seal import digest, sealed

__all__ = [
    "ANKI_FORMS",
    "CardTexts",
    "StoredHtml",
    "edited_cards",
    "refresh_renderings",
    "render",
    "rendering_sources",
    "store_new_cards",
    "store_renderings",
    "stored_html",
]

_KEYS_PER_QUERY = 500
"""Card keys per ``IN (…)`` query."""


def render(items: Iterable[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """``card_renderings`` rows for (card key, form, Markdown) items, rendered now (a text
    shared by several cards, a cloze note's, once)."""
    from quizcalc.exchange.anki_html import markdown_to_anki_html

    done: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    version = anki_html_cache.RENDERER
    for key, form, source in items:
        if source not in done:
            done[source] = sealed(digest(source), markdown_to_anki_html(source))
        rows.append({"card_key": key, "form": form, "renderer": version, "text": done[source]})
    return rows


def store_renderings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the cards' Anki renderings by ``rows`` (made by :func:`render`).

    Runs inside the caller's write transaction. Only the (card, form) pairs in ``rows`` are
    replaced; rows of cards no longer in the store (removed since they were read) are
    dropped."""
    if not rows:
        return
    by_form: dict[str, set[int]] = {}
    for row in rows:
        by_form.setdefault(row["form"], set()).add(int(row["card_key"]))
    keys = sorted(set().union(*by_form.values()))
    present: set[int] = set()
    for chunk in batches(keys, _KEYS_PER_QUERY):
        present.update(session.scalars(select(CardRecord.id).where(CardRecord.id.in_(chunk))))
    for form, form_keys in by_form.items():
        for chunk in batches(sorted(form_keys), _KEYS_PER_QUERY):
            session.execute(
                delete(CardRenderingRecord).where(
                    CardRenderingRecord.form == form, CardRenderingRecord.card_key.in_(chunk)
                )
            )
    kept = [row for row in rows if int(row["card_key"]) in present]
    if kept:
        session.execute(insert(CardRenderingRecord), kept)


def refresh_renderings(session: Session, cards: Sequence[CardTexts]) -> None:
    """Render and store the Anki HTML of ``cards`` (changed ones) where the stored rows are
    not current, in the caller's write transaction (a tag-only change renders nothing)."""
    if cards:
        store_renderings(session, render(stored_html(session, cards).missing))


def store_new_cards(session: Session, cards: Iterable[tuple[int, str, str, str, str]]) -> None:
    """Render and store the Anki HTML of new cards: (key, kind, question, answer, note)."""
    items = [
        (key, form, source)
        for key, kind, question, answer, note in cards
        for form, source in rendering_sources(kind, question, answer, note)
    ]
    store_renderings(session, render(items))


def stored_html(session: Session, cards: Sequence[CardTexts]) -> StoredHtml:
    """The current Anki HTML stored for ``cards``; the texts without one are ``missing``."""
    found: dict[tuple[int, str], str] = {}
    keys = [card.id for card in cards]
    for chunk in batches(keys, _KEYS_PER_QUERY):
        query = select(
            CardRenderingRecord.card_key, CardRenderingRecord.form, CardRenderingRecord.text
        ).where(
            CardRenderingRecord.card_key.in_(chunk),
            CardRenderingRecord.form.in_(ANKI_FORMS),
            CardRenderingRecord.renderer == anki_html_cache.RENDERER,
        )
        for key, form, text in session.execute(query):
            found[(key, form)] = text
    return current_html(found, cards)


def edited_cards(session: Session) -> list[CardRecord]:
    """The cards changed in ``session`` and not yet flushed (an in-app edit's)."""
    return [obj for obj in session.dirty if isinstance(obj, CardRecord)]
