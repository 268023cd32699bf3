"""Our ``quizcalc Problem`` notes: static instances that restore their problem card.

:mod:`quizcalc.exchange.apkg_export` writes a generated problem card as static instances of
it. Reading one back, its ``Skill`` field (``family:difficulty``) restores the problem card
itself, once, with the history of the instance that carries it; the instances are not cards
here. An instance without a usable ``Skill`` (an unknown family) is counted, so the report
names it once per problem card.
"""

from __future__ import annotations

from quizcalc.cards.model import Card, CardKind, ProblemSpec
from quizcalc.exchange.apkg_history import card_history
from quizcalc.exchange.apkg_reader import AnkiCollection, AnkiNote
from quizcalc.exchange.apkg_reading import ApkgReading, home_deck, plain_field

__all__ = ["SKILL_FIELD", "restore_problem_card"]

SKILL_FIELD = "skill"
"""In our problem note type, the ``family:difficulty`` the instance was drawn from."""


def _skill(note: AnkiNote, names: list[str]) -> ProblemSpec | None:
    """The ``family:difficulty`` of one of our problem instances, if known here."""
    from quizcalc.problems.catalog import FAMILY_NAMES

    if SKILL_FIELD not in names or names.index(SKILL_FIELD) >= len(note.fields):
        return None
    family, _, level = plain_field(note.fields[names.index(SKILL_FIELD)]).partition(":")
    if family not in FAMILY_NAMES or level not in {"1", "2", "3"}:
        return None
    return ProblemSpec(family, int(level))


def restore_problem_card(
    note: AnkiNote,
    names: list[str],
    own_id: str,
    where: tuple[str, int],
    collection: AnkiCollection,
    deck: ApkgReading,
) -> None:
    """One static instance: restores its problem card (once), else counts it as skipped.

    ``names`` are the note type's field names (stripped, case-folded); ``where`` is the package
    and the note's position in it (the card's source and line).
    """
    card_id = own_id or note.guid
    spec = _skill(note, names)
    if spec is None:
        deck.instances[card_id] = deck.instances.get(card_id, 0) + 1
        return
    if card_id not in deck.problem_ids:
        deck_name, section = home_deck(note, collection)
        card = Card(
            id=card_id,
            kind=CardKind.PROBLEM,
            question=spec.question,
            answer="",
            section=section,
            tags=note.tags,
            source=where[0],
            line=where[1],
            deck=deck_name or "Default",
            explicit_id=True,
            problem=spec,
        )
        deck.problem_ids[card_id] = card
        deck.cards.append(card)
    card = deck.problem_ids[card_id]
    if card.id in deck.progress:
        return
    for anki in collection.cards.get(note.id, []):
        progress = card_history(card, anki, collection)
        if progress is not None:
            deck.progress[card.id] = progress
            return
