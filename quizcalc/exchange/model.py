"""Plain data every export and import format reads or writes (no ORM objects, no I/O).

An :class:`ExchangeCard` is one card as it leaves or enters the store: its text exactly as
written, where it sits (deck, section, tags) and, when progress travels with it, its SM-2
schedule and review log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from quizcalc.exchange.anki_identity import AnkiIdentity
from quizcalc.scheduling.answer import NEW_CARD_STATE

__all__ = [
    "DEFAULT_INSTANCES",
    "AnkiManualRow",
    "ExchangeCard",
    "ExchangeError",
    "ExchangeReview",
    "ExchangeSchedule",
    "ExportOptions",
    "ExportReport",
    "Progress",
    "note_id",
]

DEFAULT_INSTANCES = 5
"""Static instances written per problem card where a format cannot generate fresh ones."""

Progress = Callable[[int, int], None]
"""Called with (items done, items in all) while a long export or import runs."""


def note_id(card_id: str, cloze_number: int | None) -> str:
    """The id of a card's note: a cloze card's id without its ``::cN``, else the card id."""
    suffix = f"::c{cloze_number}"
    if cloze_number is not None and card_id.endswith(suffix):
        return card_id[: -len(suffix)]
    return card_id


class ExchangeError(Exception):
    """A file that cannot be written or read: the message names the file and what to do."""


@dataclass(frozen=True)
class ExchangeSchedule:
    """A card's SM-2 state, as stored (``due`` is a study day; None for a new card)."""

    repetitions: int = NEW_CARD_STATE.repetitions
    easiness: float = NEW_CARD_STATE.easiness
    interval: int = NEW_CARD_STATE.interval
    due: date | None = NEW_CARD_STATE.due
    lapses: int = NEW_CARD_STATE.lapses
    reviews: int = NEW_CARD_STATE.reviews
    last_reviewed_at: datetime | None = NEW_CARD_STATE.last_reviewed_at
    stability: float | None = NEW_CARD_STATE.stability
    """FSRS stability (days) when the collection schedules with FSRS, else ``None``."""
    difficulty: float | None = NEW_CARD_STATE.difficulty
    """FSRS difficulty (1–10), with ``stability``."""


@dataclass(frozen=True)
class ExchangeReview:
    """One row of the review log: when, how well, and the schedule before and after."""

    reviewed_at: datetime
    study_day: date
    quality: int
    kind: str
    """``"review"``, ``"relearn"`` or ``"drill"`` (answers); ``"reset"`` (put back to new) or
    ``"implicit"`` (credit from an encompassing skill's review): not answers."""
    before: ExchangeSchedule
    after: ExchangeSchedule
    answer_text: str | None = None
    duration_ms: int | None = None
    seed: int | None = None
    misconception: str | None = None


@dataclass(frozen=True)
class AnkiManualRow:
    """One Anki review-log row without an answer button (set due date, reschedule; a Forget is
    read as a ``reset`` :class:`ExchangeReview` instead, though older imports kept some here).

    Not an answer here (it feeds no statistic, queue or count), but kept as Anki wrote it so
    an ``.apkg`` export with progress gives it back: Anki's row id (its time in ms) and fields.
    """

    anki_id: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time_ms: int
    type: int
    """Anki's revlog ``type``: 4 manual (set due date), 5 rescheduled."""

    @property
    def reviewed_at(self) -> datetime:
        """When Anki logged the row (its id is the time in ms)."""
        return datetime.fromtimestamp(self.anki_id / 1000, UTC)


@dataclass(frozen=True)
class ExchangeCard:
    """One card on its way out of (or into) the store."""

    card_id: str
    """The stable content id; export formats derive note GUIDs from it."""
    kind: str
    """``"basic"``, ``"cloze"`` or ``"problem"`` (``quizcalc.cards.CardKind`` values)."""
    deck: str
    question: str
    answer: str
    section: str = ""
    """Heading path joined by ``::``, as Anki names sub-decks."""
    tags: tuple[str, ...] = ()
    note: str = ""
    """For a cloze card, the note's full text with every ``{{cN::…}}``."""
    cloze_number: int | None = None
    family: str | None = None
    difficulty: int | None = None
    suspended: bool = False
    flag: int = 0
    """Anki's coloured flag (0 none, 1–7 red … purple); written and read as the card's
    ``flags``, with or without progress, as suspension is."""
    schedule: ExchangeSchedule | None = None
    """Present when progress is exported."""
    reviews: tuple[ExchangeReview, ...] = ()
    """Present when progress is exported, oldest first."""
    manual: tuple[AnkiManualRow, ...] = ()
    """Anki review-log rows without an answer button (set due date, reschedule) that
    the file carries for this card, oldest first: not answers here, kept apart for Anki."""
    anki: AnkiIdentity | None = None
    """For a card imported from Anki: its note (GUID, note type, fields) and ordinal, so an
    ``.apkg`` export writes the note back as it was; None for a card born in quizcalc."""
    html: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Anki HTML already rendered for some of this card's texts, keyed by the Markdown text
    itself (so a stale rendering can never be used): an ``.apkg`` export renders the rest."""
    instances: Mapping[int, Sequence[str]] = field(default_factory=dict, compare=False)
    """For a problem card, the note fields of static instances already generated, by
    instance number (for the export's ``instances`` and ``seed``): the export makes the rest."""

    @property
    def note_id(self) -> str:
        """The id of the note this card belongs to: a cloze card's id without ``::cN``."""
        return note_id(self.card_id, self.cloze_number)

    @property
    def full_deck(self) -> str:
        """Deck and section joined as Anki names a sub-deck: ``Deck::2.3 The chain rule``."""
        return f"{self.deck}::{self.section}" if self.section else self.deck


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how."""

    deck: str | None = None
    """Only this deck (by name, case-insensitive)."""
    section: str | None = None
    """Only cards under this section (a heading title or a ``::`` path prefix)."""
    with_progress: bool = False
    """Carry schedules and review logs where the format can hold them."""
    instances: int = DEFAULT_INSTANCES
    """Static instances per problem card (Anki, CSV)."""
    seed: int = 0
    """Base of the problem instances' seeds, so two exports write the same instances."""
    media_dir: Path | None = None
    """Where the collection keeps media files: an Anki package carries those its cards show."""


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    cards: int
    """Cards of the store exported."""
    notes: int = 0
    """Notes written (cloze siblings share one; a problem card writes ``instances``)."""
    reviews: int = 0
    """Review-log rows written."""
    details: list[str] = field(default_factory=list)
    """One line per thing worth telling (e.g. a card a format could not hold)."""

    def summary(self) -> str:
        """One line: ``exported 92 cards (70 notes) to deck.apkg``."""
        text = f"exported {self.cards} cards"
        if self.notes:
            text += f" ({self.notes} notes"
            text += f", {self.reviews} reviews)" if self.reviews else ")"
        return f"{text} to {self.path}"
