"""What makes an imported Anki note recognisable to Anki again: its note type, GUID, ordinals.

Plain data, kept with each card imported from an ``.apkg`` (schema 0007) and written back by
the ``.apkg`` export, so the notes land on themselves in the collection they came from.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AnkiIdentity", "AnkiNoteType", "AnkiTemplate"]


@dataclass(frozen=True)
class AnkiTemplate:
    """One card template of a note type: its name and question/answer formats."""

    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True)
class AnkiNoteType:
    """A note type: its name, whether it is a cloze type, its field names and templates."""

    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[AnkiTemplate, ...] = ()
    """By ordinal (a card's ``ord`` picks its template; cloze types have one)."""
    css: str = ""
    id: int = 0


@dataclass(frozen=True)
class AnkiIdentity:
    """One imported card's place in Anki: note GUID, template ordinal, note type, fields."""

    guid: str
    ord: int
    """Template ordinal (for a cloze note, the cloze number minus one)."""
    note_type: AnkiNoteType
    fields: tuple[str, ...]
    """The note's fields as Anki had them (HTML), in the note type's order."""
