"""Anki notes to cards, for both Anki importers (text rows and ``.apkg`` notes).

:func:`cards_from_fields` turns one note's fields (already Markdown) into its cards: a basic
note's front and back, or one card per ``{{cN::…}}`` deletion of a cloze note.
:func:`split_full_deck` splits Anki's ``Deck::Section::Sub`` deck names.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizcalc.cards.cloze import parse_anki_cloze
from quizcalc.cards.model import Card, CardKind, derive_card_id, derive_cloze_id

__all__ = ["cards_from_fields", "split_full_deck"]


def split_full_deck(name: str) -> tuple[str, str]:
    """``Deck::Section::Sub`` → (``Deck``, ``Section::Sub``); blanks around parts dropped."""
    parts = [part.strip() for part in name.split("::") if part.strip()]
    if not parts:
        return "", ""
    return parts[0], "::".join(parts[1:])


def cards_from_fields(
    fields: Sequence[str],
    *,
    cloze: bool,
    deck: str,
    section: str,
    tags: tuple[str, ...],
    card_id: str | None,
    source: str,
    line: int,
) -> tuple[list[Card], list[str]]:
    """The cards one Anki note makes, from its fields (already Markdown), and any problems.

    ``card_id`` is the note's id (a cloze card gets ``<id>::cN``); without one, ids are
    derived from the text as the Markdown parser derives them. A basic note's first field is
    the question and its second the answer; further fields are not used.
    """
    first = fields[0].strip() if fields else ""
    if cloze:
        note = parse_anki_cloze(first)
        numbers = note.numbers()
        if note.broken:  # a card would show the broken markup as raw braces
            return [], list(note.problems)
        if not numbers:
            reasons = "; ".join(note.problems) or "no {{c1::…}} deletion in the text"
            return [], [f"cloze note without a usable deletion ({reasons})"]
        cards = [
            Card(
                id=f"{card_id}::c{n}" if card_id else derive_cloze_id(first, n),
                kind=CardKind.CLOZE,
                question=note.question(n),
                answer=note.answer(n),
                section=section,
                tags=tags,
                source=source,
                line=line,
                deck=deck,
                explicit_id=card_id is not None,
                cloze_number=n,
                note=first,
            )
            for n in numbers
        ]
        return cards, list(note.problems)
    answer = fields[1].strip() if len(fields) > 1 else ""
    if not first:
        return [], ["the front (question) field is empty"]
    if not answer:
        return [], ["the back (answer) field is empty"]
    card = Card(
        id=card_id or derive_card_id(CardKind.BASIC, first),
        kind=CardKind.BASIC,
        question=first,
        answer=answer,
        section=section,
        tags=tags,
        source=source,
        line=line,
        deck=deck,
        explicit_id=card_id is not None,
    )
    return [card], []
