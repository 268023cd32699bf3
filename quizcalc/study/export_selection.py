"""Which of the store's cards an export takes (``--deck`` and ``--section``), and as what.

Both ways of reading cards for an export (the store's session in
:mod:`~quizcalc.study.exchange_cards`, the stdlib ``sqlite3`` driver in
:mod:`~quizcalc.study.export_quick`) read every active card in deck, file and reading order,
then narrow them here and make each an :class:`ExchangeCard` with :func:`exchange_card`, so
the two can never pick different cards, word a miss differently or carry a field differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from quizcalc.exchange.model import ExchangeCard, ExchangeError, ExportOptions
from quizcalc.study.learner_tags import TagEdits, effective_tags

__all__ = ["CARD_ORDER", "SelectableCard", "exchange_card", "section_matches", "selected"]

CARD_ORDER = "decks.name, cards.source, cards.position, cards.id"
"""An export's card order, as SQL over ``cards`` joined with ``decks``."""


class SelectableCard(Protocol):
    """What selecting a card reads of it: its deck's name and its section path."""

    @property
    def deck_name(self) -> str:
        """The card's deck."""

    @property
    def section(self) -> str:
        """The card's ``::`` section path."""


Card = TypeVar("Card", bound=SelectableCard)


def section_matches(section: str, wanted: str) -> bool:
    """True when ``section`` is ``wanted`` or lies under it.

    ``wanted`` is a ``::`` path matched from any level, case-insensitively: ``2.3 The chain
    rule`` matches ``Calculus::2.3 The chain rule::Practice``.
    """
    parts = [p.strip().casefold() for p in section.split("::")]
    target = [p.strip().casefold() for p in wanted.split("::") if p.strip()]
    if not target:
        return True
    return any(parts[i : i + len(target)] == target for i in range(len(parts)))


def selected(records: Sequence[Card], options: ExportOptions) -> list[Card]:
    """The ``records`` that ``options.deck`` and ``options.section`` select, in order.

    Raises :class:`ExchangeError` when a deck or section filter matches nothing, naming what
    exists instead.
    """
    chosen = list(records)
    if options.deck is not None:
        decks = sorted({r.deck_name for r in chosen})
        chosen = [r for r in chosen if r.deck_name.casefold() == options.deck.casefold()]
        if not chosen:
            raise ExchangeError(
                f"no deck named {options.deck!r}; decks: {', '.join(decks) or 'none yet'}"
            )
    if options.section is not None:
        section = options.section
        chosen = [r for r in chosen if section_matches(r.section, section)]
        if not chosen:
            raise ExchangeError(
                f"no cards under section {section!r}; `quizcalc cards list` shows the sections"
            )
    return chosen


def exchange_card(
    row: Any, tag_edits: dict[str, TagEdits], html: dict[str, str], **progress: Any
) -> ExchangeCard:
    """The card ``row`` (its ``cards`` columns and ``deck_name``) as an export writes it: the
    file's tags with the learner's ``tag_edits``, its stored Anki ``html``, and ``progress``
    (schedule, reviews, manual rows, Anki identity) when the export carries them."""
    return ExchangeCard(
        card_id=row.card_id,
        kind=row.kind,
        deck=row.deck_name,
        question=row.question,
        answer=row.answer,
        section=row.section,
        tags=effective_tags(row.tags, tag_edits.get(row.card_id)),
        note=row.note,
        cloze_number=row.cloze_number,
        family=row.family,
        difficulty=row.difficulty,
        suspended=row.status == "suspended",
        flag=row.flag,
        html=html,
        **progress,
    )
