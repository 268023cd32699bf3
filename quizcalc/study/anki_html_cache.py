"""The Anki HTML kept in ``card_renderings``, read without SQLAlchemy.

What :mod:`~quizcalc.study.anki_renderings` stores (see there) is checked here against the
cards' text as it is now: the rows come from the store's session or, on the export's quick
path (:mod:`~quizcalc.study.export_quick`), from the stdlib ``sqlite3`` driver, and both go
through :func:`current_html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from quizcalc.study.rendering_seal import digest, opened

__all__ = [
    "ANKI_FORMS",
    "RENDERER",
    "CardTexts",
    "StoredHtml",
    "current_html",
    "rendering_sources",
]

RENDERER = 2
"""The version of the Markdown → Anki HTML rendering stored: bump it when
:func:`markdown_to_anki_html` changes what it writes, and every row is rendered again."""

ANKI_FORMS = ("anki_question", "anki_answer", "anki_note")
"""The ``card_renderings`` forms this module owns (other forms belong to other features)."""


class CardTexts(Protocol):
    """What a card's renderings are made of (a :class:`CardRecord` is one, so is a row)."""

    @property
    def id(self) -> int:
        """The card's key."""

    @property
    def kind(self) -> str:
        """``basic``, ``cloze`` or ``problem``."""

    @property
    def question(self) -> str:
        """The question's Markdown."""

    @property
    def answer(self) -> str:
        """The answer's Markdown."""

    @property
    def note(self) -> str:
        """A cloze card's whole note (empty for other kinds)."""


def rendering_sources(kind: str, question: str, answer: str, note: str) -> list[tuple[str, str]]:
    """(form, Markdown) for each text the ``.apkg`` export renders of such a card."""
    if kind == "problem":
        return []
    if kind == "cloze":
        return [("anki_note", note or question)]
    return [("anki_question", question), ("anki_answer", answer)]


@dataclass
class StoredHtml:
    """The stored Anki HTML of some cards, and what is missing or stale."""

    html: dict[int, dict[str, str]] = field(default_factory=dict)
    """Card key → {Markdown: its HTML}, only for rows rendered from the card's current text."""
    missing: list[tuple[int, str, str]] = field(default_factory=list)
    """(card key, form, Markdown) with no current row: to render (and store)."""

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        """Take freshly rendered ``rows`` (see :func:`render`) for the missing items."""
        for (key, _form, source), row in zip(self.missing, rows, strict=True):
            self.html.setdefault(key, {})[source] = str(row["text"])[17:]


def current_html(found: Mapping[tuple[int, str], str], cards: Sequence[CardTexts]) -> StoredHtml:
    """The HTML of ``cards`` among the stored rows ``found`` ((card key, form) → row text)
    that were rendered from the card's current text; the texts without one are ``missing``."""
    result = StoredHtml()
    for card in cards:
        for form, source in rendering_sources(card.kind, card.question, card.answer, card.note):
            stored = found.get((card.id, form))
            html = None if stored is None else opened(stored, digest(source))
            if html is None:
                result.missing.append((card.id, form, source))
            else:
                result.html.setdefault(card.id, {})[source] = html
    return result
