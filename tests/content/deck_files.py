"""What every deck's tests read of its file: the text, its cards, its Practice skills."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from quizcalc.cards import parse_markdown
from quizcalc.cards.model import Card, CardKind


class DeckFile:
    """One deck file of ``content/``, parsed once per test process."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cache  # noqa: B019 -- one instance per deck module, alive for the whole run anyway
    def text(self) -> str:
        """The deck file as written."""
        return self.path.read_text(encoding="utf-8")

    @cache  # noqa: B019
    def all_cards(self) -> tuple[Card, ...]:
        """Every card the file makes, its Practice skills (problem cards) included."""
        return tuple(parse_markdown(self.text(), source=str(self.path)))

    @cache  # noqa: B019
    def written_cards(self) -> tuple[Card, ...]:
        """The written cards (Q&A and cloze, one per deletion), without the Practice skills."""
        return tuple(card for card in self.all_cards() if card.kind is not CardKind.PROBLEM)


def note_id(card: Card) -> str:
    """The id written above the card's note (a cloze card's id without its ``::cN``)."""
    return card.id.split("::", 1)[0]


def assert_practice_skills(deck: DeckFile, families: set[str]) -> None:
    """Each problem card sits under a section's Practice heading and names one of the
    ``families`` this deck teaches, and together they name all of them."""
    practice = [card for card in deck.all_cards() if card.kind is CardKind.PROBLEM]
    assert {card.problem.family for card in practice if card.problem} == families
    assert all(card.section.endswith("::Practice") for card in practice)
