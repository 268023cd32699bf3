"""Duplicate cards: two cards with one id, within a file or across the files of a deck."""

from __future__ import annotations

from collections.abc import Iterable

from quizcalc.cards.model import Card, CardKind, LintMessage

__all__ = ["DuplicateFilter", "duplicate_message"]


def duplicate_message(card: Card, first: Card) -> str:
    """Why ``card`` clashes with ``first`` (which keeps the id) and what to do about it."""
    where = f"{first.source}:{first.line}"
    if card.explicit_id or first.explicit_id:
        return f"duplicate card id {card.id!r} (first used at {where}); give this card another id"
    if card.kind is CardKind.PROBLEM:
        return f"duplicate problem card: same family and difficulty as {where}; remove one"
    if card.kind is CardKind.CLOZE:
        return f"duplicate cloze: same text as {where}; remove one or add <!-- id: ... -->"
    return f"duplicate card: same question as {where}; reword one or give it <!-- id: ... -->"


class DuplicateFilter:
    """Keeps the first card of each id and reports every later one."""

    def __init__(self) -> None:
        self._first: dict[str, Card] = {}

    def keep(self, cards: Iterable[Card], problems: list[LintMessage]) -> list[Card]:
        """The cards whose id is new; a message in ``problems`` for each one dropped."""
        kept: list[Card] = []
        for card in cards:
            first = self._first.get(card.id)
            if first is not None:
                problems.append(LintMessage(card.source, card.line, duplicate_message(card, first)))
                continue
            self._first[card.id] = card
            kept.append(card)
        return kept
