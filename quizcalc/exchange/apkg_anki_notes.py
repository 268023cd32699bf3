"""Notes imported from Anki, written back as Anki had them (``.apkg`` export).

A card imported from an Anki package keeps its note's identity
(:class:`~quizcalc.exchange.anki_identity.AnkiIdentity`): the export writes that note with its
own GUID, its own note type (same id, name, fields, templates and CSS) and its fields as Anki
had them, one Anki card per quizcalc card at the card's own ordinal. Importing the package
into the collection the deck came from therefore updates each note in place: no note, card or
note type is added, and Check Database finds nothing to fix.
"""

from __future__ import annotations

import re
from functools import cache

import genanki

from quizcalc.exchange.anki_identity import AnkiIdentity, AnkiNoteType
from quizcalc.exchange.model import ExchangeCard

__all__ = ["anki_model", "anki_note", "group_key"]

_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
"""Every cloze deletion's number, nested ones included."""


@cache
def anki_model(notetype: AnkiNoteType) -> genanki.Model:
    """The genanki model for an imported note type: Anki's id, name, fields, templates, CSS."""
    return genanki.Model(
        notetype.id,
        notetype.name,
        fields=[{"name": name} for name in notetype.fields],
        templates=[
            {"name": template.name, "qfmt": template.qfmt, "afmt": template.afmt}
            for template in notetype.templates
        ],
        css=notetype.css,
        model_type=genanki.Model.CLOZE if notetype.cloze else genanki.Model.FRONT_BACK,
    )


def group_key(card: ExchangeCard) -> str | None:
    """The key gathering the cards of one imported Anki note (None: a card born here)."""
    return f"anki\x1f{card.anki.guid}" if card.anki is not None else None


def anki_note(identity: AnkiIdentity, tags: list[str], position: int) -> genanki.Note | None:
    """The note as Anki had it, or None when its fields no longer fit its note type."""
    notetype = identity.note_type
    if len(identity.fields) != len(notetype.fields) or not notetype.templates:
        return None
    note = genanki.Note(
        anki_model(notetype),
        list(identity.fields),
        tags=tags,
        guid=identity.guid,
        due=position,
    )
    if notetype.cloze:
        # Anki makes a card per cloze number, nested ones too (genanki's regex misses those).
        numbers = {int(n) for field in identity.fields for n in _CLOZE_NUMBER.findall(field)}
        note.cards = [genanki.Card(n - 1) for n in sorted(numbers) if n > 0]
    return note
