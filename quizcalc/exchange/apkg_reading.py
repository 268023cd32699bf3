"""What reading one Anki package accumulates, and the note helpers its readers share.

:class:`ApkgReading` is filled note by note by :mod:`quizcalc.exchange.apkg_import` (basic,
cloze and template cards) and :mod:`quizcalc.exchange.apkg_problem_notes` (our problem
cards' static instances); both place a note in its home deck with :func:`home_deck` and read
our own fields with :func:`plain_field`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from quizcalc.cards.model import Card
from quizcalc.exchange.anki_notes import split_full_deck
from quizcalc.exchange.apkg_reader import AnkiCollection, AnkiNote
from quizcalc.exchange.imports import ForeignDeck

__all__ = ["ApkgReading", "home_deck", "plain_field"]


def plain_field(value: str) -> str:
    """A field's text without HTML tags or entities, stripped (for our ``Id``/``Skill``)."""
    return html.unescape(re.sub(r"<[^>]*>", "", value)).strip()


def home_deck(note: AnkiNote, collection: AnkiCollection) -> tuple[str, str]:
    """The note's deck and section, from its first card's home deck (not a filtered deck)."""
    anki_cards = collection.cards.get(note.id, [])
    home = anki_cards[0].original_deck_id or anki_cards[0].deck_id if anki_cards else 0
    return split_full_deck(collection.decks.get(home, ""))


@dataclass
class ApkgReading(ForeignDeck):
    """A :class:`ForeignDeck` being read, with the counts its report lines are made from."""

    instances: dict[str, int] = field(default_factory=dict)
    """Problem card id → static instances of it that name no usable skill."""
    problem_ids: dict[str, Card] = field(default_factory=dict)
    """Problem card id → the problem card its instances restored."""
    unrendered: dict[str, str] = field(default_factory=dict)
    """Template filter quizcalc does not apply → a note type using it."""
    images: int = 0
    """``<img>`` tags in the notes read (kept as references)."""
    sounds: int = 0
    """``[sound:…]`` references in the notes read."""
