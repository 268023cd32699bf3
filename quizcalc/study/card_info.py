"""Card info, as Anki shows it: when a card was added and reviewed, its schedule, its times,
where it is written and every answer it was given.

Part of :class:`~quizcalc.study.service.StudyService`; the reviewer's `i` comes through here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from quizcalc.store.models import CardRecord, NoteTypeRecord
from quizcalc.study.browse import card_history
from quizcalc.study.collection_base import CollectionAccess
from quizcalc.study.errors import CardNotFound, use_case
from quizcalc.study.views import CardDetail, HistoryRow

__all__ = ["AnkiNote", "CardInfo", "CardInfoUseCases"]


@dataclass(frozen=True)
class AnkiNote:
    """The Anki note a card was imported with: its note type and fields, name by name."""

    note_type: str
    field_names: tuple[str, ...]
    fields: tuple[str, ...]
    """The fields' text as Anki had it (HTML), in the note type's order."""


@dataclass(frozen=True)
class CardInfo:
    """Everything Anki's card info shows, for one card."""

    detail: CardDetail
    """Text, schedule and the review history, newest first."""
    added: datetime
    flag: int
    buried_until: date | None
    anki: AnkiNote | None = None
    """The Anki note, for a card imported from an Anki package (``None`` otherwise)."""

    @property
    def answers(self) -> tuple[HistoryRow, ...]:
        """The history's answers, newest first (implicit credits and resets left out)."""
        return tuple(row for row in self.detail.history if row.is_answer)

    @property
    def first_review(self) -> datetime | None:
        """When the card was first answered (``None``: never)."""
        answers = self.answers
        return answers[-1].reviewed_at if answers else None

    @property
    def latest_review(self) -> datetime | None:
        """When the card was last answered (``None``: never)."""
        answers = self.answers
        return answers[0].reviewed_at if answers else None

    @property
    def total_ms(self) -> int:
        """Time spent answering it, over every timed answer."""
        return sum(row.duration_ms or 0 for row in self.answers)

    @property
    def average_ms(self) -> int | None:
        """Mean time per timed answer (``None``: no timed answer)."""
        timed = [row.duration_ms for row in self.answers if row.duration_ms is not None]
        return round(sum(timed) / len(timed)) if timed else None


def anki_note(record: CardRecord, note_type: NoteTypeRecord | None) -> AnkiNote | None:
    """The card's Anki note, when it has one whose fields can be read."""
    if record.anki_fields is None:
        return None
    try:
        fields = [str(value) for value in json.loads(record.anki_fields)]
        names = [str(n) for n in json.loads(note_type.fields)] if note_type else []
    except (ValueError, TypeError):
        return None
    names += [f"Field {i + 1}" for i in range(len(names), len(fields))]
    return AnkiNote(
        note_type=note_type.name if note_type else "Anki note",
        field_names=tuple(names[: len(fields)]),
        fields=tuple(fields),
    )


class CardInfoUseCases(CollectionAccess):
    """Anki's card info for one card."""

    @use_case("read the card's info")
    def card_info(self, card_key: int) -> CardInfo:
        """A card's dates, schedule, times, origin and review history."""
        with self.transaction() as session:
            detail = card_history(session, card_key)
            record = session.get(CardRecord, card_key)
            if record is None:  # card_history found it: gone only in a race
                raise CardNotFound(f"no card with key {card_key}")
            note_type = (
                None
                if record.note_type_id is None
                else session.scalar(
                    select(NoteTypeRecord).where(NoteTypeRecord.id == record.note_type_id)
                )
            )
            return CardInfo(
                detail=detail,
                added=record.created_at,
                flag=record.flag,
                buried_until=record.schedule.buried_until,
                anki=anki_note(record, note_type),
            )
